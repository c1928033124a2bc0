import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CofferError } from '../../shared/errors';
import { exportBundle } from '../../electron/core/bundles/export';
import { PREAMBLE_BYTES, fingerprint, parsePreamble } from '../../electron/core/bundles/format';
import { importBundle } from '../../electron/core/bundles/import';
import { inspectBundle } from '../../electron/core/bundles/open';
import { registerSecret } from '../../electron/core/secrets/registration';
import { fuzzRuns } from '../support/fuzz';
import { tablesDigest } from '../support/sql';
import { newVault, useTempDir } from '../support/vault';

/** The refusals a damaged bundle may meet, each a typed error the CLI maps to its exit code. */
const REFUSALS = ['TAMPERED', 'VALIDATION', 'AUTH', 'UNSUPPORTED_VERSION'];

type Mutation = { kind: 'set'; at: number; value: number } | { kind: 'insert'; at: number; bytes: Uint8Array } | { kind: 'delete'; at: number; count: number };

/** Damaged bundles the reader is given in one run (docs/product.md §10), flips and cuts of every byte among them. */
const READER_INPUTS = fuzzRuns(10_000);

describe('bundles: every altered or truncated byte is refused, and the vault stays unchanged', () => {
  const tempDir = useTempDir();

  async function fixture(recipient: 'member' | 'passphrase') {
    const source = await newVault(tempDir(), { member: 'alice' });
    const target = await newVault(tempDir(), { member: 'bob' });
    registerSecret(source.session, { type: 'api-key', name: 'one', fields: { headerName: 'X-Key', value: 'tamper-value-1' } });
    registerSecret(source.session, { type: 'key-value', name: 'two', fields: { pairs: [{ key: 'A', value: 'tamper-value-2' }] } });
    const out = join(tempDir(), 'small.cofferbundle');
    exportBundle(source.session, {
      door: 'cli',
      out,
      selection: { kind: 'all' },
      recipients: [recipient === 'member' ? { kind: 'key', name: 'bob', boxPublic: target.session.keyPairs().boxPublic } : { kind: 'passphrase', passphrase: 'a passphrase of the test', profile: 'fast' }],
    });
    const bytes = readFileSync(out);
    const signer = fingerprint(source.session.keyPairs().signPublic);
    const probe = join(tempDir(), 'probe.cofferbundle');
    /** Imports `variant`; resolves the error code it was refused with, or null if it was accepted. */
    const attempt = async (variant: Uint8Array, opts: { trusted: boolean } = { trusted: true }): Promise<string | null> => {
      writeFileSync(probe, variant);
      try {
        await importBundle(target.session, probe, { trustedSigners: opts.trusted ? [signer] : [], passphrase: 'a passphrase of the test', strategy: 'theirs' });
        return null;
      } catch (e) {
        if (!(e instanceof CofferError)) throw e;
        expect(JSON.stringify(e)).not.toContain('tamper-value');
        return e.code;
      }
    };
    return { bytes, attempt, targetPath: target.path };
  }

  it('the untouched bundle imports (the probe works)', async () => {
    const f = await fixture('member');
    const before = tablesDigest(f.targetPath);
    expect(await f.attempt(f.bytes)).toBeNull();
    expect(tablesDigest(f.targetPath)).not.toBe(before);
  });

  it('each single-byte flip, each truncation and appended bytes (member recipient)', async () => {
    const f = await fixture('member');
    const before = tablesDigest(f.targetPath);
    for (let at = 0; at < f.bytes.length; at++) {
      const v = Uint8Array.from(f.bytes);
      v[at]! ^= 0x01;
      expect(REFUSALS, `flip at ${at}`).toContain(await f.attempt(v));
    }
    for (let len = 0; len < f.bytes.length; len++) expect(REFUSALS, `cut at ${len}`).toContain(await f.attempt(f.bytes.subarray(0, len)));
    expect(await f.attempt(Buffer.concat([f.bytes, Buffer.from([0])]))).toBe('TAMPERED');
    expect(tablesDigest(f.targetPath)).toBe(before);
  });

  // A few thousand imports of a refused bundle: long on a busy two-core machine.
  it(`several bytes changed, inserted or cut anywhere: ${READER_INPUTS} inputs with the ones above (property, member recipient)`, { timeout: 180_000 }, async () => {
    const f = await fixture('member');
    const before = tablesDigest(f.targetPath);
    // The exhaustive flips and cuts above count toward the reader's inputs; random mutations make up the rest.
    const runs = Math.max(1000, READER_INPUTS - 2 * f.bytes.length);
    const edit: fc.Arbitrary<Mutation> = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 64 }) }),
    );
    const apply = (bytes: Uint8Array, e: Mutation): Uint8Array => {
      const at = e.at % (bytes.length + 1);
      if (e.kind === 'insert') return Buffer.concat([bytes.subarray(0, at), e.bytes, bytes.subarray(at)]);
      if (e.kind === 'delete') return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + e.count)]);
      const v = Uint8Array.from(bytes);
      if (at < v.length) v[at] = e.value;
      return v;
    };
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), async (edits) => {
        const v = edits.reduce(apply, f.bytes as Uint8Array);
        if (Buffer.compare(v, f.bytes) === 0) return true;
        refused++;
        return REFUSALS.includes((await f.attempt(v)) ?? 'accepted');
      }),
      { numRuns: runs },
    );
    expect(refused).toBeGreaterThan(runs * 0.9);
    expect(tablesDigest(f.targetPath)).toBe(before);
  });

  it('any byte changed to any other value, any cut (property, passphrase recipient)', async () => {
    const f = await fixture('passphrase');
    const before = tablesDigest(f.targetPath);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: f.bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), fc.boolean(), async (at, mask, cut) => {
        const v = cut ? f.bytes.subarray(0, at) : Uint8Array.from(f.bytes);
        if (!cut) v[at]! ^= mask;
        return REFUSALS.includes((await f.attempt(v)) ?? 'accepted');
      }),
      { numRuns: 300 },
    );
    expect(tablesDigest(f.targetPath)).toBe(before);
  });

  it('a damaged header is TAMPERED before any key is tried or any signer offered trust: never AUTH', async () => {
    const f = await fixture('passphrase');
    const headerEnd = PREAMBLE_BYTES + parsePreamble(f.bytes.subarray(0, PREAMBLE_BYTES));
    const codes = new Map<string, number>();
    // After the magic and the format version: the header's length, then every byte of the header,
    // its recipients' KDF parameters, wrapped key and the signer's key among them.
    for (let at = PREAMBLE_BYTES - 4; at < headerEnd; at++) {
      const v = Uint8Array.from(f.bytes);
      v[at]! ^= 0x01;
      const trusted = await f.attempt(v);
      const untrusted = await f.attempt(v, { trusted: false });
      for (const code of [trusted, untrusted]) codes.set(code ?? 'accepted', (codes.get(code ?? 'accepted') ?? 0) + 1);
      expect([trusted, untrusted], `flip at ${at}`).not.toContain('AUTH');
    }
    expect([...codes.keys()].every((c) => c === 'TAMPERED' || c === 'VALIDATION')).toBe(true);
    // Intact, the same bundle still says who signed it and asks for trust: the check is the signature's, not a blanket refusal.
    expect(await f.attempt(f.bytes, { trusted: false })).toBe('AUTH');
  });

  it('inspect checks structure and signature without any key', async () => {
    const f = await fixture('member');
    const probe = join(tempDir(), 'inspect.cofferbundle');
    writeFileSync(probe, f.bytes);
    expect(inspectBundle(probe).items).toBe(2);
    const v = Uint8Array.from(f.bytes);
    v[v.length - 100]! ^= 0x01;
    writeFileSync(probe, v);
    expect(() => inspectBundle(probe)).toThrow(expect.objectContaining({ code: 'TAMPERED' }));
  });
});
