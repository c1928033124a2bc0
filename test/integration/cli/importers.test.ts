import { mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeKeepassXml } from '../../../scripts/bench/foreign-exports';
import { tablesDigest } from '../../support/sql';
import { alongside, errorLine, initVault, ok, useTempDirs } from './run';

const FIXTURES = join(__dirname, '../../fixtures/importers');

describe('coffer import of foreign files', alongside, () => {
  const tmp = useTempDirs();

  it('detects a KeePassXC CSV, previews it, imports it with its groups as workspaces, and reports what it skipped', async () => {
    const dir = tmp();
    const alice = await initVault(join(dir, 'a.coffer'));
    const file = join(FIXTURES, 'keepassxc.csv');
    const dry = await ok(alice(['import', file, '--dry-run']));
    expect(dry).toMatch(/^Would import 7 secret\(s\) from the KeePassXC CSV file keepassxc\.csv:/);
    expect(dry).toMatch(/7 added, 0 changed, 0 conflicting, 0 unchanged/);
    expect(dry).toMatch(/workspaces that would be created: Email, Servers/);
    expect(dry).toMatch(/Mailbox \(2\) .*renamed from "Mailbox"/);
    expect(dry).toMatch(/Skipped 1:\n.*\nline 6 +Ancient +nothing secret to keep/);
    expect(dry).toMatch(/nothing was written/);
    // Neither values nor anything of the file's secrets but names reach the output.
    expect(dry).not.toMatch(/gh-pass-1|mail-pass|octocat/);
    expect((await alice(['workspace', 'list', '--json'])).stdout).toBe('[]\n');

    const r = JSON.parse(await ok(alice(['--json', 'import', '--from', 'keepassxc-csv', file])));
    expect(r.source).toEqual({ format: 'keepassxc-csv', file, items: 7, workspacesCreated: ['Email', 'Servers'] });
    expect(r.applied).toEqual({ added: 7, revised: 0, copies: 0, kept: 0 });
    expect(r.skipped).toEqual([{ source: 'line 6', title: 'Ancient', reason: 'nothing secret to keep: no password, notes or custom fields' }]);
    expect(r.bundle).toBeUndefined();
    expect(await ok(alice(['secret', 'get', 'db', '--workspace', 'Servers', '--field', 'clientSecret']))).toBe('db-pass\n');
    expect(await ok(alice(['secret', 'get', 'Mailbox', '--workspace', 'Email', '--field', 'notes']))).toBe('Line one\nLine two with "quotes", and a comma\n');

    const again = await ok(alice(['import', file, '--strategy', 'both']));
    expect(again).toMatch(/^Compared 7 secret\(s\)/);
    expect(again).toMatch(/0 added, 0 changed, 0 conflicting, 7 unchanged/);
  });

  it("reads back a KeePassXC CSV of Coffer's plain export as the secrets it was written from", async () => {
    const dir = tmp();
    const alice = await initVault(join(dir, 'a.coffer'));
    await ok(alice(['workspace', 'add', 'Backend']));
    const ws = ['--level', 'workspace', '--workspace', 'Backend'];
    await ok(alice(['secret', 'add', 'api-key', 'stripe', ...ws, '--header', 'X-Key', '--expires', '2027-03-04', '--value-stdin'], 'sk_round_1'));
    await ok(alice(['secret', 'add', 'bearer-token', 'gh', ...ws, '--header', 'Authorization', '--value-stdin'], 'Bearer round-2'));
    await ok(alice(['secret', 'add', 'key-value', 'env', ...ws, '--kv', 'DB_PASS'], 'round "3"\nline'));
    const csv = join(dir, 'backend.csv');
    await ok(alice(['export', '--plaintext', '--format', 'keepassxc-csv', '--workspace', 'Backend', '--out', csv]));

    const bob = await initVault(join(dir, 'b.coffer'));
    const r = JSON.parse(await ok(bob(['--json', 'import', csv])));
    expect([r.source.format, r.source.workspacesCreated, r.skipped]).toEqual(['keepassxc-csv', ['Backend'], []]);
    const json = async (run: typeof alice) => {
      const out = join(dir, `${run === alice ? 'a' : 'b'}.json`);
      await ok(run(['export', '--plaintext', '--format', 'json', '--workspace', 'Backend', '--out', out]));
      return readFileSync(out, 'utf8');
    };
    const mine = await json(alice);
    expect(JSON.parse(mine).map((x: { type: string }) => x.type)).toEqual(['api-key', 'bearer-token', 'key-value']);
    expect(await json(bob)).toBe(mine);
  });

  it('.env with --split and --workspace; 1Password CSV detected; errors are typed with their exit codes and write nothing', async () => {
    const dir = tmp();
    const alice = await initVault(join(dir, 'a.coffer'));
    await ok(alice(['workspace', 'add', 'Backend']));
    const env = await ok(alice(['--json', 'import', '--from', 'dotenv', '--split', '--workspace', 'Backend', join(FIXTURES, 'app.env')]));
    expect(JSON.parse(env).items.map((i: { name: string; workspace: string }) => `${i.workspace}/${i.name}`)).toEqual(['Backend/DB_HOST', 'Backend/DB_PASS', 'Backend/API_KEY', 'Backend/DB_PASS (2)']);
    expect(await ok(alice(['secret', 'get', 'DB_PASS (2)', '--field', 'DB_PASS']))).toBe('again\n');
    const op = JSON.parse(await ok(alice(['--json', 'import', join(FIXTURES, '1password.csv')])));
    expect(op.source.format).toBe('1password-csv');
    expect(op.counts.added).toBe(4);
    const kp = JSON.parse(await ok(alice(['--json', 'import', join(FIXTURES, 'keepass-full.xml')])));
    expect([kp.source.format, kp.counts.added, kp.skipped.length]).toEqual(['keepass-xml', 3, 5]);
    const bw = JSON.parse(await ok(alice(['--json', 'import', '--workspace', 'Backend', join(FIXTURES, 'bitwarden-organization.json')])));
    expect([bw.source.format, bw.items.map((i: { workspace: string }) => i.workspace)]).toEqual(['bitwarden-json', ['Backend', 'Backend', 'Backend']]);

    const before = tablesDigest(alice.vault, { exceptAudit: true });
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    const isFolder = await alice(['import', '--from', 'dotenv', folder]);
    expect(isFolder.code).toBe(2);
    expect(errorLine(isFolder.stderr)).toMatchObject({ code: 'VALIDATION', field: 'file' });
    const unknown = join(dir, 'notes.txt');
    writeFileSync(unknown, 'hello\nworld\n');
    expect(errorLine((await alice(['import', unknown])).stderr)).toMatchObject({ code: 'VALIDATION', field: 'from', message: expect.stringMatching(/not a Coffer bundle, and not a file an importer recognizes/) });
    const notXml = await alice(['import', '--from', 'keepass-xml', unknown]);
    expect(errorLine(notXml.stderr)).toMatchObject({ code: 'VALIDATION', field: 'file', message: expect.stringMatching(/KeePass XML is malformed|not a KeePass/) });
    const encrypted = join(dir, 'bw.json');
    writeFileSync(encrypted, '{"encrypted": true, "passwordProtected": true, "data": "2.abc"}');
    expect(errorLine((await alice(['import', encrypted])).stderr).message).toMatch(/encrypted Bitwarden export/);
    const split = await alice(['import', '--from', 'keepassxc-csv', '--split', join(FIXTURES, 'keepassxc.csv')]);
    expect(errorLine(split.stderr)).toMatchObject({ code: 'VALIDATION', field: 'split' });
    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, '"Group","Title","Username","Password"\n"Root","a","u","p"\n"Root","b","u","never closed\n');
    const r = await alice(['import', broken]);
    expect(r.code).toBe(2);
    expect(errorLine(r.stderr)).toMatchObject({ code: 'VALIDATION', message: 'line 3: a quoted field is never closed' });
    expect(r.stderr).not.toContain('never closed\n"');
    expect(tablesDigest(alice.vault, { exceptAudit: true })).toBe(before);
  });

});

// Not alongside the others: two imports of thousands of entries, each with its reading thread, would
// slow them past their time on two cores.
describe('coffer import of a file read on a second thread', () => {
  const tmp = useTempDirs();

  it('reads a file over a MiB on a second thread: everything imported, and a file cut short refused with nothing written', async () => {
    const dir = tmp();
    const alice = await initVault(join(dir, 'a.coffer'));
    const file = join(dir, 'export.xml');
    writeKeepassXml(file, 1500);
    expect(statSync(file).size).toBeGreaterThan(1 << 20);
    const r = JSON.parse(await ok(alice(['--json', 'import', file])));
    expect([r.source.format, r.source.items, r.counts.added, r.skipped.length]).toEqual(['keepass-xml', 1500, 1500, 0]);
    const cut = join(dir, 'cut.xml');
    writeKeepassXml(cut, 3000);
    truncateSync(cut, Math.floor(statSync(cut).size * 0.75));
    const before = tablesDigest(alice.vault, { exceptAudit: true });
    const refused = await alice(['import', cut, '--strategy', 'theirs']);
    expect(refused.code).toBe(2);
    expect(errorLine(refused.stderr)).toMatchObject({ code: 'VALIDATION', field: 'file', message: expect.stringMatching(/KeePass XML is malformed/) });
    expect(tablesDigest(alice.vault, { exceptAudit: true })).toBe(before);
  });
});
