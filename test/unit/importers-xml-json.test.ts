import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { looksLikeBitwardenJson, readBitwardenJson } from '../../electron/core/bundles/importers/bitwarden-json';
import type { EntrySink, ForeignEntry, SkippedEntry } from '../../electron/core/bundles/importers/foreign';
import { keepassTime, looksLikeKeepassXml, readKeepassXml } from '../../electron/core/bundles/importers/keepass-xml';
import { CofferError } from '../../shared/errors';
import { foreignItem, groupOf, writeBitwardenJson, writeKeepassXml } from '../../scripts/bench/foreign-exports';

const FIXTURES = join(__dirname, '../fixtures/importers');
const fixture = (name: string) => join(FIXTURES, name);
const dir = mkdtempSync(join(tmpdir(), 'coffer-import-xml-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Reader = (path: string, sink: EntrySink) => void;

interface Read {
  entries: ForeignEntry[];
  skipped: SkippedEntry[];
  progress: [number, number][];
}

function read(reader: Reader, path: string): Read {
  const out: Read = { entries: [], skipped: [], progress: [] };
  reader(path, {
    entry: (e) => out.entries.push(e),
    skipped: (s) => out.skipped.push(s),
    progress: (at, total) => out.progress.push([at, total]),
  });
  return out;
}

function failure(reader: Reader, path: string): CofferError {
  let error: unknown;
  try {
    read(reader, path);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(CofferError);
  return error as CofferError;
}

const entry = (e: Partial<ForeignEntry> & Pick<ForeignEntry, 'source' | 'title'>): ForeignEntry => ({
  group: [],
  fields: [],
  attachments: [],
  ...e,
});

const KEEPASS: Record<string, Pick<Read, 'entries' | 'skipped'>> = {
  'keepass-full.xml': {
    entries: [
      entry({
        source: 'Router',
        title: 'Router',
        username: 'admin',
        password: 'correct horse battery staple',
        url: 'http://192.168.1.1/',
        notes: 'first line\nsecond line & "quotes" <tag>\n\nfourth line',
        created: Date.parse('2023-12-31T23:59:59Z'),
        updated: Date.parse('2024-01-02T03:04:05Z'),
      }),
      entry({
        source: 'Email/GitHub',
        title: 'GitHub',
        group: ['Email'],
        username: 'octo@example.com',
        password: 'gh-pass-1',
        totp: 'otpauth://totp/GitHub:octo?secret=JBSWY3DPEHPK3PXP&issuer=GitHub',
        fields: [
          { name: 'Recovery codes', value: 'abcd-efgh <not a tag> & ijkl' },
          { name: 'Empty field', value: '' },
        ],
        attachments: ['recovery-codes.txt', 'qr.png'],
        created: Date.parse('2024-01-02T03:04:05Z'),
        updated: Date.parse('2024-01-02T03:04:05Z'),
        expires: Date.parse('2025-06-30T12:00:00Z'),
      }),
      entry({ source: 'Email/GitHub', title: 'GitHub', group: ['Email'], username: 'second-account' }),
      entry({
        source: 'Email/Work 💼 عمل/בנק 🏦 Bank',
        title: 'בנק 🏦 Bank',
        group: ['Email', 'Work 💼 عمل'],
        username: 'مستخدم',
        password: 'пароль🔑😀',
        fields: [
          { name: 'PIN', value: '0000' },
          { name: 'PIN', value: '1111' },
        ],
      }),
    ],
    skipped: [
      { source: 'Recycle Bin/Deleted thing', title: 'Deleted thing', reason: 'in the recycle bin' },
      { source: 'Recycle Bin/Old stuff/Older thing', title: 'Older thing', reason: 'in the recycle bin' },
    ],
  },
  'keepass-kp2-no-bin-uuid.xml': {
    entries: [
      entry({
        source: 'Banking/Bank',
        title: 'Bank',
        group: ['Banking'],
        totp: 'JBSWY3DPEHPK3PXP',
        fields: [
          { name: 'TimeOtp-Length', value: '8' },
          { name: 'constructor', value: "not an object's" },
          { name: '__proto__', value: 'nor this' },
        ],
        created: Date.parse('2020-02-29T10:00:00Z'),
        updated: Date.parse('2021-03-01T10:00:00Z'),
        expires: Date.parse('2030-01-01T00:00:00Z'),
      }),
      entry({ source: 'Banking/Broker', title: 'Broker', group: ['Banking'], totp: 'GEZDGNBVGY3TQOJQ' }),
      entry({ source: 'entry 4', title: '', username: 'nameless' }),
    ],
    skipped: [{ source: 'Recycle Bin/Trashed', title: 'Trashed', reason: 'in the recycle bin' }],
  },
};

const PERSONAL_FOLDER = { email: ['Email'], unicode: ['Work', 'Clients', 'Ünïcode 🚀'], rtl: ['عمل'] };

const BITWARDEN: Record<string, Pick<Read, 'entries' | 'skipped'>> = {
  'bitwarden-personal.json': {
    entries: [
      entry({
        source: 'item 1',
        title: 'GitHub',
        group: PERSONAL_FOLDER.email,
        username: 'octo@example.com',
        password: 'gh-pass-1',
        url: 'https://github.com/login',
        totp: 'otpauth://totp/GitHub:octo?secret=JBSWY3DPEHPK3PXP&issuer=GitHub',
        notes: 'line one\nline two\r\n\n"quoted" \\ backslash',
        fields: [
          { name: 'Recovery code', value: 'abcd-efgh' },
          { name: 'Plan', value: 'pro' },
          { name: '2FA on', value: 'true' },
          { name: 'Empty', value: '' },
          { name: 'uri 2', value: 'https://gist.github.com' },
          { name: 'uri 3', value: 'androidapp://com.github.android' },
        ],
        created: Date.parse('2023-12-31T23:59:59Z'),
        updated: Date.parse('2024-01-02T03:04:05Z'),
      }),
      entry({ source: 'item 2', title: 'GitHub', group: PERSONAL_FOLDER.email, username: 'second-account' }),
      entry({
        source: 'item 3',
        title: 'بنك 🏦 בנק',
        group: PERSONAL_FOLDER.unicode,
        notes: 'Ünïcode notes ✓\u2028with a line separator and an emoji 🔑',
        created: Date.parse('2024-02-03T04:05:06Z'),
        updated: Date.parse('2024-02-03T04:05:06Z'),
      }),
      entry({
        source: 'item 4',
        title: 'Visa',
        fields: [
          { name: 'cardholder', value: 'Jane Q. Doe' },
          { name: 'brand', value: 'Visa' },
          { name: 'number', value: '4111111111111111' },
          { name: 'expiry', value: '03/2029' },
          { name: 'code', value: '123' },
        ],
      }),
      entry({
        source: 'item 5',
        title: 'Passport',
        group: PERSONAL_FOLDER.rtl,
        fields: [
          { name: 'title', value: 'Ms' },
          { name: 'first name', value: 'Jane' },
          { name: 'last name', value: 'Doe' },
          { name: 'username', value: 'jdoe' },
          { name: 'social security number', value: '078-05-1120' },
          { name: 'passport number', value: 'X1234567' },
          { name: 'email', value: 'jane@example.com' },
          { name: 'address 1', value: '1 Main St' },
          { name: 'city', value: 'Springfield' },
          { name: 'postal code', value: '12345' },
          { name: 'country', value: 'US' },
        ],
      }),
      entry({
        source: 'item 6',
        title: 'Deploy key',
        fields: [
          {
            name: 'private key',
            value: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n',
          },
          { name: 'public key', value: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample deploy@example' },
          { name: 'fingerprint', value: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU' },
        ],
      }),
      entry({ source: 'item 8', title: '', password: 'only-a-password' }),
    ],
    skipped: [{ source: 'item 7', title: 'From the future', reason: 'Bitwarden item type 6 is not known' }],
  },
  'bitwarden-organization.json': {
    entries: [
      entry({
        source: 'item 1',
        title: 'Database',
        group: ['Engineering', 'Servers'],
        username: 'app',
        password: 'db-pass',
        url: 'postgres://db.internal:5432',
        created: Date.parse('2024-03-04T05:06:07Z'),
        updated: Date.parse('2024-03-04T05:06:07Z'),
      }),
      entry({ source: 'item 2', title: 'Wi-Fi', group: ['Shared'], notes: 'SSID: office\nkey: office-wifi-pass' }),
      entry({ source: 'item 3', title: 'Loose note', notes: 'in no collection' }),
    ],
    skipped: [],
  },
};

/** Values of the fixtures that no error message may ever quote. */
const SECRETS = ['correct horse', 'gh-pass-1', 'пароль', 's3cret-in-a-broken', 'only-a-password', '078-05-1120', 'X1234567', '4111111111111111'];

function expectNoSecret(e: CofferError): void {
  for (const s of SECRETS) expect(e.message).not.toContain(s);
}

describe('KeePass XML reader', () => {
  it.each(Object.entries(KEEPASS))('%s: entries, history left out, recycle bin skipped', async (name, expected) => {
    const got = await read(readKeepassXml, fixture(name));
    expect(got.entries).toEqual(expected.entries);
    expect(got.skipped).toEqual(expected.skipped);
    const size = readFileSync(fixture(name)).length;
    expect(got.progress.at(-1)).toEqual([size, size]);
  });

  it.each([
    ['keepass-protected.xml', 'this XML holds protected values: export it from KeePassXC as XML (unencrypted)'],
    ['keepass-doctype.xml', 'the KeePass XML has a DOCTYPE, which a KeePass export never holds'],
    ['keepass-malformed.xml', 'the KeePass XML is malformed at line 8, column 70: unexpected close tag'],
  ])('%s → a typed error', async (name, message) => {
    const e = await failure(readKeepassXml, fixture(name));
    expect(e.toJSON()).toEqual({ code: 'VALIDATION', message, field: 'file' });
    expectNoSecret(e);
  });

  it('refuses XML that is not a KeePass file, an empty file and a missing one', async () => {
    const html = join(dir, 'page.xml');
    writeFileSync(html, '<html><body>hi</body></html>');
    expect((await failure(readKeepassXml, html)).message).toBe('this file is not a KeePass XML export');
    const empty = join(dir, 'empty.xml');
    writeFileSync(empty, '');
    expect((await failure(readKeepassXml, empty)).message).toMatch(/^the KeePass XML is malformed at line 1/);
    expect((await failure(readKeepassXml, join(dir, 'none.xml'))).code).toBe('NOT_FOUND');
  });

  it('names no part of a value in a parse error', async () => {
    const path = join(dir, 'entity.xml');
    writeFileSync(path, '<KeePassFile><Root><Group><Entry><String><Key>Password</Key><Value>a&topsecretvalue;b</Value></String></Entry></Group></Root></KeePassFile>');
    const e = await failure(readKeepassXml, path);
    expect(e.message).toBe('the KeePass XML is malformed at line 1, column 84: undefined entity');
    expect(e.message).not.toContain('topsecret');
  });

  it('reads ISO 8601 and KDBX 4 base64 times; leaves out anything else', () => {
    expect(keepassTime('2024-01-02T03:04:05Z')).toBe(Date.parse('2024-01-02T03:04:05Z'));
    expect(keepassTime('2024-01-02T03:04:05')).toBe(Date.parse('2024-01-02T03:04:05Z'));
    expect(keepassTime(' JXQl3Q4AAAA= ')).toBe(Date.parse('2024-01-02T03:04:05Z'));
    expect(keepassTime('AAAAAAAAAAA=')).toBe(Date.parse('0001-01-01T00:00:00Z'));
    expect(keepassTime('/////////38=')).toBeUndefined();
    expect(keepassTime('yesterday')).toBeUndefined();
    expect(keepassTime('')).toBeUndefined();
  });

  it('knows a KeePass XML file by its first KiB', () => {
    expect(looksLikeKeepassXml(readFileSync(fixture('keepass-full.xml'), 'utf8').slice(0, 1024))).toBe(true);
    expect(looksLikeKeepassXml('\uFEFF<KeePassFile>\n<Meta>')).toBe(true);
    expect(looksLikeKeepassXml('<?xml version="1.0"?>\n<html>')).toBe(false);
    expect(looksLikeKeepassXml('{"encrypted": false}')).toBe(false);
  });
});

describe('Bitwarden JSON reader', () => {
  it.each(Object.entries(BITWARDEN))('%s: entries and skipped items', async (name, expected) => {
    const got = await read(readBitwardenJson, fixture(name));
    expect(got.entries).toEqual(expected.entries);
    expect(got.skipped).toEqual(expected.skipped);
    const size = readFileSync(fixture(name)).length;
    expect(got.progress.at(-1)).toEqual([size, size]);
  });

  it.each([
    ['bitwarden-encrypted.json', 'this Bitwarden export is encrypted: export it as JSON (unencrypted)'],
    ['bitwarden-password-protected.json', 'this Bitwarden export is encrypted: export it as JSON (unencrypted)'],
    ['bitwarden-truncated.json', 'the Bitwarden JSON is malformed at line 12: the file ends before the JSON does'],
    ['bitwarden-bad-item.json', 'the Bitwarden JSON is malformed at line 11: item 2 is not valid JSON'],
  ])('%s → a typed error', async (name, message) => {
    const e = await failure(readBitwardenJson, fixture(name));
    expect(e.toJSON()).toEqual({ code: 'VALIDATION', message, field: 'file' });
    expectNoSecret(e);
  });

  it('finds a broken file before it hands over any entry', async () => {
    const path = join(dir, 'late-break.json');
    writeFileSync(path, '{"encrypted":false,"folders":[],"items":[{"type":1,"name":"a"}]}}');
    const entries: ForeignEntry[] = [];
    expect(() => readBitwardenJson(path, { entry: (e) => entries.push(e), skipped: () => undefined })).toThrow(
      'the Bitwarden JSON is malformed at line 1: there is more after the JSON',
    );
    expect(entries).toEqual([]);
  });

  it.each([
    ['[1, 2]', 'this file is not a Bitwarden JSON export'],
    ['{"folders": []}', 'this file is not a Bitwarden JSON export: it has no "items"'],
    ['{"items": {}}', 'the Bitwarden JSON is malformed at line 1: "items" is not a list'],
    ['{"items": [1]}', 'the Bitwarden JSON is malformed at line 1: item 1 is not an object'],
    ['{"items": [{}],}', 'the Bitwarden JSON is malformed at line 1: a key was expected'],
  ])('%s → a typed error', async (text, message) => {
    const path = join(dir, 'small.json');
    writeFileSync(path, text);
    expect((await failure(readBitwardenJson, path)).message).toBe(message);
  });

  it('reads folders and collections written after the items, and an item with no type', async () => {
    const path = join(dir, 'late-folders.json');
    writeFileSync(path, '\uFEFF{"items":[{"type":2,"name":"n","folderId":"f"},{"name":"x"}],"folders":[{"id":"f","name":"A//B/"}]}');
    const got = await read(readBitwardenJson, path);
    expect(got.entries).toEqual([entry({ source: 'item 1', title: 'n', group: ['A', 'B'] })]);
    expect(got.skipped).toEqual([{ source: 'item 2', title: 'x', reason: 'the Bitwarden item has no type' }]);
  });

  it('cuts items exactly where JSON.parse would, whatever the strings and spacing', async () => {
    const path = join(dir, 'property.json');
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    const item = fc.record({ type: fc.constant(2), name: text, notes: text, extra: fc.jsonValue({ maxDepth: 2 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(item, { maxLength: 8 }), fc.constantFrom(undefined, 0, 1, '\t', ' \r\n '), async (items, space) => {
        writeFileSync(path, JSON.stringify({ before: { items: [1] }, encrypted: false, items, after: '"]}' }, null, space));
        const got = await read(readBitwardenJson, path);
        const want = (s: string) => (s === '' ? undefined : s);
        expect(got.entries.map((e) => [e.title, e.notes])).toEqual(items.map((it) => [it.name, want(it.notes)]));
      }),
      { numRuns: 100 },
    );
  });

  it('knows a Bitwarden export by its first KiB', () => {
    for (const name of ['bitwarden-personal.json', 'bitwarden-organization.json', 'bitwarden-password-protected.json']) {
      expect(looksLikeBitwardenJson(readFileSync(fixture(name), 'utf8').slice(0, 1024))).toBe(true);
    }
    expect(looksLikeBitwardenJson('{"name": "x"}')).toBe(false);
    expect(looksLikeBitwardenJson('<KeePassFile>')).toBe(false);
  });
});

describe('files larger than one read block', () => {
  it.each([
    ['keepass', writeKeepassXml, readKeepassXml, 'xml'],
    ['bitwarden', writeBitwardenJson, readBitwardenJson, 'json'],
  ] as const)('%s: 3,000 generated entries, every one as written', async (_name, write, reader, ext) => {
    const path = join(dir, `generated.${ext}`);
    write(path, 3000, 5);
    const got = await read(reader, path);
    expect(got.entries).toHaveLength(3000);
    expect(got.progress.length).toBeGreaterThan(1);
    for (const e of got.entries) {
      const i = Number(e.title.split(' ').at(-1));
      const item = foreignItem(5, i);
      expect(e).toMatchObject({ group: groupOf(i), username: item.username, password: item.password, url: item.url });
      expect([e.notes, e.created, e.updated]).toEqual([item.notes, item.created * 1000, item.updated * 1000]);
    }
  });

  it.each([0, 1, 2, 3])('a string of escapes across block boundaries (offset %i)', async (pad) => {
    const notes = `${'x'.repeat(pad)}${'a\\"\\\\"b'.repeat(300_000)}`;
    const path = join(dir, 'escapes.json');
    writeFileSync(path, JSON.stringify({ encrypted: false, items: [{ type: 2, name: 'long', notes }, { type: 2, name: 'after' }] }));
    const got = await read(readBitwardenJson, path);
    expect(got.entries.map((e) => e.title)).toEqual(['long', 'after']);
    expect(got.entries[0]!.notes === notes).toBe(true);
  });
});

/** Byte flips, cuts and inserted bytes: the reader hands over entries or throws a CofferError, nothing else. */
describe('mutated files', () => {
  const STRUCTURAL = [...'<>/&;"\'=![]{},:\\'].map((c) => c.charCodeAt(0));
  const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...STRUCTURAL));
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.array(byte, { minLength: 1, maxLength: 8 }) }),
  );
  type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

  function mutate(base: Buffer, mutations: Mutation[]): Buffer {
    let out = Buffer.from(base);
    for (const m of mutations) {
      const at = m.at % (out.length + 1);
      if (m.kind === 'flip' && at < out.length) out[at] = m.byte;
      else if (m.kind === 'cut') out = out.subarray(0, at);
      else if (m.kind === 'insert') out = Buffer.concat([out.subarray(0, at), Buffer.from(m.bytes), out.subarray(at)]);
    }
    return out;
  }

  it.each([
    ['keepass-full.xml', readKeepassXml],
    ['bitwarden-personal.json', readBitwardenJson],
  ] as const)('%s: 2,000 mutations', async (name, reader) => {
    const base = readFileSync(fixture(name));
    const path = join(dir, `mutated-${name}`);
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        writeFileSync(path, mutate(base, mutations));
        try {
          await read(reader, path);
        } catch (e) {
          expect(e).toBeInstanceOf(CofferError);
          expectNoSecret(e as CofferError);
        }
      }),
      { numRuns: 2000 },
    );
  }, 60_000);
});
