import { useEffect, useState } from 'react';

/**
 * Said while browser mode holds an unlock back after failed attempts (shared/guesses.ts): the wait
 * counts down, announced politely, so the pause reads as deliberate rather than as a hang.
 */
export function UnlockWait({ waitMs }: { waitMs: number }) {
  const [until] = useState(() => Date.now() + waitMs);
  const [left, setLeft] = useState(waitMs);

  useEffect(() => {
    const timer = setInterval(() => setLeft(Math.max(0, until - Date.now())), 250);
    return () => clearInterval(timer);
  }, [until]);

  return (
    <p className="unlock-wait" role="status" aria-live="polite" data-testid="unlock-wait">
      {left > 0 ? `Waiting ${Math.ceil(left / 1000)} s after failed attempts…` : ''}
    </p>
  );
}
