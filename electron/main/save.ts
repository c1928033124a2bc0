import { copyFile, rename } from 'node:fs/promises';
import type { Result } from '../../shared/errors';
import type { OutboxFile } from '../core/bundles/outbox';
import { Outbox } from '../core/bundles/outbox';

/** What delivering a download needs of Electron: the save dialog, shown over the app's window. */
export interface SavePort {
  /** The path the user chose for a file suggested as `fileName`, or null when they cancelled. */
  choosePath(fileName: string): Promise<string | null>;
}

/** The result of a channel with the `download` trait (shared/ipc.ts). */
interface DownloadResult {
  downloadId: string | null;
  savedTo: string | null;
}

async function moveTo(file: OutboxFile, target: string): Promise<void> {
  try {
    await rename(file.path, target);
  } catch {
    // Another disk (rename cannot cross devices): copy, then the outbox's copy goes.
    await copyFile(file.path, target);
  }
}

/**
 * In the desktop window the renderer gets no download link: main asks where to save the file the
 * core left in its outbox, moves it there, and answers with `savedTo` (null when the dialog was
 * cancelled: the file is deleted). The outbox's copy never outlives the call.
 */
export async function deliverDownload(outbox: Pick<Outbox, 'take'>, value: DownloadResult, save: SavePort): Promise<Result<DownloadResult>> {
  const file = value.downloadId === null ? undefined : outbox.take(value.downloadId);
  if (!file) return { ok: false, error: { code: 'NOT_FOUND', message: 'the exported file is gone: export again' } };
  try {
    const target = await save.choosePath(file.fileName);
    if (target === null) return { ok: true, value: { ...value, downloadId: null, savedTo: null } };
    try {
      await moveTo(file, target);
    } catch {
      return { ok: false, error: { code: 'CONFLICT', message: `the file could not be written to ${target}: choose another place`, field: 'path' } };
    }
    return { ok: true, value: { ...value, downloadId: null, savedTo: target } };
  } finally {
    Outbox.done(file);
  }
}
