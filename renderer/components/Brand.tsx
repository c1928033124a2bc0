import { LockKeyhole } from 'lucide-react';

export function Brand() {
  return (
    <span className="brand">
      <span className="brand-mark" aria-hidden>
        <LockKeyhole size={18} />
      </span>
      Coffer
    </span>
  );
}
