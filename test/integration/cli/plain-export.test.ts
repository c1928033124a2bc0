import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorLine, initVault, ok, useTempDirs } from './run';

const VALUES = ['sk_plain_cli_1', 'kv-plain-cli-2'];

describe('coffer export --plaintext', () => {
  const tmp = useTempDirs();

  it('writes a workspace as .env (0600), refuses --format without --plaintext and an existing file, and never prints a value', async () => {
    const dir = tmp();
    const alice = await initVault(join(dir, 'a.coffer'));
    await ok(alice(['workspace', 'add', 'Backend']));
    await ok(alice(['secret', 'add', 'api-key', 'stripe', '--level', 'workspace', '--workspace', 'Backend', '--header', 'X-Key', '--value-stdin'], VALUES[0]!));
    await ok(alice(['secret', 'add', 'key-value', 'env', '--level', 'workspace', '--workspace', 'Backend', '--kv', 'DB_PASS'], VALUES[1]!));
    const out = join(dir, 'backend.env');
    const outputs: string[] = [];

    const refused = await alice(['export', '--format', 'env', '--workspace', 'Backend', '--out', out]);
    outputs.push(refused.stdout, refused.stderr);
    expect(refused.code).toBe(2);
    expect(errorLine(refused.stderr)).toMatchObject({ code: 'VALIDATION', field: 'format' });
    expect(errorLine(refused.stderr).message).toMatch(/needs --plaintext; a bundle .* is the safe way/);
    expect(existsSync(out)).toBe(false);

    const written = await alice(['export', '--plaintext', '--format', 'env', '--workspace', 'Backend', '--out', out]);
    outputs.push(written.stdout, written.stderr);
    expect(written.code).toBe(0);
    expect(written.stdout).toMatch(/^Wrote 2 secret\(s\) in clear \(env\) to .*backend\.env\./);
    expect(readFileSync(out, 'utf8')).toBe(`STRIPE=${VALUES[0]}\nDB_PASS=${VALUES[1]}\n`);
    expect(statSync(out).mode & 0o777).toBe(0o600);

    const again = await alice(['export', '--plaintext', '--format', 'json', '--secrets', 'stripe', '--out', out]);
    outputs.push(again.stdout, again.stderr);
    expect(again.code).toBe(6);
    expect(errorLine(again.stderr)).toMatchObject({ code: 'CONFLICT', field: 'out' });
    expect(readFileSync(out, 'utf8')).toBe(`STRIPE=${VALUES[0]}\nDB_PASS=${VALUES[1]}\n`);

    const forced = JSON.parse(await ok(alice(['--json', 'export', '--plaintext', '--format', 'json', '--secrets', 'stripe', '--out', out, '--force'])));
    expect(forced).toEqual({ path: out, format: 'json', items: 1 });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual([{ name: 'stripe', type: 'api-key', level: 'workspace', workspace: 'Backend', expires: null, fields: { headerName: 'X-Key', value: VALUES[0] } }]);
    expect(statSync(out).mode & 0o777).toBe(0o600);

    const usage = JSON.parse(await ok(alice(['--json', 'secret', 'usage', 'stripe'])));
    expect(usage.entries.map((e: { consumer: string }) => e.consumer)).toEqual(['alice · CLI · export (plain)', 'alice · CLI · export (plain)']);
    const audit = JSON.parse(await ok(alice(['--json', 'audit', 'list', '--action', 'secret.export'])));
    expect(audit.map((e: { target: string }) => e.target)).toEqual(['plaintext json: 1 secret(s)', 'plaintext env: 2 secret(s)']);

    for (const text of outputs) for (const v of VALUES) expect(text).not.toContain(v);
  });

  it('refuses what a plain export cannot mean, and writes no file', async () => {
    const dir = tmp();
    const alice = await initVault(join(dir, 'a.coffer'));
    const out = join(dir, 'x.csv');
    const cases: [string[], string][] = [
      [['--plaintext', '--workspace', 'W'], 'format'],
      [['--plaintext', '--format', 'json'], 'secrets'],
      [['--plaintext', '--format', 'json', '--workspace', 'W', '--secrets', 'a'], 'secrets'],
      [['--plaintext', '--format', 'json', '--team', 'T'], 'team'],
      [['--plaintext', '--format', 'json', '--secrets', 'a', '--to', 'member:bob'], 'to'],
      [['--force', '--secrets', 'a', '--to', 'member:alice'], 'force'],
    ];
    for (const [args, field] of cases) {
      const r = await alice(['export', ...args, '--out', out]);
      expect(r.code).toBe(2);
      expect(errorLine(r.stderr)).toMatchObject({ code: 'VALIDATION', field });
    }
    expect(existsSync(out)).toBe(false);
    const csv = await alice(['export', '--plaintext', '--format', 'keepassxc-csv', '--secrets', 'missing', '--out', out]);
    expect(csv.code).toBe(5);
    expect(existsSync(out)).toBe(false);
  });
});
