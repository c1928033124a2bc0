import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../shared/dotenv';
import { listAudit } from '../../electron/core/audit/log';
import { exportPlain } from '../../electron/core/bundles/plain-export';
import { envName } from '../../electron/core/bundles/plain-formats';
import { registerSecret } from '../../electron/core/secrets/registration';
import { secretUsage } from '../../electron/core/secrets/reading';
import { addWorkspace } from '../../electron/core/vault/structure';
import { file } from '../support/certs';
import { useCertFixtures } from '../support/fixtures';
import { fakeClock, newVault, useTempDir } from '../support/vault';

const CREATED = Date.parse('2026-11-25T12:00:00Z');
const mode = (path: string) => statSync(path).mode & 0o777;

describe('plain export: values in clear, in env, JSON or KeePassXC CSV', () => {
  const tempDir = useTempDir();
  const certs = useCertFixtures();

  /** A workspace holding one secret of each type, and an organization secret outside it. */
  async function fixture() {
    const dir = tempDir();
    const clock = fakeClock(CREATED);
    const v = await newVault(dir, { context: { clock } });
    addWorkspace(v.session, 'Payments');
    const ws = { level: 'workspace' as const, workspace: 'Payments' };
    registerSecret(v.session, { type: 'api-key', name: 'Stripe key', ...ws, expires: '2027-06-30', fields: { headerName: 'X-API-Key', value: 'plain-value-1' } });
    clock.advance(1000);
    registerSecret(v.session, { type: 'bearer-token', name: 'gh-ci', ...ws, fields: { headerName: 'Authorization', headerValue: 'Bearer plain-value-2' } });
    registerSecret(v.session, {
      type: 'client-credentials',
      name: 'Auth0',
      ...ws,
      fields: { clientId: 'client-7', url: 'https://auth.example.com/oauth/token', clientSecret: 'plain "value" 3' },
    });
    registerSecret(v.session, { type: 'certificate', name: 'api cert', ...ws, fields: { certificate: file('c.pem', certs().pem), privateKey: file('c.key', certs().key) } });
    registerSecret(v.session, { type: 'key-value', name: 'env', ...ws, fields: { pairs: [{ key: 'DB_HOST', value: 'db.internal' }, { key: 'DB_PASS', value: 'plain value 5\nline 2' }] } });
    registerSecret(v.session, { type: 'api-key', name: 'Org key', level: 'organization', fields: { headerName: 'X-Key', value: 'plain-value-6' } });
    return { dir, v };
  }

  it('makes a secret name a variable name', () => {
    expect(['Stripe key', 'gh-ci', 'api.example.com', 'Clé d’API', '2fa seed', '--x--'].map(envName)).toEqual(['STRIPE_KEY', 'GH_CI', 'API_EXAMPLE_COM', 'CLE_D_API', '_2FA_SEED', 'X']);
  });

  it('env: main values under their names, key/value sets as their pairs; 0600; each read a use; one audit entry', async () => {
    const { dir, v } = await fixture();
    const out = join(dir, 'payments.env');
    const r = exportPlain(v.session, { door: 'cli', out, format: 'env', selection: { kind: 'workspace', name: 'Payments' } });
    expect(r).toEqual({ path: out, format: 'env', items: 5 });
    const pem = certs().pem.toString().replace(/\n/g, '\\n');
    expect(readFileSync(out, 'utf8')).toBe(
      [
        'STRIPE_KEY=plain-value-1',
        'GH_CI="Bearer plain-value-2"',
        'AUTH0="plain \\"value\\" 3"',
        `API_CERT="${pem}"`,
        'DB_HOST=db.internal',
        'DB_PASS="plain value 5\\nline 2"',
        '',
      ].join('\n'),
    );
    // What Coffer's own .env reader makes of it is what was exported.
    expect(parseDotenv(readFileSync(out, 'utf8')).find((p) => p.key === 'DB_PASS')?.value).toBe('plain value 5\nline 2');
    expect(mode(out)).toBe(0o600);
    expect(secretUsage(v.session, { name: 'Stripe key' }).entries.map((e) => e.consumer)).toEqual(['alice · CLI · export (plain)']);
    expect(secretUsage(v.session, { name: 'Org key' }).entries).toEqual([]);
    expect(listAudit(v.session.db, { action: 'secret.export' }).map((e) => e.target)).toEqual(['plaintext env: 5 secret(s)']);
  });

  it('json: an array of name, type, level, workspace, expires and every field', async () => {
    const { dir, v } = await fixture();
    const out = join(dir, 'named.json');
    exportPlain(v.session, { door: 'cli', out, format: 'json', selection: { kind: 'secrets', names: ['Stripe key', 'Org key', 'env'] } });
    const text = readFileSync(out, 'utf8');
    expect(text).toBe(
      `${JSON.stringify(
        [
          { name: 'Stripe key', type: 'api-key', level: 'workspace', workspace: 'Payments', expires: '2027-06-30', fields: { headerName: 'X-API-Key', value: 'plain-value-1' } },
          { name: 'env', type: 'key-value', level: 'workspace', workspace: 'Payments', expires: null, fields: { pairs: [{ key: 'DB_HOST', value: 'db.internal' }, { key: 'DB_PASS', value: 'plain value 5\nline 2' }] } },
          { name: 'Org key', type: 'api-key', level: 'organization', workspace: null, expires: null, fields: { headerName: 'X-Key', value: 'plain-value-6' } },
        ],
        null,
        2,
      )}\n`,
    );
  });

  it('keepassxc-csv: the columns KeePassXC reads, with rules an importer can reverse', async () => {
    const { dir, v } = await fixture();
    const out = join(dir, 'payments.csv');
    exportPlain(v.session, { door: 'cli', out, format: 'keepassxc-csv', selection: { kind: 'workspace', name: 'Payments' } });
    const t0 = '2026-11-25T12:00:00Z';
    const t1 = '2026-11-25T12:00:01Z';
    const day = new Date(certs().notAfter).toISOString().slice(0, 10);
    const pem = certs().pem.toString().trimEnd();
    expect(readFileSync(out, 'utf8')).toBe(
      [
        '"Group","Title","Username","Password","URL","Notes","TOTP","Icon","Last Modified","Created"',
        `"Root/Payments","Stripe key","","plain-value-1","","coffer-type: api-key\nheader: X-API-Key\nexpires: 2027-06-30","","0","${t0}","${t0}"`,
        `"Root/Payments","gh-ci","","Bearer plain-value-2","","coffer-type: bearer-token\nheader: Authorization","","0","${t1}","${t1}"`,
        `"Root/Payments","Auth0","client-7","plain ""value"" 3","https://auth.example.com/oauth/token","coffer-type: client-credentials","","0","${t1}","${t1}"`,
        `"Root/Payments","api cert","","${certs().key.toString()}","","coffer-type: certificate\nexpires: ${day}\n\n${pem}","","0","${t1}","${t1}"`,
        `"Root/Payments","env","","","","coffer-type: key-value\n\nDB_HOST=db.internal\nDB_PASS=""plain value 5\\nline 2""","","0","${t1}","${t1}"`,
        '',
      ].join('\n'),
    );
  });

  it('never overwrites without force; with force the new file is 0600 whatever the old one was', async () => {
    const { dir, v } = await fixture();
    const out = join(dir, 'existing.env');
    writeFileSync(out, 'KEEP=1\n', { mode: 0o644 });
    expect(() => exportPlain(v.session, { door: 'cli', out, format: 'env', selection: { kind: 'secrets', names: ['Org key'] } })).toThrow(
      expect.objectContaining({ code: 'CONFLICT', field: 'out' }),
    );
    expect(readFileSync(out, 'utf8')).toBe('KEEP=1\n');
    expect(secretUsage(v.session, { name: 'Org key' }).entries).toEqual([]);
    exportPlain(v.session, { door: 'cli', out, format: 'env', selection: { kind: 'secrets', names: ['Org key'] }, force: true });
    expect(readFileSync(out, 'utf8')).toBe('ORG_KEY=plain-value-6\n');
    expect(mode(out)).toBe(0o600);
  });

  it('writes nothing and records nothing when the export fails (two secrets give one variable)', async () => {
    const { dir, v } = await fixture();
    registerSecret(v.session, { type: 'api-key', name: 'Stripe-Key', level: 'workspace', workspace: 'Payments', fields: { headerName: 'X-Key', value: 'plain-value-7' } });
    const out = join(dir, 'clash.env');
    let error: unknown;
    try {
      exportPlain(v.session, { door: 'cli', out, format: 'env', selection: { kind: 'workspace', name: 'Payments' } });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'format' });
    expect(JSON.stringify(error)).not.toContain('plain-value');
    expect(existsSync(out)).toBe(false);
    expect(secretUsage(v.session, { name: 'Stripe key' }).entries).toEqual([]);
    expect(listAudit(v.session.db, { action: 'secret.export' })).toEqual([]);
    // A file that cannot be created is refused the same way.
    expect(() => exportPlain(v.session, { door: 'cli', out: join(dir, 'missing', 'x.json'), format: 'json', selection: { kind: 'secrets', names: ['Org key'] } })).toThrow(
      expect.objectContaining({ code: 'VALIDATION', field: 'out' }),
    );
    expect(secretUsage(v.session, { name: 'Org key' }).entries).toEqual([]);
  });
});
