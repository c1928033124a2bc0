import { describe, expect, it } from 'vitest';
import type { EditSecretInput, Level, RegisterSecretInput, SecretType } from '../../shared/schemas/secrets';
import { LEVELS, SECRET_TYPES } from '../../shared/schemas/secrets';
import { getSecretValue, listSecrets, secretUsage, showSecret } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { editSecret } from '../../electron/core/secrets/revisions';
import { addWorkspace } from '../../electron/core/vault/structure';
import type { CertFixtures } from '../support/certs';
import { file } from '../support/certs';
import { useCertFixtures } from '../support/fixtures';
import { newVault, useTempDir } from '../support/vault';

interface Case {
  fields: RegisterSecretInput['fields'];
  /** Every field text that must stay out of a listing (values and the other fields alike). */
  hidden: string[];
  /** What `get` prints by default, and the secret field keys `show` must mask. */
  value: string;
  masked: string[];
  /** What must not appear in the masked `show` output. */
  secretText: string[];
  edit: NonNullable<EditSecretInput['fields']>;
  editedValue: string;
  expires?: string;
  editedExpires?: number | null;
}

const tag = (level: Level, type: SecretType, what: string) => `${what}-${level}-${type}-7f3a9c`;

function caseFor(type: SecretType, level: Level, fx: CertFixtures): Case {
  const t = (what: string) => tag(level, type, what);
  switch (type) {
    case 'api-key':
      return {
        fields: { headerName: `X-${t('hdr')}`, value: t('sk_live') },
        hidden: [`X-${t('hdr')}`, t('sk_live')],
        value: t('sk_live'),
        masked: ['value'],
        secretText: [t('sk_live')],
        edit: { value: t('sk_rotated') },
        editedValue: t('sk_rotated'),
        expires: '2027-03-31',
        editedExpires: Date.parse('2027-03-31T00:00:00Z'),
      };
    case 'bearer-token':
      return {
        fields: { headerName: 'Authorization', headerValue: `Bearer ${t('tok')}` },
        hidden: [t('tok')],
        value: `Bearer ${t('tok')}`,
        masked: ['headerValue'],
        secretText: [t('tok')],
        edit: { headerValue: `Bearer ${t('tok2')}` },
        editedValue: `Bearer ${t('tok2')}`,
      };
    case 'client-credentials':
      return {
        fields: { clientId: t('client'), url: `https://${t('idp')}.example.com/token`, clientSecret: t('cs') },
        hidden: [t('client'), t('idp'), t('cs')],
        value: t('cs'),
        masked: ['clientSecret'],
        secretText: [t('cs')],
        edit: { clientSecret: t('cs2'), url: `https://${t('idp2')}.example.com/token` },
        editedValue: t('cs2'),
      };
    case 'certificate':
      return {
        fields: { certificate: file('site.pem', fx.pem), privateKey: file('site.key', fx.key) },
        hidden: ['-----BEGIN'],
        value: fx.pem.toString(),
        masked: ['privateKey'],
        secretText: ['PRIVATE KEY'],
        edit: { certificate: file('renewed.pem', fx.renewedPem) },
        editedValue: fx.renewedPem.toString(),
        editedExpires: fx.renewedNotAfter,
      };
    case 'key-value':
      return {
        fields: { pairs: [{ key: 'DB_USER', value: t('user') }, { key: 'DB_PASS', value: t('pass') }] },
        hidden: [t('user'), t('pass')],
        value: `DB_USER=${t('user')}\nDB_PASS=${t('pass')}`,
        masked: ['DB_USER', 'DB_PASS'],
        secretText: [t('user'), t('pass')],
        edit: { setPairs: [{ key: 'DB_PASS', value: t('pass2') }] },
        editedValue: `DB_USER=${t('user')}\nDB_PASS=${t('pass2')}`,
      };
  }
}

const WORKSPACE = 'Backend';
const placement = (level: Level) => (level === 'workspace' ? { level, workspace: WORKSPACE } : { level });

describe.each(LEVELS)('%s secrets', (level) => {
  const tempDir = useTempDir();
  const fixtures = useCertFixtures();

  it.each(SECRET_TYPES)('%s: register, list, get, show and edit', async (type) => {
    const { session } = await newVault(tempDir());
    addWorkspace(session, WORKSPACE);
    const c = caseFor(type, level, fixtures());
    const name = `Payments ${type}`;
    const ref = { name, ...placement(level) };

    const registered = registerSecret(session, { type, name, ...placement(level), fields: c.fields, ...(c.expires ? { expires: c.expires } : {}) } as RegisterSecretInput);
    expect(registered).toMatchObject({ name, type, level, revision: 1, status: 'active', workspace: level === 'workspace' ? WORKSPACE : null });
    expect(registered.availability).toBe(level === 'organization' ? 'entire-organization' : level);
    if (type === 'certificate') expect(registered.expires).toBe(fixtures().notAfter);
    if (c.expires) expect(registered.expires).toBe(Date.parse(`${c.expires}T00:00:00Z`));

    // The listing carries the name and clear facts, never a field.
    const listing = listSecrets(session);
    expect(listing.items.map((i) => i.id)).toEqual([registered.id]);
    const listed = JSON.stringify(listing);
    for (const h of c.hidden) expect(listed).not.toContain(h);
    expect(listed).toContain(name);

    const got = getSecretValue(session, ref, { use: { door: 'cli', how: 'print' } });
    expect(got).toMatchObject({ id: registered.id, name, type, value: c.value });

    const shown = showSecret(session, ref);
    expect(shown.revision).toBe(1);
    for (const f of shown.fields) expect(f.value === null).toBe(c.masked.includes(f.key));
    expect(shown.fields.filter((f) => f.secret).map((f) => f.key).sort()).toEqual([...c.masked].sort());
    for (const text of c.secretText) expect(JSON.stringify(shown)).not.toContain(text);

    const edited = editSecret(session, { ref, fields: c.edit });
    expect(edited.revision).toBe(2);
    if (c.editedExpires !== undefined) expect(edited.expires).toBe(c.editedExpires);
    expect(getSecretValue(session, ref, { use: { door: 'cli', how: 'print' } }).value).toBe(c.editedValue);
    expect(showSecret(session, ref).revision).toBe(2);
    expect(listSecrets(session).items[0]).toMatchObject({ id: registered.id, revision: 2 });
  });
});

describe('every field of a read', () => {
  const tempDir = useTempDir();

  it('get returns one named field, and refuses a field the type does not have', async () => {
    const { session } = await newVault(tempDir());
    registerSecret(session, { type: 'client-credentials', name: 'IdP', fields: { clientId: 'app-1', url: 'https://idp.example.com', clientSecret: 's3cr3t' } });
    expect(getSecretValue(session, { name: 'IdP' }, { use: { door: 'cli', how: 'print' }, field: 'clientId' }).value).toBe('app-1');
    expect(getSecretValue(session, { name: 'idp' }, { use: { door: 'cli', how: 'print' }, field: 'url' }).value).toBe('https://idp.example.com');
    expect(() => getSecretValue(session, { name: 'IdP' }, { use: { door: 'cli', how: 'print' }, field: 'password' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION', field: 'field' }),
    );
  });

  it('a key/value set reads one key, or all of them as .env', async () => {
    const { session } = await newVault(tempDir());
    registerSecret(session, { type: 'key-value', name: 'env', fields: { pairs: [{ key: 'A', value: 'one two' }, { key: 'B', value: 'x"y' }] } });
    expect(getSecretValue(session, { name: 'env' }, { use: { door: 'cli', how: 'print' }, field: 'B' }).value).toBe('x"y');
    expect(getSecretValue(session, { name: 'env' }, { use: { door: 'cli', how: 'print' } }).value).toBe('A="one two"\nB="x\\"y"');
  });

  it('an edit that changes nothing writes no revision', async () => {
    const { session } = await newVault(tempDir());
    registerSecret(session, { type: 'api-key', name: 'k', fields: { headerName: 'X-Key', value: 'v1' } });
    expect(editSecret(session, { ref: { name: 'k' }, fields: { value: 'v1' } }).revision).toBe(1);
    expect(() => editSecret(session, { ref: { name: 'k' } })).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
  });

  it('a read records its consumer and time as last used', async () => {
    const { session } = await newVault(tempDir());
    const s = registerSecret(session, { type: 'api-key', name: 'k', fields: { headerName: 'X-Key', value: 'v1' } });
    expect(s.lastUsed).toBeNull();
    getSecretValue(session, { name: 'k' }, { use: { door: 'cli', how: 'print' } });
    getSecretValue(session, { name: 'k' }, { use: { door: 'cli', how: 'print', detail: 'deploy-pipeline' } });
    const usage = secretUsage(session, { name: 'k' });
    expect(usage.entries.map((e) => e.consumer)).toEqual(['alice · CLI · secret get (deploy-pipeline)', 'alice · CLI · secret get']);
    expect(usage.entries[0]).toMatchObject({ who: 'alice', door: 'cli', how: 'print', detail: 'deploy-pipeline' });
    expect(listSecrets(session).items[0]!.lastUsed).toBe(usage.lastUsed);
    expect(usage.lastUsed).toEqual(expect.any(Number));
  });
});
