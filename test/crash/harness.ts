import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { verifyAuditFor } from '../../electron/core/audit/access';
import { getSecretValue, listSecrets } from '../../electron/core/secrets/reading';
import { listMembers } from '../../electron/core/vault/members';
import { Vault } from '../../electron/core/vault/vault';
import { COFFER_BIN, cleanEnv, lines } from '../integration/cli/run';

/**
 * The crash harness (docs/product.md §10, "Crashes"): a real `coffer` process is killed with
 * SIGKILL while it writes, at a random moment of its work on the vault or when it writes to the
 * `-wal` file, and the vault is then opened as its user would open it next. It must pass SQLite's integrity and foreign-key
 * checks, its audit chain must verify, and what it holds must be the state before the command or
 * the state after it, never anything between. A command that exited 0 before the kill must have
 * left the state after. `npm run soak` runs ten times as many kills (COFFER_CRASH_SCALE=10).
 */
export const SCALE = Number(process.env.COFFER_CRASH_SCALE ?? 1);

export interface KillPlan {
  /**
   * Kill this many ms after the command first touched the vault's folder, or at the `nth` write
   * event of the vault's `-wal` file. Without either, the command runs to its end.
   */
  afterMs?: number;
  walWrite?: number;
}

export interface KillOutcome {
  /** False when the command finished before the kill came. */
  killed: boolean;
  code: number | null;
  stderr: string;
  /** From the command's first change in the vault's folder to its exit: the window kills aim at. */
  workMs?: number;
}

/**
 * Half the kills at a random moment of the command's work on the vault (`workMs`, measured on a run
 * left to finish), half at one of the first few writes to the `-wal` file. Without a measured
 * window, no kill: the run finishes, is checked as one, and measures the window.
 *
 * The random moment counts from the command's first change in the vault's folder, not from its
 * spawn: Node loads the CLI for most of a second before it opens the vault, and a kill in that time
 * finds the vault untouched, which checks nothing the previous kill did not. Each kill costs a
 * start-up either way; aimed at the work, each of them tests a crash of the write.
 */
export function planKill(i: number, workMs: number | undefined): KillPlan {
  if (workMs === undefined) return {};
  return i % 2 === 0 ? { afterMs: Math.random() * workMs } : { walWrite: 1 + Math.floor(Math.random() * 6) };
}

/** Runs `coffer` on `vault` with `stdin` and kills it as planned. */
export function runAndKill(vault: string, args: readonly string[], stdin: string, plan: KillPlan): Promise<KillOutcome> {
  return new Promise((resolve, reject) => {
    const env = cleanEnv({ COFFER_VAULT: vault, XDG_DATA_HOME: `${dirname(vault)}/data` });
    const child = spawn(process.execPath, [COFFER_BIN, ...args], { env, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    let killed = false;
    const kill = () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killed = child.kill('SIGKILL');
    };
    const wal = `${basename(vault)}-wal`;
    let walWrites = 0;
    let touchedAt: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    const watcher = watch(dirname(vault), (_event, file) => {
      if (touchedAt === undefined) {
        touchedAt = Date.now();
        if (plan.afterMs !== undefined) timer = setTimeout(kill, plan.afterMs);
      }
      if (plan.walWrite && file === wal && ++walWrites === plan.walWrite) kill();
    });
    // A command that never ends is a hang, not a crash: the test fails on its exit code.
    const limit = setTimeout(kill, 60_000);
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      clearTimeout(limit);
      watcher.close();
      resolve({ killed: killed && code === null, code, stderr, workMs: touchedAt === undefined ? undefined : Date.now() - touchedAt });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
  });
}

/** What a kill may change and must not break: compared whole between before, after and the crashed run. */
export interface Observed {
  /** Which of the candidate passwords unlocks. */
  password: string;
  members: string[];
  secrets: number;
  byStatus: Record<string, number>;
  /** The values of the secrets the test follows, by name. */
  values: Record<string, string>;
  notices: number;
}

/**
 * Opens the vault as its user would after the crash (SQLite replays or drops the `-wal` file and
 * checkpoints on close), checks it, then reads it read-only as member `as`, so that reading records
 * nothing.
 */
export async function observe(path: string, as: string, passwords: readonly string[], follow: (name: string) => boolean): Promise<Observed> {
  (await Vault.open(path)).close();
  const raw = new Database(path, { readonly: true });
  try {
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(raw.pragma('foreign_key_check')).toEqual([]);
  } finally {
    raw.close();
  }
  const vault = await Vault.open(path, { readOnly: true });
  try {
    const refusals: string[] = [];
    for (const password of passwords) {
      let session;
      try {
        session = await vault.unlock(as, password);
      } catch (e) {
        refusals.push(String(e));
        continue;
      }
      expect(verifyAuditFor(session)).toMatchObject({ ok: true });
      const items = listSecrets(session, { limit: 100_000 }).items;
      const byStatus: Record<string, number> = {};
      for (const s of items) byStatus[s.status] = (byStatus[s.status] ?? 0) + 1;
      const values: Record<string, string> = {};
      for (const s of items.filter((i) => follow(i.name))) values[s.name] = getSecretValue(session, { id: s.id }, { use: { door: 'cli', how: 'print', detail: 'crash harness' } }).value;
      const notices = vault.db.raw.prepare<[], { n: number }>('SELECT count(*) AS n FROM notices').get()!.n;
      return { password, members: listMembers(session).map((m) => m.name).sort(), secrets: items.length, byStatus, values, notices };
    }
    throw new Error(`none of the passwords unlocks ${path}: ${refusals.join('; ')}`);
  } finally {
    vault.close();
  }
}

/**
 * Kills of one kind of write: `npm test` gives the six kinds 300 in all, fewer to the big writes,
 * whose every kill starts from a fresh copy of a big vault.
 */
export const kills = (inNpmTest: number): number => Math.round(inNpmTest * SCALE);

/** A test's time limit: generous, since a soak runs ten times the kills on a machine that may be busy. */
export const TIMEOUT_MS = 900_000 * SCALE;

export interface Tally {
  wanted: number;
  /** The work window of the latest run that finished (KillOutcome.workMs), for planKill. */
  workMs?: number;
  killed: number;
  finished: number;
  before: number;
  after: number;
}

/**
 * One kill: the state found is `before` or `after`, and `after` when the command finished. Exit
 * codes other than 0 are failures of the command itself (a kill has no exit code).
 */
export async function killOnce(
  t: Tally,
  run: () => Promise<KillOutcome>,
  see: () => Promise<Observed>,
  before: Observed,
  after: Observed,
): Promise<Observed> {
  const outcome = await run();
  if (!outcome.killed) expect(outcome.code, outcome.stderr).toBe(0);
  const found = await see();
  if (outcome.killed) t.killed++;
  else {
    t.finished++;
    t.workMs = outcome.workMs;
  }
  if (outcome.killed && isEqual(found, before)) t.before++;
  else {
    expect(found).toEqual(after);
    if (outcome.killed) t.after++;
  }
  return found;
}

/** Equal whatever the order of keys, as toEqual compares. */
/** Prints how the kills fell (read in the test log) and holds the run to its number of kills. */
export function reportKills(kind: string, t: Tally): void {
  console.info(`crash ${kind}: ${t.killed} killed (${t.before} left the state before, ${t.after} the state after), ${t.finished} finished first`);
  expect(t.killed).toBeGreaterThanOrEqual(t.wanted);
}

/**
 * Kills `next()`'s command until `wanted` of them were killed (a kill that comes after the command
 * finished counts as a finished run, checked the same way). Returns the tally for the test to report.
 */
export async function killRepeatedly(wanted: number, next: (i: number, t: Tally) => Promise<void>): Promise<Tally> {
  const t: Tally = { wanted, killed: 0, finished: 0, before: 0, after: 0 };
  for (let i = 0; t.killed < wanted; i++) {
    if (i >= wanted * 4) throw new Error(`only ${t.killed} of ${i} runs were killed before they finished`);
    await next(i, t);
  }
  return t;
}

const isEqual = (a: unknown, b: unknown) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
const sorted = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(sorted) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sorted(x)])) : v;

export { lines };
