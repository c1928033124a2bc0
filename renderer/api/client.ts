import type { Result } from '../../shared/errors';
import type { Channel, CofferBridge, Input, Output } from '../../shared/ipc';
import type { Uploaded } from '../../shared/schemas/bundle-import';
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_TEXT } from '../../shared/schemas/bundle-import';

/**
 * The only module that talks to a door. In the desktop window the preload exposes
 * `window.coffer`; in browser mode the same contract travels over HTTP to 127.0.0.1 with the
 * per-launch token taken from the URL fragment (never sent to the server as part of the URL).
 */
declare global {
  interface Window {
    coffer?: CofferBridge;
  }
}

function takeToken(): string {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match) {
    sessionStorage.setItem('coffer.token', match[1]!);
    // The token leaves the address bar (and the history) as soon as it is read.
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem('coffer.token') ?? '';
}

function httpBridge(): CofferBridge {
  const token = takeToken();
  return {
    async invoke(channel, input) {
      try {
        const res = await fetch(`/api/${channel}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(input ?? {}),
        });
        if (res.status === 401) return { ok: false, error: { code: 'AUTH', message: 'this page is not authorized: open the address Coffer printed at start' } };
        return (await res.json()) as Result<never>;
      } catch {
        return { ok: false, error: { code: 'INTERNAL', message: 'Coffer is not reachable: is it still running?' } };
      }
    },
  };
}

const bridge: CofferBridge = window.coffer ?? httpBridge();

export const isDesktop = window.coffer !== undefined;

export function call<K extends Channel>(channel: K, input: Input<K>): Promise<Result<Output<K>>> {
  return bridge.invoke(channel, input);
}

/**
 * Browser mode: a file a `download` channel left in the core's outbox (shared/ipc.ts), fetched once
 * with the launch token like every call (never in the URL) and handed to the browser's downloads as
 * `fileName`. In the desktop window main saves it through its dialog instead: nothing to fetch.
 */
export async function saveDownload(downloadId: string, fileName: string): Promise<Result<null>> {
  if (isDesktop) return { ok: false, error: { code: 'NOT_FOUND', message: 'the desktop window saves exports itself' } };
  try {
    const res = await fetch(`/download/${encodeURIComponent(downloadId)}`, { headers: { authorization: `Bearer ${takeToken()}` } });
    if (!res.ok) {
      const answer = (await res.json().catch(() => null)) as Result<never> | null;
      return answer && !answer.ok ? answer : { ok: false, error: { code: 'INTERNAL', message: 'the file could not be downloaded' } };
    }
    const url = URL.createObjectURL(await res.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return { ok: true, value: null };
  } catch {
    return { ok: false, error: { code: 'INTERNAL', message: 'Coffer is not reachable: is it still running?' } };
  }
}

/**
 * A file for the Import screen into the core's inbox (trait `upload`, shared/ipc.ts). The desktop
 * window sends its bytes over IPC; browser mode POSTs them as the raw body of `/upload` with the
 * launch token (its name URI-encoded in a header, never in the URL). Larger than 64 MiB is refused
 * here before anything is sent, and by the door and the core whatever the page does.
 */
export async function uploadFile(file: File): Promise<Result<Uploaded>> {
  if (file.size > MAX_UPLOAD_BYTES) {
    return { ok: false, error: { code: 'VALIDATION', message: `the file is larger than ${MAX_UPLOAD_TEXT}: import it with the command line (coffer import)`, field: 'file' } };
  }
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (isDesktop) return await call('imports.upload', { fileName: file.name, bytes });
    const res = await fetch('/upload', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${takeToken()}`, 'x-file-name': encodeURIComponent(file.name) },
      body: bytes,
    });
    if (res.status === 401) return { ok: false, error: { code: 'AUTH', message: 'this page is not authorized: open the address Coffer printed at start' } };
    return (await res.json()) as Result<Uploaded>;
  } catch {
    return { ok: false, error: { code: 'INTERNAL', message: 'the file could not be read or sent: is Coffer still running?' } };
  }
}
