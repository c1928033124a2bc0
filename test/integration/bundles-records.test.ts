import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, FORMAT_VERSION, fingerprint, toB64 } from '../../electron/core/bundles/format';
import type { BundleHeader } from '../../electron/core/bundles/format';
import { importBundle } from '../../electron/core/bundles/import';
import { registerSecret } from '../../electron/core/secrets/registration';
import { BundleWriter } from '../../electron/core/bundles/writer';
import { sealTo } from '../../electron/core/crypto/keys';
import type { Session } from '../../electron/core/vault/session';
import { tablesDigest } from '../support/sql';
import { newVault, useTempDir } from '../support/vault';

/** A bundle written record by record, as a member's own (or a hostile) exporter could: signed and sealed properly. */
function craft(path: string, signer: Session, to: Session, records: unknown[]): void {
  const bodyKey = new Uint8Array(32).fill(7);
  const header: BundleHeader = {
    format: 'coffer-bundle',
    version: FORMAT_VERSION,
    id: 'crafted',
    created: 0,
    organization: 'Acme',
    selection: 'crafted',
    items: records.length,
    chunkBytes: CHUNK_BYTES,
    signer: { name: signer.member.login, signPublic: toB64(signer.keyPairs().signPublic) },
    recipients: [{ kind: 'member', name: to.member.login, boxPublic: toB64(to.keyPairs().boxPublic), sealedKey: toB64(sealTo(to.keyPairs().boxPublic, bodyKey)) }],
  };
  const w = new BundleWriter(path, header, bodyKey);
  for (const r of records) w.add(r);
  w.finish(signer.keyPairs().signSecret);
}

describe('bundles: records are validated like any registration', () => {
  const tempDir = useTempDir();

  it('a signed bundle with an invalid secret is refused naming the item and field; nothing is written, dry run included', async () => {
    const a = await newVault(tempDir(), { member: 'alice' });
    const b = await newVault(tempDir(), { member: 'bob' });
    const path = join(tempDir(), 'crafted.cofferbundle');
    const good = { type: 'api-key', name: 'good', level: 'personal', fields: { headerName: 'X-Key', value: 'v-1' }, created: 1, updated: 1 };
    const bad = { type: 'api-key', name: 'bad', level: 'personal', fields: { headerName: 'not a header', value: 'v-2' }, created: 1, updated: 1 };
    craft(path, a.session, b.session, [good, bad]);
    const trusted = { trustedSigners: [fingerprint(a.session.keyPairs().signPublic)] };
    const before = tablesDigest(b.path);
    for (const dryRun of [true, false]) {
      await expect(importBundle(b.session, path, { ...trusted, dryRun })).rejects.toThrow(
        expect.objectContaining({ code: 'VALIDATION', field: 'headerName', message: expect.stringMatching(/^item 2 of the bundle: /) }),
      );
    }
    const untimed = join(tempDir(), 'untimed.cofferbundle');
    craft(untimed, a.session, b.session, [{ ...good, created: 'yesterday' }]);
    await expect(importBundle(b.session, untimed, trusted)).rejects.toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(tablesDigest(b.path)).toBe(before);
  });

  it('a bundle naming the same secret twice is refused', async () => {
    const a = await newVault(tempDir(), { member: 'alice' });
    const b = await newVault(tempDir(), { member: 'bob' });
    const path = join(tempDir(), 'twice.cofferbundle');
    const one = { type: 'api-key', name: 'Same', level: 'personal', fields: { headerName: 'X-Key', value: 'v-1' }, created: 1, updated: 1 };
    craft(path, a.session, b.session, [one, { ...one, name: 'same ' }]);
    await expect(importBundle(b.session, path, { trustedSigners: [fingerprint(a.session.keyPairs().signPublic)] })).rejects.toThrow(
      expect.objectContaining({ code: 'VALIDATION', message: expect.stringMatching(/item 2 of the bundle: .*twice/) }),
    );
  });

  it('an import is one transaction from comparison to write: nothing slips in between', async () => {
    const a = await newVault(tempDir(), { member: 'alice' });
    const b = await newVault(tempDir(), { member: 'bob' });
    const path = join(tempDir(), 'raced.cofferbundle');
    craft(path, a.session, b.session, [{ type: 'api-key', name: 'incoming', level: 'personal', fields: { headerName: 'X-Key', value: 'v-1' }, created: 1, updated: 1 }]);
    const pending = importBundle(b.session, path, { trustedSigners: [fingerprint(a.session.keyPairs().signPublic)] });
    // Called before the import is awaited, this write still comes after it: the name is already taken.
    expect(() => registerSecret(b.session, { type: 'api-key', name: 'incoming', fields: { headerName: 'X-Key', value: 'v-2' } })).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    );
    expect((await pending).counts).toMatchObject({ added: 1 });
  });
});
