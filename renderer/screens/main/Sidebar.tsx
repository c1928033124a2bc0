import { Bell, Bot, Building2, CalendarX2, ChartColumn, FileInput, FileOutput, FolderClosed, KeyRound, Lock, Plus, ScrollText, Settings, User, Users, UsersRound } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { workspaceName } from '../../../shared/schemas/vault';
import { Brand } from '../../components/Brand';
import { FieldError } from '../../components/Field';
import { sentence } from '../../lib/errors';
import { formatCount } from '../../lib/format';
import type { View } from '../../state/nav';
import { may, sameScope, shortcutOf, useNav, viewAllowed } from '../../state/nav';
import { request } from '../../state/request';
import { useScheduledCounts } from '../../state/scheduled';
import { useSession } from '../../state/session';
import { toast } from '../../state/toasts';
import { useUi } from '../../state/ui';
import { NoticesDialog } from './NoticesDialog';

function isCurrent(view: View, target: View): boolean {
  if (view.kind !== target.kind) return false;
  return view.kind !== 'secrets' || (target.kind === 'secrets' && sameScope(view.scope, target.scope));
}

interface NavItemProps {
  target: View;
  icon: ReactNode;
  label: string;
  count?: number | undefined;
  /** What the count counts, for screen readers. */
  countNoun?: string;
  /** A longer tooltip than the label. */
  hint?: string;
}

function NavItem({ target, icon, label, count, countNoun = 'secrets', hint = label }: NavItemProps) {
  const view = useNav((s) => s.view);
  const go = useNav((s) => s.go);
  const setNavOpen = useUi((s) => s.setNavOpen);
  const current = isCurrent(view, target);
  const keys = shortcutOf(target);
  return (
    <li>
      <button
        type="button"
        className="nav-item"
        aria-current={current ? 'page' : undefined}
        onClick={() => {
          go(target);
          // Also when it is the page already shown: the drawer has done its job.
          setNavOpen(false);
        }}
        title={keys ? `${hint} (${keys})` : hint}
        aria-keyshortcuts={keys}
      >
        {icon}
        <span className="label truncate">{label}</span>
        {count !== undefined && (
          <span className="nav-count">
            {formatCount(count)}
            <span className="visually-hidden"> {countNoun}</span>
          </span>
        )}
      </button>
    </li>
  );
}

/** Personal · Workspaces (with counts) · Organization · Settings, and Lock at the bottom (docs/ui.md). */
export function Sidebar() {
  const status = useSession((s) => s.status)!;
  const lock = useSession((s) => s.lock);
  const [adding, setAdding] = useState(false);
  const [noticesOpen, setNoticesOpen] = useState(false);
  const unread = status.unreadNotices ?? 0;
  const scheduled = useScheduledCounts((s) => s.scheduled);
  const refreshScheduled = useScheduledCounts((s) => s.refresh);
  const navOpen = useUi((s) => s.navOpen);
  const setNavOpen = useUi((s) => s.setNavOpen);
  const asideRef = useRef<HTMLElement>(null);
  const mayAddWorkspace = may(status.member?.permissions, 'workspace.create');

  // As a drawer (narrow windows), the sidebar takes the focus when it opens and gives it back to the menu button on Escape.
  useEffect(() => {
    if (navOpen) asideRef.current?.querySelector<HTMLElement>('[aria-current="page"], .nav-item')?.focus();
  }, [navOpen]);

  // Every change the core reports (schedule, cancel, purge at a tick, another member's unlock) refreshes the badge.
  useEffect(() => {
    void refreshScheduled();
  }, [status, refreshScheduled]);

  return (
    <aside
      ref={asideRef}
      id="sidebar"
      className="sidebar"
      aria-label="Vault navigation"
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || !navOpen) return;
        e.stopPropagation();
        setNavOpen(false);
        document.getElementById('menu-button')?.focus();
      }}
      onBlur={(e) => {
        // Tabbing out of the open drawer closes it: it would cover where the focus went.
        if (navOpen && e.relatedTarget instanceof Node && !e.currentTarget.contains(e.relatedTarget) && !e.relatedTarget.isSameNode(document.getElementById('menu-button'))) setNavOpen(false);
      }}
    >
      <div className="sidebar-head">
        <Brand />
        <span className="sidebar-org truncate" title={status.vault?.organization}>
          {status.vault?.organization}
        </span>
        {status.member && (
          <span className="sidebar-member truncate">
            {status.member.name} · {status.member.roleName}
          </span>
        )}
      </div>
      <nav className="sidebar-nav" aria-label="Scopes">
        <ul className="nav-list">
          <NavItem target={{ kind: 'secrets', scope: { level: 'personal' } }} icon={<User size={16} aria-hidden />} label="Personal" count={status.counts.personal} />
        </ul>
        <div className="nav-section">
          <span id="nav-workspaces">Workspaces</span>
          {mayAddWorkspace && (
            <button
              type="button"
              className="icon-btn icon-btn-sm"
              aria-label="Add workspace"
              title="Add workspace"
              aria-expanded={adding}
              onClick={() => setAdding((a) => !a)}
            >
              <Plus size={16} aria-hidden />
            </button>
          )}
        </div>
        <ul className="nav-list" aria-labelledby="nav-workspaces">
          {status.workspaces.map((w) => (
            <NavItem
              key={w.id}
              target={{ kind: 'secrets', scope: { level: 'workspace', workspace: w.name } }}
              icon={<FolderClosed size={16} aria-hidden />}
              label={w.name}
              count={w.count}
            />
          ))}
        </ul>
        {status.workspaces.length === 0 && !adding && <p className="nav-empty">{mayAddWorkspace ? 'No workspaces yet — add one with +' : 'No workspaces yet'}</p>}
        {adding && <AddWorkspace onDone={() => setAdding(false)} />}
        <div className="nav-divider" aria-hidden />
        <ul className="nav-list">
          <NavItem
            target={{ kind: 'secrets', scope: { level: 'organization' } }}
            icon={<Building2 size={16} aria-hidden />}
            label="Organization"
            count={status.counts.organization}
          />
          <NavItem
            target={{ kind: 'scheduled' }}
            icon={<CalendarX2 size={16} aria-hidden />}
            label="To be deleted"
            hint="Scheduled for deletion, and Inactive secrets awaiting their purge"
            count={scheduled ?? undefined}
            countNoun="scheduled"
          />
          {viewAllowed({ kind: 'review' }, status) && (
            <NavItem target={{ kind: 'review' }} icon={<ChartColumn size={16} aria-hidden />} label="Review" hint="Review: counts, what needs attention, expirations and reads" />
          )}
        </ul>
        <AccessNav />
        <div className="nav-divider" aria-hidden />
        <ul className="nav-list">
          {viewAllowed({ kind: 'import' }, status) && (
            <NavItem target={{ kind: 'import' }} icon={<FileInput size={16} aria-hidden />} label="Import" hint="Import a Coffer bundle, or secrets from KeePass, Bitwarden, 1Password or a .env file" />
          )}
          <NavItem target={{ kind: 'export' }} icon={<FileOutput size={16} aria-hidden />} label="Export" hint="Export secrets as a signed, encrypted bundle" />
          {viewAllowed({ kind: 'audit' }, status) && <NavItem target={{ kind: 'audit' }} icon={<ScrollText size={16} aria-hidden />} label="Audit" />}
          <NavItem target={{ kind: 'settings' }} icon={<Settings size={16} aria-hidden />} label="Settings" />
        </ul>
      </nav>
      <div className="sidebar-foot">
        {status.vault?.demo && <span className="demo-tag">Demo vault</span>}
        <button type="button" className="nav-item" onClick={() => setNoticesOpen(true)}>
          <Bell size={16} aria-hidden />
          <span className="label">Notices</span>
          {unread > 0 && (
            <span className="count-pill">
              {formatCount(unread)}
              <span className="visually-hidden"> unread</span>
            </span>
          )}
        </button>
        <button type="button" className="btn btn-block" onClick={() => void lock()} title="Lock the vault: every key leaves memory">
          <Lock size={16} aria-hidden />
          Lock
        </button>
      </div>
      {noticesOpen && <NoticesDialog onClose={() => setNoticesOpen(false)} />}
    </aside>
  );
}

/** Members, Teams, Service credentials, Service accounts: each only when the permission table lets this member manage it. */
function AccessNav() {
  const status = useSession((s) => s.status);
  const items = [
    { target: { kind: 'members' } as const, icon: <Users size={16} aria-hidden />, label: 'Members', hint: 'Members and roles' },
    { target: { kind: 'teams' } as const, icon: <UsersRound size={16} aria-hidden />, label: 'Teams', hint: 'Teams and workspaces' },
    { target: { kind: 'credentials' } as const, icon: <KeyRound size={16} aria-hidden />, label: 'Service credentials', hint: 'Service credentials for pipelines' },
    { target: { kind: 'accounts' } as const, icon: <Bot size={16} aria-hidden />, label: 'Service accounts', hint: 'Service accounts: pipelines with a role' },
  ].filter((i) => viewAllowed(i.target, status));
  if (items.length === 0) return null;
  return (
    <>
      <div className="nav-section">
        <span id="nav-access">Access</span>
      </div>
      <ul className="nav-list" aria-labelledby="nav-access">
        {items.map((i) => (
          <NavItem key={i.target.kind} target={i.target} icon={i.icon} label={i.label} hint={i.hint} />
        ))}
      </ul>
    </>
  );
}

function AddWorkspace({ onDone }: { onDone: () => void }) {
  const setStatus = useSession((s) => s.setStatus);
  const go = useNav((s) => s.go);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => inputRef.current?.focus(), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = workspaceName.safeParse(name);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message);
      inputRef.current?.focus();
      return;
    }
    setBusy(true);
    const r = await request('workspaces.add', { name: parsed.data });
    setBusy(false);
    if (!r.ok) {
      setError(sentence(r.error.message));
      inputRef.current?.focus();
      return;
    }
    setStatus(r.value);
    toast.success(`Workspace "${parsed.data}" added`);
    onDone();
    go({ kind: 'secrets', scope: { level: 'workspace', workspace: parsed.data } });
  }

  return (
    <form className="add-workspace" onSubmit={(e) => void submit(e)} noValidate>
      <label className="visually-hidden" htmlFor="new-workspace">
        New workspace name
      </label>
      <div className="add-workspace-row">
        <input
          ref={inputRef}
          id="new-workspace"
          className="input"
          placeholder="Workspace name"
          value={name}
          disabled={busy}
          onChange={(e) => {
            setName(e.target.value);
            setError(undefined);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              onDone();
            }
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'new-workspace-error' : undefined}
        />
        <button type="submit" className="btn btn-sm btn-primary" disabled={busy}>
          Add
        </button>
      </div>
      <FieldError id="new-workspace-error" error={error} />
    </form>
  );
}
