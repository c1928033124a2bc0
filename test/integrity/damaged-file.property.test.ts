import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CofferError } from '../../shared/errors';
import { auditProblem } from '../../electron/core/audit/verify';
import { lockedPass, sessionPass } from '../../electron/core/lifecycle/passes';
import { getSecretValue, listSecrets } from '../../electron/core/secrets/reading';
import { unreadableSecrets } from '../../electron/core/vault/damage';
import { sessionDamage } from '../../electron/core/vault/doctor';
import { Vault } from '../../electron/core/vault/vault';
import { fuzzRuns } from '../support/fuzz';
import { PASSWORDS, READS, buildTemplate } from '../support/one-cell';

/**
 * docs/product.md §1a, "Damage is reported": a vault FILE with flipped bytes or cut short, anywhere,
 * pages and header included. Whatever the damage, Coffer answers with a typed error (never INTERNAL,
 * never a plain Error), or lists every secret with its name, or names the ones it cannot read:
 * nameless in the listing, or counted under a scope whose key does not open. Nothing is lost without
 * a word.
 *
 * Two tiers, every input counted: most cases open the copy read-only and take the paths that need
 * no key (the clear facts, the locked scheduler pass, the audit log's end), a few ms each; a share
 * opens it for writing as every command does, unlocks as alice (the fast KDF alone is ~30 ms),
 * runs the unlocked pass, lists, reads every secret of hers (recording each use) and runs the
 * doctor's check. `COFFER_FUZZ_SCALE=10` (as `npm run soak` sets) runs ten times as many of each.
 */
const LOCKED_RUNS = fuzzRuns(9_750);
const UNLOCKED_RUNS = fuzzRuns(250);

interface Damage {
  flips: { at: number; xor: number }[];
  /** Bytes kept: the file cut short there. */
  keep: number | null;
}

const damageOf = (size: number): fc.Arbitrary<Damage> =>
  fc
    .record({
      flips: fc.array(fc.record({ at: fc.nat(size - 1), xor: fc.integer({ min: 1, max: 255 }) }), { maxLength: 8 }),
      // Cut short in one case of eight: a truncation refuses almost every read after it.
      keep: fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat(size - 1) }),
    })
    .filter((d) => d.flips.length > 0 || d.keep !== null);

function damaged(template: Buffer, d: Damage): Buffer {
  const b = Buffer.from(template);
  for (const f of d.flips) b[f.at]! ^= f.xor;
  return d.keep === null ? b : b.subarray(0, d.keep);
}

/** A typed failure: the door's answer, with a code a user can act on. */
function expectTyped(e: unknown, where: string): void {
  if (e instanceof CofferError && e.code !== 'INTERNAL') return;
  throw new Error(`${where}: not a typed error: ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`);
}

const ALICE_NAMES = READS.alice.map((r) => r.name!);
const EVERY_NAME = new Set(Object.values(READS).flatMap((refs) => refs.map((r) => r.name!)));

describe('a vault file with flipped bytes or cut short', () => {
  let dir = '';
  let template = Buffer.alloc(0);
  let copy = '';
  const stats = { locked: { opened: 0, refused: 0 }, unlocked: { clean: 0, named: 0, refused: 0 } };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'coffer-damaged-'));
    template = readFileSync(await buildTemplate(dir));
    copy = join(dir, 'case.coffer');
  });
  afterAll(() => {
    console.log(`damaged-file property: ${JSON.stringify(stats)}`);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes the damaged copy, runs `fn` on it, and removes it with the -wal and -shm SQLite made. */
  async function onCopy(d: Damage, fn: () => Promise<void>): Promise<void> {
    writeFileSync(copy, damaged(template, d));
    try {
      await fn();
    } finally {
      for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) rmSync(f, { force: true });
    }
  }

  it(`without a key: only typed errors (${LOCKED_RUNS} inputs)`, async () => {
    await fc.assert(
      fc.asyncProperty(damageOf(template.length), (d) =>
        onCopy(d, async () => {
          let vault: Vault | undefined;
          try {
            // Read-only (`--read-only`, `coffer doctor`): no fsync per case, which would cost ten times the reads.
            vault = await Vault.open(copy, { readOnly: true });
            vault.info();
            lockedPass(vault);
            auditProblem(vault.db);
            stats.locked.opened++;
          } catch (e) {
            expectTyped(e, 'locked');
            stats.locked.refused++;
          } finally {
            vault?.close();
          }
        }),
      ),
      { numRuns: LOCKED_RUNS },
    );
    expect(stats.locked.opened + stats.locked.refused).toBe(LOCKED_RUNS);
  }, 600_000);

  it(`unlocked: every secret listed by its name, or named unreadable (${UNLOCKED_RUNS} inputs)`, async () => {
    await fc.assert(
      fc.asyncProperty(damageOf(template.length), (d) =>
        onCopy(d, async () => {
          let vault: Vault | undefined;
          try {
            vault = await Vault.open(copy);
            lockedPass(vault);
            const s = await vault.unlock('alice', PASSWORDS.alice);
            sessionPass(s);
            const items = listSecrets(s).items;
            const listed = items.filter((i) => !i.tampered).map((i) => i.name);
            for (const name of listed) expect(EVERY_NAME, 'a name the template never had').toContain(name);
            const missing = ALICE_NAMES.filter((n) => !listed.includes(n));
            const named = items.filter((i) => i.tampered).length + unreadableSecrets(s);
            expect(named, `missing without a word: ${missing.join(', ')}`).toBeGreaterThanOrEqual(missing.length);
            for (const ref of READS.alice) {
              try {
                getSecretValue(s, ref, { use: { door: 'cli', how: 'print' } });
              } catch (e) {
                expectTyped(e, `get ${ref.name}`);
              }
            }
            sessionDamage(s);
            s.lock();
            if (missing.length === 0) stats.unlocked.clean++;
            else stats.unlocked.named++;
          } catch (e) {
            expectTyped(e, 'unlocked');
            stats.unlocked.refused++;
          } finally {
            vault?.close();
          }
        }),
      ),
      { numRuns: UNLOCKED_RUNS },
    );
    expect(stats.unlocked.clean + stats.unlocked.named + stats.unlocked.refused).toBe(UNLOCKED_RUNS);
  }, 600_000);
});
