import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Member } from './run';
import { COFFER_BIN, PASSWORD, alongside, cleanEnv, coffer, cofferSync, errorLine, initVault, lines, member, ok, step, useTempDirs } from './run';

/** docs/cli.md "How every command behaves": stdin lines in order, --as, and no prompt without a terminal. */

const BOB_PASSWORD = 'bob has a long password';

describe('passwords and values from stdin', alongside, () => {
  const tempDir = useTempDirs();
  let vault = '';
  let alice: Member;
  const get = (name: string, stdin: string) => coffer(['--password-stdin', 'secret', 'get', name], { stdin, env: { COFFER_VAULT: vault } });

  beforeAll(async () => {
    vault = join(tempDir(), 'vault.coffer');
    alice = await initVault(vault);
  });

  step('--password-stdin reads the first line only; later lines are left for values', async () => {
    await ok(alice(['secret', 'add', 'api-key', 'first', '--header', 'X-Key', '--value-stdin'], 'the value line'));
    // The password line alone unlocks; extra lines after it are ignored by a command that needs none.
    const r = await get('first', lines(PASSWORD, 'ignored line', 'another'));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('the value line\n');
    // A password is the whole line, spaces included; a CRLF line ending is not part of it.
    expect(await ok(get('first', `${PASSWORD}\r\n`))).toBe('the value line\n');
    // Only the first line is the password: the right one on line two does not unlock.
    expect((await get('first', lines('wrong first line', PASSWORD))).code).toBe(3);
  });

  step('global options work after the subcommand too', async () => {
    const r = await coffer(['secret', 'get', 'first', '--password-stdin'], { stdin: lines(PASSWORD), env: { COFFER_VAULT: vault } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('the value line\n');
    const v = await coffer(['secret', 'list', '--json', '--vault', vault, '--password-stdin'], { stdin: lines(PASSWORD) });
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout)).toEqual([expect.objectContaining({ name: 'first' })]);
  });

  step('--value-stdin takes the line after the password, spaces and all', async () => {
    const value = '  sk_live value with spaces  ';
    const add = await alice(['secret', 'add', 'bearer-token', 'spaced', '--header', 'Authorization', '--value-stdin'], value);
    expect(add.code).toBe(0);
    expect(add.stdout + add.stderr).not.toContain('sk_live');
    expect(await ok(alice(['secret', 'get', 'spaced']))).toBe(`${value}\n`);
  });

  step('a missing value line is a VALIDATION error naming the value field, and nothing is registered', async () => {
    const r = await alice(['secret', 'add', 'api-key', 'novalue', '--header', 'X-Key', '--value-stdin']);
    expect(r.code).toBe(2);
    expect(errorLine(r.stderr)).toMatchObject({ code: 'VALIDATION', field: 'value' });
    expect((await alice(['secret', 'get', 'novalue'])).code).toBe(5);
  });

  describe.sequential('members: --as and a second password', () => {
    let bob: Member;

    beforeAll(async () => {
      // The adder's password first, then the new member's.
      const r = await alice(['member', 'add', 'bob', '--role', 'member'], BOB_PASSWORD);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('bob');
      expect(r.stdout + r.stderr).not.toContain(BOB_PASSWORD);
      alice = member(vault, PASSWORD, 'alice');
      bob = member(vault, BOB_PASSWORD, 'bob');
    });

    it("the new member unlocks with the second line, not with the adder's password", async () => {
      expect((await bob(['member', 'list'])).code).toBe(0);
      expect((await member(vault, PASSWORD, 'bob')(['member', 'list'])).code).toBe(3);
      expect((await member(vault, BOB_PASSWORD, 'alice')(['member', 'list'])).code).toBe(3);
    });

    it('--as chooses whose secrets are seen', async () => {
      await ok(bob(['secret', 'add', 'api-key', 'bobs-key', '--header', 'X-Key', '--value-stdin'], 'bob-value'));
      expect(await ok(bob(['secret', 'get', 'bobs-key']))).toBe('bob-value\n');
      // A personal secret is bob's alone.
      expect((await alice(['secret', 'get', 'bobs-key'])).code).toBe(5);
      const names = async (who: Member) => (JSON.parse(await ok(who(['secret', 'list', '--json']))) as { name: string }[]).map((s) => s.name).sort();
      expect(await names(bob)).toEqual(['bobs-key']);
      expect(await names(alice)).toEqual(['first', 'spaced']);
    });

    it('with two members and no --as, a command fails with exit 2 naming the field as', async () => {
      const r = await coffer(['--password-stdin', 'secret', 'list'], { stdin: lines(PASSWORD), env: { COFFER_VAULT: vault } });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(errorLine(r.stderr)).toMatchObject({ code: 'VALIDATION', field: 'as' });
      expect(errorLine(r.stderr).message).toContain('--as');
      const json = await coffer(['--json', '--password-stdin', 'secret', 'list'], { stdin: lines(PASSWORD), env: { COFFER_VAULT: vault } });
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stderr)).toEqual({ error: { code: 'VALIDATION', message: expect.any(String), field: 'as' } });
    });
  });
});

describe('no prompt without a terminal', alongside, () => {
  const tempDir = useTempDirs();
  let dir = '';
  let vault = '';

  beforeAll(async () => {
    dir = tempDir();
    vault = join(dir, 'vault.coffer');
    await ok((await initVault(vault))(['secret', 'add', 'api-key', 'k', '--header', 'X-Key', '--value-stdin'], 'k-value'));
  });

  /** stdin is written and closed: a command that tried to prompt would wait; the timeout kills it, so a signal means it hung. */
  const quick = async (args: string[], stdin = '', env: Record<string, string> = { COFFER_VAULT: vault }) => {
    const started = Date.now();
    const r = await coffer(args, { stdin, env, timeout: 10_000 });
    expect(r.signal).toBeNull();
    expect(Date.now() - started).toBeLessThan(10_000);
    return r;
  };

  it('a password is never prompted for: exit 2 naming the password field', async () => {
    for (const args of [['secret', 'get', 'k'], ['passwd'], ['member', 'add', 'bob', '--role', 'member']]) {
      // The password is on stdin, but without --password-stdin it is not read from there.
      const r = await quick(args, `${PASSWORD}\n`);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stdout).toBe('');
      expect(errorLine(r.stderr)).toMatchObject({ code: 'VALIDATION', field: 'password' });
      expect(r.stderr).toContain('--password-stdin');
    }
  });

  it('init without --password-stdin fails fast and creates no file', () => {
    // spawnSync with a timeout: were the CLI to wait for a prompt, spawnSync would kill it and report the signal.
    const fresh = join(dir, 'fresh.coffer');
    const started = Date.now();
    const r = cofferSync(['init', '--org', 'Acme', '--member', 'alice', '--kdf', 'fast'], { stdin: `${PASSWORD}\n`, env: { COFFER_VAULT: fresh }, timeout: 10_000 });
    expect(r.signal).toBeNull();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.code).toBe(2);
    expect(errorLine(r.stderr)).toMatchObject({ code: 'VALIDATION', field: 'password' });
    expect(existsSync(fresh)).toBe(false);
  });

  it('a value is never prompted for: without --value-stdin, exit 2 naming the value field', async () => {
    const cases: [string[], string][] = [
      [['secret', 'add', 'api-key', 'v1', '--header', 'X-Key'], 'value'],
      [['secret', 'add', 'bearer-token', 'v2', '--header', 'Authorization'], 'headerValue'],
      [['secret', 'add', 'client-credentials', 'v3', '--client-id', 'app', '--url', 'https://auth.example.com/token'], 'clientSecret'],
    ];
    for (const [args, field] of cases) {
      // The password comes from stdin; the line after it is not taken as a value without --value-stdin.
      const r = await quick(['--password-stdin', ...args], lines(PASSWORD, 'a value line'));
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(errorLine(r.stderr)).toMatchObject({ code: 'VALIDATION', field });
    }
    // `--kv KEY` reads the next stdin line; when there is none it fails, it does not wait.
    const kv = await quick(['--password-stdin', 'secret', 'add', 'key-value', 'v4', '--kv', 'TOKEN'], lines(PASSWORD));
    expect(kv.code).toBe(2);
    expect(errorLine(kv.stderr)).toMatchObject({ code: 'VALIDATION', field: 'pairs' });
    const listed = await ok(coffer(['--password-stdin', '--json', 'secret', 'list'], { stdin: lines(PASSWORD), env: { COFFER_VAULT: vault } }));
    expect((JSON.parse(listed) as { name: string }[]).map((s) => s.name)).toEqual(['k']);
  });

  it('a stdin left open is not read when no option asks for it', async () => {
    // A pipe that never closes: a CLI reading stdin, or prompting, would wait forever.
    const child = spawn(process.execPath, [COFFER_BIN, 'secret', 'list'], { env: cleanEnv({ COFFER_VAULT: vault }), stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    clearTimeout(timer);
    child.stdin.destroy();
    expect(code).toBe(2);
    expect(errorLine(stderr)).toMatchObject({ code: 'VALIDATION', field: 'password' });
  });
});
