import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readCertificate } from '../../electron/core/secrets/certificate';
import { getSecretValue, showSecret } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { editSecret, secretHistory } from '../../electron/core/secrets/revisions';
import { file } from '../support/certs';
import { useCertFixtures } from '../support/fixtures';
import { newVault, useTempDir } from '../support/vault';

const invalid = (field: string) => expect.objectContaining({ code: 'VALIDATION', field });

describe('reading a certificate file', () => {
  const fixtures = useCertFixtures();

  it('takes the expiry from notAfter, and the subject, issuer and fingerprint from the certificate', () => {
    const fx = fixtures();
    const c = readCertificate({ fileName: 'site.pem', bytes: fx.pem }, { fileName: 'site.key', bytes: fx.key });
    const x509 = new X509Certificate(fx.pem);
    expect(c.notAfter).toBe(fx.notAfter);
    expect(c.notAfter - c.notBefore).toBe(30 * 24 * 60 * 60 * 1000);
    expect(c.subject).toContain('CN=api.example.com');
    expect(c.issuer).toBe(c.subject);
    expect(c.fingerprint256).toBe(x509.fingerprint256);
    expect(c.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('reads DER as it reads PEM', () => {
    const fx = fixtures();
    const pem = readCertificate({ fileName: 'site.pem', bytes: fx.pem }, null);
    const der = readCertificate({ fileName: 'site.der', bytes: fx.der }, null);
    expect(der).toEqual(pem);
    expect(der.certificate).toBe(fx.pem.toString());
  });

  it('reads a DER (PKCS#8) private key as it reads PEM', () => {
    const fx = fixtures();
    const fromPem = readCertificate({ fileName: 'site.pem', bytes: fx.pem }, { fileName: 'site.key', bytes: fx.key });
    const fromDer = readCertificate({ fileName: 'site.pem', bytes: fx.pem }, { fileName: 'site-der.key', bytes: fx.keyDer });
    expect(fromDer.privateKey).toBe(fromPem.privateKey);
  });

  it('reads an expired certificate: its expiry is its notAfter, in the past', () => {
    const fx = fixtures();
    const c = readCertificate({ fileName: 'old.pem', bytes: fx.expiredPem }, { fileName: 'old.key', bytes: fx.expiredKey });
    expect(c.notAfter).toBe(Date.parse('2021-01-01T00:00:00Z'));
    expect(c.notAfter).toBe(fx.expiredNotAfter);
    expect(c.notBefore).toBe(Date.parse('2020-01-01T00:00:00Z'));
  });

  it('refuses a key that does not match, a corrupt certificate, a key file not named .key and a damaged key', () => {
    const fx = fixtures();
    const cert = { fileName: 'site.pem', bytes: fx.pem };
    expect(() => readCertificate(cert, { fileName: 'other.key', bytes: fx.otherKey })).toThrow(invalid('privateKey'));
    expect(() => readCertificate({ fileName: 'bad.pem', bytes: fx.corrupt }, null)).toThrow(invalid('certificate'));
    expect(() => readCertificate({ fileName: 'notes.txt', bytes: Buffer.from('hello') }, null)).toThrow(invalid('certificate'));
    expect(() => readCertificate(cert, { fileName: 'site.pem', bytes: fx.key })).toThrow(invalid('privateKey'));
    expect(() => readCertificate(cert, { fileName: 'site.key', bytes: fx.key.subarray(0, 60) })).toThrow(invalid('privateKey'));
  });
});

describe('certificate secrets', () => {
  const tempDir = useTempDir();
  const fixtures = useCertFixtures();

  it('register with their expiry read from the certificate; get gives the PEM and, when asked, the key', async () => {
    const fx = fixtures();
    const { session } = await newVault(tempDir());
    const s = registerSecret(session, { type: 'certificate', name: 'TLS', fields: { certificate: file('site.der', fx.der), privateKey: file('site.key', fx.key) } });
    expect(s.expires).toBe(fx.notAfter);
    const got = getSecretValue(session, { name: 'TLS' }, { use: { door: 'cli', how: 'print' } });
    expect(got.field).toBe('certificate');
    expect(got.value).toBe(fx.pem.toString());
    const key = getSecretValue(session, { name: 'TLS' }, { use: { door: 'cli', how: 'print' }, field: 'privateKey' }).value;
    expect(createPrivateKey(key).equals(createPrivateKey(fx.key))).toBe(true);
    const shown = showSecret(session, { name: 'TLS' });
    expect(shown.fields.find((f) => f.key === 'privateKey')).toMatchObject({ secret: true, value: null });
    expect(shown.fields.find((f) => f.key === 'notAfter')!.value).toBe(new Date(fx.notAfter).toISOString());
    expect(JSON.stringify(shown)).not.toContain('PRIVATE KEY');
  });

  it('register an expired certificate with its past expiry', async () => {
    const fx = fixtures();
    const { session } = await newVault(tempDir());
    const s = registerSecret(session, { type: 'certificate', name: 'Old', fields: { certificate: file('old.pem', fx.expiredPem) } });
    expect(s.expires).toBe(Date.parse('2021-01-01T00:00:00Z'));
  });

  it('refuse a mismatching key on privateKey, a corrupt file on certificate, and a typed expiry on expires', async () => {
    const fx = fixtures();
    const { session } = await newVault(tempDir());
    expect(() =>
      registerSecret(session, { type: 'certificate', name: 'TLS', fields: { certificate: file('site.pem', fx.pem), privateKey: file('other.key', fx.otherKey) } }),
    ).toThrow(invalid('privateKey'));
    expect(() => registerSecret(session, { type: 'certificate', name: 'TLS', fields: { certificate: file('bad.pem', fx.corrupt) } })).toThrow(invalid('certificate'));
    expect(() =>
      registerSecret(session, { type: 'certificate', name: 'TLS', expires: '2030-01-01', fields: { certificate: file('site.pem', fx.pem) } }),
    ).toThrow(invalid('expires'));
    expect(() =>
      registerSecret(session, { type: 'certificate', name: 'TLS', fields: { certificate: file('site.pem', fx.pem), privateKey: file('site.pem', fx.key) } }),
    ).toThrow(invalid('privateKey'));
  });

  it('edit: a renewal keeps the stored key, a new certificate with another key needs that key, and the expiry follows', async () => {
    const fx = fixtures();
    const { session } = await newVault(tempDir());
    const ref = { name: 'TLS' };
    registerSecret(session, { type: 'certificate', name: 'TLS', fields: { certificate: file('site.pem', fx.pem), privateKey: file('site.key', fx.key) } });

    const renewed = editSecret(session, { ref, fields: { certificate: file('renewed.pem', fx.renewedPem) } });
    expect(renewed).toMatchObject({ revision: 2, expires: fx.renewedNotAfter });
    const kept = getSecretValue(session, ref, { use: { door: 'cli', how: 'print' }, field: 'privateKey' }).value;
    expect(createPrivateKey(kept).equals(createPrivateKey(fx.key))).toBe(true);
    expect(getSecretValue(session, ref, { use: { door: 'cli', how: 'print' } }).value).toBe(fx.renewedPem.toString());

    expect(() => editSecret(session, { ref, fields: { certificate: file('other.pem', fx.otherPem) } })).toThrow(invalid('privateKey'));
    expect(() => editSecret(session, { ref, fields: { privateKey: file('other.key', fx.otherKey) } })).toThrow(invalid('privateKey'));
    expect(() => editSecret(session, { ref, expires: '2030-01-01' })).toThrow(invalid('expires'));

    const replaced = editSecret(session, { ref, fields: { certificate: file('other.pem', fx.otherPem), privateKey: file('other.key', fx.otherKey) } });
    expect(replaced).toMatchObject({ revision: 3, expires: fx.otherNotAfter });
    const key = getSecretValue(session, ref, { use: { door: 'cli', how: 'print' }, field: 'privateKey' }).value;
    expect(createPrivateKey(key).equals(createPrivateKey(fx.otherKey))).toBe(true);

    const keyless = editSecret(session, { ref, fields: { privateKey: null } });
    expect(keyless.revision).toBe(4);
    expect(showSecret(session, ref).fields.map((f) => f.key)).not.toContain('privateKey');
    expect(() => editSecret(session, { ref, fields: { value: 'x' } })).toThrow(invalid('value'));

    expect(secretHistory(session, ref).map((h) => [h.revision, h.changed])).toEqual([
      [4, ['privateKey']],
      [3, ['certificate', 'privateKey', 'expires']],
      [2, ['certificate', 'expires']],
      [1, []],
    ]);
  });
});
