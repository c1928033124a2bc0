import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { isTrustedUrl } from './trusted';

const notFound = () => new Response('not found', { status: 404 });

/**
 * Answers `app://coffer/…` from the built renderer folder `root` only, with the strict CSP on every
 * response (SECURITY.md, "Desktop window"). `fetchFile` is Electron's `net.fetch` of a file URL.
 */
export function rendererResponder(root: string, fetchFile: (fileUrl: string) => Promise<Response>): (request: Pick<Request, 'url'>) => Promise<Response> {
  return async (request) => {
    // Not `url.origin`: Node's URL gives every non-special scheme, app: included, the origin "null".
    if (!isTrustedUrl(request.url)) return notFound();
    let file: string;
    try {
      file = normalize(join(root, decodeURIComponent(new URL(request.url).pathname)));
    } catch {
      return notFound(); // an escape that is no UTF-8 (`%E0%A4%A`) names no file
    }
    if (!file.startsWith(root + sep)) return notFound();
    let res: Response;
    try {
      res = await fetchFile(pathToFileURL(file).toString());
    } catch {
      return notFound();
    }
    const headers = new Headers(res.headers);
    headers.set('content-security-policy', CONTENT_SECURITY_POLICY);
    return new Response(res.body, { status: res.status, headers });
  };
}
