import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  FIELD_LABELS,
  MAX_FILE_BYTES,
  editSecretInput,
  fieldSchemas,
  isoDate,
  listSecretsInput,
  registerSecretInput,
  secretName,
} from '../../shared/schemas/secrets';
import { accountName } from '../../shared/schemas/accounts';
import { credentialName } from '../../shared/schemas/credentials';
import { createVaultInput, memberName, orgName, password, teamName, workspaceName } from '../../shared/schemas/vault';
import { fieldPath, parseInput } from '../../shared/validation';

const ok = (schema: z.ZodType, input: unknown) => schema.safeParse(input).success;

describe('secret names', () => {
  it('are trimmed and NFC-normalized', () => {
    expect(secretName.parse('  Cafe\u0301  ')).toBe('Caf\u00e9');
  });

  it.each([
    ['', false],
    ['   ', false],
    ['a', true],
    ['n'.repeat(128), true],
    ['n'.repeat(129), false],
    ['tab\there', false],
    ['nul\u0000', false],
    ['c1\u0085', false],
    ['emoji 🔑 and spaces', true],
    ['right-to-left ✓ שלום', true],
  ])('%j → valid: %s', (name, valid) => {
    expect(ok(secretName, name)).toBe(valid);
  });

  // Display spoofing: each of these makes a name print as something it is not.
  it.each(['202A', '202B', '202C', '202D', '202E', '2066', '2067', '2068', '2069', '200B', '200C', '200D', '200E', '200F', '2028', '2029', 'FEFF', '00AD', '2060', '061C'])(
    'U+%s is refused in every kind of name, the message saying which',
    (hex) => {
      const c = String.fromCodePoint(parseInt(hex, 16));
      for (const [schema, what] of [
        [secretName, 'Secret Name'],
        [workspaceName, 'Workspace name'],
        [teamName, 'Team name'],
        [credentialName, 'Credential name'],
        [accountName, 'Service account name'],
        [orgName, 'Organization name'],
      ] as const) {
        const r = schema.safeParse(`in${c}voice`);
        expect(r.success, what).toBe(false);
        expect(r.error!.issues[0]!.message).toBe(`${what} must not contain invisible or text-direction characters (U+${hex})`);
      }
      expect(ok(memberName, `a${c}b`)).toBe(false);
    },
  );

  it('names the field when refused at a door', () => {
    expect(() => parseInput(registerSecretInput, { type: 'api-key', name: 'gpj\u202Eexe', fields: { headerName: 'X', value: 'v' } })).toThrow(
      expect.objectContaining({ code: 'VALIDATION', field: 'name' }),
    );
  });
});

describe('header names follow RFC 9110 token syntax', () => {
  const header = fieldSchemas['api-key'].shape.headerName;
  it.each(['Authorization', 'X-Api-Key', "x!#$%&'*+-.^_`|~9"])('%s is a token', (h) => expect(ok(header, h)).toBe(true));
  it.each(['X Api', 'X-Key:', 'Ké', '(x)', 'a/b', '', 'x'.repeat(257)])('%j is not', (h) => expect(ok(header, h)).toBe(false));
});

describe('expiration dates', () => {
  it.each([
    ['2027-02-28', true],
    ['2028-02-29', true],
    ['2027-02-29', false],
    ['2027-02-30', false],
    ['2027-13-01', false],
    ['2027-00-10', false],
    ['2027-1-1', false],
    ['2027-01-01T00:00:00Z', false],
    ['tomorrow', false],
    ['0000-01-01', false],
    ['1969-12-31', false],
    ['1970-01-01', true],
    ['9999-12-31', true],
  ])('%s → valid: %s', (d, valid) => {
    expect(ok(isoDate, d)).toBe(valid);
  });
});

describe('client credential URLs', () => {
  const url = fieldSchemas['client-credentials'].shape.url;
  it.each([
    ['https://idp.example.com/oauth/token', true],
    ['http://localhost:8080/token', true],
    ['  https://trimmed.example.com  ', true],
    ['ftp://files.example.com', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['idp.example.com', false],
    ['https://', false],
  ])('%s → valid: %s', (u, valid) => {
    expect(ok(url, u)).toBe(valid);
  });
});

describe('registration input', () => {
  it('defaults to a personal secret and trims its name', () => {
    const v = registerSecretInput.parse({ type: 'api-key', name: ' Stripe ', fields: { headerName: ' X-Key ', value: ' keep spaces ' } });
    expect(v).toMatchObject({ level: 'personal', name: 'Stripe', fields: { headerName: 'X-Key', value: ' keep spaces ' } });
  });

  it('keeps key/value pairs in order, trimming keys but not values', () => {
    const v = registerSecretInput.parse({ type: 'key-value', name: 'env', fields: { pairs: [{ key: ' B ', value: ' 2 ' }, { key: 'A', value: '' }] } });
    expect(v.fields).toEqual({ pairs: [{ key: 'B', value: ' 2 ' }, { key: 'A', value: '' }] });
  });

  it('accepts key/value sets up to 1 MiB in total', () => {
    const half = 'v'.repeat(MAX_FILE_BYTES / 2 - 1);
    expect(ok(fieldSchemas['key-value'], { pairs: [{ key: 'A', value: half }, { key: 'B', value: half }] })).toBe(true);
    expect(ok(fieldSchemas['key-value'], { pairs: [{ key: 'A', value: half }, { key: 'B', value: `${half}xx` }] })).toBe(false);
  });

  it('labels every field a register form shows', () => {
    const keys = new Set(Object.values(fieldSchemas).flatMap((s) => Object.keys(s.shape)));
    for (const k of [...keys, 'name', 'expires', 'workspace', 'teams', 'level']) expect(FIELD_LABELS[k]).toEqual(expect.any(String));
  });
});

describe('edit and list input', () => {
  it('an edit refuses unknown fields', () => {
    expect(ok(editSecretInput, { ref: { name: 'x' }, fields: { value: 'v' } })).toBe(true);
    expect(ok(editSecretInput, { ref: { name: 'x' }, fields: { password: 'v' } })).toBe(false);
  });

  it('a listing sorts by name ascending unless told otherwise', () => {
    expect(listSecretsInput.parse({})).toEqual({ sort: 'name', desc: false, offset: 0 });
    expect(ok(listSecretsInput, { sort: 'value' })).toBe(false);
    expect(ok(listSecretsInput, { search: 'x'.repeat(257) })).toBe(false);
  });
});

describe('vault and member input', () => {
  it('a vault uses the calibrated KDF unless the fast profile is asked for', () => {
    expect(createVaultInput.parse({ org: ' Acme ', member: 'alice', password: '12345678' })).toEqual({ org: 'Acme', member: 'alice', password: '12345678', kdf: 'standard' });
  });

  it.each([
    ['alice', true],
    ['a.b_c@d-e', true],
    ['A1', true],
    ['-alice', false],
    ['alice smith', false],
    ['a'.repeat(65), false],
    ['', false],
  ])('login %j → valid: %s', (login, valid) => {
    expect(ok(memberName, login)).toBe(valid);
  });

  it('passwords are 8 to 1024 characters', () => {
    expect(ok(password, '1234567')).toBe(false);
    expect(ok(password, '12345678')).toBe(true);
    expect(ok(password, 'p'.repeat(1025))).toBe(false);
  });
});

describe('field paths of errors', () => {
  it('drop the fields. prefix, keep array indexes, and report a file by its field', () => {
    expect(fieldPath(['fields', 'pairs', 2, 'key'])).toBe('pairs.2.key');
    expect(fieldPath(['fields', 'certificate', 'base64'])).toBe('certificate');
    expect(fieldPath(['expires'])).toBe('expires');
    expect(fieldPath([])).toBeUndefined();
  });

  it('name the unknown key, or the field the caller gives for a bare value', () => {
    expect(() => parseInput(editSecretInput, { ref: { name: 'x' }, fields: { colour: 'red' } })).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'colour' }));
    expect(() => parseInput(password, 'short', 'password')).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'password' }));
    expect(() => parseInput(password, 'short')).toThrow(expect.objectContaining({ code: 'VALIDATION', field: undefined }));
  });

  it('carry the schema message in plain words', () => {
    expect(() => parseInput(registerSecretInput, { type: 'api-key', name: 'x', fields: { headerName: 'X-Key' } })).toThrow('Value is required');
  });
});

describe('the 64 KiB limit of a value', () => {
  const value = (v: string) => ok(fieldSchemas['api-key'], { headerName: 'X-Key', value: v });

  it.each([
    ['ASCII', 'a', 1],
    ['two-byte', '\u00e9', 2],
    ['three-byte', '\u20ac', 3],
    ['four-byte (a surrogate pair)', '\u{1F600}', 4],
  ])('counts %s characters in UTF-8 bytes', (_, char, bytes) => {
    const fill = char.repeat(Math.floor((64 * 1024) / bytes));
    const exact = fill + 'a'.repeat(64 * 1024 - new TextEncoder().encode(fill).length);
    expect(new TextEncoder().encode(exact).length).toBe(64 * 1024);
    expect(value(exact)).toBe(true);
    expect(value(`${exact}a`)).toBe(false);
  });
});
