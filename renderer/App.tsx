import { useEffect } from 'react';
import { Brand } from './components/Brand';
import { ErrorNote } from './components/ErrorNote';
import { SkeletonLines } from './components/Skeleton';
import { Toasts } from './components/Toasts';
import { FirstRun } from './screens/first-run/FirstRun';
import { MainScreen } from './screens/main/MainScreen';
import { ChoosePassword } from './screens/unlock/ChoosePassword';
import { Unlock } from './screens/unlock/Unlock';
import { useSession } from './state/session';

/** The face: one screen per vault state (none → first run, locked → unlock, unlocked → main). */
export function App() {
  const status = useSession((s) => s.status);
  const bootError = useSession((s) => s.bootError);
  const refresh = useSession((s) => s.refresh);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  let screen;
  if (!status) screen = bootError ? <BootError message={bootError.message} /> : <Booting />;
  else if (status.state === 'none') screen = <FirstRun />;
  else if (status.state === 'locked') screen = <Unlock />;
  else if (status.member?.setupPending) screen = <ChoosePassword />;
  else screen = <MainScreen />;

  return (
    <>
      {screen}
      <Toasts />
    </>
  );
}

function Booting() {
  return (
    <main className="center-screen" aria-busy="true" aria-label="Starting Coffer">
      <div className="card">
        <div className="card-head">
          <Brand />
        </div>
        <SkeletonLines count={3} />
      </div>
    </main>
  );
}

function BootError({ message }: { message: string }) {
  const refresh = useSession((s) => s.refresh);
  return (
    <main className="center-screen">
      <div className="card">
        <div className="card-head">
          <Brand />
          <h1>Coffer can't be reached</h1>
        </div>
        <div className="form">
          <ErrorNote message={message} />
          <button type="button" className="btn btn-primary" onClick={() => void refresh()}>
            Try again
          </button>
        </div>
      </div>
    </main>
  );
}
