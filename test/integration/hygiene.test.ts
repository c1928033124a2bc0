import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CofferResult } from './cli/run';
import { checkNodeDebug } from '../../electron/cli/child';
import { cleanEnv, coffer, errorLine, lines, useTempDirs } from './cli/run';

/**
 * Secret hygiene (SECURITY.md, "Memory" and "The doors"): the CLI and browser mode run as real child
 * processes with the most verbose logging Coffer and Node have, and every log, stderr, error body,
 * argv and environment (read from /proc while they run), new temp file and file beside the vault is
 * searched for the known values, in clear, base64 and hex. A value may appear only where it was asked
 * for: `secret get`'s stdout, a reveal's answer, the environment `coffer run` gives its child.
 */
const PASSWORD = 'hygiene-password-Zq81vW';
const VALUES = {
  password: PASSWORD,
  byStdin: 'hygiene-stdin-value-4Tx9Lp',
  byFile: 'hygiene-file-value-8Rw2Kc',
  edited: 'hygiene-edited-value-6Pn3Ds',
  inArgv: 'hygiene-argv-value-2Lm7Qe',
  kvStdin: 'hygiene-kv-stdin-value-5Vb1',
  passphrase: 'hygiene-bundle-passphrase-3Kd5',
  wrongPassword: 'hygiene-wrong-password-7Gh2',
  browserValue: 'hygiene-browser-value-5Hs4Np',
  browserLong: 'hygiene-browser-long-value-1Cz8',
} as const;
type Known = keyof typeof VALUES;

/** The most verbose settings there are: COFFER_DEBUG prints unexpected errors whole; NODE_DEBUG makes Node's own modules talk. */
const VERBOSE = { COFFER_DEBUG: '1', NODE_DEBUG: 'child_process,http,net,fs' };
/** Browser mode as `npm start` runs it without Electron: the bundle the build makes. */
const LAUNCH = resolve(__dirname, '../../dist/electron/server/browser-mode.js');
/** The program `coffer run` starts: it stays long enough to be seen in /proc, and says only how long its value is. */
const RUN_CHILD = ['node', '-e', 'setTimeout(() => process.stdout.write(String(process.env.API.length)), 600)', 'hygiene-run-child'];

/** Every form a value could leak in: clear, base64 (padded or not, URL-safe) and hex. */
function formsOf(value: string): string[] {
  const b = Buffer.from(value);
  return [value, b.toString('base64').replace(/=+$/, ''), b.toString('base64url'), b.toString('hex'), b.toString('hex').toUpperCase()];
}

/** The known values found in `data`, except those allowed there. */
function leaks(data: string | Buffer, allowed: readonly Known[] = []): Known[] {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  return (Object.keys(VALUES) as Known[]).filter((k) => !allowed.includes(k) && formsOf(VALUES[k]).some((f) => buf.includes(f)));
}

/**
 * Samples argv and environment of every descendant of this process from /proc, as any process of
 * the same user could read them, until stopped (Linux only: elsewhere it sees nothing).
 */
class ProcWatch {
  /** Every argv and environment each descendant showed: a process that has just forked still shows its parent's until it execs. */
  readonly seen = new Map<number, { cmdlines: Set<string>; environs: Set<string> }>();
  private readonly timer = setInterval(() => this.sample(), 25);

  /** Descendants through /proc/PID/task/TID/children: cheap enough to look every few milliseconds. */
  private descendants(): number[] {
    const found: number[] = [];
    const queue = [process.pid];
    while (queue.length) {
      const pid = queue.pop()!;
      try {
        for (const tid of readdirSync(`/proc/${pid}/task`)) {
          for (const child of readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1').split(' ').filter(Boolean).map(Number)) {
            found.push(child);
            queue.push(child);
          }
        }
      } catch {
        // Gone between two reads.
      }
    }
    return found;
  }

  private sample(): void {
    const mine = this.descendants();
    for (const pid of mine) {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
        const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').replaceAll('\0', '\n');
        const seen = this.seen.get(pid) ?? { cmdlines: new Set(), environs: new Set() };
        seen.cmdlines.add(cmdline);
        seen.environs.add(environ);
        this.seen.set(pid, seen);
      } catch {
        // Exited meanwhile.
      }
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** The files at or under `path` (not following links), skipping what goes away meanwhile: other processes' temp files come and go. */
function filesUnder(path: string, out: string[] = []): string[] {
  try {
    const st = lstatSync(path);
    if (st.isDirectory()) for (const name of readdirSync(path)) filesUnder(join(path, name), out);
    else if (st.isFile() && st.size < 64 * 1024 * 1024) out.push(path);
  } catch {
    // Removed meanwhile, or not ours to read.
  }
  return out;
}

const readOrEmpty = (path: string): Buffer => {
  try {
    return readFileSync(path);
  } catch {
    return Buffer.alloc(0);
  }
};

interface Reply {
  status: number;
  body: string;
}

function post(port: number, token: string, channel: string, body: string): Promise<Reply> {
  return new Promise((resolvePromise, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: `/api/${channel}`,
        method: 'POST',
        headers: { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}`, 'content-type': 'application/json', authorization: `Bearer ${token}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Browser mode as `npm start -- --browser` runs it, in a child process of its own; resolves with its address once it printed it. */
function startBrowserMode(vault: string, dataHome: string): Promise<{ child: ChildProcess; port: number; token: string; output: () => string }> {
  const child = spawn(process.execPath, ['-e', `require(${JSON.stringify(LAUNCH)}).launchBrowserMode({ vault: ${JSON.stringify(vault)}, port: 0 })`], {
    env: cleanEnv({ XDG_DATA_HOME: dataHome, ...VERBOSE }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser mode did not start: ${out}`)), 20_000);
    const look = () => {
      const m = /http:\/\/127\.0\.0\.1:(\d+)\/#token=([\w-]+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', look);
      resolvePromise({ child, port: Number(m[1]), token: m[2]!, output: () => out });
    };
    child.stdout!.on('data', look);
    child.on('exit', (code) => reject(new Error(`browser mode exited (${code}): ${out}`)));
  });
}

describe('coffer run under NODE_DEBUG', () => {
  it.each([
    ['child_process', true],
    ['http,CHILD_PROCESS', true],
    ['*', true],
    ['child*', true],
    ['http,net,fs', false],
    ['child', false],
    ['', false],
    [undefined, false],
  ])('NODE_DEBUG=%s refused: %s', (value, refused) => {
    if (refused) expect(() => checkNodeDebug(value)).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'NODE_DEBUG' }));
    else expect(() => checkNodeDebug(value)).not.toThrow();
  });
});

describe('secret hygiene: no known value in logs, errors, argv, environments or files', () => {
  const tempDir = useTempDirs();
  let dir: string;
  let vault: string;
  let watch: ProcWatch | undefined;
  const tmpBefore = new Set(readdirSync(tmpdir()));
  /** Every stream to scan, with the values allowed in it. */
  const captured: { where: string; text: string | Buffer; allowed?: Known[] }[] = [];

  beforeAll(() => {
    dir = tempDir();
    vault = join(dir, 'team.coffer');
    if (process.platform === 'linux') watch = new ProcWatch();
  });
  afterAll(() => watch?.stop());

  const env = () => ({ COFFER_VAULT: vault, XDG_DATA_HOME: join(dir, 'data'), ...VERBOSE });
  /** One CLI run as alice: the password first on stdin, then `more`; both outputs kept for the scan. */
  async function cli(args: string[], more: string[] = [], allowedOnStdout: Known[] = [], extraEnv: Record<string, string> = {}): Promise<CofferResult> {
    const r = await coffer(['--password-stdin', ...args], { stdin: lines(PASSWORD, ...more), env: { ...env(), ...extraEnv } });
    captured.push({ where: `coffer ${args.join(' ')}: stdout`, text: r.stdout, allowed: allowedOnStdout }, { where: `coffer ${args.join(' ')}: stderr`, text: r.stderr });
    return r;
  }
  const code = (r: CofferResult) => [r.code, r.stderr];

  it('the CLI: add by stdin and by file, get, list, edit, history, export, import, two failing commands and run', async () => {
    expect(code(await cli(['init', '--org', 'Acme', '--member', 'alice', '--kdf', 'fast']))).toEqual([0, expect.any(String)]);
    const envFile = join(dir, 'input.env');
    writeFileSync(envFile, `DB_HOST=db.internal\nDB_PASS=${VALUES.byFile}\n`);
    // Commands that do not depend on each other run side by side: the machine has two cores.
    const added = await Promise.all([
      cli(['secret', 'add', 'api-key', 'stripe', '--header', 'X-Key', '--value-stdin'], [VALUES.byStdin]),
      cli(['secret', 'add', 'key-value', 'database', '--file', envFile]),
    ]);
    expect(added.map(code)).toEqual(added.map((r) => [0, r.stderr]));

    const bundle = join(dir, 'out.cofferbundle');
    const [got, ...rest] = await Promise.all([
      cli(['secret', 'get', 'stripe'], [], ['byStdin']),
      cli(['secret', 'list']),
      cli(['export', '--out', bundle, '--secrets', 'stripe,database', '--passphrase'], [VALUES.passphrase]),
    ]);
    expect(got!.stdout).toBe(`${VALUES.byStdin}\n`);
    expect(rest.map(code)).toEqual(rest.map((r) => [0, r.stderr]));

    // Commands that fail on what they were given: the error names the field, never the value. The
    // value given in argv is visible there by the user's choice (and Coffer warns): only that argv may hold it.
    const failing = await Promise.all([
      cli(['secret', 'add', 'key-value', 'bad', '--kv', `A=${VALUES.inArgv}`, '--kv', 'A=again']),
      cli(['secret', 'add', 'key-value', 'bad', '--kv', 'K', '--kv', 'K'], [VALUES.kvStdin, VALUES.kvStdin]),
      cli(['import', bundle], [VALUES.wrongPassword]),
      cli(['secret', 'edit', 'stripe', '--value-stdin'], [VALUES.edited]),
    ]);
    expect(failing.map((r) => r.code)).toEqual([2, 2, 3, 0]);

    // Node prints a spawn's whole environment under NODE_DEBUG=child_process: `run` refuses it, and runs under the other names.
    const runArgs = ['run', '--env', 'API=coffer://personal/stripe', '--', ...RUN_CHILD];
    const after = await Promise.all([
      cli(runArgs),
      cli(runArgs, [], [], { NODE_DEBUG: 'http,net,fs' }),
      cli(['--json', 'secret', 'history', 'stripe']),
      cli(['import', bundle, '--strategy', 'both'], [VALUES.passphrase]),
    ]);
    expect(after.map((r) => r.code)).toEqual([2, 0, 0, 0]);
    expect(errorLine(after[0]!.stderr)).toMatchObject({ code: 'VALIDATION', field: 'NODE_DEBUG' });
    expect(after[1]!.stdout).toBe(String(VALUES.edited.length));
  }, 90_000);

  it('browser mode: reveals, failing calls and their error bodies, its logs', async () => {
    const door = await startBrowserMode(vault, join(dir, 'browser-data'));
    const call = async (channel: string, input: unknown, allowed: Known[] = []) => {
      const r = await post(door.port, door.token, channel, typeof input === 'string' ? input : JSON.stringify(input));
      captured.push({ where: `browser mode ${channel} (${r.status})`, text: r.body, allowed });
      return r;
    };
    try {
      expect((await call('vault.unlock', { password: PASSWORD })).status).toBe(200);
      const list = JSON.parse((await call('secrets.list', {})).body) as { value: { items: { id: string; name: string }[] } };
      const stripe = list.value.items.find((s) => s.name === 'stripe')!.id;
      expect((await call('secrets.detail', { id: stripe })).body).toContain('X-Key');
      expect((await call('secrets.reveal', { id: stripe }, ['edited'])).body).toContain(VALUES.edited);
      expect((await call('secrets.history', { id: stripe })).status).toBe(200);

      const failing: [string, unknown][] = [
        ['secrets.register', { type: 'api-key', name: 'bad', fields: { headerName: 'Bad Header:', value: VALUES.browserValue } }],
        ['secrets.register', { type: 'api-key', name: '', fields: { headerName: 'X-Key', value: VALUES.browserValue } }],
        ['secrets.register', { type: 'key-value', name: 'kv', fields: { pairs: [{ key: 'A', value: VALUES.browserValue }, { key: 'A', value: VALUES.browserValue }] } }],
        ['secrets.edit', { ref: { id: stripe }, fields: { value: `${VALUES.browserLong}${'x'.repeat(70_000)}` } }],
        ['secrets.edit', { ref: { id: 'no-such-id' }, fields: { value: VALUES.browserValue } }],
        ['bundles.export', { selection: { kind: 'secrets', names: ['no-such-secret'] }, passphrase: VALUES.passphrase }],
        ['vault.changePassword', { current: VALUES.wrongPassword, next: VALUES.browserValue }],
        ['secrets.register', `{"type":"api-key","name":"cut","fields":{"value":"${VALUES.browserValue}"`],
        ['vault.unlock', { password: VALUES.wrongPassword }],
      ];
      for (const [channel, input] of failing) {
        const r = await call(channel, input);
        // A typed error is a 200 carrying `ok: false`; a body that is not JSON is refused with 400.
        expect(r.status === 400 || (JSON.parse(r.body) as { ok: boolean }).ok === false, `${channel}: ${r.body.slice(0, 200)}`).toBe(true);
      }

      // The vault holds only ciphertext, its write-ahead log too (read while browser mode holds it open).
      const wal = readOrEmpty(`${vault}-wal`);
      expect(wal.length).toBeGreaterThan(0);
      captured.push({ where: 'vault -wal while open', text: wal });
    } finally {
      door.child.kill('SIGTERM');
      await new Promise((r) => door.child.once('exit', r));
    }
    captured.push({ where: 'browser mode stdout and stderr', text: door.output() });
  }, 60_000);

  it('finds none of them anywhere they were not asked for', () => {
    watch?.stop();
    const findings: string[] = [];
    const note = (where: string, found: Known[]) => found.length && findings.push(`${where}: ${found.join(', ')}`);

    for (const c of captured) note(c.where, leaks(c.text, c.allowed));
    // The scan sees what it must: Node's debug lines, and the answers that were meant to hold a value.
    expect(captured.some((c) => typeof c.text === 'string' && /^(HTTP|NET) \d+: /m.test(c.text))).toBe(true);
    expect(captured.filter((c) => c.allowed?.length && leaks(c.text).length).length).toBe(2);

    if (watch) {
      let runChildSeen = false;
      for (const [pid, p] of watch.seen) {
        const cmdlines = [...p.cmdlines];
        const environ = [...p.environs].join('\n');
        const named = `${pid} (${cmdlines.at(-1)!.slice(0, 80)})`;
        // `coffer run` hands its child the value in the environment: that is the one place it goes.
        const runChild = cmdlines.some((c) => c.includes('hygiene-run-child') && !c.includes('bin/coffer.js'));
        if (runChild && environ.includes(`API=${VALUES.edited}`)) runChildSeen = true;
        for (const c of cmdlines) note(`argv of ${named}`, leaks(c, c.includes(' --kv A=') ? ['inArgv'] : []));
        note(`environment of ${named}`, leaks(environ, runChild ? ['edited'] : []));
      }
      expect(watch.seen.size).toBeGreaterThan(10);
      expect(runChildSeen).toBe(true);
    }

    // Every file this test's processes left: in the vault's folder (the vault and its -wal
    // included: ciphertext only; the .env the test wrote holds its value) and new in the temp folder.
    const newInTmp = readdirSync(tmpdir()).filter((n) => !tmpBefore.has(n) && !n.startsWith('bash_jobs'));
    const files = new Set([...filesUnder(dir), ...newInTmp.flatMap((n) => filesUnder(join(tmpdir(), n)))]);
    expect(files).toContain(vault);
    expect([...files].some((f) => f.endsWith('.cofferbundle'))).toBe(true);
    for (const f of files) if (existsSync(f)) note(f, leaks(readOrEmpty(f), f === join(dir, 'input.env') ? ['byFile'] : []));

    expect(findings).toEqual([]);
  });
});
