import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerSecret } from '../../../electron/core/secrets/registration';
import type { Session } from '../../../electron/core/vault/session';
import { addMember } from '../../../electron/core/vault/members';
import { flipByte, tablesDigest, withRawDb } from '../../support/sql';
import type { CofferResult, Member } from './run';
import { PASSWORD, alongside, coffer, errorLine, inParallel, lines, member, ok, useTempDirs } from './run';
import { seededVault } from './seeded';

/** Exit codes and the error line of docs/cli.md "How every command behaves", through real child processes. */

const BOB_PASSWORD = 'bob has a long password';

interface Listed {
  id: string;
  name: string;
  level: string;
}

/** Registers an API key in this process (setup, not the command under test): its id. */
const apiKey = (s: Session, name: string, value: string, level: 'personal' | 'organization' = 'personal'): string =>
  registerSecret(s, { type: 'api-key', name, level, fields: { headerName: 'X-Api-Key', value } }).id;

/** The bytes SQLite keeps for a vault: main file, and the write-ahead log when there is one. */
const fileBytes = (path: string): Buffer =>
  Buffer.concat([readFileSync(path), ...(existsSync(`${path}-wal`) ? [readFileSync(`${path}-wal`)] : [])]);

// Every test here is independent of the others, so they run concurrently (`alongside`): tests that
// compare bytes or digests use a vault of their own, since a concurrent `get` records usage.
describe('CLI exit codes and error lines', alongside, () => {
  const tempDir = useTempDirs();
  let dir = '';
  let vault = '';
  let alice: Member;
  let bob: Member;

  beforeAll(async () => {
    dir = tempDir();
    vault = join(dir, 'vault.coffer');
    await seededVault(vault, (s) => {
      addMember(s, { name: 'bob', role: 'member', password: BOB_PASSWORD });
      apiKey(s, 'gh', 'gh-value-1');
      apiKey(s, 'shared', 'personal-shared-value');
      apiKey(s, 'shared', 'org-shared-value', 'organization');
    });
    alice = member(vault, PASSWORD, 'alice');
    bob = member(vault, BOB_PASSWORD, 'bob');
  });

  describe('0: success', () => {
    it('exits 0 with nothing on stderr', async () => {
      const r = await alice(['secret', 'list']);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('gh');
    });
  });

  describe('2: usage errors and VALIDATION', () => {
    it('an unknown option', async () => {
      const r = await alice(['secret', 'list', '--bogus']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(errorLine(r.stderr)).toEqual({ code: 'VALIDATION', message: expect.stringContaining("unknown option '--bogus'") });
      expect(r.stderr).toBe(`${r.stderr.trimEnd()}\n`);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    });

    it('an unknown command', async () => {
      const r = await alice(['secrets', 'list']);
      expect(r.code).toBe(2);
      expect(errorLine(r.stderr).code).toBe('VALIDATION');
    });

    it('a missing command is a usage error with one error line, not help and exit 0', async () => {
      const results = await inParallel([[], ['secret'], ['--json', 'member']].map((args) => () => coffer(args, { env: { COFFER_VAULT: vault } })));
      const [bare, secret, json] = results as [CofferResult, CofferResult, CofferResult];
      for (const r of [bare, secret]) {
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
        expect(errorLine(r.stderr).code).toBe('VALIDATION');
      }
      expect(errorLine(secret.stderr).message).toContain('coffer secret add|list|show|get');
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stderr)).toEqual({ error: { code: 'VALIDATION', message: expect.stringContaining('coffer member add|list|role|remove') } });
    });

    it('--help on a command prints its usage on stdout and exits 0', async () => {
      const [top, add] = await inParallel([['--help'], ['secret', 'add', '--help']].map((args) => () => coffer(args)));
      expect(top!.code).toBe(0);
      expect(top!.stdout).toMatch(/^Usage: coffer \[options\] \[command\]/);
      expect(top!.stderr).toBe('');
      expect(add!.code).toBe(0);
      expect(add!.stdout).toMatch(/^Usage: coffer secret add \[options\] <type> <name>/);
      expect(add!.stdout).toContain('--value-stdin');
    });

    it('a bad choice for the type argument', async () => {
      const r = await alice(['secret', 'add', 'password', 'x', '--value-stdin'], 'v');
      expect(r.code).toBe(2);
      const e = errorLine(r.stderr);
      expect(e.code).toBe('VALIDATION');
      expect(e.message).toContain('password');
      expect(e.message).toContain('api-key');
    });

    it('a bad choice for an option', async () => {
      const r = await alice(['secret', 'list', '--sort', 'colour']);
      expect(r.code).toBe(2);
      expect(errorLine(r.stderr).code).toBe('VALIDATION');
    });

    it('a missing required option', async () => {
      const r = await coffer(['--password-stdin', 'init', '--org', 'Acme', '--kdf', 'fast'], { stdin: lines(PASSWORD), env: { COFFER_VAULT: join(dir, 'none.coffer') } });
      expect(r.code).toBe(2);
      expect(errorLine(r.stderr)).toEqual({ code: 'VALIDATION', message: expect.stringContaining('--member') });
      expect(existsSync(join(dir, 'none.coffer'))).toBe(false);

      const noRole = await alice(['member', 'add', 'carol'], 'carol password 1');
      expect(noRole.code).toBe(2);
      expect(errorLine(noRole.stderr).message).toContain('--role');
    });

    it('a bad header name names the field headerName', async () => {
      const r = await alice(['secret', 'add', 'api-key', 'bad', '--header', 'Bad Header', '--value-stdin'], 'v');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^coffer: VALIDATION: .+ \(field: headerName\)\n$/);
    });

    it('other bad input names its field', async () => {
      const cases: [string[], string[], string][] = [
        [['secret', 'add', 'api-key', 'x', '--header', 'H', '--expires', '2027-02-30', '--value-stdin'], ['v'], 'expires'],
        [['secret', 'add', 'client-credentials', 'x', '--client-id', 'id', '--url', 'ftp://example.com', '--value-stdin'], ['v'], 'url'],
        [['secret', 'get', 'gh', '--field', 'nope'], [], 'field'],
        [['secret', 'restore', 'gh', 'first'], [], 'revision'],
      ];
      for (const [args, more, field] of cases) {
        const r = await alice(args, ...more);
        expect({ args, code: r.code }).toEqual({ args, code: 2 });
        expect(errorLine(r.stderr)).toMatchObject({ code: 'VALIDATION', field });
      }
    });

    it('a bad scalar input (role, member name, password, workspace name) names its field', async () => {
      const cases: [string[], string[], string][] = [
        [['member', 'add', 'carol', '--role', 'overlord'], ['carol password 1'], 'role'],
        [['member', 'add', 'bad name!', '--role', 'member'], ['carol password 1'], 'name'],
        [['member', 'add', 'carol', '--role', 'member'], ['short'], 'password'],
        [['workspace', 'add', '   '], [], 'name'],
        [['passwd'], ['short'], 'newPassword'],
      ];
      const results = await inParallel(cases.map(([args, more]) => () => alice(args, ...more)));
      cases.forEach(([args, , field], i) => {
        const r = results[i]!;
        expect({ args, code: r.code }).toEqual({ args, code: 2 });
        expect(errorLine(r.stderr)).toMatchObject({ code: 'VALIDATION', field });
      });
      expect(await ok(alice(['member', 'list']))).not.toContain('carol');
    });

    it('a file that is not a vault', async () => {
      const notVault = join(dir, 'notes.txt');
      writeFileSync(notVault, 'hello, not SQLite at all\n'.repeat(100));
      const r = await coffer(['--vault', notVault, 'info']);
      expect(r.code).toBe(2);
      expect(errorLine(r.stderr)).toMatchObject({ code: 'VALIDATION', field: 'vault' });
    });
  });

  describe('3: AUTH', () => {
    it('a wrong password', async () => {
      const r = await coffer(['--as', 'alice', '--password-stdin', 'secret', 'get', 'gh'], { stdin: lines('not the password'), env: { COFFER_VAULT: vault } });
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('coffer: AUTH: wrong member name or password\n');
    });

    it('an unknown member says the same as a wrong password', async () => {
      const r = await member(vault, PASSWORD, 'mallory')(['secret', 'list']);
      expect(r.code).toBe(3);
      expect(r.stderr).toBe('coffer: AUTH: wrong member name or password\n');
    });
  });

  describe('4: TAMPERED', () => {
    it('a flipped byte of a revision fails verification; other secrets stay readable', async () => {
      const d = tempDir();
      const v = join(d, 'tampered.coffer');
      let id = '';
      const who = await seededVault(v, (s) => {
        id = apiKey(s, 'victim', 'victim-value');
        apiKey(s, 'bystander', 'bystander-value');
      });
      flipByte(v, 'revisions', 'content', 'secret_id = ? AND revision = 1', [id]);

      const r = await who(['secret', 'get', 'victim']);
      expect(r.code).toBe(4);
      expect(r.stdout).toBe('');
      expect(errorLine(r.stderr).code).toBe('TAMPERED');
      expect(r.stderr).not.toContain('victim-value');

      const other = await who(['secret', 'get', 'bystander']);
      expect(other.code).toBe(0);
      expect(other.stdout).toBe('bystander-value\n');
      // The listing needs no revision: it still works and names both.
      const listed = JSON.parse(await ok(who(['secret', 'list', '--json']))) as Listed[];
      expect(listed.map((s) => s.name).sort()).toEqual(['bystander', 'victim']);
    }, 60_000);
  });

  describe('5: NOT_FOUND', () => {
    it('an unknown secret', async () => {
      const r = await alice(['secret', 'get', 'no-such-secret']);
      expect(r.code).toBe(5);
      expect(r.stdout).toBe('');
      expect(errorLine(r.stderr)).toMatchObject({ code: 'NOT_FOUND', field: 'name' });
      expect(errorLine(r.stderr).message).toContain('no-such-secret');
    });

    it('an unknown member, workspace or team', async () => {
      const cases: [string[], string][] = [
        [['member', 'role', 'nobody', 'member'], 'member'],
        [['workspace', 'rename', 'Nowhere', 'Somewhere'], 'workspace'],
        [['team', 'add-member', 'no-team', 'alice'], 'team'],
      ];
      const results = await inParallel(cases.map(([args]) => () => alice(args)));
      cases.forEach(([args, field], i) => {
        expect({ args, code: results[i]!.code }).toEqual({ args, code: 5 });
        expect(errorLine(results[i]!.stderr)).toMatchObject({ code: 'NOT_FOUND', field });
      });
    });

    it('a missing vault file, for commands with and without a password', async () => {
      const missing = join(dir, 'nowhere', 'missing.coffer');
      for (const args of [['info'], ['--password-stdin', 'secret', 'list']]) {
        const r = await coffer(args, { stdin: lines(PASSWORD), env: { COFFER_VAULT: missing } });
        expect(r.code).toBe(5);
        expect(errorLine(r.stderr)).toMatchObject({ code: 'NOT_FOUND', field: 'vault' });
      }
      expect(existsSync(missing)).toBe(false);
    });
  });

  describe('6: CONFLICT', () => {
    it('a name already taken at the same level', async () => {
      const r = await alice(['secret', 'add', 'api-key', 'gh', '--header', 'X-Api-Key', '--value-stdin'], 'other');
      expect(r.code).toBe(6);
      expect(errorLine(r.stderr)).toMatchObject({ code: 'CONFLICT', field: 'name' });
    });

    it('a name that exists at several levels, until a level is chosen', async () => {
      const r = await alice(['secret', 'get', 'shared']);
      expect(r.code).toBe(6);
      expect(r.stdout).toBe('');
      const e = errorLine(r.stderr);
      expect(e.code).toBe('CONFLICT');
      expect(e.message).toContain('personal/shared');
      expect(e.message).toContain('organization/shared');
      expect(await ok(alice(['secret', 'get', 'shared', '--level', 'organization']))).toBe('org-shared-value\n');
      expect(await ok(alice(['secret', 'get', 'shared', '--level', 'personal']))).toBe('personal-shared-value\n');
    });

    it('init over an existing file', async () => {
      const r = await coffer(['--password-stdin', 'init', '--org', 'Other', '--member', 'eve', '--kdf', 'fast'], { stdin: lines(PASSWORD), env: { COFFER_VAULT: vault } });
      expect(r.code).toBe(6);
      expect(errorLine(r.stderr)).toMatchObject({ code: 'CONFLICT', field: 'vault' });
      expect(await ok(coffer(['info', '--json'], { env: { COFFER_VAULT: vault } }))).toContain('"organization": "Acme"');
      // Any file: init never overwrites, and checks before asking for a password.
      const other = join(tempDir(), 'notes.coffer');
      writeFileSync(other, 'my notes\n');
      const again = await coffer(['init', '--org', 'Other', '--member', 'eve', '--kdf', 'fast'], { env: { COFFER_VAULT: other } });
      expect(again.code).toBe(6);
      expect(readFileSync(other, 'utf8')).toBe('my notes\n');
    });

    it('demoting the last Account Holder', async () => {
      const r = await alice(['member', 'role', 'alice', 'member']);
      expect(r.code).toBe(6);
      expect(errorLine(r.stderr)).toMatchObject({ code: 'CONFLICT', field: 'role' });
      expect(await ok(alice(['member', 'list']))).toMatch(/^alice\s+Account Holder\s/m);
    });
  });

  describe('7: FORBIDDEN', () => {
    it('a Member adding a member', async () => {
      const r = await bob(['member', 'add', 'carol', '--role', 'member'], 'carol password 1');
      expect(r.code).toBe(7);
      expect(errorLine(r.stderr).code).toBe('FORBIDDEN');
      expect(await ok(alice(['member', 'list']))).not.toContain('carol');
    });

    it('a Member registering an organization secret', async () => {
      const r = await bob(['secret', 'add', 'api-key', 'bobs-org-key', '--level', 'organization', '--header', 'X-Key', '--value-stdin'], 'bob-org-value');
      expect(r.code).toBe(7);
      expect(errorLine(r.stderr).code).toBe('FORBIDDEN');
      expect(r.stderr).not.toContain('bob-org-value');
      expect(await ok(alice(['secret', 'list', '--level', 'organization', '--json']))).not.toContain('bobs-org-key');
    });
  });

  describe('8: LOCKED and UNSUPPORTED_VERSION', () => {
    it('--read-only refuses writes and writes nothing', async () => {
      const v = join(tempDir(), 'read-only.coffer');
      const who = await seededVault(v, (s) => apiKey(s, 'gh', 'gh-value-1'));
      const before = tablesDigest(v);
      const add = await who(['--read-only', 'secret', 'add', 'api-key', 'ro', '--header', 'X-Key', '--value-stdin'], 'ro-value');
      expect(add.code).toBe(8);
      expect(errorLine(add.stderr).code).toBe('LOCKED');
      expect(errorLine(add.stderr).message).toContain('read-only');
      const edit = await who(['--read-only', 'secret', 'edit', 'gh', '--value-stdin'], 'gh-value-2');
      expect(edit.code).toBe(8);
      expect(errorLine(edit.stderr).code).toBe('LOCKED');
      const ws = await who(['--read-only', 'workspace', 'add', 'Backend']);
      expect(ws.code).toBe(8);
      expect(tablesDigest(v)).toBe(before);
      expect(await ok(who(['secret', 'get', 'gh']))).toBe('gh-value-1\n');
    });

    it('a vault from a newer Coffer is refused by every command and left byte for byte', async () => {
      const d = tempDir();
      const v = join(d, 'future.coffer');
      await seededVault(v, (s) => apiKey(s, 'k', 'future-value'));
      withRawDb(v, (db) => db.pragma('user_version = 999'));
      const before = fileBytes(v);
      const commands: [string[], string[]][] = [
        [['info'], []],
        [['--read-only', 'info'], []],
        [['--password-stdin', 'secret', 'list'], [PASSWORD]],
        [['--password-stdin', 'secret', 'get', 'k'], [PASSWORD]],
        [['--password-stdin', 'secret', 'add', 'api-key', 'k2', '--header', 'X-Key', '--value-stdin'], [PASSWORD, 'v2']],
      ];
      for (const [args, input] of commands) {
        const r = await coffer(args, { stdin: lines(...input), env: { COFFER_VAULT: v } });
        expect({ args, code: r.code }).toEqual({ args, code: 8 });
        expect(errorLine(r.stderr).code).toBe('UNSUPPORTED_VERSION');
        expect(r.stderr).toContain('999');
      }
      expect(fileBytes(v).equals(before)).toBe(true);
      expect(withRawDb(v, (db) => db.pragma('user_version', { simple: true }))).toBe(999);
    });
  });

  describe('--json errors', () => {
    const parse = (stderr: string) => {
      expect(stderr.endsWith('\n')).toBe(true);
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      return JSON.parse(stderr) as { error: { code: string; message: string; field?: string } };
    };

    it('a core error is one JSON object with its field', async () => {
      const r = await alice(['--json', 'secret', 'get', 'no-such-secret']);
      expect(r.code).toBe(5);
      expect(r.stdout).toBe('');
      const e = parse(r.stderr);
      expect(Object.keys(e)).toEqual(['error']);
      expect(e.error).toEqual({ code: 'NOT_FOUND', message: expect.stringContaining('no-such-secret'), field: 'name' });
    });

    it('a validation error names the field', async () => {
      const r = await alice(['--json', 'secret', 'add', 'api-key', 'bad', '--header', 'Bad Header', '--value-stdin'], 'v');
      expect(r.code).toBe(2);
      expect(parse(r.stderr).error).toEqual({ code: 'VALIDATION', message: expect.any(String), field: 'headerName' });
    });

    it('a usage error and an AUTH error are JSON too; no field when none is at fault', async () => {
      const usage = await alice(['secret', 'list', '--bogus', '--json']);
      expect(usage.code).toBe(2);
      expect(parse(usage.stderr).error).toEqual({ code: 'VALIDATION', message: expect.stringContaining('--bogus') });
      const auth = await member(vault, 'wrong password!', 'alice')(['--json', 'secret', 'list']);
      expect(auth.code).toBe(3);
      expect(parse(auth.stderr)).toEqual({ error: { code: 'AUTH', message: 'wrong member name or password' } });
    });
  });
});
