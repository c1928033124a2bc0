import { ShieldAlert } from 'lucide-react';

/** A failure in plain words where the content would be (docs/ui.md "States and feedback"). */
export function ErrorNote({ message }: { message: string }) {
  return (
    <p className="form-error" role="alert">
      <ShieldAlert size={16} aria-hidden />
      <span>{message}</span>
    </p>
  );
}
