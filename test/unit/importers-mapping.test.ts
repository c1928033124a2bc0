import { describe, expect, it } from 'vitest';
import { CsvReader } from '../../electron/core/bundles/importers/csv';
import { dotenvName } from '../../electron/core/bundles/importers/dotenv';
import type { ForeignEntry } from '../../electron/core/bundles/importers/foreign';
import { FileNames, NOTHING_SECRET, cleanName, destinationOf, mapEntry, placeEntry } from '../../electron/core/bundles/importers/mapping';

const entry = (e: Partial<ForeignEntry>): ForeignEntry => ({ source: 'line 2', title: 'T', group: [], fields: [], attachments: [], ...e });

describe('the mapping rules (docs/importers.md)', () => {
  it('nothing secret is skipped, with the reason', () => {
    expect(mapEntry(entry({ username: 'u', url: 'https://x.example' }), [])).toEqual({ skipped: [{ source: 'line 2', title: 'T', reason: NOTHING_SECRET }] });
    expect(mapEntry(entry({ password: '  ', fields: [{ name: 'a', value: '' }] }), []).secret).toBeUndefined();
  });

  it('username + password + http(s) URL and nothing else is a client-credentials secret', () => {
    const m = mapEntry(entry({ username: 'u', password: 'p', url: ' https://x.example/login ' }), []);
    expect(m.secret).toEqual({ type: 'client-credentials', name: 'T', level: 'personal', fields: { clientId: 'u', url: 'https://x.example/login', clientSecret: 'p' } });
    // Anything more, a URL that is not http(s), or a sub-group to keep makes it key/value.
    expect(mapEntry(entry({ username: 'u', password: 'p', url: 'ftp://x.example' }), []).secret?.type).toBe('key-value');
    expect(mapEntry(entry({ username: 'u', password: 'p', url: 'https://x.example', notes: 'n' }), []).secret?.type).toBe('key-value');
    expect(mapEntry(entry({ username: 'u', password: 'p', url: 'https://x.example' }), ['A']).secret?.type).toBe('key-value');
  });

  it('everything else is key/value: standard keys first, custom fields by their names, cleaned and numbered', () => {
    const m = mapEntry(
      entry({
        username: 'u',
        password: 'p',
        url: 'https://x.example',
        totp: 'otpauth://totp/x',
        notes: 'line 1\nline 2',
        fields: [
          { name: 'password', value: 'second' },
          { name: 'a=b', value: '1' },
          { name: 'tab\there', value: '2' },
          { name: 'x'.repeat(300), value: '3' },
          { name: 'empty', value: '' },
          { name: '  ', value: '4' },
        ],
        expires: Date.parse('2020-02-29T12:00:00Z'),
      }),
      ['Old', 'Archive'],
    );
    expect(m.secret).toEqual({
      type: 'key-value',
      name: 'T',
      level: 'personal',
      expires: '2020-02-29',
      fields: {
        pairs: [
          { key: 'username', value: 'u' },
          { key: 'password', value: 'p' },
          { key: 'url', value: 'https://x.example' },
          { key: 'otp', value: 'otpauth://totp/x' },
          { key: 'notes', value: 'line 1\nline 2' },
          { key: 'password (2)', value: 'second' },
          { key: 'a-b', value: '1' },
          { key: 'tab here', value: '2' },
          { key: 'x'.repeat(256), value: '3' },
          { key: 'field', value: '4' },
          { key: 'group', value: 'Old/Archive' },
        ],
      },
    });
  });

  it('attachments are reported one by one; an entry the schema still refuses is skipped with its reason', () => {
    const m = mapEntry(entry({ password: 'p', attachments: ['id.pdf', 'key.gpg'] }), []);
    expect(m.secret?.type).toBe('key-value');
    expect(m.skipped.map((s) => s.reason)).toEqual(['attachment id.pdf: files are not imported', 'attachment key.gpg: files are not imported']);
    const huge = mapEntry(entry({ password: 'p'.repeat(1100 * 1024) }), []);
    // Compared as a boolean: a failure must not print a megabyte.
    expect(huge.secret === undefined).toBe(true);
    expect(huge.skipped[0]!.reason).toMatch(/^not a valid secret: .*1024 KiB/);
    expect(huge.skipped[0]!.reason).not.toContain('ppp');
  });

  it('names: trimmed, control characters out, cut to 128, "(untitled)" when empty, numbered per destination', () => {
    expect(cleanName('  a\u0007b\nc  ', 128, '(untitled)')).toBe('a b c');
    expect(cleanName(' \t ', 128, '(untitled)')).toBe('(untitled)');
    // Display spoofing in a foreign file: the characters go, the entry stays.
    expect(cleanName('invoice\u202Egpj.exe', 128, '(untitled)')).toBe('invoicegpj.exe');
    expect(cleanName('\uFEFFpay\u200Bpal\u00AD\u2066x\u2069', 128, '(untitled)')).toBe('paypalx');
    expect(cleanName('line\u2028break\u2029here', 128, '(untitled)')).toBe('line break here');
    expect(cleanName('\u200B\u200E', 128, '(untitled)')).toBe('(untitled)');
    expect(mapEntry(entry({ title: 'Bank\u202E', password: 'p' }), []).secret?.name).toBe('Bank');
    expect(destinationOf(entry({ group: ['Ops\u200D', 'x'] }), undefined).workspace).toBe('Ops');
    expect(Array.from(cleanName('🔑'.repeat(200), 128, '')).length).toBe(128);
    expect(mapEntry(entry({ title: '', password: 'p' }), []).secret?.name).toBe('(untitled)');
    const names = new FileNames();
    const personal = { level: 'personal' } as const;
    const w = (workspace: string) => ({ level: 'workspace', workspace }) as const;
    expect([names.claim(personal, 'A'), names.claim(personal, 'a'), names.claim(w('W'), 'A'), names.claim(w('w'), 'A'), names.claim(personal, 'A')]).toEqual(['A', 'a (2)', 'A', 'A (2)', 'A (3)']);
    expect([names.claim({ level: 'organization' }, 'A'), names.claim(w('personal'), 'A')]).toEqual(['A', 'A']);
    expect(names.claim(personal, 'n'.repeat(128))).toHaveLength(128);
    expect(names.claim(personal, 'n'.repeat(128))).toBe(`${'n'.repeat(124)} (2)`);
  });

  it('placement: --workspace takes all and keeps the whole path; else the top group is the workspace', () => {
    expect(destinationOf(entry({ group: ['Email', 'Old'] }), undefined)).toEqual({ workspace: 'Email', subgroup: ['Old'] });
    expect(destinationOf(entry({ group: ['Email', 'Old'] }), 'Imported')).toEqual({ workspace: 'Imported', subgroup: ['Email', 'Old'] });
    expect(destinationOf(entry({ group: [] }), undefined)).toEqual({ subgroup: [] });
  });
});

describe('a Coffer export read back (docs/importers.md)', () => {
  const key = (notes: string, e: Partial<ForeignEntry> = {}) => placeEntry(entry({ group: ['Payments'], password: 'v', notes, ...e }), undefined).secret;
  const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';

  it('rebuilds each type, its level or workspace and its expiry', () => {
    expect(key('coffer-type: api-key\nheader: X-Key\nexpires: 2027-06-30')).toEqual({
      type: 'api-key', name: 'T', level: 'workspace', workspace: 'Payments', expires: '2027-06-30', fields: { headerName: 'X-Key', value: 'v' },
    });
    expect(key('coffer-type: bearer-token\nheader: Authorization', { group: ['organization'] })).toMatchObject({ level: 'organization', fields: { headerName: 'Authorization', headerValue: 'v' } });
    expect(key('coffer-type: client-credentials', { group: ['personal'], username: 'id', url: 'https://a.example/t' })).toMatchObject({
      level: 'personal', fields: { clientId: 'id', url: 'https://a.example/t', clientSecret: 'v' },
    });
    expect(key('coffer-type: key-value\nexpires: 2027-01-02\n\nA=1\nB="x y\\n"', { password: undefined })).toMatchObject({
      type: 'key-value', expires: '2027-01-02', fields: { pairs: [{ key: 'A', value: '1' }, { key: 'B', value: 'x y\n' }] },
    });
    const cert = key(`coffer-type: certificate\nexpires: 2030-01-01\n\n${CERT}`, { password: undefined });
    expect(cert).toMatchObject({ type: 'certificate', fields: { certificate: { base64: Buffer.from(`${CERT}\n`).toString('base64') } } });
    expect(cert).not.toHaveProperty('expires');
    expect(placeEntry(entry({ group: ['personal'], password: 'v', notes: 'coffer-type: api-key\nheader: X' }), 'Imported').secret).toMatchObject({ level: 'workspace', workspace: 'Imported' });
  });

  it.each([
    ['a type it does not know', 'coffer-type: password'],
    ['no header line', 'coffer-type: api-key'],
    ['a line it does not know', 'coffer-type: api-key\nheader: X\nnote: hi'],
    ['an expiry that is no date', 'coffer-type: api-key\nheader: X\nexpires: soon'],
    ['a body where none is written', 'coffer-type: api-key\nheader: X\n\nmore'],
    ['pairs not written as the export writes them', "coffer-type: key-value\n\nA='1'"],
    ['a certificate body that is no PEM', 'coffer-type: certificate\n\nhello'],
  ])('falls back to the generic rules on %s', (_, notes) => {
    expect(key(notes)).toMatchObject({ type: 'key-value', level: 'workspace', workspace: 'Payments', fields: { pairs: [{ key: 'password', value: 'v' }, { key: 'notes', value: notes }] } });
  });

  it('falls back on nested groups, a TOTP, a custom field or a column the export leaves empty', () => {
    const notes = 'coffer-type: api-key\nheader: X';
    expect(key(notes, { group: ['A', 'B'] })?.type).toBe('key-value');
    expect(key(notes, { group: [] })?.type).toBe('key-value');
    expect(key(notes, { totp: 'JBSW' })?.type).toBe('key-value');
    expect(key(notes, { fields: [{ name: 'PIN', value: '1' }] })?.type).toBe('key-value');
    expect(key(notes, { username: 'u' })?.type).toBe('key-value');
    expect(key(notes, { password: undefined })?.type).toBe('key-value');
  });
});

describe('a whole .env file is one secret named after the file', () => {
  it.each([
    ['/x/prod.env', 'prod'],
    ['/x/.env', 'env'],
    ['/x/.env.local', 'env'],
    ['/x/settings', 'settings'],
    ['/x/app.config.env', 'app.config'],
  ])('%s → %s', (path, name) => expect(dotenvName(path)).toBe(name));
});

describe('the CSV reader', () => {
  const read = (chunks: string[]) => {
    const out: [string[], number][] = [];
    const r = new CsvReader((f, line) => out.push([f, line]));
    for (const c of chunks) r.write(c);
    r.end();
    return out;
  };

  it('reads quotes, escaped quotes, multi-line fields, CRLF, empty fields and a last line without newline, whatever the chunks', () => {
    const text = 'a,"b ""q"", c",\r\n"multi\r\nline",,"é🔑"\r\n\r\nlast,x';
    const expected: [string[], number][] = [
      [['a', 'b "q", c', ''], 1],
      [['multi\r\nline', '', 'é🔑'], 2],
      [['last', 'x'], 5],
    ];
    expect(read([text])).toEqual(expected);
    // Every split point, one character at a time included.
    for (let i = 1; i < text.length; i++) expect(read([text.slice(0, i), text.slice(i)])).toEqual(expected);
    expect(read(Array.from(text))).toEqual(expected);
  });

  it('an unclosed quote is a VALIDATION error naming its line', () => {
    expect(() => read(['a,b\n"open,\n'])).toThrow(expect.objectContaining({ code: 'VALIDATION', message: 'line 2: a quoted field is never closed' }));
  });
});
