import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerSecret } from '../../../electron/core/secrets/registration';
import { addMember } from '../../../electron/core/vault/members';
import { addTeam, addWorkspace } from '../../../electron/core/vault/structure';
import type { Member } from './run';
import { PASSWORD, alongside, coffer, errorLine, inParallel, lines, member, ok, step, useTempDirs } from './run';
import { seededVault } from './seeded';
import { readTable } from './table';

/** docs/cli.md "Commands": init, info, passwd, backup, member, workspace, team. */

const BOB_PASSWORD = 'bob has a long password';
const today = () => new Date().toISOString().slice(0, 10);

interface Info {
  path: string;
  id: string;
  organization: string;
  kdfProfile: string;
  members: { name: string; role: string }[];
  workspaces: { name: string }[];
  teams: { name: string; members: string[] }[];
  secrets: { total: number; active: number };
}

describe('init', alongside, () => {
  const tempDir = useTempDirs();

  it('creates the vault, its folder and its Account Holder; the fast KDF is warned about', async () => {
    const vault = join(tempDir(), 'nested', 'deeper', 'team.coffer');
    const r = await coffer(['--password-stdin', 'init', '--org', 'Acme Corp', '--member', 'alice', '--kdf', 'fast'], { stdin: lines(PASSWORD), env: { COFFER_VAULT: vault } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Created the vault of Acme Corp at ${vault}; alice is its Account Holder.\n`);
    expect(r.stderr).toMatch(/^coffer: warning: the fast KDF profile is for tests only/);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect(existsSync(vault)).toBe(true);
    expect(await ok(member(vault, PASSWORD)(['member', 'list']))).toMatch(/^alice\s+Account Holder\s+\d{4}-\d{2}-\d{2}\s+\d{4}-\d{2}-\d{2}$/m);
  });

  it('--json prints the new vault; --vault overrides COFFER_VAULT', async () => {
    const dir = tempDir();
    const vault = join(dir, 'json.coffer');
    const r = await coffer(['--json', '--vault', vault, '--password-stdin', 'init', '--org', 'Acme', '--member', 'alice', '--kdf', 'fast'], {
      stdin: lines(PASSWORD),
      env: { COFFER_VAULT: join(dir, 'ignored.coffer') },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ path: vault, id: expect.stringMatching(/^[0-9a-f-]{36}$/), organization: 'Acme', member: 'alice', kdf: 'fast' });
    expect(existsSync(join(dir, 'ignored.coffer'))).toBe(false);
  });

  it('without COFFER_VAULT the vault lives in $XDG_DATA_HOME/coffer/vault.coffer', async () => {
    const data = tempDir();
    const r = await coffer(['--password-stdin', 'init', '--org', 'Acme', '--member', 'alice', '--kdf', 'fast'], { stdin: lines(PASSWORD), env: { XDG_DATA_HOME: data } });
    expect(r.code).toBe(0);
    expect(existsSync(join(data, 'coffer', 'vault.coffer'))).toBe(true);
    expect((await coffer(['info'], { env: { XDG_DATA_HOME: data } })).stdout).toContain('Organization  Acme');
  });

  it('a bad KDF profile, organization or member name is refused and creates nothing', async () => {
    const dir = tempDir();
    const vault = join(dir, 'bad.coffer');
    const cases: [string[], string | undefined][] = [
      [['--org', 'Acme', '--member', 'alice', '--kdf', 'weak'], undefined],
      [['--org', '   ', '--member', 'alice', '--kdf', 'fast'], 'org'],
      [['--org', 'Acme', '--member', 'no spaces please', '--kdf', 'fast'], 'member'],
    ];
    for (const [args, field] of cases) {
      const r = await coffer(['--password-stdin', 'init', ...args], { stdin: lines(PASSWORD), env: { COFFER_VAULT: vault } });
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(errorLine(r.stderr).code).toBe('VALIDATION');
      if (field) expect(errorLine(r.stderr).field).toBe(field);
      expect(existsSync(vault)).toBe(false);
    }
  });
});

/**
 * A vault of Acme with alice (Account Holder) and bob (Member), and what the block needs besides,
 * set up in this process: `init` has its block above, and the others test what comes after.
 */
async function makeVault(dir: string, extras: { structure?: boolean; secret?: boolean }) {
  const vault = join(dir, 'vault.coffer');
  await seededVault(vault, (s) => {
    addMember(s, { name: 'bob', role: 'member', password: BOB_PASSWORD });
    if (extras.structure) {
      addWorkspace(s, 'Backend');
      addTeam(s, 'ops');
    }
    if (extras.secret) registerSecret(s, { type: 'api-key', name: 'very-secret-name', fields: { headerName: 'X-Key', value: 'very-secret-value' } });
  });
  const alice = member(vault, PASSWORD, 'alice');
  const bob = member(vault, BOB_PASSWORD, 'bob');
  return { dir, vault, alice, bob };
}

// Each block has its own vault and runs alongside the others; the tests inside a block build on
// each other, in order.
describe('info and backup', alongside, () => {
  const tempDir = useTempDirs();
  let dir = '';
  let vault = '';
  let alice: Member;

  beforeAll(async () => {
    ({ dir, vault, alice } = await makeVault(tempDir(), { structure: true, secret: true }));
  });

  describe.sequential('info', () => {
    it('needs no password and shows the organization and the members', async () => {
      // No --password-stdin and nothing on stdin: a password prompt would fail with exit 2.
      const r = await coffer(['info'], { env: { COFFER_VAULT: vault } });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain(`Vault         ${vault}\n`);
      expect(r.stdout).toContain('Organization  Acme\n');
      expect(r.stdout).toMatch(/^KDF profile {3}fast/m);
      expect(r.stdout).toMatch(/^Secrets {7}1 \(1 active, 0 inactive, 0 scheduled for deletion\)$/m);
      expect(r.stdout).toMatch(/^Workspaces {4}Backend$/m);
      expect(r.stdout).toMatch(/^Teams {9}ops$/m);
      const start = r.stdout.indexOf('MEMBER');
      const rows = readTable(r.stdout.slice(start), ['MEMBER', 'ROLE', 'SINCE']);
      expect(rows).toEqual([
        { MEMBER: 'alice', ROLE: 'Account Holder', SINCE: today() },
        { MEMBER: 'bob', ROLE: 'Member', SINCE: today() },
      ]);
      // Clear facts only: a secret's name is encrypted, so info cannot show it.
      expect(r.stdout).not.toContain('very-secret');
    });

    it('--json', async () => {
      const info = JSON.parse(await ok(coffer(['info', '--json'], { env: { COFFER_VAULT: vault } }))) as Info;
      expect(info).toMatchObject({ path: vault, organization: 'Acme', kdfProfile: 'fast', secrets: { total: 1, active: 1 } });
      expect(info.members.map((m) => [m.name, m.role])).toEqual([
        ['alice', 'account-holder'],
        ['bob', 'member'],
      ]);
      expect(info.workspaces.map((w) => w.name)).toEqual(['Backend']);
      expect(info.teams.map((t) => t.name)).toEqual(['ops']);
      expect(JSON.stringify(info)).not.toContain('very-secret');
    });
  });

  describe.sequential('backup', () => {
    it('makes a copy that unlocks with the same password and holds the same secrets', async () => {
      const copy = join(dir, 'copy.coffer');
      const r = await coffer(['backup', copy], { env: { COFFER_VAULT: vault } });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`Backed up ${vault} to ${copy}.\n`);
      const fromCopy = member(copy, PASSWORD, 'alice');
      const [original, backedUp, info] = await inParallel([
        () => alice(['secret', 'list', '--json']),
        () => fromCopy(['secret', 'list', '--json']),
        () => fromCopy(['info', '--json']),
      ]);
      expect(JSON.parse(await ok(backedUp!))).toEqual(JSON.parse(await ok(original!)));
      expect(JSON.parse(await ok(info!))).toMatchObject({ path: copy, organization: 'Acme' });
      // After the listings: a get records usage, which would change lastUsed.
      expect(await ok(fromCopy(['secret', 'get', 'very-secret-name']))).toBe('very-secret-value\n');
      // The copy is a vault of its own: a member's wrong password is still wrong there.
      expect((await member(copy, 'wrong password', 'alice')(['secret', 'list'])).code).toBe(3);
    });

    it('backup VAULT FILE; onto an existing file is a CONFLICT that leaves it alone', async () => {
      const copy = join(dir, 'explicit.coffer');
      expect((await coffer(['backup', vault, copy])).code).toBe(0);
      const before = readFileSync(copy);
      const again = await coffer(['backup', copy], { env: { COFFER_VAULT: vault } });
      expect(again.code).toBe(6);
      expect(errorLine(again.stderr)).toMatchObject({ code: 'CONFLICT', field: 'file' });
      expect(readFileSync(copy).equals(before)).toBe(true);
      const missing = await coffer(['backup', join(dir, 'missing.coffer'), join(dir, 'never.coffer')]);
      expect(missing.code).toBe(5);
      expect(existsSync(join(dir, 'never.coffer'))).toBe(false);
    });
  });
});

describe('member', alongside, () => {
  const tempDir = useTempDirs();
  let vault = '';
  let alice: Member;
  let bob: Member;

  beforeAll(async () => {
    ({ vault, alice, bob } = await makeVault(tempDir(), { secret: true }));
  });

  step('add, list and role', async () => {
    const add = await alice(['member', 'add', 'carol', '--role', 'sys-admin'], 'carol password 1');
    expect(add.code).toBe(0);
    expect(add.stdout).toBe('Added carol as Sys Admin.\n');
    const rows = readTable(await ok(alice(['member', 'list'])), ['MEMBER', 'ROLE', 'SINCE', 'LAST UNLOCK']);
    expect(rows.map((row) => [row.MEMBER, row.ROLE, row.SINCE, row['LAST UNLOCK']])).toEqual([
      ['alice', 'Account Holder', today(), today()],
      ['bob', 'Member', today(), expect.stringMatching(/^(never|\d{4}-\d{2}-\d{2})$/)],
      ['carol', 'Sys Admin', today(), 'never'],
    ]);
    const role = await alice(['member', 'role', 'carol', 'account-manager']);
    expect(role.stdout).toBe('carol is now Account Manager.\n');
    const list = JSON.parse(await ok(bob(['member', 'list', '--json']))) as { name: string; role: string; created: number }[];
    expect(list.map((m) => [m.name, m.role])).toEqual([
      ['alice', 'account-holder'],
      ['bob', 'member'],
      ['carol', 'account-manager'],
    ]);
    // carol unlocks with her own password.
    expect((await member(vault, 'carol password 1', 'carol')(['secret', 'list'])).code).toBe(0);
  });

  step('a taken name is a CONFLICT; a Sys Admin may not grant Account Holder', async () => {
    const taken = await alice(['member', 'add', 'BOB', '--role', 'member'], 'another password');
    expect(taken.code).toBe(6);
    expect(errorLine(taken.stderr)).toMatchObject({ code: 'CONFLICT', field: 'name' });
    await ok(alice(['member', 'add', 'dave', '--role', 'sys-admin'], 'dave password 1'));
    const dave = member(vault, 'dave password 1', 'dave');
    expect((await dave(['member', 'add', 'erin', '--role', 'account-holder'], 'erin password 1')).code).toBe(7);
    expect((await dave(['member', 'role', 'bob', 'account-holder'])).code).toBe(7);
  });

  step('remove: the member can no longer unlock', async () => {
    await ok(alice(['member', 'add', 'frank', '--role', 'member'], 'frank password 1'));
    const frank = member(vault, 'frank password 1', 'frank');
    await ok(frank(['secret', 'add', 'api-key', 'franks-key', '--header', 'X-Key', '--value-stdin'], 'frank-value'));
    expect((await bob(['member', 'remove', 'frank'])).code).toBe(7);
    expect((await alice(['member', 'remove', 'alice'])).code).toBe(6);
    const r = await alice(['member', 'remove', 'frank']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('frank');
    expect((await frank(['secret', 'list'])).code).toBe(3);
    expect(await ok(alice(['member', 'list']))).not.toContain('frank');
    expect((await alice(['member', 'remove', 'frank'])).code).toBe(5);
    // The others still read what they read before the keys were rotated.
    expect(await ok(alice(['secret', 'get', 'very-secret-name']))).toBe('very-secret-value\n');
  });

  step('the last Account Holder can step down once another member is Account Holder', async () => {
    expect((await alice(['member', 'role', 'alice', 'sys-admin'])).code).toBe(6);
    await ok(alice(['member', 'role', 'bob', 'account-holder']));
    expect(await ok(alice(['member', 'role', 'alice', 'sys-admin']))).toBe('alice is now Sys Admin.\n');
    // And back again, by the new Account Holder.
    expect(await ok(bob(['member', 'role', 'alice', 'account-holder']))).toBe('alice is now Account Holder.\n');
    await ok(alice(['member', 'role', 'bob', 'member']));
  });
});

describe('workspace and team', alongside, () => {
  const tempDir = useTempDirs();
  let alice: Member;
  let bob: Member;

  beforeAll(async () => {
    ({ alice, bob } = await makeVault(tempDir(), { structure: true }));
  });

  describe.sequential('workspace', () => {
    it('add, list and rename; secrets follow the new name', async () => {
      expect(await ok(alice(['workspace', 'add', 'Frontend']))).toBe('Created workspace Frontend.\n');
      await ok(alice(['secret', 'add', 'api-key', 'maps', '--level', 'workspace', '--workspace', 'Frontend', '--header', 'X-Key', '--value-stdin'], 'maps-value'));
      expect(readTable(await ok(alice(['workspace', 'list'])), ['WORKSPACE', 'CREATED'])).toEqual([
        { WORKSPACE: 'Backend', CREATED: today() },
        { WORKSPACE: 'Frontend', CREATED: today() },
      ]);
      expect(await ok(alice(['workspace', 'rename', 'Frontend', 'Web']))).toBe('Renamed workspace Frontend to Web.\n');
      const ws = JSON.parse(await ok(bob(['workspace', 'list', '--json']))) as { name: string }[];
      expect(ws.map((w) => w.name)).toEqual(['Backend', 'Web']);
      expect(await ok(bob(['secret', 'get', 'maps', '--workspace', 'Web']))).toBe('maps-value\n');
      const listed = JSON.parse(await ok(alice(['secret', 'list', '--json', '--workspace', 'Web']))) as { name: string; workspace: string }[];
      expect(listed).toEqual([expect.objectContaining({ name: 'maps', workspace: 'Web' })]);
    });

    it('a taken name is a CONFLICT; a Member may not create one', async () => {
      const taken = await alice(['workspace', 'add', 'backend']);
      expect(taken.code).toBe(6);
      expect(errorLine(taken.stderr)).toMatchObject({ code: 'CONFLICT', field: 'name' });
      expect((await alice(['workspace', 'rename', 'Web', 'Backend'])).code).toBe(6);
      expect((await bob(['workspace', 'add', 'Bobs'])).code).toBe(7);
    });
  });

  describe.sequential('team', () => {
    it('add, add-member, list, remove-member, rename and delete', async () => {
      expect(await ok(alice(['team', 'add', 'dev']))).toBe('Created team dev.\n');
      expect(await ok(alice(['team', 'add-member', 'dev', 'bob']))).toBe('bob is now in team dev.\n');
      expect(readTable(await ok(alice(['team', 'list'])), ['TEAM', 'MEMBERS', 'CREDENTIALS', 'CREATED'])).toEqual([
        { TEAM: 'dev', MEMBERS: 'bob', CREDENTIALS: '—', CREATED: today() },
        { TEAM: 'ops', MEMBERS: '—', CREDENTIALS: '—', CREATED: today() },
      ]);
      // A team-only organization secret: bob reads it through the team.
      await ok(alice(['secret', 'add', 'api-key', 'dev-key', '--level', 'organization', '--teams', 'dev', '--header', 'X-Key', '--value-stdin'], 'dev-value'));
      expect(await ok(bob(['secret', 'get', 'dev-key']))).toBe('dev-value\n');
      expect(await ok(alice(['team', 'remove-member', 'dev', 'bob']))).toBe('bob is no longer in team dev.\n');
      expect((await bob(['secret', 'get', 'dev-key'])).code).toBe(5);
      expect(await ok(alice(['team', 'rename', 'ops', 'sre']))).toBe('Renamed team ops to sre.\n');
      const teams = JSON.parse(await ok(alice(['team', 'list', '--json']))) as { name: string; members: string[] }[];
      expect(teams.map((t) => [t.name, t.members])).toEqual([
        ['dev', []],
        ['sre', []],
      ]);
      expect(await ok(alice(['team', 'delete', 'sre']))).toBe('Deleted team sre.\n');
      expect(JSON.parse(await ok(alice(['info', '--json']))).teams.map((t: { name: string }) => t.name)).toEqual(['dev']);
      expect((await alice(['team', 'delete', 'sre'])).code).toBe(5);
      expect((await bob(['team', 'add', 'bobs-team'])).code).toBe(7);
    });
  });
});

describe('passwd', alongside, () => {
  const tempDir = useTempDirs();
  let vault = '';
  let alice: Member;
  let bob: Member;

  beforeAll(async () => {
    ({ vault, alice, bob } = await makeVault(tempDir(), { secret: true }));
    await ok(bob(['secret', 'add', 'api-key', 'bobs-key', '--header', 'X-Key', '--value-stdin'], 'bob-value'));
  });

  step('takes the current then the new password; then the old fails with 3 and the new works', async () => {
    const next = 'a brand new passphrase';
    const wrong = await coffer(['--as', 'bob', '--password-stdin', 'passwd'], { stdin: lines('not bobs password', next), env: { COFFER_VAULT: vault } });
    expect(wrong.code).toBe(3);
    const r = await coffer(['--as', 'bob', '--password-stdin', 'passwd'], { stdin: lines(BOB_PASSWORD, next), env: { COFFER_VAULT: vault } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Password changed for bob.\n');
    expect(r.stdout + r.stderr).not.toContain(next);
    expect((await bob(['secret', 'list'])).code).toBe(3);
    // The new password opens the same keys: bob's secrets read as before.
    expect(await ok(member(vault, next, 'bob')(['secret', 'get', 'bobs-key']))).toBe('bob-value\n');
    // Only bob's password changed.
    expect(await ok(alice(['secret', 'get', 'very-secret-name']))).toBe('very-secret-value\n');
    const back = await coffer(['--as', 'bob', '--password-stdin', '--json', 'passwd'], { stdin: lines(next, BOB_PASSWORD), env: { COFFER_VAULT: vault } });
    expect(JSON.parse(await ok(back))).toEqual({ changed: true, member: 'bob' });
    expect((await bob(['secret', 'list'])).code).toBe(0);
  });

  step('a missing or too short new password fails and changes nothing', async () => {
    const missing = await coffer(['--as', 'bob', '--password-stdin', 'passwd'], { stdin: lines(BOB_PASSWORD), env: { COFFER_VAULT: vault } });
    expect(missing.code).toBe(2);
    expect(errorLine(missing.stderr).code).toBe('VALIDATION');
    const short = await coffer(['--as', 'bob', '--password-stdin', 'passwd'], { stdin: lines(BOB_PASSWORD, 'short'), env: { COFFER_VAULT: vault } });
    expect(short.code).toBe(2);
    expect(errorLine(short.stderr)).toMatchObject({ code: 'VALIDATION', field: 'newPassword' });
    expect((await bob(['secret', 'list'])).code).toBe(0);
  });
});
