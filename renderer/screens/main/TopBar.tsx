import { Plus, Search } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { RefObject } from 'react';
import type { Scope, View } from '../../state/nav';
import { useNav } from '../../state/nav';
import { useSecrets } from '../../state/secrets';
import { useReadOnly, useSession } from '../../state/session';
import { useUi } from '../../state/ui';
import { useSearchReach } from '../../state/vault-search';
import { PaletteButton } from './CommandPalette';

export function scopeTitle(scope: Scope, organization: string): { title: string; sub: string } {
  switch (scope.level) {
    case 'personal':
      return { title: 'Personal', sub: 'Only you can read these' };
    case 'workspace':
      return { title: scope.workspace, sub: 'Workspace' };
    case 'organization':
      return { title: 'Organization', sub: organization };
  }
}

const PAGE_TITLES: Record<Exclude<View['kind'], 'secrets'>, { title: string; sub?: string }> = {
  review: { title: 'Review', sub: 'Every secret you can read: counts, what needs attention, reads' },
  settings: { title: 'Settings' },
  scheduled: { title: 'To be deleted', sub: 'Scheduled for deletion, or Inactive and awaiting purge — every scope you can read' },
  audit: { title: 'Audit', sub: 'Who did what, and when — in a keyed chain' },
  members: { title: 'Members', sub: 'Who can unlock this vault, and what their role lets them do' },
  teams: { title: 'Teams', sub: 'Teams share organization secrets; workspaces group them' },
  credentials: { title: 'Service credentials', sub: 'Identities for pipelines: they read their teams’ secrets' },
  accounts: { title: 'Service accounts', sub: 'Pipelines with a role: they read what it allows, at the organization’s or a workspace’s level' },
  export: { title: 'Export', sub: 'A signed, encrypted bundle of secrets, for members of this vault or anyone with its passphrase' },
  import: { title: 'Import', sub: 'A Coffer bundle, or secrets exported from KeePass, Bitwarden, 1Password or a .env file' },
};

const SEARCH_DEBOUNCE_MS = 80;

/** The scope's name, the search field (`/`), the palette's button (Ctrl+K) and the screen's primary action. */
export function TopBar({ searchRef }: { searchRef: RefObject<HTMLInputElement | null> }) {
  const view = useNav((s) => s.view);
  const readOnly = useReadOnly();
  const organization = useSession((s) => s.status?.vault?.organization ?? '');
  const setRegisterOpen = useUi((s) => s.setRegisterOpen);

  if (view.kind !== 'secrets') {
    const { title, sub } = PAGE_TITLES[view.kind];
    return (
      <div className="topbar">
        <div className="topbar-title">
          <h1>{title}</h1>
          {sub && <span className="sub truncate">{sub}</span>}
        </div>
        <PaletteButton />
      </div>
    );
  }
  const { title, sub } = scopeTitle(view.scope, organization);
  return (
    <div className="topbar">
      <div className="topbar-title">
        <h1 className="truncate" title={title}>
          {title}
        </h1>
        <span className="sub truncate" title={sub}>
          {sub}
        </span>
      </div>
      <SearchField inputRef={searchRef} />
      <PaletteButton />
      {!readOnly && (
        <button type="button" className="btn btn-primary" onClick={() => setRegisterOpen(true)}>
          <Plus size={16} aria-hidden />
          Register secret
        </button>
      )}
    </div>
  );
}

function SearchField({ inputRef }: { inputRef: RefObject<HTMLInputElement | null> }) {
  const search = useSecrets((s) => s.query.search);
  const setQuery = useSecrets((s) => s.setQuery);
  const wholeVault = useSearchReach((s) => s.wholeVault);
  const [text, setText] = useState(search);
  /** The search this field last set: any other value came from elsewhere. */
  const sent = useRef(search);

  // Another part of the app set the search: "Clear filters" emptied it, the palette handed over its text.
  // The field's own value coming back is not taken again: keys typed since would be lost.
  useEffect(() => {
    if (search === sent.current) return;
    sent.current = search;
    setText(search);
  }, [search]);

  useEffect(() => {
    if (text === useSecrets.getState().query.search) return;
    const t = setTimeout(() => {
      sent.current = text;
      setQuery({ search: text });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, setQuery]);

  return (
    <div className="topbar-search input-with-icon" role="search">
      <Search size={16} aria-hidden />
      <input
        ref={inputRef}
        type="search"
        className="input"
        placeholder={wholeVault ? 'Search the whole vault by name' : 'Search secrets by name'}
        aria-label={wholeVault ? 'Search the whole vault' : 'Search secrets'}
        aria-keyshortcuts="/"
        value={text}
        maxLength={256}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && text) {
            e.stopPropagation();
            setText('');
          } else if (e.key === 'ArrowDown') {
            e.preventDefault();
            (document.querySelector<HTMLElement>('#vault-results .row-link') ?? document.getElementById('secret-grid'))?.focus();
          }
        }}
      />
      {!text && <kbd aria-hidden>/</kbd>}
    </div>
  );
}
