import type { Result } from '../../shared/errors';
import type { Output } from '../../shared/ipc';
import { INVOKE_CHANNEL } from '../../shared/ipc';
import type { CofferApp } from '../core/app';
import { dispatch } from '../core/handlers';
import { isTrustedUrl } from './trusted';

/** What registration needs of Electron's ipcMain (method syntax keeps the real one assignable). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => Promise<unknown>): void;
}

export interface ClipboardPort {
  /** Writes a value and clears it after `ms` if it is still there. */
  writeSecret(value: string, ms: number): void;
}

/**
 * The one guarded IPC entry: every call names a contract channel; frames other than the app's own
 * page are refused before anything reaches the core. Copies are written to the clipboard here in
 * main, so the value never travels to the renderer.
 */
export function registerIpc(ipcMain: IpcMainLike, app: CofferApp, clipboard: ClipboardPort): void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, channel: unknown, input: unknown): Promise<Result<unknown>> => {
    if (!isTrustedUrl(event.senderFrame?.url)) return { ok: false, error: { code: 'FORBIDDEN', message: 'this frame may not call Coffer' } };
    const result = await dispatch(app, channel, input);
    if (channel === 'secrets.copy' && result.ok) {
      const copied = result.value as Output<'secrets.copy'>;
      clipboard.writeSecret(copied.value ?? '', copied.clearAfterMs);
      return { ok: true, value: { ...copied, value: null } };
    }
    return result;
  });
}
