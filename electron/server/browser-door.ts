import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { CofferApp } from '../core/app';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { isChannel, traitsOf } from '../../shared/ipc';
import { dispatch } from '../core/handlers';
import { Outbox } from '../core/bundles/outbox';
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_TEXT } from '../../shared/schemas/bundle-import';
import { guessWaitMs } from '../../shared/guesses';
import type { DoorErrors } from './http-guard';
import { guardServer, HttpRefusal, readBody, requestUrl, requireJson } from './http-guard';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const MAX_BODY = 3 * 1024 * 1024;

export interface BrowserDoorOptions {
  app: CofferApp;
  /** Built renderer (dist/renderer). */
  staticDir: string;
  port?: number;
  /** Tests pass a fixed token; a launch makes a random one. */
  token?: string;
}

export interface BrowserDoor {
  server: Server;
  port: number;
  token: string;
  url: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: string | Buffer, type = 'application/json; charset=utf-8', extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    ...extra,
  });
  res.end(body);
}

/** The IPC result envelope (shared/ipc.ts), so the page reads a refusal like any other failed call. */
const DOOR_ERRORS: DoorErrors = {
  toBody: (shape) => ({ ok: false, error: shape }),
  write: (res, status, shape, headers) => send(res, status, JSON.stringify({ ok: false, error: shape }), undefined, headers),
  failure: () => ({ status: 500, shape: { code: 'INTERNAL', message: 'internal error' } }),
};

const useMethod = (...methods: string[]) => new HttpRefusal(405, 'VALIDATION', `use ${methods.join(' or ')}`, undefined, { allow: methods.join(', ') });
const TOKEN_REFUSED = () => new HttpRefusal(401, 'AUTH', 'missing or wrong token');
const tooLarge = () => new HttpRefusal(413, 'VALIDATION', `the file is larger than ${MAX_UPLOAD_TEXT}: import it with the command line (coffer import)`, 'file');

/** Constant-time token check; lengths differ only for a wrong token. */
export function tokenMatches(expected: string, header: string | undefined): boolean {
  const given = /^Bearer (\S+)$/.exec(header ?? '')?.[1] ?? '';
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Browser mode (docs/product.md, "Doors and their security"): the IPC handlers over HTTP on 127.0.0.1 only. Every API call carries the
 * per-launch token; Host and Origin must be this exact loopback origin (a 127.0.0.1 bind alone does
 * not stop DNS rebinding); no CORS headers; failed unlocks are slowed down.
 */
export async function startBrowserDoor(opts: BrowserDoorOptions): Promise<BrowserDoor> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  let origin = '';
  let failedGuesses = 0;

  const handleApi = async (req: IncomingMessage, res: ServerResponse, channel: string) => {
    if (req.method !== 'POST') throw useMethod('POST');
    if (!tokenMatches(token, req.headers.authorization)) throw TOKEN_REFUSED();
    requireJson(req);
    // A file's bytes travel only as the raw body of POST /upload, never inside JSON.
    if (isChannel(channel) && traitsOf(channel).upload) throw new HttpRefusal(415, 'VALIDATION', 'send the file to /upload');
    const body = (await readBody(req, MAX_BODY, new HttpRefusal(413, 'VALIDATION', `the request is larger than ${MAX_BODY} bytes`))).toString('utf8');
    let input: unknown;
    try {
      input = body ? JSON.parse(body) : {};
    } catch {
      throw new HttpRefusal(400, 'VALIDATION', 'the body is not JSON');
    }
    // Any local program that learns the token could guess passwords here: each failure doubles the wait.
    const guess = isChannel(channel) && traitsOf(channel).guessesPassword === true;
    if (guess && failedGuesses > 0) {
      await new Promise((r) => setTimeout(r, guessWaitMs(failedGuesses)));
    }
    const result = await dispatch(opts.app, channel, input);
    if (guess) failedGuesses = result.ok ? 0 : result.error.code === 'AUTH' ? failedGuesses + 1 : failedGuesses;
    send(res, 200, JSON.stringify(result));
  };

  // A file a `download` channel left in the core's outbox (shared/ipc.ts): served once, with the same
  // token as every call (the page fetches it; the token never rides in the URL), then deleted.
  const handleDownload = async (req: IncomingMessage, res: ServerResponse, id: string) => {
    if (req.method !== 'GET') throw useMethod('GET');
    if (!tokenMatches(token, req.headers.authorization)) throw TOKEN_REFUSED();
    const file = opts.app.outbox.take(id);
    if (!file) throw new HttpRefusal(404, 'NOT_FOUND', 'no such download: each export is served once');
    try {
      const { size } = await stat(file.path);
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': String(size),
        'content-disposition': `attachment; filename="${file.fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cross-origin-resource-policy': 'same-origin',
      });
      await new Promise<void>((resolve, reject) => {
        const stream = createReadStream(file.path);
        stream.on('error', reject);
        res.on('close', () => resolve());
        stream.pipe(res);
      });
    } finally {
      Outbox.done(file);
    }
  };

  // A file for the Import screen (trait `upload`, shared/ipc.ts): the raw body, at most MAX_UPLOAD_BYTES,
  // its name in a header (URI-encoded); the same handler as the desktop window's IPC call keeps it in the inbox.
  const handleUpload = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') throw useMethod('POST');
    if (!tokenMatches(token, req.headers.authorization)) throw TOKEN_REFUSED();
    if (!/^application\/octet-stream$/i.test(req.headers['content-type'] ?? '')) throw new HttpRefusal(415, 'VALIDATION', 'send application/octet-stream');
    let fileName = 'upload';
    try {
      fileName = decodeURIComponent(String(req.headers['x-file-name'] ?? 'upload')) || 'upload';
    } catch {
      throw new HttpRefusal(400, 'VALIDATION', 'the file name is not URI-encoded', 'file');
    }
    const bytes = await readBody(req, MAX_UPLOAD_BYTES, tooLarge());
    const result = await dispatch(opts.app, 'imports.upload', { fileName, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
    send(res, 200, JSON.stringify(result));
  };

  const handleStatic = async (res: ServerResponse, pathname: string) => {
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname.slice(1));
    const file = normalize(join(opts.staticDir, rel));
    if (!file.startsWith(normalize(opts.staticDir) + sep)) return send(res, 404, 'not found', 'text/plain; charset=utf-8');
    try {
      const data = await readFile(file);
      send(res, 200, data, TYPES[extname(file)] ?? 'application/octet-stream', { 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-frame-options': 'DENY' });
    } catch {
      send(res, 404, 'not found', 'text/plain; charset=utf-8');
    }
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    // DNS rebinding: a hostile page that resolves its own name to 127.0.0.1 still sends its own Host.
    if (req.headers.host !== origin.slice('http://'.length)) throw new HttpRefusal(403, 'FORBIDDEN', 'wrong Host');
    if (req.headers.origin !== undefined && req.headers.origin !== origin) throw new HttpRefusal(403, 'FORBIDDEN', 'wrong Origin');
    const { pathname } = requestUrl(req);
    const api = /^\/api\/([A-Za-z.]+)$/.exec(pathname);
    const download = /^\/download\/([0-9a-f-]{36})$/.exec(pathname);
    if (api) return handleApi(req, res, api[1]!);
    if (download) return handleDownload(req, res, download[1]!);
    if (pathname === '/upload') return handleUpload(req, res);
    if (req.method === 'GET' || req.method === 'HEAD') return handleStatic(res, pathname);
    throw useMethod('GET', 'HEAD');
  };

  const server = createServer();
  guardServer(server, route, DOOR_ERRORS);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    server,
    port,
    token,
    url: `${origin}/#token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
