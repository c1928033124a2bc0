import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorCode, ErrorShape } from '../../shared/errors';

/**
 * What both HTTP doors (browser mode and the REST API) do before and around their own handling:
 * the request target and the body are checked here, and no request, however malformed, can end the
 * process or hang the server. Each door keeps its own error envelope (`toBody`).
 */

/**
 * A refusal decided by the door itself, before the core: malformed, too large, wrong type, wrong
 * method or place. Thrown rather than answered, so a body the request still carries is never read.
 */
export class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  get shape(): ErrorShape {
    return this.field === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, field: this.field };
  }
}

const JSON_TYPE = /^application\/json\s*(;\s*charset="?utf-8"?\s*)?$/i;

/** Exactly `application/json`, with `charset=utf-8` at most: `application/jsonx` or `text/json` are other formats. */
export function requireJson(req: IncomingMessage): void {
  if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) throw new HttpRefusal(415, 'VALIDATION', 'send the body as application/json');
}

/**
 * The request target as a URL. Only the origin form (`/path?query`) is a request to these doors:
 * `*`, `host:port` and absolute URLs are refused, and so is a path whose percent-encoding does not
 * decode, so no handler further on can trip over it.
 */
export function requestUrl(req: IncomingMessage): URL {
  const target = req.url ?? '';
  if (!target.startsWith('/')) throw new HttpRefusal(400, 'VALIDATION', 'the request target must be a path');
  let url: URL;
  try {
    // Appended to a fixed origin, never resolved against it: `//host/x` stays a path.
    url = new URL(`http://127.0.0.1${target}`);
  } catch {
    throw new HttpRefusal(400, 'VALIDATION', 'the request target is not a URL');
  }
  try {
    decodeURIComponent(url.pathname);
  } catch {
    throw new HttpRefusal(400, 'VALIDATION', 'the path is not valid percent-encoding');
  }
  return url;
}

/**
 * The body, at most `max` bytes. A declared length over it is refused before a byte is read; a body
 * that grows past it stops being read at that point (the socket is paused, not drained), and the
 * refusal is answered on a connection that then closes (see answerRefusal).
 */
export function readBody(req: IncomingMessage, max: number, tooLarge: HttpRefusal): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > max) return Promise.reject(tooLarge);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size <= max) {
        chunks.push(c);
        return;
      }
      req.off('data', onData);
      req.pause();
      reject(tooLarge);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** How long a connection whose body was refused stays open, unread, so the client can read the answer. */
const LINGER_MS = 2000;

/**
 * Answers a refusal. When the request still has unread bytes (a body refused for its size), the
 * connection is closed after the answer, but only once the client has had time to read it:
 * closing a socket with unread bytes sends a reset, which can reach the client before the answer.
 */
function answerRefusal(req: IncomingMessage, res: ServerResponse, refusal: HttpRefusal, write: (status: number, shape: ErrorShape, headers: Record<string, string>) => void): void {
  if (req.complete) return write(refusal.status, refusal.shape, refusal.headers);
  const socket = req.socket;
  // Node closes a `connection: close` socket as soon as the answer is written: keep it half-open instead.
  socket.destroySoon = () => {
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
  write(refusal.status, refusal.shape, { ...refusal.headers, connection: 'close' });
}

const CLIENT_ERROR_STATUS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
  HPE_HEADERS_TIMEOUT: '408 Request Timeout',
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
};

/** A raw answer for requests Node's parser refused, before any handler saw them. */
function rawAnswer(socket: Duplex, status: string, shape: ErrorShape, toBody: (shape: ErrorShape) => unknown): void {
  if (!socket.writable) return void socket.destroy();
  const body = JSON.stringify(toBody(shape));
  socket.end(`HTTP/1.1 ${status}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n${body}`);
}

/** How a door writes an error in its own envelope, and what an error that is not a refusal becomes there. */
export interface DoorErrors {
  toBody(shape: ErrorShape): unknown;
  write(res: ServerResponse, status: number, shape: ErrorShape, headers: Record<string, string>): void;
  failure(e: unknown): { status: number; shape: ErrorShape };
}

/**
 * The server-level guard: `handle` runs for each request, and whatever it throws or rejects with
 * becomes an answer for that request alone (a refusal its own 4xx, anything else what `failure`
 * makes of it). Requests the parser refuses, and CONNECT, are answered 4xx on their own connection;
 * none reaches a handler, and none can end the process.
 */
export function guardServer(server: Server, handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>, errors: DoorErrors): void {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const fail = (e: unknown) => {
      if (res.headersSent) return void res.destroy();
      try {
        if (e instanceof HttpRefusal) return answerRefusal(req, res, e, (status, shape, headers) => errors.write(res, status, shape, headers));
        const { status, shape } = errors.failure(e);
        errors.write(res, status, shape, {});
      } catch {
        res.destroy();
      }
    };
    try {
      handle(req, res).catch(fail);
    } catch (e) {
      fail(e);
    }
  });
  server.on('clientError', (e: NodeJS.ErrnoException, socket: Duplex) => {
    const status = CLIENT_ERROR_STATUS[e.code ?? ''] ?? '400 Bad Request';
    rawAnswer(socket, status, { code: 'VALIDATION', message: 'malformed HTTP request' }, errors.toBody);
  });
  // A proxy request has no business with a local door; without a listener Node would just drop it.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    // Node hands a CONNECT socket over without its error listener: a client's reset would end the process.
    socket.on('error', () => socket.destroy());
    rawAnswer(socket, '405 Method Not Allowed', { code: 'VALIDATION', message: 'CONNECT is not served here' }, errors.toBody);
  });
}
