import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../shared/errors';
import type { Member } from './run';
import { errorLine, initVault, ok, useTempDirs } from './run';

/**
 * Read-only review through the CLI (docs/product.md §3 "Read-only review"): a whole review session
 * with --read-only changes no byte of the vault and leaves no write-ahead log behind, and every
 * write is refused with a typed error.
 */

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** What SQLite keeps beside the file: a write-ahead log with content would be a write. */
const sideBytes = (path: string, suffix: '-wal' | '-shm'): number => (existsSync(`${path}${suffix}`) ? readFileSync(`${path}${suffix}`).length : 0);

interface FileState {
  sha256: string;
  walBytes: number;
}

const stateOf = (path: string): FileState => ({ sha256: sha256(path), walBytes: sideBytes(path, '-wal') });

describe('--read-only review session', () => {
  const tempDir = useTempDirs();
  let alice: Member;
  let vault = '';
  let before: FileState;
  const readOnly = (args: readonly string[], ...more: string[]) => alice(['--read-only', ...args], ...more);

  beforeAll(async () => {
    vault = join(tempDir(), 'review.coffer');
    alice = await initVault(vault);
    await ok(alice(['secret', 'add', 'api-key', 'gh-token', '--header', 'X-Api-Key', '--value-stdin'], 'gh-value-1'));
    await ok(alice(['secret', 'edit', 'gh-token', '--value-stdin'], 'gh-value-2'));
    await ok(alice(['secret', 'add', 'api-key', 'stripe', '--header', 'X-Key', '--value-stdin'], 'stripe-value'));
    await ok(alice(['secret', 'get', 'gh-token', '--consumer', 'setup']));
    // Every process that wrote has closed the file: its log is checkpointed into it.
    before = stateOf(vault);
    expect(before.walBytes).toBe(0);
  }, 60_000);

  it('reads everything a review needs and changes no byte', async () => {
    const listed = JSON.parse(await ok(readOnly(['secret', 'list', '--json']))) as { name: string }[];
    expect(listed.map((s) => s.name).sort()).toEqual(['gh-token', 'stripe']);
    expect(await ok(readOnly(['secret', 'get', 'gh-token', '--consumer', 'reviewer']))).toBe('gh-value-2\n');
    expect(await ok(readOnly(['secret', 'show', 'stripe']))).not.toContain('stripe-value');
    const report = JSON.parse(await ok(readOnly(['report', '--format', 'json']))) as { secrets: unknown[] };
    expect(report.secrets).toHaveLength(2);
    const audit = JSON.parse(await ok(readOnly(['--json', 'audit', 'list']))) as { action: string }[];
    expect(audit.map((e) => e.action)).toContain('secret.get');
    expect(await ok(readOnly(['audit', 'verify']))).not.toBe('');
    for (const args of [['secret', 'usage', 'gh-token'], ['secret', 'history', 'gh-token'], ['notices', '--all'], ['member', 'list'], ['info'], ['tick']]) {
      await ok(readOnly(args));
    }
    // `tick` succeeds and passes nothing (docs/cli.md): a read-only vault skips the scheduler.
    // The reviewer's read is nowhere: not in usage, not in the audit log, not in the file.
    expect(await ok(alice(['--read-only', 'secret', 'usage', 'gh-token']))).not.toContain('reviewer');
    const auditAfter = JSON.parse(await ok(readOnly(['--json', 'audit', 'list']))) as unknown[];
    expect(auditAfter).toHaveLength(audit.length);
    expect(stateOf(vault)).toEqual(before);
  }, 60_000);

  it('refuses every write with LOCKED (exit 8), and the file stays as it was', async () => {
    const envFile = join(tempDir(), 'import.env');
    writeFileSync(envFile, 'IMPORTED=value\n', { mode: 0o600 });
    const writes: [args: string[], stdin: string[]][] = [
      [['secret', 'add', 'api-key', 'new-one', '--header', 'X-Key', '--value-stdin'], ['new-value']],
      [['secret', 'edit', 'gh-token', '--value-stdin'], ['gh-value-3']],
      [['secret', 'restore', 'gh-token', '1'], []],
      [['secret', 'schedule-delete', 'stripe', '--confirm', 'DELETE'], []],
      [['secret', 'delete', 'stripe', '--now', '--confirm', 'DELETE'], []],
      [['member', 'add', 'bob', '--role', 'member', '--setup-code'], []],
      [['workspace', 'add', 'Backend'], []],
      [['team', 'add', 'Platform'], []],
      [['notices', '--mark-read'], []],
      [['import', envFile, '--from', 'dotenv'], []],
    ];
    for (const [args, stdin] of writes) {
      const r = await readOnly(args, ...stdin);
      expect({ args, code: r.code }).toEqual({ args, code: 8 });
      const error = errorLine(r.stderr);
      expect(ERROR_CODES).toContain(error.code);
      expect(error).toMatchObject({ code: 'LOCKED', message: expect.stringContaining('read-only') });
      expect(r.stdout).not.toContain('new-value');
    }
    expect(stateOf(vault)).toEqual(before);
    // Opened for writing again, the vault is as it was before the review.
    expect(await ok(alice(['secret', 'get', 'gh-token', '--consumer', 'after']))).toBe('gh-value-2\n');
  }, 120_000);
});
