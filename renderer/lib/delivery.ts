import { isDesktop, saveDownload } from '../api/client';
import { toast } from '../state/toasts';
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

/**
 * Delivers the file and says how it went: "WHAT saved to PATH" or "WHAT downloaded as NAME", the
 * failure as an error; a cancelled save dialog says nothing.
 */
export async function deliverAndSay(file: { downloadId: string | null; savedTo: string | null; fileName: string }, what: string): Promise<void> {
  const delivery = await deliver(file);
  if (delivery.kind === 'saved') toast.success(`${what} saved to ${delivery.path}`);
  else if (delivery.kind === 'downloaded') toast.success(`${what} downloaded as ${file.fileName}`);
  else if (delivery.kind === 'failed') toast.error(delivery.message);
}
