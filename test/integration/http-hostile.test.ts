import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CofferApp } from '../../electron/core/app';
import { createAccount } from '../../electron/core/vault/accounts';
import type { BrowserDoor } from '../../electron/server/browser-door';
import { startBrowserDoor } from '../../electron/server/browser-door';
import { guardServer, HttpRefusal } from '../../electron/server/http-guard';
import type { RestServer } from '../../electron/server/rest';
import { startRestServer } from '../../electron/server/rest';
import { fuzzRuns } from '../support/fuzz';
import { newVault } from '../support/vault';

/**
 * Both HTTP doors against what an attacker can type into a raw socket: every malformed request is
 * answered 4xx (or its connection closed), a body past the limit is answered 413, and the server
 * keeps answering good requests afterwards.
 */

interface Exchange {
  /** The status line, or '' when the socket closed without an answer. */
  statusLine: string;
  text: string;
}

/** Whether `text` holds one whole response (a stated length or chunked), so a kept-alive socket need not close. */
function complete(text: string): boolean {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const length = /\r\ncontent-length: (\d+)\r\n/i.exec(text.slice(0, end + 2));
  if (length) return text.length - end - 4 >= Number(length[1]);
  return /\r\ntransfer-encoding: chunked\r\n/i.test(text.slice(0, end + 2)) && text.endsWith('0\r\n\r\n');
}

/** Writes `bytes` on a fresh connection and reads one answer, or until the server closes it (or `ms` pass). */
function exchange(port: number, bytes: string | Buffer, ms = 5000): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer and no close within ${ms} ms`));
    }, ms);
    const text = () => Buffer.concat(chunks).toString('latin1');
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      if (complete(text())) socket.destroy();
    });
    // A reset after the answer is the server closing a body it refused to read: what came before counts.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ statusLine: text().split('\r\n', 1)[0] ?? '', text: text() });
    });
  });
}

const statusOf = (e: Exchange) => Number(/^HTTP\/1\.1 (\d{3}) /.exec(e.statusLine)?.[1] ?? 0);

/** Request lines (and whole heads) that must each get a 4xx, however the parser or the door refuses them. */
const hostileHeads = (host: string): [string, string][] => [
  ['an unparsable absolute URL', `GET http://[ HTTP/1.1\r\nHost: ${host}\r\n\r\n`],
  ['an absolute-form URL', `GET http://${host}/ HTTP/1.1\r\nHost: ${host}\r\n\r\n`],
  ['a scheme-relative target', `GET // HTTP/1.1\r\nHost: ${host}\r\n\r\n`],
  ['a bad percent-encoding', `GET /%ff HTTP/1.1\r\nHost: ${host}\r\n\r\n`],
  ['a lone percent sign', `GET /% HTTP/1.1\r\nHost: ${host}\r\n\r\n`],
  ['a bad percent-encoding under the API', `POST /api/%e2%82 HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 0\r\n\r\n`],
  ['the asterisk form', `GET * HTTP/1.1\r\nHost: ${host}\r\n\r\n`],
  ['OPTIONS *', `OPTIONS * HTTP/1.1\r\nHost: ${host}\r\n\r\n`],
  ['CONNECT', `CONNECT ${host} HTTP/1.1\r\nHost: ${host}\r\n\r\n`],
  ['an overlong target', `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: ${host}\r\n\r\n`],
  ['a NUL byte in the target', `GET /a\0b HTTP/1.1\r\nHost: ${host}\r\n\r\n`],
  ['a NUL byte in a header', `GET / HTTP/1.1\r\nHost: ${host}\r\nX-A: a\0b\r\n\r\n`],
  ['an unknown HTTP version', `GET / HTTP/9.9\r\nHost: ${host}\r\n\r\n`],
  ['a request line of control bytes', `\x01\x02\x03 / HTTP/1.1\r\nHost: ${host}\r\n\r\n`],
  ['a non-numeric length', `POST /api/x HTTP/1.1\r\nHost: ${host}\r\nContent-Length: abc\r\n\r\n`],
  ['both a length and chunked', `POST /api/x HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`],
  ['a userinfo target', `GET http://user:pw@${host}/ HTTP/1.1\r\nHost: ${host}\r\n\r\n`],
  ['an upgrade request with a bad path', `GET /%zz HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`],
];

const FOUR_MIB = 4 * 1024 * 1024;

interface Door {
  name: string;
  port: () => number;
  /** A request the door answers 2xx, to show it is still alive. */
  good: () => string;
  /** The head of a JSON POST the door would accept but for its body. */
  jsonPost: (type: string, framing: string) => string;
}

let dir = '';
let app: CofferApp;
let door: BrowserDoor;
let rest: RestServer;
let admin = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'coffer-hostile-'));
  const { vault, session } = await newVault(join(dir, 'rest'));
  admin = createAccount(session, { name: 'admin-bot', role: 'sys-admin' }).keys[0]!.secret;
  rest = await startRestServer(vault);
  const staticDir = join(dir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Coffer</title>');
  app = new CofferApp({ vaultPath: join(dir, 'door.coffer'), door: 'browser' });
  door = await startBrowserDoor({ app, staticDir });
});

afterAll(async () => {
  app?.close();
  await door?.close();
  await rest?.close();
  rmSync(dir, { recursive: true, force: true });
});

const DOORS: Door[] = [
  {
    name: 'browser door',
    port: () => door.port,
    good: () => `GET / HTTP/1.1\r\nHost: 127.0.0.1:${door.port}\r\nConnection: close\r\n\r\n`,
    jsonPost: (type, framing) => `POST /api/vault.lock HTTP/1.1\r\nHost: 127.0.0.1:${door.port}\r\nAuthorization: Bearer ${door.token}\r\nContent-Type: ${type}\r\n${framing}\r\n`,
  },
  {
    name: 'REST server',
    port: () => rest.port,
    good: () => `GET /api/secret/v1/secret HTTP/1.1\r\nHost: 127.0.0.1:${rest.port}\r\nAuthorization: Bearer ${admin}\r\nConnection: close\r\n\r\n`,
    jsonPost: (type, framing) => `POST /api/service-account/v1/service-account HTTP/1.1\r\nHost: 127.0.0.1:${rest.port}\r\nAuthorization: Bearer ${admin}\r\nContent-Type: ${type}\r\n${framing}\r\n`,
  },
];

async function expectAlive(d: Door): Promise<void> {
  expect(statusOf(await exchange(d.port(), d.good()))).toBe(200);
}

describe.each(DOORS)('the $name', (d) => {
  it.each(hostileHeads('HOST'))('answers %s with a 4xx and keeps serving', async (_what, head) => {
    const answer = await exchange(d.port(), head.replaceAll('HOST', `127.0.0.1:${d.port()}`));
    const status = statusOf(answer);
    expect(status, answer.statusLine).toBeGreaterThanOrEqual(400);
    expect(status, answer.statusLine).toBeLessThan(500);
    await expectAlive(d);
  });

  it('survives a client that sends CONNECT and resets the connection (an uncaught error would end the process)', async () => {
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => {
        const socket = connect(d.port(), '127.0.0.1', () => {
          socket.write(`CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:${d.port()}\r\n\r\n`);
          setImmediate(() => socket.resetAndDestroy());
        });
        socket.on('error', () => undefined);
        socket.on('close', () => resolve());
      });
    }
    await expectAlive(d);
  });

  it('answers a typed JSON error for a target it cannot parse', async () => {
    const answer = await exchange(d.port(), `GET /%ff HTTP/1.1\r\nHost: 127.0.0.1:${d.port()}\r\nConnection: close\r\n\r\n`);
    expect(statusOf(answer)).toBe(400);
    expect(answer.text).toContain('"code":"VALIDATION"');
    expect(answer.text).toContain('"message":');
  });

  it.each([
    ['a declared length', `Content-Length: ${FOUR_MIB}\r\n`],
    ['chunked, so the limit is found while reading', 'Transfer-Encoding: chunked\r\n'],
  ])('answers a 4 MiB body with 413 the client receives (%s)', async (_what, framing) => {
    const chunked = framing.includes('chunked');
    const body = Buffer.alloc(FOUR_MIB, 0x61);
    const payload = chunked ? Buffer.concat([Buffer.from(`${FOUR_MIB.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]) : body;
    const answer = await exchange(d.port(), Buffer.concat([Buffer.from(d.jsonPost('application/json', framing)), payload]));
    expect(answer.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    await expectAlive(d);
  });

  it('answers a refusal that comes before the body (no token, no such route) without reading the 4 MiB body', async () => {
    const head = `POST /api/nothing.here HTTP/1.1\r\nHost: 127.0.0.1:${d.port()}\r\nContent-Type: application/json\r\nContent-Length: ${FOUR_MIB}\r\n\r\n`;
    const answer = await exchange(d.port(), Buffer.concat([Buffer.from(head), Buffer.alloc(FOUR_MIB, 0x61)]));
    expect([401, 404]).toContain(statusOf(answer));
    expect(answer.text.toLowerCase()).toContain('connection: close');
    await expectAlive(d);
  });

  it('answers 413 to a client that streams a 4 MiB body and reads the answer as it goes (fetch)', async () => {
    const [path, auth] = d.name === 'REST server' ? ['/api/service-account/v1/service-account', admin] : ['/api/vault.lock', door.token];
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= FOUR_MIB) return controller.close();
        sent += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const res = await fetch(`http://127.0.0.1:${d.port()}${path}`, { method: 'POST', headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject(d.name === 'REST server' ? { code: 'VALIDATION' } : { ok: false, error: { code: 'VALIDATION' } });
    await expectAlive(d);
  });

  it('takes exactly application/json: application/jsonx and text/json are 415', async () => {
    for (const type of ['application/jsonx', 'text/json', 'application/json-patch+json', 'application/json; charset=latin1']) {
      const answer = await exchange(d.port(), `${d.jsonPost(type, 'Content-Length: 2\r\nConnection: close\r\n')}{}`);
      expect(statusOf(answer), type).toBe(415);
    }
  });

  it(`answers ${fuzzRuns(10_000)} random request lines and headers with a well-formed status line, or closes, and stays alive`, async () => {
    const token = fc.oneof(
      fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'HEAD', 'TRACE', 'PATCH', '', 'G\0T'),
      fc.string({ unit: 'binary', maxLength: 12 }),
    );
    const target = fc.oneof(
      fc.constantFrom('/', '*', '//', '/%', '/%ff', '/api/x', '/upload', '/download/x', 'http://[', 'http://127.0.0.1/', '/api/secret/v1/secret/%e2', '127.0.0.1:1'),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ maxLength: 40 }).map((s) => `/${s}`),
    );
    const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2', 'HTTP/1.1x', '');
    const header = fc.tuple(
      fc.constantFrom('Content-Type', 'Content-Length', 'Transfer-Encoding', 'Authorization', 'Origin', 'Upgrade', 'Connection', 'Expect', 'X-File-Name', 'X'),
      fc.oneof(fc.constantFrom('application/json', 'application/jsonx', '0', '5', '-1', 'chunked', 'close', '100-continue', '%ff', 'Bearer x'), fc.string({ unit: 'binary', maxLength: 20 })),
    );
    const body = fc.string({ maxLength: 30 });
    // Two hundred clients at a time: a request whose body is shorter than it declares waits out its 300 ms.
    const cases = fc.sample(fc.tuple(token, target, version, fc.array(header, { maxLength: 4 }), body), fuzzRuns(10_000));
    const malformed: string[] = [];
    let next = 0;
    const client = async () => {
      for (let c = cases[next++]; c; c = cases[next++]) {
        const [method, path, v, headers, text] = c;
        const head = `${method} ${path} ${v}\r\nHost: 127.0.0.1:${d.port()}\r\n${headers.map(([k, val]) => `${k}: ${val}\r\n`).join('')}Connection: close\r\n\r\n${text}`;
        const answer = await exchange(d.port(), head, 300).catch(() => null);
        if (answer && answer.statusLine !== '' && !/^HTTP\/1\.1 [1-5]\d\d [\x20-\x7e]*$/.test(answer.statusLine)) malformed.push(JSON.stringify({ head, status: answer.statusLine }));
      }
    };
    await Promise.all(Array.from({ length: 200 }, client));
    expect(malformed).toEqual([]);
    await expectAlive(d);
  }, 120_000);
});

describe('the server-level guard', () => {
  it('turns what a handler throws or rejects with into a 500 for that request alone', async () => {
    const server = createServer();
    guardServer(
      server,
      (req) => {
        if (req.url === '/throws') throw new TypeError('Invalid URL');
        if (req.url === '/rejects') return Promise.reject(new Error('boom'));
        return Promise.reject(new HttpRefusal(418, 'VALIDATION', 'refused'));
      },
      {
        toBody: (shape) => shape,
        write: (res, status, shape, headers) => res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(shape)),
        failure: () => ({ status: 500, shape: { code: 'INTERNAL', message: 'internal error' } }),
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      for (const path of ['/throws', '/rejects']) {
        const answer = await exchange(port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
        expect(statusOf(answer)).toBe(500);
        expect(answer.text).toContain('{"code":"INTERNAL","message":"internal error"}');
        expect(answer.text).not.toContain('boom');
      }
      expect(statusOf(await exchange(port, 'GET /other HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'))).toBe(418);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
