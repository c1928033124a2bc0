import { useEffect } from 'react';

const EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/** Calls `lock` after `minutes` without any input in this window (docs/product.md §3 auto-lock). */
export function useIdleLock(minutes: number, lock: () => void): void {
  useEffect(() => {
    let last = Date.now();
    const touch = () => {
      last = Date.now();
    };
    for (const e of EVENTS) window.addEventListener(e, touch, { passive: true, capture: true });
    const limit = minutes * 60_000;
    const timer = setInterval(() => {
      if (Date.now() - last >= limit) {
        last = Date.now();
        lock();
      }
    }, Math.min(5_000, limit));
    return () => {
      clearInterval(timer);
      for (const e of EVENTS) window.removeEventListener(e, touch, { capture: true });
    };
  }, [minutes, lock]);
}
