import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { CoreContext } from '../../electron/core/context';
import { Vault } from '../../electron/core/vault/vault';

export const PASSWORD = 'correct horse battery staple';

/** A temp folder removed after each test. */
export function useTempDir(): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), 'coffer-test-'));
    dirs.push(d);
    return d;
  };
}

/** A settable clock for lifecycle and ordering tests. */
export function fakeClock(start = Date.parse('2026-11-25T12:00:00Z')): CoreContext['clock'] & { set(ms: number): void; advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    set: (ms) => {
      now = ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

export async function newVault(dir: string, opts: { context?: Partial<CoreContext>; org?: string; member?: string } = {}) {
  const path = join(dir, 'test.coffer');
  const vault = await Vault.create(path, { org: opts.org ?? 'Acme', member: opts.member ?? 'alice', password: PASSWORD, kdf: 'fast' }, { context: opts.context });
  const session = await vault.unlock(undefined, PASSWORD);
  return { path, vault, session };
}
