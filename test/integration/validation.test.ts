import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EditSecretInput, RegisterSecretInput } from '../../shared/schemas/secrets';
import { MAX_VALUE_BYTES } from '../../shared/schemas/secrets';
import { registerSecret } from '../../electron/core/secrets/registration';
import { editSecret, restoreRevision } from '../../electron/core/secrets/revisions';
import { addMember } from '../../electron/core/vault/members';
import { addTeam, addWorkspace, renameWorkspace } from '../../electron/core/vault/structure';
import { Vault } from '../../electron/core/vault/vault';
import { tablesDigest } from '../support/sql';
import { PASSWORD, newVault, useTempDir } from '../support/vault';

const apiKey = { type: 'api-key', name: 'Stripe', fields: { headerName: 'X-Api-Key', value: 'sk_live_1' } } satisfies RegisterSecretInput;
const bearer = { type: 'bearer-token', name: 'GitHub', fields: { headerName: 'Authorization', headerValue: 'Bearer t' } } satisfies RegisterSecretInput;
const client = { type: 'client-credentials', name: 'IdP', fields: { clientId: 'app', url: 'https://idp.example.com/token', clientSecret: 'cs' } } satisfies RegisterSecretInput;
const kv = { type: 'key-value', name: 'env', fields: { pairs: [{ key: 'A', value: '1' }] } } satisfies RegisterSecretInput;
const cert = { type: 'certificate', name: 'TLS', fields: { certificate: { fileName: 'c.pem', base64: 'AAAA' } } } satisfies RegisterSecretInput;

const big = 'x'.repeat(MAX_VALUE_BYTES + 1);

/** [what, field the error must name, input]. */
const REGISTER: [string, string, unknown][] = [
  ['empty name', 'name', { ...apiKey, name: '' }],
  ['blank name', 'name', { ...apiKey, name: '   ' }],
  ['missing name', 'name', { ...apiKey, name: undefined }],
  ['name of 129 characters', 'name', { ...apiKey, name: 'n'.repeat(129) }],
  ['name with a control character', 'name', { ...apiKey, name: 'a\u0007b' }],
  ['unknown type', 'type', { ...apiKey, type: 'password' }],
  ['unknown level', 'level', { ...apiKey, level: 'galaxy' }],
  ['header name with a space', 'headerName', { ...apiKey, fields: { ...apiKey.fields, headerName: 'X Api Key' } }],
  ['header name with a colon', 'headerName', { ...apiKey, fields: { ...apiKey.fields, headerName: 'X-Key:' } }],
  ['missing header name', 'headerName', { ...apiKey, fields: { value: 'v' } }],
  ['missing value', 'value', { ...apiKey, fields: { headerName: 'X-Key' } }],
  ['empty value', 'value', { ...apiKey, fields: { headerName: 'X-Key', value: '' } }],
  ['value over 64 KiB', 'value', { ...apiKey, fields: { headerName: 'X-Key', value: big } }],
  ['value over 64 KiB in UTF-8 bytes', 'value', { ...apiKey, fields: { headerName: 'X-Key', value: 'é'.repeat(MAX_VALUE_BYTES / 2 + 1) } }],
  ['missing header value', 'headerValue', { ...bearer, fields: { headerName: 'Authorization' } }],
  ['bearer header name with a space', 'headerName', { ...bearer, fields: { ...bearer.fields, headerName: 'Auth orization' } }],
  ['ftp:// URL', 'url', { ...client, fields: { ...client.fields, url: 'ftp://files.example.com' } }],
  ['javascript: URL', 'url', { ...client, fields: { ...client.fields, url: 'javascript:alert(1)' } }],
  ['URL that is not one', 'url', { ...client, fields: { ...client.fields, url: 'idp.example.com' } }],
  ['empty client id', 'clientId', { ...client, fields: { ...client.fields, clientId: ' ' } }],
  ['missing client secret', 'clientSecret', { ...client, fields: { clientId: 'app', url: 'https://idp.example.com' } }],
  ['duplicate key/value key', 'pairs.1.key', { ...kv, fields: { pairs: [{ key: 'A', value: '1' }, { key: 'A', value: '2' }] } }],
  ['duplicate key after trimming', 'pairs.2.key', { ...kv, fields: { pairs: [{ key: 'A', value: '1' }, { key: 'B', value: '2' }, { key: ' A ', value: '3' }] } }],
  ['key with "="', 'pairs.0.key', { ...kv, fields: { pairs: [{ key: 'A=B', value: '1' }] } }],
  ['empty key', 'pairs.0.key', { ...kv, fields: { pairs: [{ key: '', value: '1' }] } }],
  ['pair without value', 'pairs.0.value', { ...kv, fields: { pairs: [{ key: 'A' }] } }],
  ['no pairs', 'pairs', { ...kv, fields: { pairs: [] } }],
  ['pairs over 1 MiB in total', 'pairs', { ...kv, fields: { pairs: Array.from({ length: 17 }, (_, i) => ({ key: `K${i}`, value: 'v'.repeat(64 * 1024) })) } }],
  ['impossible date 2027-02-30', 'expires', { ...apiKey, expires: '2027-02-30' }],
  ['date not as YYYY-MM-DD', 'expires', { ...apiKey, expires: '31/12/2027' }],
  ['workspace level without workspace', 'workspace', { ...apiKey, level: 'workspace' }],
  ['workspace chosen for a personal secret', 'workspace', { ...apiKey, level: 'personal', workspace: 'Backend' }],
  ['teams for a personal secret', 'teams', { ...apiKey, teams: ['Payments'] }],
  ['an empty team list', 'teams', { ...apiKey, level: 'organization', teams: [] }],
  ['private key file not ending in .key', 'privateKey', { ...cert, fields: { ...cert.fields, privateKey: { fileName: 'key.pem', base64: 'AAAA' } } }],
  ['certificate that is not base64', 'certificate', { ...cert, fields: { certificate: { fileName: 'c.pem', base64: '***' } } }],
  ['empty certificate file', 'certificate', { ...cert, fields: { certificate: { fileName: 'c.pem', base64: '' } } }],
  ['missing certificate', 'certificate', { ...cert, fields: {} }],
  ['typed expiry on a certificate', 'expires', { ...cert, expires: '2030-01-01' }],
];

describe('registering refuses bad input naming the field, and writes nothing', () => {
  const tempDir = useTempDir();

  it.each(REGISTER)('%s → %s', async (_what, field, input) => {
    const { path, session } = await newVault(tempDir());
    addWorkspace(session, 'Backend');
    addTeam(session, 'Payments');
    const digest = tablesDigest(path);
    expect(() => registerSecret(session, input as RegisterSecretInput)).toThrow(expect.objectContaining({ code: 'VALIDATION', field }));
    expect(tablesDigest(path)).toBe(digest);
  });

  it('accepts the limits themselves: a value of exactly 64 KiB, a name of 128 characters, 29 February of a leap year', async () => {
    const { session } = await newVault(tempDir());
    const s = registerSecret(session, { ...apiKey, name: 'n'.repeat(128), expires: '2028-02-29', fields: { headerName: 'X-Key', value: 'x'.repeat(MAX_VALUE_BYTES) } });
    expect(s.expires).toBe(Date.parse('2028-02-29T00:00:00Z'));
  });

  it('names a missing workspace or team', async () => {
    const { session } = await newVault(tempDir());
    expect(() => registerSecret(session, { ...apiKey, level: 'workspace', workspace: 'Nowhere' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND', field: 'workspace' }));
    expect(() => registerSecret(session, { ...apiKey, level: 'organization', teams: ['Nobody'] })).toThrow(expect.objectContaining({ code: 'NOT_FOUND', field: 'teams' }));
  });
});

/** [what, field the error must name, secret to register, edit]. */
const EDIT: [string, string, typeof apiKey | typeof client | typeof kv, Omit<EditSecretInput, 'ref'>][] = [
  ['empty new name', 'name', apiKey, { name: ' ' }],
  ['header name with a space', 'headerName', apiKey, { fields: { headerName: 'X Key' } }],
  ['empty value', 'value', apiKey, { fields: { value: '' } }],
  ['value over 64 KiB', 'value', apiKey, { fields: { value: big } }],
  ['a field of another type', 'url', apiKey, { fields: { url: 'https://example.com' } }],
  ['a field no type has', 'password', apiKey, { fields: { password: 'x' } as never }],
  ['impossible date', 'expires', apiKey, { expires: '2027-02-30' }],
  ['ftp:// URL', 'url', client, { fields: { url: 'ftp://example.com' } }],
  ['duplicate key in replacement pairs', 'pairs.1.key', kv, { fields: { pairs: [{ key: 'A', value: '1' }, { key: 'A', value: '2' }] } }],
  ['removing a key that is not there', 'pairs', kv, { fields: { removeKeys: ['Z'] } }],
  ['removing the last key', 'pairs', kv, { fields: { removeKeys: ['A'] } }],
  ['setting a key with "="', 'pairs.1.key', kv, { fields: { setPairs: [{ key: 'B=C', value: '1' }] } }],
];

describe('editing refuses bad input naming the field, and writes nothing', () => {
  const tempDir = useTempDir();

  it.each(EDIT)('%s → %s', async (_what, field, base, edit) => {
    const { path, session } = await newVault(tempDir());
    registerSecret(session, base);
    const digest = tablesDigest(path);
    expect(() => editSecret(session, { ref: { name: base.name }, ...edit })).toThrow(expect.objectContaining({ code: 'VALIDATION', field }));
    expect(tablesDigest(path)).toBe(digest);
  });

  it('an empty reference names ref.name; a bad revision number names the revision', async () => {
    const { session } = await newVault(tempDir());
    registerSecret(session, apiKey);
    expect(() => editSecret(session, { ref: { name: ' ' }, fields: { value: 'v' } })).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'ref.name' }));
    expect(() => restoreRevision(session, { name: 'Stripe' }, 0)).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'revision' }));
    expect(() => restoreRevision(session, { name: 'Stripe' }, 1.5)).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'revision' }));
  });
});

describe('vault, member and structure input names its field', () => {
  const tempDir = useTempDir();

  it.each([
    ['empty organization', { org: ' ' }, 'org'],
    ['member name with a space', { member: 'alice smith' }, 'member'],
    ['short password', { password: 'short' }, 'password'],
    ['unknown KDF profile', { kdf: 'turbo' }, 'kdf'],
  ] as const)('creating a vault: %s → %s', async (_what, change, field) => {
    const path = join(tempDir(), 'v.coffer');
    await expect(Vault.create(path, { org: 'Acme', member: 'alice', password: PASSWORD, kdf: 'fast', ...change } as never)).rejects.toThrow(
      expect.objectContaining({ code: 'VALIDATION', field }),
    );
  });

  it.each([
    ['member name with a space', { name: 'bob smith' }, 'name'],
    ['short password', { password: 'short' }, 'password'],
    ['unknown role', { role: 'emperor' }, 'role'],
  ] as const)('adding a member: %s → %s', async (_what, change, field) => {
    const { path, session } = await newVault(tempDir());
    const digest = tablesDigest(path);
    expect(() => addMember(session, { name: 'bob', role: 'member', password: 'bob password', ...change })).toThrow(
      expect.objectContaining({ code: 'VALIDATION', field }),
    );
    expect(tablesDigest(path)).toBe(digest);
  });

  it('workspace and team names', async () => {
    const { session } = await newVault(tempDir());
    addWorkspace(session, 'Backend');
    expect(() => addWorkspace(session, ' ')).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'name' }));
    expect(() => addTeam(session, 'x'.repeat(65))).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'name' }));
    expect(() => renameWorkspace(session, 'Backend', '')).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'name' }));
    expect(() => addWorkspace(session, 'backend')).toThrow(expect.objectContaining({ code: 'CONFLICT', field: 'name' }));
  });

  it('a new password too short to accept', async () => {
    const { path, vault, session } = await newVault(tempDir());
    const digest = tablesDigest(path);
    expect(() => vault.changePassword(session, PASSWORD, 'short')).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'newPassword' }));
    expect(tablesDigest(path)).toBe(digest);
  });
});
