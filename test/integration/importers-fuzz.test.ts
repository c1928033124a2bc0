import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CofferError } from '../../shared/errors';
import { importForeign } from '../../electron/core/bundles/import-foreign';
import type { ForeignFormat } from '../../electron/core/bundles/importers/foreign';
import type { Session } from '../../electron/core/vault/session';
import { newVault, useTempDir } from '../support/vault';

const FIXTURES = join(__dirname, '../fixtures/importers');
const RUNS = 2000;
/** One mutated file in this many is imported for real; the others are dry runs, which plan and validate the same way. */
const REAL_EVERY = 25;

type Mutation = { kind: 'flip'; at: number; bit: number } | { kind: 'cut'; at: number } | { kind: 'insert'; at: number; text: string } | { kind: 'drop'; at: number; len: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom('"', '\n', '\r\n', ',', '=', '""', '\u0000', '#', "'", '"\n"', 'export ', '\uFEFF', '🔑', '/', '<', '>', '&', '{', '}', ']', '\\') }),
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
);

function mutate(base: Buffer, ops: Mutation[]): Buffer {
  let b = Buffer.from(base);
  for (const op of ops) {
    const at = b.length ? op.at % (b.length + 1) : 0;
    if (op.kind === 'flip' && b.length) b[at % b.length]! ^= 1 << op.bit;
    else if (op.kind === 'cut') b = b.subarray(0, at);
    else if (op.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(op.text), b.subarray(at)]);
    else if (op.kind === 'drop') b = Buffer.concat([b.subarray(0, at), b.subarray(at + op.len)]);
  }
  return b;
}

/** Rows per table: a failed import must leave every count as it was (the core test compares whole digests). */
function counts(s: Session): string {
  const tables = s.db.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
  return tables.map((t) => `${t.name}:${s.db.count(`SELECT count(*) FROM "${t.name}"`)}`).join(',');
}

describe('importers fuzzed: mutated files import or fail with a CofferError, and a failure writes nothing', () => {
  const tmp = useTempDir();

  it.each([
    ['keepassxc-csv', 'keepassxc.csv'],
    ['1password-csv', '1password.csv'],
    ['dotenv', 'app.env'],
    ['keepass-xml', 'keepass-full.xml'],
    ['bitwarden-json', 'bitwarden-personal.json'],
  ] as const)('%s', async (format: ForeignFormat, fixture) => {
    const dir = tmp();
    const { session } = await newVault(dir);
    const base = readFileSync(join(FIXTURES, fixture));
    const file = join(dir, fixture);
    let run = 0;
    let failed = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), async (ops, split) => {
        writeFileSync(file, mutate(base, ops));
        const dryRun = run++ % REAL_EVERY !== 0;
        const before = dryRun ? '' : counts(session);
        try {
          const r = await importForeign(session, file, { format, dryRun, split: format === 'dotenv' && split, strategy: 'both' });
          expect(r.items.length + r.skipped.length).toBeGreaterThanOrEqual(0);
        } catch (e) {
          if (!(e instanceof CofferError)) throw e;
          failed++;
          if (!dryRun) expect(counts(session)).toBe(before);
        }
      }),
      { numRuns: RUNS },
    );
    // The mutations reach both outcomes, or the property proves little.
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(RUNS);
  }, 60_000);
});
