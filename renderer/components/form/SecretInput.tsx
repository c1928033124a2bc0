import { Eye, EyeOff } from 'lucide-react';
import { useState } from 'react';
import type { InputHTMLAttributes } from 'react';

/** A value input, masked while typing, with a Show/Hide toggle; monospace like every value. */
export function SecretInput({ label, ...props }: InputHTMLAttributes<HTMLInputElement> & { label: string }) {
  const [shown, setShown] = useState(false);
  return (
    <div className="secret-input">
      <input
        {...props}
        className="input mono"
        type={shown ? 'text' : 'password'}
        autoComplete="off"
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
      />
      <button
        type="button"
        className="icon-btn icon-btn-sm"
        aria-label={shown ? `Hide ${label}` : `Show ${label}`}
        title={shown ? 'Hide' : 'Show'}
        aria-pressed={shown}
        onClick={() => setShown((s) => !s)}
      >
        {shown ? <EyeOff size={16} aria-hidden /> : <Eye size={16} aria-hidden />}
      </button>
    </div>
  );
}
