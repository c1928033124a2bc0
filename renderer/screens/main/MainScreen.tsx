import { useEffect, useRef } from 'react';
import { IntegrityBanner } from '../../components/IntegrityBanner';
import { KdfBanner } from '../../components/KdfBanner';
import { ReadOnlyBanner } from '../../components/ReadOnlyBanner';
import { dialogOpen, hasModifier, isTypingTarget } from '../../lib/keys';
import { useIdleLock } from '../../lib/useIdleLock';
import type { View } from '../../state/nav';
import { HOME, NAV_SHORTCUTS, useNav, viewAllowed } from '../../state/nav';
import { useSecrets } from '../../state/secrets';
import { useSelection } from '../../state/selection';
import { useSession } from '../../state/session';
import { useUi } from '../../state/ui';
import { AccountsView } from '../accounts/AccountsView';
import { AuditView } from '../audit/AuditView';
import { CredentialsView } from '../credentials/CredentialsView';
import { ExportView } from '../export/ExportView';
import { ImportView } from '../import/ImportView';
import { useFileDrop } from '../import/useFileDrop';
import { MembersView } from '../members/MembersView';
import { RegisterDialog } from '../register/RegisterDialog';
import { ReviewView } from '../review/ReviewView';
import { ScheduledView } from '../scheduled/ScheduledView';
import { SecretsView } from '../secrets/SecretsView';
import { SettingsView } from '../settings/SettingsView';
import { TeamsView } from '../teams/TeamsView';
import { CommandPalette } from './CommandPalette';
import { Sidebar } from './Sidebar';
import { MenuButton } from './MenuButton';
import { TopBar } from './TopBar';

const MAIN_LABELS: Record<View['kind'], string> = {
  secrets: 'Secrets',
  review: 'Review',
  settings: 'Settings',
  scheduled: 'To be deleted',
  audit: 'Audit log',
  members: 'Members',
  teams: 'Teams and workspaces',
  credentials: 'Service credentials',
  accounts: 'Service accounts',
  export: 'Export a bundle',
  import: 'Import secrets',
};

/** State 'unlocked': sidebar, top bar, and the current view (a scope's secrets, a vault-wide page, or Settings). */
export function MainScreen() {
  const status = useSession((s) => s.status)!;
  const lock = useSession((s) => s.lock);
  const view = useNav((s) => s.view);
  const searchRef = useRef<HTMLInputElement>(null);
  const allowed = viewAllowed(view, status);
  const navOpen = useUi((s) => s.navOpen);
  const setNavOpen = useUi((s) => s.setNavOpen);

  // The drawer closes on any way of going somewhere else (its items, Alt+N, a notice's Open).
  useEffect(() => setNavOpen(false), [view, setNavOpen]);

  // A view this member may not open (another member unlocked, a role changed) falls back to Personal.
  useEffect(() => {
    if (!allowed) useNav.getState().go(HOME);
  }, [allowed]);

  useIdleLock(status.settings.autoLockMinutes, lock);
  // A file dropped anywhere opens Import with it (the read-only vault takes no imports).
  const dragging = useFileDrop(!(status.vault?.readOnly ?? false));

  // The listing follows the scope; the first mount fetches the current one.
  useEffect(() => {
    const v = useNav.getState().view;
    if (v.kind === 'secrets') useSecrets.getState().setScope(v.scope);
  }, []);

  useEffect(() => {
    // Radix closes a dialog on Escape before this listener runs: note in the capture phase whether
    // a dialog was open, so one Escape closes the dialog and not the detail panel behind it.
    let dialogWasOpen = false;
    const onCapture = () => {
      dialogWasOpen = dialogOpen();
    };
    const onKey = (e: KeyboardEvent) => {
      if (dialogWasOpen || dialogOpen()) return;
      const typing = isTypingTarget(e.target);
      if (e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
        const target = NAV_SHORTCUTS.find((n) => n.code === e.code)?.view;
        // Hidden screens stay unreachable: the same rule as the sidebar decides.
        if (target && viewAllowed(target, useSession.getState().status)) {
          e.preventDefault();
          useNav.getState().go(target);
        }
        return;
      }
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        // Anywhere, even in a text field: the browser's own Ctrl+K (its address bar) gives way to the palette.
        e.preventDefault();
        useUi.getState().setPaletteOpen(true);
        return;
      }
      if (e.key === '/' && !typing && !hasModifier(e)) {
        // The secrets' search in the top bar, or the search field of a page that has one (Audit).
        const field = useNav.getState().view.kind === 'secrets' ? searchRef.current : document.querySelector<HTMLInputElement>('[data-page-search]');
        if (field) {
          e.preventDefault();
          field.focus();
          field.select();
        }
        return;
      }
      if (e.key === 'Escape' && useSelection.getState().openId && !(typing && e.target === searchRef.current && searchRef.current?.value)) {
        const panel = document.getElementById('detail-panel');
        // Focus goes back to the table when it was in the panel, or nowhere (after a dialog closed).
        const focusLost = (panel?.contains(document.activeElement) ?? false) || document.activeElement === document.body;
        useSelection.getState().close();
        if (focusLost) document.getElementById('secret-grid')?.focus();
      }
    };
    window.addEventListener('keydown', onCapture, { capture: true });
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onCapture, { capture: true });
      window.removeEventListener('keydown', onKey);
    };
  }, []);

  const vault = status.vault;
  return (
    <div className={navOpen ? 'shell nav-open' : 'shell'}>
      <Sidebar />
      {navOpen && <div className="nav-backdrop" aria-hidden onClick={() => setNavOpen(false)} />}
      <div className="main">
        <header className="main-head">
          <div className="main-head-bar">
            <MenuButton />
            <TopBar searchRef={searchRef} />
          </div>
          <IntegrityBanner integrity={status.integrity} />
          {vault?.kdfProfile === 'fast' && <KdfBanner />}
          {vault?.readOnly && <ReadOnlyBanner />}
        </header>
        <main className="workspace" aria-label={MAIN_LABELS[view.kind]} tabIndex={-1}>
          {allowed && <CurrentView view={view} />}
        </main>
      </div>
      <RegisterDialog />
      <CommandPalette />
      {dragging && (
        <div className="drop-veil" aria-hidden>
          <div className="drop-veil-card">
            Drop the file to import it
            <span>A Coffer bundle, or a KeePass, Bitwarden, 1Password or .env export</span>
          </div>
        </div>
      )}
    </div>
  );
}

function CurrentView({ view }: { view: View }) {
  switch (view.kind) {
    case 'settings':
      return <SettingsView />;
    case 'scheduled':
      return <ScheduledView />;
    case 'audit':
      return <AuditView />;
    case 'members':
      return <MembersView />;
    case 'teams':
      return <TeamsView />;
    case 'credentials':
      return <CredentialsView />;
    case 'accounts':
      return <AccountsView />;
    case 'export':
      return <ExportView />;
    case 'import':
      return <ImportView />;
    case 'review':
      return <ReviewView />;
    case 'secrets':
      return <SecretsView />;
  }
}
