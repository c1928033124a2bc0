import * as RadixDialog from '@radix-ui/react-dialog';
import { Bot, Building2, CalendarX2, ChartColumn, FileInput, FileOutput, FolderClosed, KeyRound, ScrollText, Search, Settings, User, Users, UsersRound } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import type { AppStatus } from '../../../shared/ipc';
import { TYPE_LABELS } from '../../../shared/schemas/secrets';
import { levelLabel, shownName } from '../../../shared/labels';
import { useVaultSearch } from '../../lib/useVaultSearch';
import type { View } from '../../state/nav';
import { HOME, shortcutOf, useNav, viewAllowed } from '../../state/nav';
import { useSecrets } from '../../state/secrets';
import { useSession } from '../../state/session';
import { useUi } from '../../state/ui';
import { useSearchReach } from '../../state/vault-search';
import { openSecret } from '../review/open';

/** Secrets the palette lists under the screens; "Search the whole vault" shows them all. */
const PALETTE_SECRETS = 8;

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
/** How the palette's shortcut is written on this platform. */
const PALETTE_KEYS = IS_MAC ? '⌘K' : 'Ctrl K';

/** The top bar's way into the palette, showing its shortcut. */
export function PaletteButton() {
  const setPaletteOpen = useUi((s) => s.setPaletteOpen);
  return (
    <button
      type="button"
      className="btn palette-btn"
      onClick={() => setPaletteOpen(true)}
      aria-label="Jump to a screen or secret"
      aria-keyshortcuts="Control+K Meta+K"
      title={`Jump to a screen or secret (${PALETTE_KEYS})`}
    >
      <Search size={16} aria-hidden />
      <span className="palette-btn-label">Jump to…</span>
      <kbd aria-hidden>{PALETTE_KEYS}</kbd>
    </button>
  );
}

interface Entry {
  key: string;
  group: 'Screens' | 'Secrets';
  icon: ReactNode;
  label: string;
  /** Said after the label, smaller: a secret's level and type, a screen's shortcut. */
  detail?: string;
  keys?: string | undefined;
  go: () => void;
  /** What takes focus once the palette has closed and the jump has rendered. */
  focusAfter: () => HTMLElement | null;
}

interface Screen {
  view: View;
  label: string;
  icon: ReactNode;
  /** Other words people look for it by. */
  aliases?: string;
}

const icon = (Icon: typeof User) => <Icon size={16} aria-hidden />;

/** The sidebar's places, in its order, each only when this member may open it (the same rules as the sidebar). */
function screensOf(status: AppStatus): Screen[] {
  const all: Screen[] = [
    { view: HOME, label: 'Personal', icon: icon(User) },
    ...status.workspaces.map((w): Screen => ({ view: { kind: 'secrets', scope: { level: 'workspace', workspace: w.name } }, label: w.name, icon: icon(FolderClosed), aliases: 'workspace' })),
    { view: { kind: 'secrets', scope: { level: 'organization' } }, label: 'Organization', icon: icon(Building2) },
    { view: { kind: 'scheduled' }, label: 'To be deleted', icon: icon(CalendarX2), aliases: 'scheduled deletion inactive purge' },
    { view: { kind: 'review' }, label: 'Review', icon: icon(ChartColumn), aliases: 'dashboard report' },
    { view: { kind: 'members' }, label: 'Members', icon: icon(Users), aliases: 'roles' },
    { view: { kind: 'teams' }, label: 'Teams', icon: icon(UsersRound), aliases: 'workspaces' },
    { view: { kind: 'credentials' }, label: 'Service credentials', icon: icon(KeyRound), aliases: 'pipelines' },
    { view: { kind: 'accounts' }, label: 'Service accounts', icon: icon(Bot), aliases: 'pipelines keys' },
    { view: { kind: 'import' }, label: 'Import', icon: icon(FileInput), aliases: 'bundle keepass bitwarden 1password env' },
    { view: { kind: 'export' }, label: 'Export', icon: icon(FileOutput), aliases: 'bundle' },
    { view: { kind: 'audit' }, label: 'Audit', icon: icon(ScrollText), aliases: 'log' },
    { view: { kind: 'settings' }, label: 'Settings', icon: icon(Settings), aliases: 'preferences password theme' },
  ];
  return all.filter((s) => viewAllowed(s.view, status));
}

const byId = (id: string) => () => document.getElementById(id);
const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/**
 * Ctrl+K / Cmd+K from anywhere in the unlocked app: a combobox over the screens this member may
 * open and the secrets whose names match, across the whole vault (docs/ui.md "Search and the
 * command palette"). Arrows move, Enter jumps, Esc closes and gives focus back.
 */
export function CommandPalette() {
  const open = useUi((s) => s.paletteOpen);
  const setPaletteOpen = useUi((s) => s.setPaletteOpen);
  const chosen = useRef<Entry | null>(null);
  /** Where focus was when the palette opened (a shortcut opens it from anywhere, so there is no trigger to go back to). */
  const opener = useRef<HTMLElement | null>(null);

  return (
    <RadixDialog.Root open={open} onOpenChange={setPaletteOpen}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="dialog-overlay" />
        <RadixDialog.Content
          className="palette"
          aria-describedby={undefined}
          onOpenAutoFocus={() => {
            opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
          }}
          onCloseAutoFocus={(e) => {
            // Escape gives focus back to where it was; a jump puts it in the place jumped to.
            e.preventDefault();
            const entry = chosen.current;
            const back = opener.current;
            chosen.current = null;
            opener.current = null;
            requestAnimationFrame(() => {
              const target = entry ? entry.focusAfter() : back?.isConnected ? back : null;
              (target ?? document.querySelector<HTMLElement>('main.workspace'))?.focus();
            });
          }}
        >
          <RadixDialog.Title className="visually-hidden">Jump to a screen or secret</RadixDialog.Title>
          {open && (
            <PaletteBody
              onChoose={(entry) => {
                chosen.current = entry;
                setPaletteOpen(false);
                entry.go();
              }}
            />
          )}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

function PaletteBody({ onChoose }: { onChoose: (entry: Entry) => void }) {
  const status = useSession((s) => s.status)!;
  const [text, setText] = useState('');
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const baseId = useId();
  const query = text.trim();
  const search = useVaultSearch(query, PALETTE_SECRETS);

  const needle = query.toLowerCase();
  const screens: Entry[] = screensOf(status)
    .filter((s) => !needle || `${s.label} ${s.aliases ?? ''}`.toLowerCase().includes(needle))
    .map((s) => ({
      key: `screen:${s.view.kind}:${s.view.kind === 'secrets' ? JSON.stringify(s.view.scope) : ''}`,
      group: 'Screens',
      icon: s.icon,
      label: s.label,
      detail: s.view.kind === 'secrets' && s.view.scope.level === 'workspace' ? 'Workspace' : undefined,
      keys: shortcutOf(s.view),
      go: () => useNav.getState().go(s.view),
      focusAfter: () => document.getElementById('secret-grid') ?? document.querySelector<HTMLElement>('main.workspace'),
    }));
  const listing = query && search.answered === query ? search.listing : null;
  const secrets: Entry[] = (listing?.items ?? []).map((row) => ({
    key: `secret:${row.id}`,
    group: 'Secrets',
    icon: icon(KeyRound),
    label: shownName(row),
    detail: `${levelLabel(row)} · ${TYPE_LABELS[row.type]}`,
    go: () => openSecret(row),
    focusAfter: byId('secret-grid'),
  }));
  if (query) {
    secrets.push({
      key: 'search',
      group: 'Secrets',
      icon: icon(Search),
      label: `Search the whole vault for “${query}”`,
      detail: listing && listing.matched > listing.items.length ? `${listing.matched} matches` : undefined,
      go: () => {
        const nav = useNav.getState();
        if (nav.view.kind !== 'secrets') nav.go(HOME);
        useSearchReach.getState().setWholeVault(true);
        useSecrets.getState().setQuery({ search: query });
      },
      focusAfter: () => document.querySelector<HTMLElement>('#vault-results .row-link, .topbar-search input'),
    });
  }
  const entries = [...screens, ...secrets];
  const activeIndex = Math.max(0, entries.findIndex((e) => e.key === activeKey));
  const active = entries[activeIndex];
  const optionId = (i: number) => `${baseId}-option-${i}`;

  useEffect(() => {
    listRef.current?.querySelector(`[id="${optionId(activeIndex)}"]`)?.scrollIntoView({ block: 'nearest' });
  });

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    const move = (by: number) => {
      e.preventDefault();
      if (entries.length === 0) return;
      setActiveKey(entries[(activeIndex + by + entries.length) % entries.length]!.key);
    };
    if (e.key === 'ArrowDown') move(1);
    else if (e.key === 'ArrowUp') move(-1);
    else if (e.key === 'Enter' && active) {
      e.preventDefault();
      onChoose(active);
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
      // The browser's own Ctrl+K (its address bar) must not fire; pressed again, the shortcut closes the palette.
      e.preventDefault();
      useUi.getState().setPaletteOpen(false);
    }
  }

  const groups = (['Screens', 'Secrets'] as const).map((name) => ({ name, items: entries.map((entry, i) => ({ entry, i })).filter(({ entry }) => entry.group === name) }));

  return (
    <>
      <div className="palette-input input-with-icon">
        <Search size={18} aria-hidden />
        <input
          className="input"
          role="combobox"
          aria-label="Jump to a screen or secret"
          aria-expanded={entries.length > 0}
          aria-controls={`${baseId}-list`}
          aria-autocomplete="list"
          aria-activedescendant={active ? optionId(activeIndex) : undefined}
          placeholder="Jump to a screen, or find a secret in the whole vault"
          autoComplete="off"
          spellCheck={false}
          maxLength={256}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setActiveKey(null);
          }}
          onKeyDown={onKeyDown}
        />
      </div>
      <div ref={listRef} id={`${baseId}-list`} role="listbox" aria-label="Screens and secrets" className="palette-list">
        {groups.map(
          ({ name, items }) =>
            items.length > 0 && (
              <div key={name} role="group" aria-labelledby={`${baseId}-${name}`}>
                <div role="presentation" id={`${baseId}-${name}`} className="palette-group">
                  {name}
                </div>
                {items.map(({ entry, i }) => (
                  <div
                    key={entry.key}
                    id={optionId(i)}
                    role="option"
                    aria-selected={i === activeIndex}
                    className="palette-option"
                    data-testid="palette-option"
                    onMouseMove={() => entry.key !== active?.key && setActiveKey(entry.key)}
                    onMouseDown={(e) => e.preventDefault()}
                    onClick={() => onChoose(entry)}
                  >
                    {entry.icon}
                    <span className="palette-label truncate">{entry.label}</span>
                    {entry.detail && <span className="palette-detail truncate">{entry.detail}</span>}
                    {entry.keys && <kbd aria-hidden>{entry.keys}</kbd>}
                  </div>
                ))}
              </div>
            ),
        )}
      </div>
      <p className="visually-hidden" role="status">
        {query ? `${plural(screens.length, 'screen')}${listing ? `, ${plural(listing.matched, 'secret')}` : ''}` : ''}
      </p>
      <div className="palette-foot" aria-hidden>
        <span>
          <kbd>↑</kbd> <kbd>↓</kbd> move
        </span>
        <span>
          <kbd>Enter</kbd> open
        </span>
        <span>
          <kbd>Esc</kbd> close
        </span>
      </div>
    </>
  );
}
