import type { Result } from '../../shared/errors';
import { INVOKE_CHANNEL, isChannel, traitsOf } from '../../shared/ipc';
import type { CofferApp } from '../core/app';
import { dispatch } from '../core/handlers';
import type { SavePort } from './save';
import { deliverDownload } from './save';
import { isTrustedUrl } from './trusted';

/** What registration needs of Electron's ipcMain (method syntax keeps the real one assignable). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => Promise<unknown>): void;
}

export interface ClipboardPort {
  /** Writes a value and clears it after `ms` if it is still there. */
  writeSecret(value: string, ms: number): void;
}

/** The result of a channel with the `clipboard` trait (shared/ipc.ts). */
interface ClipboardResult {
  value: string | null;
  clearAfterMs: number;
}

/**
 * The one guarded IPC entry: every call names a contract channel; frames other than the app's own
 * page are refused before anything reaches the core. A clipboard value is written here in main, so
 * it never travels to the renderer; a file the core wrote for download goes where the save dialog says.
 */
export function registerIpc(ipcMain: IpcMainLike, app: CofferApp, clipboard: ClipboardPort, save: SavePort): void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, channel: unknown, input: unknown): Promise<Result<unknown>> => {
    if (!isTrustedUrl(event.senderFrame?.url)) return { ok: false, error: { code: 'FORBIDDEN', message: 'this frame may not call Coffer' } };
    const result = await dispatch(app, channel, input);
    if (!result.ok || !isChannel(channel)) return result;
    if (traitsOf(channel).download) return deliverDownload(app.outbox, result.value as { downloadId: string | null; savedTo: string | null }, save);
    if (!traitsOf(channel).clipboard) return result;
    const copied = result.value as ClipboardResult;
    clipboard.writeSecret(copied.value ?? '', copied.clearAfterMs);
    return { ok: true, value: { ...copied, value: null } };
  });
}
