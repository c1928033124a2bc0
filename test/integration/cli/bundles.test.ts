import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportBundle } from '../../../electron/core/bundles/export';
import { fingerprint } from '../../../electron/core/bundles/format';
import { registerSecrets } from '../../../electron/core/secrets/registration';
import { file } from '../../support/certs';
import { useCertFixtures } from '../../support/fixtures';
import { newVault } from '../../support/vault';
import { coffer, errorLine, initVault, ok, useTempDirs } from './run';

const PASSPHRASE = 'the bundle passphrase';

describe('coffer export, inspect and import', () => {
  const tmp = useTempDirs();
  const fixtures = useCertFixtures();

  it('moves a workspace to another vault by passphrase: inspect, refused signer, dry run, import', async () => {
    const dir = tmp();
    const alice = await initVault(join(dir, 'a.coffer'));
    await ok(alice(['workspace', 'add', 'Backend']));
    await ok(alice(['secret', 'add', 'api-key', 'stripe', '--level', 'workspace', '--workspace', 'Backend', '--header', 'X-Key', '--value-stdin'], 'sk_cli_bundle_1'));
    await ok(alice(['secret', 'add', 'key-value', 'env', '--level', 'workspace', '--workspace', 'Backend', '--kv', 'DB_PASS'], 'kv-cli-bundle-2'));
    const bundle = join(dir, 'backend.cofferbundle');
    const exported = await alice(['export', '--out', bundle, '--workspace', 'Backend', '--passphrase'], PASSPHRASE);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(/Exported 2 secret\(s\) to .*backend\.cofferbundle/);
    expect(readFileSync(bundle).includes(Buffer.from('sk_cli_bundle_1'))).toBe(false);

    const info = JSON.parse(await ok(coffer(['--json', 'inspect', bundle], { env: { COFFER_VAULT: join(dir, 'none.coffer') } })));
    expect(info).toMatchObject({ items: 2, selection: 'workspace Backend', signer: { name: 'alice', member: null }, recipients: [{ kind: 'passphrase', kdfProfile: 'fast' }] });

    const bob = await initVault(join(dir, 'b.coffer'), { member: 'bob' });
    await ok(bob(['workspace', 'add', 'Backend']));
    const refused = await bob(['import', bundle], PASSPHRASE);
    expect(refused.code).toBe(3);
    expect(errorLine(refused.stderr)).toMatchObject({ code: 'AUTH', field: 'signer' });

    const trust = ['--trust-signer', info.signer.fingerprint as string];
    const dry = await ok(bob(['import', bundle, '--dry-run', ...trust], PASSPHRASE));
    expect(dry).toMatch(/2 added, 0 changed, 0 conflicting, 0 unchanged/);
    expect(dry).toMatch(/nothing was written/);
    expect((await bob(['secret', 'get', 'stripe'])).code).toBe(5);

    const imported = JSON.parse(await ok(bob(['--json', 'import', bundle, ...trust], PASSPHRASE)));
    expect(imported.applied).toEqual({ added: 2, revised: 0, copies: 0, kept: 0 });
    expect(await ok(bob(['secret', 'get', 'stripe']))).toBe('sk_cli_bundle_1\n');
    expect(await ok(bob(['secret', 'get', 'env', '--field', 'DB_PASS']))).toBe('kv-cli-bundle-2\n');
    // The same bundle again writes nothing, and its first line says so.
    const again = await ok(bob(['import', bundle, ...trust], PASSPHRASE));
    expect(again).toMatch(/^Compared 2 secret\(s\) from alice's bundle/);
    expect(again).toMatch(/0 added, 0 changed, 0 conflicting, 2 unchanged/);

    const wrong = await bob(['import', bundle, ...trust], 'not the passphrase');
    expect(wrong.code).toBe(3);
    expect(errorLine(wrong.stderr)).toMatchObject({ code: 'AUTH', field: 'passphrase' });
  });

  it('refuses an unknown credential recipient (exit 5) and a tampered bundle (exit 4)', async () => {
    const dir = tmp();
    const alice = await initVault(join(dir, 'a.coffer'));
    await ok(alice(['secret', 'add', 'api-key', 'k', '--header', 'X-Key', '--value-stdin'], 'v-cli-3'));
    const bundle = join(dir, 'k.cofferbundle');
    const credential = await alice(['export', '--out', bundle, '--to', 'credential:abc']);
    expect(credential.code).toBe(5);
    expect(errorLine(credential.stderr)).toMatchObject({ code: 'NOT_FOUND', field: 'to' });
    await ok(alice(['export', '--out', bundle, '--to', 'member:alice']));
    const bytes = readFileSync(bundle);
    bytes[bytes.length - 80]! ^= 0x01;
    writeFileSync(bundle, bytes);
    const r = await alice(['import', bundle, '--strategy', 'theirs']);
    expect(r.code).toBe(4);
    expect(errorLine(r.stderr).code).toBe('TAMPERED');
    expect((await alice(['inspect', bundle])).code).toBe(4);
  });

  it('imports a bundle of 40 certificates, read ahead on the compiled CLI\'s second thread', async () => {
    const dir = tmp();
    const fx = fixtures();
    // The source vault is made in-process (40 CLI runs would be slow); the import is the real CLI.
    const alice = await newVault(dir);
    const certificates = Array.from({ length: 40 }, (_, i) => ({
      type: 'certificate' as const,
      name: `tls-${i}`,
      fields: i % 2 ? { certificate: file('site.pem', fx.pem), privateKey: file('site.key', fx.key) } : { certificate: file('site.der', fx.der) },
    }));
    await registerSecrets(alice.session, certificates);
    const bundle = join(dir, 'certs.cofferbundle');
    exportBundle(alice.session, { door: 'cli', out: bundle, selection: { kind: 'all' }, recipients: [{ kind: 'passphrase', passphrase: PASSPHRASE, profile: 'fast' }] });
    const signer = fingerprint(alice.session.keyPairs().signPublic);

    const bob = await initVault(join(dir, 'b.coffer'), { member: 'bob' });
    const imported = JSON.parse(await ok(bob(['--json', 'import', bundle, '--trust-signer', signer], PASSPHRASE)));
    expect(imported.applied).toEqual({ added: 40, revised: 0, copies: 0, kept: 0 });
    const listed = JSON.parse(await ok(bob(['secret', 'list', '--json']))) as { name: string; type: string; expires: string | null }[];
    expect(listed).toHaveLength(40);
    expect(listed.every((s) => s.type === 'certificate' && s.expires === new Date(fx.notAfter).toISOString())).toBe(true);
    expect(await ok(bob(['secret', 'get', 'tls-7', '--field', 'privateKey']))).toContain('BEGIN PRIVATE KEY');
  });
});
