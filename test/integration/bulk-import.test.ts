import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type * as Ahead from '../../electron/core/secrets/certificates-ahead';
import { getSecretValue, listSecrets } from '../../electron/core/secrets/reading';
import { registerSecrets } from '../../electron/core/secrets/registration';
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
    expect(getSecretValue(session, { name: 'b' }, { use: { door: 'cli', how: 'print' } }).value).toBe('value of b');
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

  it('reads certificates on a second thread exactly as inline (the compiled worker), the caller sharing the work', async () => {
    // The worker runs compiled code: this test loads the build `npm test` makes first.
    const ahead = (await import(join(process.cwd(), 'dist/electron/core/secrets/certificates-ahead.js'))) as typeof Ahead;
    const fx = fixtures();
    const files = Array.from({ length: 40 }, (_, i) => ({
      certificate: file(i % 2 ? 'site.der' : 'site.pem', i % 2 ? fx.der : fx.pem),
      ...(i % 3 === 0 ? { privateKey: file('site.key', i % 5 === 0 ? fx.otherKey : fx.key) } : {}),
    }));
    const inline = files.map(ahead.readCertificateFiles);
    expect(inline.filter((r) => 'error' in r)).toEqual(
      files.filter((_, i) => i % 3 === 0 && i % 5 === 0).map(() => ({ error: { code: 'VALIDATION', message: 'the private key does not match the certificate', field: 'privateKey' } })),
    );

    // Left alone, the thread reads all of them before they are asked for.
    const idle = new ahead.CertificatesAhead();
    const tickets = files.map((f) => idle.add(f));
    idle.take(0);
    for (let waited = 0; idle.readByThread + 1 < files.length && waited < 20_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    expect(idle.readByThread).toBeGreaterThanOrEqual(files.length - 1);
    expect([inline[0], ...tickets.slice(1).map((t) => idle.take(t))]).toEqual(inline);
    idle.close();

    // Asked for at once, the caller reads what the thread has not claimed: every outcome still arrives, once, in order.
    const busy = new ahead.CertificatesAhead();
    const again = files.map((f) => busy.add(f)).map((t) => busy.take(t));
    busy.close();
    expect(again).toEqual(inline);

    // Read here before the thread starts (fewer than its threshold queued): the thread, started later, takes over the rest.
    const late = new ahead.CertificatesAhead();
    const early = files.slice(0, 10).map((f) => late.take(late.add(f)));
    const rest = files.slice(10).map((f) => late.add(f));
    const next = late.take(rest[0]!);
    for (let waited = 0; late.readByThread + 1 < rest.length && waited < 20_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    expect([...early, next, ...rest.slice(1).map((t) => late.take(t))]).toEqual(inline);
    expect(late.readByThread).toBeLessThanOrEqual(rest.length);
    expect(late.readByThread).toBeGreaterThanOrEqual(rest.length - 1);
    late.close();
  });
});
