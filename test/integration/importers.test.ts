import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listAudit } from '../../electron/core/audit/log';
import { importRecords } from '../../electron/core/bundles/import';
import { importForeign } from '../../electron/core/bundles/import-foreign';
import { detectFormat } from '../../electron/core/bundles/importers/detect';
import type { ForeignEntry, SkippedEntry } from '../../electron/core/bundles/importers/foreign';
import { parserFor } from '../../electron/core/bundles/importers/index';
import { NOTHING_SECRET } from '../../electron/core/bundles/importers/mapping';
import type { RegisterSecretInput } from '../../shared/schemas/secrets';
import { getSecretValue } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { addMember } from '../../electron/core/vault/members';
import { addWorkspace, listWorkspaces } from '../../electron/core/vault/structure';
import { tablesDigest } from '../support/sql';
import { newVault, useTempDir } from '../support/vault';

const FIXTURES = join(__dirname, '../fixtures/importers');
const fixture = (name: string) => join(FIXTURES, name);

async function parse(format: string, path: string, split = false) {
  const entries: ForeignEntry[] = [];
  const skipped: SkippedEntry[] = [];
  await parserFor(format)(path, { entry: (e) => entries.push(e), skipped: (s) => skipped.push(s) }, { split });
  return { entries, skipped };
}

const pairsOf = (s: Awaited<ReturnType<typeof newVault>>['session'], name: string, workspace?: string) =>
  Object.fromEntries(
    getSecretValue(s, { name, ...(workspace ? { level: 'workspace' as const, workspace } : {}) }, { use: { door: 'cli', how: 'print' } }).fields.map((f) => [f.key, f.value]),
  );

/** What each fixture becomes in an empty vault: name, type, place; then what is skipped. */
const EXPECTED = {
  'keepassxc.csv': {
    format: 'keepassxc-csv',
    items: [
      ['GitHub', 'client-credentials', null, undefined],
      ['Mailbox', 'key-value', 'Email', undefined],
      ['Mailbox (2)', 'key-value', 'Email', 'Mailbox'],
      ['Legacy', 'key-value', 'Email', undefined],
      ['(untitled)', 'key-value', null, undefined],
      ['Ünïcødé 🔑 名前', 'client-credentials', null, undefined],
      ['db', 'client-credentials', 'Servers', undefined],
    ],
    skipped: [{ source: 'line 6', title: 'Ancient', reason: NOTHING_SECRET }],
    workspaces: ['Email', 'Servers'],
  },
  '1password.csv': {
    format: '1password-csv',
    items: [
      ['AWS', 'key-value', null, undefined],
      ['Wi-Fi', 'key-value', null, undefined],
      ['Bank', 'client-credentials', null, undefined],
      ['Bank (2)', 'key-value', null, 'Bank'],
    ],
    skipped: [{ source: 'line 7', title: 'Empty', reason: NOTHING_SECRET }],
    workspaces: [],
  },
  'app.env': { format: 'dotenv', items: [['app', 'key-value', null, undefined]], skipped: [], workspaces: [] },
  'keepass-full.xml': {
    format: 'keepass-xml',
    items: [
      ['Router', 'key-value', null, undefined],
      ['GitHub', 'key-value', 'Email', undefined],
      ['בנק 🏦 Bank', 'key-value', 'Email', undefined],
    ],
    skipped: [
      { source: 'Email/GitHub', title: 'GitHub', reason: 'attachment recovery-codes.txt: files are not imported' },
      { source: 'Email/GitHub', title: 'GitHub', reason: 'attachment qr.png: files are not imported' },
      { source: 'Email/GitHub', title: 'GitHub', reason: NOTHING_SECRET },
      { source: 'Recycle Bin/Deleted thing', title: 'Deleted thing', reason: 'in the recycle bin' },
      { source: 'Recycle Bin/Old stuff/Older thing', title: 'Older thing', reason: 'in the recycle bin' },
    ],
    workspaces: ['Email'],
  },
  'bitwarden-personal.json': {
    format: 'bitwarden-json',
    items: [
      ['GitHub', 'key-value', 'Email', undefined],
      ['بنك 🏦 בנק', 'key-value', 'Work', undefined],
      ['Visa', 'key-value', null, undefined],
      ['Passport', 'key-value', 'عمل', undefined],
      ['Deploy key', 'key-value', null, undefined],
      ['(untitled)', 'key-value', null, undefined],
    ],
    skipped: [
      { source: 'item 2', title: 'GitHub', reason: NOTHING_SECRET },
      { source: 'item 7', title: 'From the future', reason: 'Bitwarden item type 6 is not known' },
    ],
    workspaces: ['Email', 'Work', 'عمل'],
  },
  'bitwarden-organization.json': {
    format: 'bitwarden-json',
    items: [
      ['Database', 'key-value', 'Engineering', undefined],
      ['Wi-Fi', 'key-value', 'Shared', undefined],
      ['Loose note', 'key-value', null, undefined],
    ],
    skipped: [],
    workspaces: ['Engineering', 'Shared'],
  },
} as const;

describe('importers of foreign files', () => {
  const tmp = useTempDir();

  it('parses the fixtures field by field: multi-line notes, quotes, BOM, CRLF, Unicode, nested groups', async () => {
    const kp = await parse('keepassxc-csv', fixture('keepassxc.csv'));
    expect(kp.entries).toHaveLength(8);
    expect(kp.entries[1]).toMatchObject({
      source: 'line 3',
      title: 'Mailbox',
      group: ['Email'],
      notes: 'Line one\nLine two with "quotes", and a comma',
      totp: 'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP',
      updated: Date.parse('2026-01-02T10:00:00Z'),
      fields: [],
    });
    expect(kp.entries[3]!.group).toEqual(['Email', 'Old', 'Archive']);
    expect(kp.entries[6]).toMatchObject({ title: 'Ünïcødé 🔑 名前', username: 'ユーザー', password: 'пароль-🔑' });
    const op = await parse('1password-csv', fixture('1password.csv'));
    expect(op.entries.map((e) => e.title)).toEqual(['AWS', 'Wi-Fi', 'Bank', 'Bank', 'Empty']);
    expect(op.entries[1]).toMatchObject({ source: 'line 3', notes: 'SSID: home\r\npass: wifi-secret', fields: [] });
    expect(op.entries[3]!.fields).toEqual([
      { name: 'Tags', value: 'finance' },
      { name: 'Recovery Code', value: 'RC-123' },
    ]);
    const env = await parse('dotenv', fixture('app.env'));
    expect(env.entries).toEqual([
      {
        source: 'app.env',
        title: 'app',
        group: [],
        attachments: [],
        fields: [
          { name: 'DB_HOST', value: 'localhost' },
          { name: 'DB_PASS', value: 'p@ss word\nnext line' },
          { name: 'EMPTY', value: '' },
          { name: 'API_KEY', value: 'literal $value' },
          { name: 'DB_PASS', value: 'again' },
        ],
      },
    ]);
    expect((await parse('dotenv', fixture('app.env'), true)).entries.map((e) => e.source)).toEqual(['line 2', 'line 3', 'line 4', 'line 5', 'line 7']);
  });

  it('detects each format from its first KiB; a bundle by its magic; refuses an encrypted Bitwarden export and the unknown', () => {
    const dir = tmp();
    expect(detectFormat(fixture('keepassxc.csv'))).toBe('keepassxc-csv');
    expect(detectFormat(fixture('1password.csv'))).toBe('1password-csv');
    expect(detectFormat(fixture('app.env'))).toBe('dotenv');
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    expect(detectFormat(write('k.xml', '<?xml version="1.0"?>\n<KeePassFile><Meta/></KeePassFile>'))).toBe('keepass-xml');
    expect(detectFormat(write('b.json', '{"encrypted": false, "folders": [], "items": []}'))).toBe('bitwarden-json');
    expect(detectFormat(write('x.cofferbundle', 'COFFERBUNDLE\u0000\u0001'))).toBe('bundle');
    expect(() => detectFormat(write('e.json', '{"encrypted": true, "passwordProtected": true, "data": "2.x"}'))).toThrow(
      expect.objectContaining({ code: 'VALIDATION', message: expect.stringMatching(/encrypted Bitwarden export/) }),
    );
    expect(() => detectFormat(write('u.txt', 'just some words\nand more'))).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'from' }));
    mkdirSync(join(dir, 'folder'));
    expect(() => detectFormat(join(dir, 'folder'))).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'file' }));
  });

  it.each(Object.entries(EXPECTED))('%s: dry run, then import, into an empty vault', async (file, want) => {
    const dir = tmp();
    const { path, session } = await newVault(dir);
    const before = tablesDigest(path);
    const dry = await importForeign(session, fixture(file), { dryRun: true });
    expect(tablesDigest(path)).toBe(before);
    expect(dry.source).toEqual({ format: want.format, file: fixture(file), items: want.items.length, workspacesCreated: want.workspaces });
    const r = await importForeign(session, fixture(file));
    for (const x of [dry, r]) {
      expect(x.items.map((i) => [i.name, i.type, i.workspace, i.renamedFrom])).toEqual(want.items);
      expect(x.skipped).toEqual(want.skipped);
      expect(x.counts).toEqual({ added: want.items.length, changed: 0, conflicting: 0, unchanged: 0 });
    }
    expect(r.applied).toEqual({ added: want.items.length, revised: 0, copies: 0, kept: 0 });
    expect(listWorkspaces(session).map((w) => w.name)).toEqual(want.workspaces);
    expect(listAudit(session.db, { action: 'import' }).map((e) => [e.action, e.target])).toEqual([
      ['import.foreign', `${want.format} ${file}: ${want.items.length} added, 0 revised, 0 copies, 0 kept`],
    ]);
  });

  it('maps the values as docs/importers.md says', async () => {
    const { session } = await newVault(tmp());
    await importForeign(session, fixture('keepassxc.csv'));
    expect(getSecretValue(session, { name: 'GitHub' }, { use: { door: 'cli', how: 'print' }, field: 'clientSecret' }).value).toBe('gh-pass-1');
    expect(pairsOf(session, 'Mailbox', 'Email')).toEqual({
      username: 'me@example.com',
      password: 'mail-pass-2',
      url: 'https://mail.example.com',
      otp: 'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP',
      notes: 'Line one\nLine two with "quotes", and a comma',
    });
    expect(pairsOf(session, 'Legacy', 'Email')).toEqual({ username: 'legacy', password: 'legacy-pass', url: 'ftp://old.example.com', group: 'Old' });
    await importForeign(session, fixture('app.env'), { workspace: 'Email' });
    expect(pairsOf(session, 'app', 'Email')).toEqual({ DB_HOST: 'localhost', DB_PASS: 'p@ss word\nnext line', API_KEY: 'literal $value', 'DB_PASS (2)': 'again' });
  });

  it('a second import compares: unchanged, then mine / theirs / both for a changed value', async () => {
    const dir = tmp();
    const { session } = await newVault(dir);
    const file = join(dir, 'one.env');
    writeFileSync(file, 'A=1\nB=2\n');
    await importForeign(session, file, { split: true });
    const again = await importForeign(session, file, { split: true });
    expect(again.counts).toEqual({ added: 0, changed: 0, conflicting: 0, unchanged: 2 });
    expect(again.applied).toEqual({ added: 0, revised: 0, copies: 0, kept: 2 });
    writeFileSync(file, 'A=1\nB=changed\n');
    const mine = await importForeign(session, file, { split: true, strategy: 'mine' });
    // A .env file says nothing of when it changed: a difference is a conflict, never "theirs is newer".
    expect(mine.counts).toEqual({ added: 0, changed: 0, conflicting: 1, unchanged: 1 });
    expect(pairsOf(session, 'B')).toEqual({ B: '2' });
    const both = await importForeign(session, file, { split: true, strategy: 'both' });
    expect(both.items.find((i) => i.name === 'B')).toMatchObject({ action: 'add-copy', importedAs: 'B (imported)' });
    expect(pairsOf(session, 'B (imported)')).toEqual({ B: 'changed' });
    const theirs = await importForeign(session, file, { split: true, strategy: 'theirs' });
    expect(theirs.applied).toEqual({ added: 0, revised: 1, copies: 0, kept: 1 });
    expect(pairsOf(session, 'B')).toEqual({ B: 'changed' });
  });

  it("KeePassXC's Last Modified decides changed (newer than the vault's copy) or conflicting (older)", async () => {
    const dir = tmp();
    const { session } = await newVault(dir);
    await importForeign(session, fixture('keepassxc.csv'));
    const file = join(dir, 'edited.csv');
    const header = '"Group","Title","Username","Password","URL","Notes","TOTP","Icon","Last Modified","Created"\n';
    const row = (modified: string) => `"Root","GitHub","octocat","gh-pass-NEW","https://github.com","","","0","${modified}",""\n`;
    writeFileSync(file, header + row('2000-01-01T00:00:00Z'));
    expect((await importForeign(session, file, { dryRun: true })).items[0]).toMatchObject({ name: 'GitHub', status: 'conflicting', action: 'keep' });
    writeFileSync(file, header + row('2999-01-01T00:00:00Z'));
    const r = await importForeign(session, file, { strategy: 'theirs' });
    expect(r.items[0]).toMatchObject({ name: 'GitHub', status: 'changed', action: 'revise' });
    expect(getSecretValue(session, { name: 'GitHub' }, { use: { door: 'cli', how: 'print' }, field: 'clientSecret' }).value).toBe('gh-pass-NEW');
  });

  it('an entry named as a copy made earlier in the same import is numbered, not refused', async () => {
    const dir = tmp();
    const { session } = await newVault(dir);
    registerSecret(session, { type: 'key-value', name: 'A', fields: { pairs: [{ key: 'A', value: '1' }] } });
    const file = join(dir, 'clash.env');
    writeFileSync(file, 'A=2\nA (imported)=3\n');
    const r = await importForeign(session, file, { split: true, strategy: 'both' });
    expect(r.items.map((i) => [i.name, i.action, i.importedAs, i.renamedFrom])).toEqual([
      ['A', 'add-copy', 'A (imported)', undefined],
      ['A (imported) (2)', 'add', undefined, 'A (imported)'],
    ]);
    expect(pairsOf(session, 'A (imported) (2)')).toEqual({ 'A (imported)': '3' });
  });

  it('a copy of a name of 128 characters outside the BMP is cut by characters, never inside a surrogate pair', async () => {
    const dir = tmp();
    const { session } = await newVault(dir);
    const long = '🔑'.repeat(128);
    registerSecret(session, { type: 'key-value', name: long, fields: { pairs: [{ key: 'k', value: 'ours' }] } });
    const file = join(dir, 'long.csv');
    writeFileSync(file, `"Group","Title","Username","Password","URL","Notes","TOTP","Icon","Last Modified","Created"\n"Root","${long}","","theirs","","","","0","",""\n`);
    const r = await importForeign(session, file, { strategy: 'both' });
    const copy = `${'🔑'.repeat(128 - ' (imported)'.length)} (imported)`;
    expect(r.items[0]).toMatchObject({ action: 'add-copy', importedAs: copy });
    expect(pairsOf(session, copy)).toEqual({ password: 'theirs' });
  });

  it('a record its source validated is checked again only in a name the import numbered; --workspace places it', async () => {
    const dir = tmp();
    const { path, session } = await newVault(dir);
    addWorkspace(session, 'W');
    const before = tablesDigest(path);
    const fields = { pairs: [{ key: 'k', value: 'v' }] };
    const importValidated = (input: RegisterSecretInput, renamedFrom?: string, workspace?: string) =>
      importRecords(
        session,
        { read: (each) => each({ input, created: 0, updated: 0, validated: true, renamedFrom }, 0), where: () => 'entry 1', audit: () => ({ action: 'import.foreign', target: 'test' }) },
        { workspace },
      );
    expect(() => importValidated({ type: 'key-value', name: 'a\u0007b (2)', fields }, 'a\u0007b')).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'name' }));
    expect(tablesDigest(path)).toBe(before);
    expect(importValidated({ type: 'key-value', name: 'x', level: 'personal', fields }, undefined, 'w').applied.added).toBe(1);
    expect(pairsOf(session, 'x', 'W')).toEqual({ k: 'v' });
  });

  it('refused imports leave the vault as it was: bad file, a role that cannot create workspaces, an invalid file half-way', async () => {
    const dir = tmp();
    const { path, session, vault } = await newVault(dir);
    addWorkspace(session, 'Existing');
    registerSecret(session, { type: 'key-value', name: 'keep', fields: { pairs: [{ key: 'k', value: 'v' }] } });
    addMember(session, { name: 'bob', role: 'member', password: 'bob password 123' });
    const before = tablesDigest(path);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, '"Group","Title","Username","Password"\n"Root","a","u","p"\n"Root","b","u","unterminated\n');
    await expect(importForeign(session, bad)).rejects.toMatchObject({ code: 'VALIDATION', message: 'line 3: a quoted field is never closed' });
    await expect(importForeign(session, bad, { format: 'dotenv' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(importForeign(session, fixture('keepassxc.csv'), { format: 'keepass-xml' })).rejects.toMatchObject({ code: 'VALIDATION', field: 'file' });
    await expect(importForeign(session, fixture('keepassxc.csv'), { workspace: 'Nowhere' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(importForeign(session, dir)).rejects.toMatchObject({ code: 'VALIDATION', field: 'file' });
    expect(tablesDigest(path)).toBe(before);

    const bob = await vault.unlock('bob', 'bob password 123');
    const digest = tablesDigest(path, { exceptAudit: true });
    await expect(importForeign(bob, fixture('keepassxc.csv'))).rejects.toMatchObject({
      code: 'VALIDATION',
      field: 'workspace',
      message: expect.stringMatching(/\(Email, Servers\).*pass --workspace/),
    });
    await expect(importForeign(bob, fixture('keepassxc.csv'), { dryRun: true })).rejects.toMatchObject({ code: 'VALIDATION', field: 'workspace' });
    expect(tablesDigest(path, { exceptAudit: true })).toBe(digest);
    // Into a workspace that exists, a member needs no other right.
    const r = await importForeign(bob, fixture('keepassxc.csv'), { workspace: 'Existing' });
    expect(r.items.every((i) => i.workspace === 'Existing')).toBe(true);
    expect(r.items.map((i) => i.name)).toContain('Mailbox (2)');
  });

  it('a file that breaks after thousands of entries were applied and a workspace made rolls it all back', async () => {
    const dir = tmp();
    const { path, session } = await newVault(dir);
    const before = tablesDigest(path);
    const rows = Array.from({ length: 3000 }, (_, i) => `"Root/Fresh","entry ${i}","","p${i}"`);
    const file = join(dir, 'late.csv');
    writeFileSync(file, `"Group","Title","Username","Password"\n${rows.join('\n')}\n"Root/Fresh","last","","unterminated\n`);
    const progress: number[] = [];
    await expect(importForeign(session, file, {}, (done) => progress.push(done))).rejects.toMatchObject({ code: 'VALIDATION', message: 'line 3002: a quoted field is never closed' });
    expect(progress.length).toBeGreaterThan(0);
    expect(tablesDigest(path)).toBe(before);
    expect(listWorkspaces(session).map((w) => w.name)).toEqual([]);
    // The session's view of the roster went back with the transaction: the same workspace is made again.
    writeFileSync(file, `"Group","Title","Username","Password"\n${rows.join('\n')}\n`);
    expect((await importForeign(session, file)).applied.added).toBe(3000);
    expect(listWorkspaces(session).map((w) => w.name)).toEqual(['Fresh']);
  });
});
