import { useEffect, useState } from 'react';

const R = 8;
const C = 2 * Math.PI * R;

/** A ring that empties as the revealed values' time runs out, with the seconds left in words. */
export function Countdown({ until, total }: { until: number; total: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, []);
  const left = Math.max(0, until - now);
  const fraction = total > 0 ? left / total : 0;
  const secs = Math.ceil(left / 1000);
  return (
    <span className="countdown" data-testid="reveal-countdown" title={`Hidden again in ${secs} s`}>
      <svg className="countdown-ring" width="20" height="20" viewBox="0 0 20 20" aria-hidden>
        <circle className="track" cx="10" cy="10" r={R} fill="none" strokeWidth="2.5" />
        <circle className="bar" cx="10" cy="10" r={R} fill="none" strokeWidth="2.5" strokeLinecap="round" strokeDasharray={C} strokeDashoffset={C * (1 - fraction)} />
      </svg>
      <span>
        <span className="visually-hidden">Values hide in </span>
        {secs} s
      </span>
    </span>
  );
}
