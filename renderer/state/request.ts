import type { Result } from '../../shared/errors';
import type { Channel, Input, Output } from '../../shared/ipc';
import { call } from '../api/client';

type LockedListener = () => void;
let onLocked: LockedListener | null = null;

/** The session slice registers here so any call that finds the vault locked refreshes the app state. */
export function setLockedListener(fn: LockedListener): void {
  onLocked = fn;
}

/** `call` plus one rule: a LOCKED answer (auto-lock in the core, another window) sends the face back to the unlock screen. */
export async function request<K extends Channel>(channel: K, input: Input<K>): Promise<Result<Output<K>>> {
  const result = await call(channel, input);
  if (!result.ok && result.error.code === 'LOCKED' && channel !== 'app.status') onLocked?.();
  return result;
}
