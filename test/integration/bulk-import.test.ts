import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type * as Aside from '../../electron/core/secrets/certificates-aside';
import { getSecretValue, listSecrets, registerSecrets } from '../../electron/core/secrets/secrets';
import { addMember, removeMember } from '../../electron/core/vault/members';
import type { RegisterSecretInput } from '../../shared/schemas/secrets';
import { file } from '../support/certs';
import { useCertFixtures } from '../support/fixtures';
import { tablesDigest } from '../support/sql';
import { newVault, useTempDir } from '../support/vault';

const key = (name: string): RegisterSecretInput => ({ type: 'api-key', name, fields: { headerName: 'X-Key', value: `value of ${name}` } });

describe('bulk import (registerSecrets)', () => {
  const tempDir = useTempDir();
  const fixtures = useCertFixtures();
  const certificate = (name: string, withKey: boolean, bytes?: Buffer): RegisterSecretInput => {
    const fx = fixtures();
    return {
      type: 'certificate',
      name,
      fields: { certificate: file('site.pem', bytes ?? fx.pem), ...(withKey ? { privateKey: file('site.key', fx.key) } : {}) },
    };
  };

  it('registers every item, certificates included, in one transaction', async () => {
    const { session } = await newVault(tempDir());
    const inputs = [key('a'), certificate('tls', true), key('b'), certificate('tls-bare', false)];
    expect(await registerSecrets(session, inputs)).toBe(4);
    expect(listSecrets(session).items.map((i) => [i.name, i.type, i.expires])).toEqual([
      ['a', 'api-key', null],
      ['b', 'api-key', null],
      ['tls', 'certificate', fixtures().notAfter],
      ['tls-bare', 'certificate', fixtures().notAfter],
    ]);
    expect(getSecretValue(session, { name: 'b' }, { consumer: 'test' }).value).toBe('value of b');
  });

  it('writes nothing when one item is invalid, and names the first invalid item by its position', async () => {
    const { session, vault } = await newVault(tempDir());
    const before = tablesDigest(vault.path);
    // Item 1 is a damaged certificate (read aside), item 2 a nameless key (read in order): 1 is reported.
    const inputs = [key('a'), certificate('broken', false, fixtures().corrupt), { ...key('x'), name: '' }, key('d')];
    await expect(registerSecrets(session, inputs)).rejects.toMatchObject({ code: 'VALIDATION', field: '1.certificate', message: expect.stringMatching(/^item 2: /) });
    await expect(registerSecrets(session, [key('a'), { ...key('x'), name: '' }, certificate('broken', false, fixtures().corrupt)])).rejects.toMatchObject({
      field: '1.name',
    });
    expect(tablesDigest(vault.path)).toBe(before);
    expect(listSecrets(session).total).toBe(0);
  });

  it('writes nothing when a key is rotated while the import is being prepared', async () => {
    const { session, vault } = await newVault(tempDir());
    addMember(session, { name: 'bob', role: 'member', password: 'bob-password-1' });
    const before = tablesDigest(vault.path);
    const org = (name: string): RegisterSecretInput => ({ ...key(name), level: 'organization' });
    // The preparation waits for its certificates once the other items are sealed: removing bob
    // then rotates the organization key those items' data keys were wrapped under.
    queueMicrotask(() => removeMember(session, 'bob'));
    await expect(registerSecrets(session, [org('a'), certificate('tls', false), org('b')])).rejects.toMatchObject({ code: 'CONFLICT', field: '0' });
    const rotated = tablesDigest(vault.path);
    expect(rotated).not.toBe(before);
    expect(listSecrets(session).total).toBe(0);
    // Run again, it is sealed under the new key and reads back.
    expect(await registerSecrets(session, [org('a'), certificate('tls', false), org('b')])).toBe(3);
    expect(getSecretValue(session, { name: 'b' }, { consumer: 'test' }).value).toBe('value of b');
  });

  it('reads certificates on a second thread exactly as inline (the compiled worker)', async () => {
    // The worker runs compiled code: this test loads the build `npm test` makes first.
    const aside = (await import(join(process.cwd(), 'dist/electron/core/secrets/certificates-aside.js'))) as typeof Aside;
    const fx = fixtures();
    const files = Array.from({ length: 40 }, (_, i) => ({
      certificate: file(i % 2 ? 'site.der' : 'site.pem', i % 2 ? fx.der : fx.pem),
      ...(i % 3 === 0 ? { privateKey: file('site.key', i % 5 === 0 ? fx.otherKey : fx.key) } : {}),
    }));
    const read = await aside.readCertificatesAside(files);
    expect(read).toEqual(files.map(aside.readCertificateFiles));
    // The thread itself answers (readCertificatesAside would quietly read inline if it could not start).
    const worker = new Worker(join(process.cwd(), 'dist/electron/core/secrets/certificate-worker.js'));
    const fromThread = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.postMessage(files);
    });
    await worker.terminate();
    expect(fromThread).toEqual(read);
    expect(read.filter((r) => 'error' in r)).toEqual(
      files.filter((_, i) => i % 3 === 0 && i % 5 === 0).map(() => ({ error: { code: 'VALIDATION', message: 'the private key does not match the certificate', field: 'privateKey' } })),
    );
  });
});
