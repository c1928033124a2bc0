import { isDesktop, saveDownload } from '../api/client';
import { sentence } from './errors';

/** What happened to a file of a `download` channel (shared/ipc.ts): handed to the browser's downloads, saved through the desktop dialog, or not. */
export type Delivery = { kind: 'downloaded' } | { kind: 'saved'; path: string } | { kind: 'cancelled' } | { kind: 'failed'; message: string };

/**
 * Finishes a `download` channel's result: the desktop window saved it already (or its dialog was
 * cancelled); browser mode fetches it once into the browser's downloads.
 */
export async function deliver(file: { downloadId: string | null; savedTo: string | null; fileName: string }): Promise<Delivery> {
  if (file.savedTo !== null) return { kind: 'saved', path: file.savedTo };
  if (file.downloadId === null) return { kind: 'cancelled' };
  if (isDesktop) return { kind: 'failed', message: 'The desktop window did not save the file.' };
  const got = await saveDownload(file.downloadId, file.fileName);
  return got.ok ? { kind: 'downloaded' } : { kind: 'failed', message: sentence(got.error.message) };
}
