import { Eye } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { KdfBanner } from '../../components/KdfBanner';
import { dialogOpen, hasModifier, isTypingTarget } from '../../lib/keys';
import { useIdleLock } from '../../lib/useIdleLock';
import { useNav } from '../../state/nav';
import { useSecrets } from '../../state/secrets';
import { useSelection } from '../../state/selection';
import { useSession } from '../../state/session';
import { RegisterDialog } from '../register/RegisterDialog';
import { SecretsView } from '../secrets/SecretsView';
import { SettingsView } from '../settings/SettingsView';
import { Sidebar } from './Sidebar';
import { TopBar } from './TopBar';

/** State 'unlocked': sidebar, top bar, and the current view (a scope's secrets, or Settings). */
export function MainScreen() {
  const status = useSession((s) => s.status)!;
  const lock = useSession((s) => s.lock);
  const view = useNav((s) => s.view);
  const searchRef = useRef<HTMLInputElement>(null);

  useIdleLock(status.settings.autoLockMinutes, lock);

  // The listing follows the scope; the first mount fetches the current one.
  useEffect(() => {
    const v = useNav.getState().view;
    if (v.kind === 'secrets') useSecrets.getState().setScope(v.scope);
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (dialogOpen()) return;
      const typing = isTypingTarget(e.target);
      const isSearchKey = (e.key === '/' && !typing && !hasModifier(e)) || ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k');
      if (isSearchKey && useNav.getState().view.kind === 'secrets') {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
        return;
      }
      if (e.key === 'Escape' && useSelection.getState().openId && !(typing && e.target === searchRef.current && searchRef.current?.value)) {
        const panel = document.getElementById('detail-panel');
        const wasInside = panel?.contains(document.activeElement) ?? false;
        useSelection.getState().close();
        if (wasInside) document.getElementById('secret-grid')?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const vault = status.vault;
  return (
    <div className="shell">
      <Sidebar />
      <div className="main">
        <header className="main-head">
          <TopBar searchRef={searchRef} />
          {vault?.kdfProfile === 'fast' && <KdfBanner />}
          {vault?.readOnly && (
            <div className="banner banner-info" role="note">
              <Eye size={16} aria-hidden />
              <span>This vault is open read-only: nothing is written, not even usage.</span>
            </div>
          )}
        </header>
        <main className="workspace" aria-label={view.kind === 'settings' ? 'Settings' : 'Secrets'}>
          {view.kind === 'settings' ? <SettingsView /> : <SecretsView />}
        </main>
      </div>
      <RegisterDialog />
    </div>
  );
}
