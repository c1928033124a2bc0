import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { ErrorCode } from '../../shared/errors';
import { CofferError, toErrorShape } from '../../shared/errors';
import type { Level, SecretSummary } from '../../shared/schemas/secrets';
import { LEVELS } from '../../shared/schemas/secrets';
import { parseInput } from '../../shared/validation';
import { getSecretValue, listSecrets } from '../core/secrets/reading';
import { addAccountKey, createAccount, deleteAccount, deleteAccountKey } from '../core/vault/accounts';
import type { Session } from '../core/vault/session';
import type { Vault } from '../core/vault/vault';
import type { DoorErrors } from './http-guard';
import { guardServer, HttpRefusal, readBody, requestUrl, requireJson } from './http-guard';
import { RestAuth } from './rest-auth';

/**
 * The REST API (docs/rest.md, docs/openapi.json): service-account management and secret
 * reads for service accounts and credentials, on 127.0.0.1 only. Every request is checked before
 * anything is parsed (Host, Origin, size, type); every error is `{code, message, field?}` with a
 * status that fits; no stack trace and no value ever reaches a body or a log.
 */

const MAX_BODY = 64 * 1024;
const STATUS: Record<ErrorCode, number> = {
  VALIDATION: 422,
  AUTH: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  LOCKED: 503,
  TAMPERED: 500,
  UNSUPPORTED_VERSION: 500,
  INTERNAL: 500,
};

interface Call {
  session: Session;
  params: string[];
  query: URLSearchParams;
  body: unknown;
}

interface Reply {
  status: number;
  body?: unknown;
}

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** Reads that write a use: committed together with the others that arrive at once (GroupCommit). */
  grouped?: true;
  /** The path as docs/openapi.json writes it. */
  path: string;
  pattern: RegExp;
  /** Statuses it answers with besides the errors every route shares. */
  statuses: number[];
  handle(call: Call): Reply;
}

const unix = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));

const secretJson = (s: SecretSummary) => ({
  id: s.id,
  name: s.name,
  type: s.type,
  level: s.level,
  workspace: s.workspace,
  availability: s.availability,
  teams: s.teams,
  created: unix(s.created),
  expires: unix(s.expires),
  status: s.status,
  lastUsed: unix(s.lastUsed),
});

const createBody = z
  .object({
    name: z.string(),
    enableBasicAuth: z.boolean().optional(),
    /** Beyond the calls' original shape, which has no roles (docs/rest.md): a built-in or custom role, `member` when left out. */
    role: z.string().optional(),
    workspace: z.string().optional(),
  })
  .strict();
const keyBody = z.object({ expires: z.string().optional() }).strict();

/** The optional `level` query of the secret reads. */
function levelParam(query: URLSearchParams): Level | undefined {
  const level = query.get('level') ?? undefined;
  if (level !== undefined && !(LEVELS as readonly string[]).includes(level)) throw new CofferError('VALIDATION', `level must be one of ${LEVELS.join(', ')}`, 'level');
  return level as Level | undefined;
}

const ID = '([^/]+)';
const SA = '/api/service-account/v1/service-account';

export const ROUTES: Route[] = [
  {
    method: 'POST',
    path: SA,
    pattern: new RegExp(`^${SA}$`),
    statuses: [201],
    handle: ({ session, body }) => {
      const v = parseInput(createBody, body);
      const a = createAccount(session, { name: v.name, role: v.role ?? 'member', workspace: v.workspace, enableBasicAuth: v.enableBasicAuth ?? false }, false);
      return { status: 201, body: { created: unix(a.created), enableBasicAuth: a.enableBasicAuth, id: a.id, keys: [], name: a.name } };
    },
  },
  {
    method: 'DELETE',
    path: `${SA}/{id}`,
    pattern: new RegExp(`^${SA}/${ID}$`),
    statuses: [204],
    handle: ({ session, params }) => {
      deleteAccount(session, params[0]!);
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: `${SA}/{id}/key`,
    pattern: new RegExp(`^${SA}/${ID}/key$`),
    statuses: [201],
    handle: ({ session, params, body }) => {
      const v = parseInput(keyBody, body);
      const k = addAccountKey(session, params[0]!, { expires: v.expires });
      return { status: 201, body: { created: unix(k.created), keyId: k.keyId, secret: k.secret } };
    },
  },
  {
    method: 'DELETE',
    path: `${SA}/{id}/key/{key-id}`,
    pattern: new RegExp(`^${SA}/${ID}/key/${ID}$`),
    statuses: [204],
    handle: ({ session, params }) => {
      deleteAccountKey(session, params[0]!, params[1]!);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/api/secret/v1/secret',
    pattern: /^\/api\/secret\/v1\/secret$/,
    statuses: [200],
    handle: ({ session, query }) => {
      const level = levelParam(query);
      const listing = listSecrets(session, { level, workspace: query.get('workspace') ?? undefined });
      return { status: 200, body: listing.items.map(secretJson) };
    },
  },
  {
    method: 'GET',
    path: '/api/secret/v1/secret/{name}',
    pattern: /^\/api\/secret\/v1\/secret\/([^/]+)$/,
    statuses: [200],
    grouped: true,
    handle: ({ session, params, query }) => {
      const level = levelParam(query);
      const ref = { name: params[0]!, level, workspace: query.get('workspace') ?? undefined };
      const v = getSecretValue(session, ref, { field: query.get('field') ?? undefined, use: { door: 'rest', how: 'api' } });
      return { status: 200, body: { name: v.name, type: v.type, field: v.field, value: v.value } };
    },
  },
];

/** docs/openapi.json of the repository, from the sources (electron/server) or the build (dist/electron/server). */
function openApiPath(): string {
  for (let dir = __dirname, i = 0; i < 4; i++, dir = dirname(dir)) {
    const candidate = join(dir, 'docs', 'openapi.json');
    if (existsSync(candidate)) return candidate;
  }
  throw new CofferError('INTERNAL', 'docs/openapi.json is missing from this installation');
}

function send(res: ServerResponse, reply: Reply, extra: Record<string, string> = {}): void {
  const headers: Record<string, string> = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...extra };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  const json = JSON.stringify(reply.body);
  // A stated length instead of chunked encoding: one write, and clients read the body without parsing chunks.
  res.writeHead(reply.status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(json)) }).end(json);
}


/** docs/rest.md "Errors": the bare `{code, message, field?}`, with the status its code maps to. */
const REST_ERRORS: DoorErrors = {
  toBody: (shape) => shape,
  write: (res, status, shape, headers) => send(res, { status, body: shape }, headers),
  failure: (e) => {
    const shape = toErrorShape(e);
    return { status: STATUS[shape.code], shape };
  },
};

/** A body only when one was sent: the calls that take one treat a missing body as `{}`. */
async function parseBody(req: IncomingMessage): Promise<unknown> {
  const declared = req.headers['content-length'];
  if (req.headers['transfer-encoding'] === undefined && (declared === undefined || Number(declared) === 0)) return {};
  requireJson(req);
  const text = (await readBody(req, MAX_BODY, new HttpRefusal(413, 'VALIDATION', `the body is larger than ${MAX_BODY} bytes`))).toString('utf8');
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpRefusal(400, 'VALIDATION', 'the body is not JSON');
  }
}

/**
 * Reads that arrive together commit together. Each read of a value writes its use, the secret's
 * head and an audit entry; one transaction per read waits for one fsync per read (synchronous =
 * FULL), which is what bounded the server (docs/benchmark.md). The reads queued while one batch
 * runs go into the next, each in a savepoint of its own: one that fails is undone alone, and none
 * is answered before its batch has committed.
 */
class GroupCommit {
  private queue: { run: () => Reply; resolve: (r: Reply) => void; reject: (e: unknown) => void }[] = [];

  constructor(private readonly vault: Vault) {}

  submit(run: () => Reply): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.queue.push({ run, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const jobs = this.queue;
    this.queue = [];
    const outcomes: ({ reply: Reply } | { error: unknown })[] = [];
    try {
      this.vault.db.write(() => {
        for (const job of jobs) {
          try {
            outcomes.push({ reply: job.run() });
          } catch (error) {
            outcomes.push({ error });
          }
        }
      });
    } catch (e) {
      for (const job of jobs) job.reject(e);
      return;
    }
    jobs.forEach((job, i) => {
      const o = outcomes[i]!;
      if ('reply' in o) job.resolve(o.reply);
      else job.reject(o.error);
    });
  }
}

export interface RestServer {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Each failed authentication from a client waits longer before its answer, up to two seconds. */
class Slowdown {
  private readonly failures = new Map<string, number>();

  async before(client: string): Promise<void> {
    const n = this.failures.get(client) ?? 0;
    if (n > 0) await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** (n - 1), 2000)));
  }

  record(client: string, failed: boolean): void {
    if (failed) this.failures.set(client, (this.failures.get(client) ?? 0) + 1);
    else this.failures.delete(client);
  }
}

export async function startRestServer(vault: Vault, opts: { port?: number } = {}): Promise<RestServer> {
  const auth = new RestAuth(vault);
  const group = new GroupCommit(vault);
  const slowdown = new Slowdown();
  let hosts: string[] = [];

  const respond = async (req: IncomingMessage): Promise<Reply> => {
    // A hostile page that resolves its own name to 127.0.0.1 still sends its own Host; browsers have no business here.
    if (!hosts.includes(req.headers.host ?? '')) throw new HttpRefusal(403, 'FORBIDDEN', 'wrong Host');
    if (req.headers.origin !== undefined) throw new HttpRefusal(403, 'FORBIDDEN', 'requests from web pages are refused');
    const url = requestUrl(req);
    const orgId = url.searchParams.get('orgId');
    if (orgId !== null && orgId !== vault.id) throw new HttpRefusal(404, 'NOT_FOUND', 'no such organization');
    if (req.method === 'GET' && url.pathname === '/api/openapi.json') return { status: 200, body: JSON.parse(readFileSync(openApiPath(), 'utf8')) as unknown };
    const matching = ROUTES.map((r) => ({ route: r, m: r.pattern.exec(url.pathname) })).filter((x) => x.m !== null);
    if (matching.length === 0) throw new HttpRefusal(404, 'NOT_FOUND', 'no such endpoint');
    const hit = matching.find((x) => x.route.method === req.method);
    if (!hit) {
      const methods = matching.map((x) => x.route.method);
      throw new HttpRefusal(405, 'VALIDATION', `use ${methods.join(' or ')}`, undefined, { allow: methods.join(', ') });
    }
    // requestUrl has checked that the whole path decodes, so each part of it does.
    const params = hit.m!.slice(1).map((p) => decodeURIComponent(p));
    const body = req.method === 'POST' ? await parseBody(req) : undefined;
    const client = req.socket.remoteAddress ?? '';
    await slowdown.before(client);
    let session: Session;
    try {
      session = auth.authenticate(req.headers.authorization);
      slowdown.record(client, false);
    } catch (e) {
      slowdown.record(client, true);
      throw e;
    }
    const call = { session, params, query: url.searchParams, body };
    return hit.route.grouped ? group.submit(() => hit.route.handle(call)) : hit.route.handle(call);
  };

  const server = createServer();
  guardServer(server, async (req, res) => send(res, await respond(req)), REST_ERRORS);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        auth.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
