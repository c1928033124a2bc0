import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registerSecret } from '../../../electron/core/secrets/registration';
import { PAGE_BYTES } from '../../../electron/core/db/connection';
import { behindIndex, flipInFile, withRawDb } from '../../support/sql';
import { newVault, useTempDir } from '../../support/vault';
import { coffer, errorLine, member } from './run';

/**
 * Issue 20, "Damage is reported, never hidden" (docs/product.md §1a): one damaged byte in the vault
 * file never hides secrets. Each case is one of the findings, as the CLI reports it in a
 * real process: a warning naming the scope and its secrets, TAMPERED (exit 4) instead of NOT_FOUND
 * or an internal error (exit 1), and `coffer doctor` listing what is unreadable.
 */
describe('a damaged vault file', () => {
  const tempDir = useTempDir();

  /** alice with three personal secrets and one for the organization, closed and checkpointed. */
  async function vaultOfAlice() {
    const { path, vault, session } = await newVault(tempDir());
    for (const name of ['p-1', 'p-2', 'p-3']) registerSecret(session, { type: 'api-key', name, fields: { headerName: 'X-Key', value: `${name}-value` } });
    registerSecret(session, { type: 'api-key', name: 'o-1', level: 'organization', fields: { headerName: 'X-Key', value: 'o-1-value' } });
    vault.close();
    return { path, alice: member(path, 'correct horse battery staple') };
  }

  const personal = (path: string, what: 'sealed_key FROM scope_grants g' | 'content FROM name_chunks g') =>
    withRawDb(path, (db) => db.prepare(`SELECT g.${what} JOIN scopes s ON s.id = g.scope_id WHERE s.kind = 'personal'`).pluck().get() as Buffer);

  it("a flipped byte in a grant's page: the scope and its three secrets are named, get is TAMPERED, doctor lists it", async () => {
    const { path, alice } = await vaultOfAlice();
    flipInFile(path, personal(path, 'sealed_key FROM scope_grants g'));
    const list = await alice(['secret', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('o-1');
    expect(list.stdout).not.toContain('p-1');
    expect(list.stderr).toContain('your key to personal scope of alice does not open (its grant is damaged, altered or missing): 3 secrets in it cannot be read');
    const get = await alice(['secret', 'get', 'p-1']);
    expect(get.code).toBe(4);
    expect(errorLine(get.stderr)).toMatchObject({ code: 'TAMPERED', field: 'name', message: expect.stringContaining('personal scope of alice does not open') });
    const doctor = await alice(['doctor']);
    expect(doctor.code).toBe(4);
    expect(doctor.stdout).toContain('the file passes its integrity check');
    expect(doctor.stdout).toContain('your key to personal scope of alice does not open: 3 secrets in it cannot be read');
    expect(errorLine(doctor.stderr).code).toBe('TAMPERED');
  });

  it('a flipped byte in a name chunk: its secrets are listed as unreadable, and doctor names them', async () => {
    const { path, alice } = await vaultOfAlice();
    flipInFile(path, personal(path, 'content FROM name_chunks g'));
    const list = await alice(['--json', 'secret', 'list']);
    expect(list.code).toBe(0);
    const items = JSON.parse(list.stdout) as { name: string; level: string; tampered?: boolean }[];
    expect(items.filter((i) => i.tampered).map((i) => i.level)).toEqual(['personal', 'personal', 'personal']);
    expect(items.filter((i) => !i.tampered).map((i) => i.name)).toEqual(['o-1']);
    const doctor = await alice(['--json', 'doctor']);
    expect(doctor.code).toBe(4);
    const report = JSON.parse(doctor.stdout) as { file: string[]; unlocked: boolean; secrets: { place: string; why: string }[] };
    expect(report).toMatchObject({ file: [], unlocked: true });
    expect(report.secrets.map((s) => s.why)).toEqual(['its name does not verify', 'its name does not verify', 'its name does not verify']);
  });

  it('a malformed page: TAMPERED (exit 4) with SQLite\'s words, never exit 1; doctor reports it without a key', async () => {
    const { path, alice } = await vaultOfAlice();
    withRawDb(path, (db) => db.pragma('wal_checkpoint(TRUNCATE)'));
    const root = withRawDb(path, (db) => db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'secrets'").pluck().get() as number);
    const bytes = readFileSync(path);
    // Not a page type SQLite knows: the first read of the secrets table fails.
    bytes[(root - 1) * PAGE_BYTES] = 0xff;
    writeFileSync(path, bytes);
    copyFileSync(path, `${path}.pre-v3.bak`);
    const list = await alice(['secret', 'list']);
    expect(list.code).toBe(4);
    expect(errorLine(list.stderr)).toMatchObject({ code: 'TAMPERED', message: expect.stringMatching(/^the vault file is damaged \(SQLite: database disk image is malformed.*coffer doctor/) });
    // No password on stdin and no terminal: the file alone is checked.
    const doctor = await coffer(['--vault', path, 'doctor']);
    expect(doctor.code).toBe(4);
    expect(doctor.stdout).toMatch(/SQLite {6}\d+ problem\(s\) in the file:/);
    expect(doctor.stdout).toContain('Unlocked    no (VALIDATION:');
    expect(doctor.stdout).toContain(`Backups     newest: ${path}.pre-v3.bak`);
    expect(errorLine(doctor.stderr).message).toContain(`restore it from ${path}.pre-v3.bak`);
  });

  it('two secrets given one listing number in the file: both listed by their verified names, each marked tampered', async () => {
    const { path, alice } = await vaultOfAlice();
    behindIndex(path, 'secrets_by_seq', 'UPDATE secrets SET seq = 1 WHERE seq = 2');
    const list = await alice(['secret', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('p-1 (tampered: its row in the file)');
    expect(list.stdout).toContain('p-2 (tampered: its row in the file)');
    expect(list.stdout).not.toContain('p-3 (tampered');
  });

  it('doctor on a sound vault: exit 0', async () => {
    const { alice } = await vaultOfAlice();
    const doctor = await alice(['doctor']);
    expect({ code: doctor.code, stderr: doctor.stderr }).toEqual({ code: 0, stderr: '' });
    expect(doctor.stdout).toContain('No damage found.');
  });
});
