import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, it } from 'vitest';

/**
 * Runs the built CLI (`bin/coffer.js`, which loads dist/) as a real child process, the way a shell
 * or a pipeline would. `npm test` builds before vitest, so dist/ is fresh.
 */
export const COFFER_BIN = resolve(__dirname, '../../../bin/coffer.js');

export const PASSWORD = 'correct horse battery staple';

export interface CofferResult {
  /** Exit code; null only when the process was killed (a hang hit the timeout). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CofferOptions {
  /** Everything the process reads on stdin; stdin is a pipe (never a TTY) and is closed after it. */
  stdin?: string;
  /** Added to a clean environment (no COFFER_* variable of the parent leaks in). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Kill the process after this many ms; a prompt waiting on a terminal would otherwise hang the suite. */
  timeout?: number;
}

/**
 * The CLI's data folder (where it remembers the audit heads it saw) for this test process, so that
 * tests never write to the real one; a test that looks at it passes its own XDG_DATA_HOME.
 */
const DATA_HOME = mkdtempSync(join(tmpdir(), 'coffer-cli-data-'));
process.on('exit', () => rmSync(DATA_HOME, { recursive: true, force: true }));

/** The environment of the test runner without any COFFER_* variable, and with a data folder of its own. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { XDG_DATA_HOME: DATA_HOME };
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('COFFER_') && k !== 'XDG_DATA_HOME') env[k] = v;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/**
 * Runs the CLI once and resolves when it exits. Asynchronous so that blocks of tests with their
 * own vaults can run side by side on both cores (`alongside`).
 */
export function coffer(args: readonly string[], opts: CofferOptions = {}): Promise<CofferResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [COFFER_BIN, ...args], { env: cleanEnv(opts.env), cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeout ?? 20_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.stdin ?? '');
  });
}

/** The same with spawnSync: the whole stdin is written and closed, and `timeout` kills a process that waits. */
export function cofferSync(args: readonly string[], opts: CofferOptions = {}): CofferResult {
  const r = spawnSync(process.execPath, [COFFER_BIN, ...args], {
    input: opts.stdin ?? '',
    env: cleanEnv(opts.env),
    cwd: opts.cwd,
    encoding: 'utf8',
    timeout: opts.timeout ?? 20_000,
  });
  if (r.error && (r.error as NodeJS.ErrnoException).code !== 'ETIMEDOUT') throw r.error;
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/**
 * Options of a describe block that has its own vault: it runs alongside its sibling blocks, and
 * its tests run concurrently unless written with `step` (tests that build on the previous one).
 */
export const alongside = { concurrent: true } as const;
export const step = it.sequential;

/** Runs tasks at most `limit` at a time (one per core by default); results in task order. */
export async function inParallel<T>(tasks: readonly (() => Promise<T>)[], limit = Math.max(2, availableParallelism())): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** Lines for stdin, each ended by a newline: `lines(password, value)`. */
export const lines = (...l: string[]): string => l.map((x) => `${x}\n`).join('');

/** Temp folders removed after the test file (or describe block) that made them. */
export function useTempDirs(): () => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), 'coffer-cli-'));
    dirs.push(d);
    return d;
  };
}

/** A CLI bound to one vault file and one member: the password is the first stdin line, `more` the next ones. */
export interface Member {
  (args: readonly string[], ...more: string[]): Promise<CofferResult>;
  vault: string;
  password: string;
}

/**
 * A vault's CLI remembers audit heads in a data folder beside the vault, as if each vault had a
 * machine of its own: copies of one fixture (same vault id) used side by side must not look like
 * rollbacks of each other.
 */
export function member(vault: string, password: string, as?: string): Member {
  const env = { COFFER_VAULT: vault, XDG_DATA_HOME: join(dirname(vault), 'data') };
  const run = (args: readonly string[], ...more: string[]) => coffer([...(as ? ['--as', as] : []), '--password-stdin', ...args], { stdin: lines(password, ...more), env });
  return Object.assign(run, { vault, password });
}

/** Creates a vault (fast KDF) with its first member and returns that member's CLI. */
export async function initVault(vault: string, opts: { org?: string; member?: string; password?: string } = {}): Promise<Member> {
  const password = opts.password ?? PASSWORD;
  const r = await coffer(['--password-stdin', 'init', '--org', opts.org ?? 'Acme', '--member', opts.member ?? 'alice', '--kdf', 'fast'], {
    stdin: lines(password),
    env: { COFFER_VAULT: vault },
  });
  if (r.code !== 0) throw new Error(`coffer init failed (${r.code}): ${r.stderr}`);
  return member(vault, password);
}

/** A command that must succeed: its stdout. */
export async function ok(run: CofferResult | Promise<CofferResult>): Promise<string> {
  const r = await run;
  if (r.code !== 0) throw new Error(`expected exit 0, got ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** The one error line of stderr, parsed: `coffer: CODE: message (field: NAME)`. */
export function errorLine(stderr: string): { code: string; message: string; field?: string } {
  const linesOut = stderr.split('\n').filter((l) => l.startsWith('coffer: ') && !l.startsWith('coffer: warning: '));
  if (linesOut.length !== 1) throw new Error(`expected one error line, got: ${stderr}`);
  const m = /^coffer: ([A-Z_]+): (.*?)(?: \(field: ([^)]+)\))?$/.exec(linesOut[0]!);
  if (!m) throw new Error(`not an error line: ${linesOut[0]}`);
  return m[3] === undefined ? { code: m[1]!, message: m[2]! } : { code: m[1]!, message: m[2]!, field: m[3] };
}
