import { chmodSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect } from 'vitest';
import type { CofferResult, Member } from './run';
import { alongside, errorLine, initVault, ok, step, useTempDirs } from './run';

/** docs/cli.md "Secrets in pipelines": `coffer run` and `coffer inject` through the built binary. */

const POSIX = process.platform !== 'win32';

/** Every value registered here: none may show anywhere but where a child or a template asked for it. */
const values = {
  api: 'api-value-5d1c',
  user: 'db-user-77ab',
  pass: 'db-pass-90fe',
  stripe: 'stripe-value-31c4',
};

async function vaultWithSecrets(dir: string): Promise<Member> {
  const alice = await initVault(join(dir, 'vault.coffer'));
  await ok(alice(['workspace', 'add', 'Data Team']));
  await ok(alice(['secret', 'add', 'api-key', 'api', '--header', 'X-Api-Key', '--value-stdin'], values.api));
  await ok(alice(['secret', 'add', 'key-value', 'db pass', '--level', 'workspace', '--workspace', 'Data Team', '--kv', 'user', '--kv', 'password'], values.user, values.pass));
  await ok(alice(['secret', 'add', 'api-key', 'stripe', '--level', 'organization', '--header', 'Authorization', '--value-stdin'], values.stripe));
  return alice;
}

const usageOf = async (who: Member, name: string): Promise<string[]> =>
  (JSON.parse(await ok(who(['secret', 'usage', name, '--json']))) as { entries: { consumer: string }[] }).entries.map((e) => e.consumer);

/** No registered value in what coffer itself said. */
function noValues(r: CofferResult, where: 'stdout' | 'stderr' = 'stderr'): void {
  for (const v of Object.values(values)) expect(r[where], v).not.toContain(v);
}

/** A child that prints the variables asked for, joined by `|`, and its argv as JSON on a second line. */
const printEnv = (...names: string[]): string[] => ['node', '-e', `process.stdout.write(${JSON.stringify(names)}.map((n) => process.env[n]).join('|') + '\\n' + JSON.stringify(process.argv))`];

describe('coffer run', alongside, () => {
  const tempDir = useTempDirs();
  let dir = '';
  let alice: Member;
  let envFile = '';

  beforeAll(async () => {
    dir = tempDir();
    alice = await vaultWithSecrets(dir);
    envFile = join(dir, 'app.env');
    writeFileSync(
      envFile,
      [
        '# references are replaced, other lines pass as they are',
        'API=coffer://personal/api',
        'DB_USER=coffer://workspace/Data%20Team/db%20pass#user',
        'DB_PASS="coffer://workspace/Data%20Team/db%20pass#password"',
        'export REGION=eu-west-1',
        '',
      ].join('\n'),
    );
  });

  step('gives the env file\'s values to the child\'s environment, never to its argv, one use per secret', async () => {
    const r = await alice(['run', '--env-file', envFile, '--', ...printEnv('API', 'DB_USER', 'DB_PASS', 'REGION', 'XDG_DATA_HOME')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const [env, argv] = r.stdout.split('\n');
    // The parent's environment is inherited (the test's data folder for this vault).
    expect(env).toBe([values.api, values.user, values.pass, 'eu-west-1', join(dir, 'data')].join('|'));
    for (const v of Object.values(values)) expect(argv, v).not.toContain(v);
    // "db pass" gave two variables: one read, one use.
    expect(await Promise.all([usageOf(alice, 'api'), usageOf(alice, 'db pass')])).toEqual([['alice · CLI · run (node)'], ['alice · CLI · run (node)']]);
  });

  step('--env adds a variable from a reference and wins over the env file', async () => {
    const r = await alice(['run', '--env-file', envFile, '--env', 'API=coffer://organization/stripe', '--env', 'TOKEN=coffer://organization/stripe#headerName', '--', ...printEnv('API', 'TOKEN', 'REGION')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`${values.stripe}|Authorization|eu-west-1`);
    // The file's API line was replaced, so "api" was not read this time.
    expect(await Promise.all([usageOf(alice, 'stripe'), usageOf(alice, 'api')])).toEqual([['alice · CLI · run (node)'], ['alice · CLI · run (node)']]);
  });

  step('passes the child\'s exit status through', async () => {
    const r = await alice(['run', '--env', 'API=coffer://personal/api', '--', 'node', '-e', 'process.exit(42)']);
    expect(r.code).toBe(42);
    expect(r.stderr).toBe('');
  });

  (POSIX ? step : step.skip)('a child ended by a signal is 128 + its number, as shells report it', async () => {
    const r = await alice(['run', '--env', 'API=coffer://personal/api', '--', 'node', '-e', 'process.kill(process.pid, "SIGTERM")']);
    expect(r.code).toBe(128 + 15);
  });

  step('an unknown secret is NOT_FOUND on the variable, and the command is not started', async () => {
    const marker = join(dir, 'started-unknown');
    const before = await usageOf(alice, 'api');
    const r = await alice(['run', '--env', 'API=coffer://personal/api', '--env', 'GONE=coffer://personal/nope', '--', 'node', '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`]);
    expect(r.code).toBe(5);
    expect(errorLine(r.stderr)).toEqual({ code: 'NOT_FOUND', field: 'GONE', message: 'GONE (coffer://personal/nope): no secret named "nope" that you can read' });
    expect(existsSync(marker)).toBe(false);
    noValues(r);
    // All or nothing: the reference that did resolve was not recorded as used either.
    expect(await usageOf(alice, 'api')).toEqual(before);
  });

  step('a bad reference, or a missing field, is VALIDATION on the variable, before the command starts', async () => {
    const marker = join(dir, 'started-bad');
    const child = ['--', 'node', '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`];
    const badSyntax = await alice(['run', '--env', 'DB=coffer://workspace/db', ...child]);
    expect(badSyntax.code).toBe(2);
    expect(errorLine(badSyntax.stderr)).toMatchObject({ code: 'VALIDATION', field: 'DB' });
    const noField = await alice(['run', '--env', 'DB=coffer://workspace/Data%20Team/db%20pass#nope', ...child]);
    expect(noField.code).toBe(2);
    expect(errorLine(noField.stderr)).toMatchObject({ code: 'VALIDATION', field: 'DB', message: expect.stringContaining('no field "nope"') });
    // A value that is not a reference is refused without being quoted: it may be a secret typed in the wrong place.
    const plain = await alice(['run', '--env', 'TOKEN=not-a-reference-e1f2', ...child]);
    expect(plain.code).toBe(2);
    expect(errorLine(plain.stderr)).toMatchObject({ code: 'VALIDATION', field: 'TOKEN' });
    expect(plain.stderr).not.toContain('not-a-reference-e1f2');
    for (const r of [badSyntax, noField, plain]) noValues(r);
    expect(existsSync(marker)).toBe(false);
  });

  step('a command that does not exist is NOT_FOUND on field command, not a status, and reads nothing', async () => {
    const before = await usageOf(alice, 'api');
    // The child's own --json does not turn coffer's error into JSON.
    const r = await alice(['run', '--env', 'API=coffer://personal/api', '--', 'no-such-command-7c1d', '--json']);
    expect(r.code).toBe(5);
    expect(errorLine(r.stderr)).toMatchObject({ code: 'NOT_FOUND', field: 'command' });
    expect(await usageOf(alice, 'api')).toEqual(before);
  });
});

describe('coffer inject', alongside, () => {
  const tempDir = useTempDirs();
  let dir = '';
  let alice: Member;
  let template = '';
  const filled = `api: ${values.api}\ndb: ${values.user}:${values.pass}\nheader: X-Api-Key\nother: {{ .Values.kept }} coffer://personal/api\n`;

  beforeAll(async () => {
    dir = tempDir();
    alice = await vaultWithSecrets(dir);
    template = join(dir, 'config.yml.tpl');
    writeFileSync(
      template,
      'api: {{ coffer://personal/api }}\ndb: {{coffer://workspace/Data%20Team/db%20pass#user}}:{{ coffer://workspace/Data%20Team/db%20pass#password }}\nheader: {{ coffer://personal/api#headerName }}\nother: {{ .Values.kept }} coffer://personal/api\n',
    );
  });

  const mode = (path: string): number => statSync(path).mode & 0o777;

  step('fills the template to stdout, one use per secret', async () => {
    const r = await alice(['inject', '--in', template]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(filled);
    expect(r.stderr).toBe('');
    expect(await Promise.all([usageOf(alice, 'api'), usageOf(alice, 'db pass')])).toEqual([['alice · CLI · inject (config.yml.tpl)'], ['alice · CLI · inject (config.yml.tpl)']]);
  });

  step('writes --out owner-only (0600), saying so without a value', async () => {
    const out = join(dir, 'config.yml');
    const r = await alice(['inject', '--in', template, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    noValues(r, 'stdout');
    expect(readFileSync(out, 'utf8')).toBe(filled);
    if (POSIX) expect(mode(out)).toBe(0o600);
  });

  step('refuses an existing --out without --force: CONFLICT, the file untouched, nothing read', async () => {
    const out = join(dir, 'existing.yml');
    writeFileSync(out, 'keep me\n');
    const before = await usageOf(alice, 'api');
    const r = await alice(['inject', '--in', template, '--out', out]);
    expect(r.code).toBe(6);
    expect(errorLine(r.stderr)).toMatchObject({ code: 'CONFLICT', field: 'out' });
    expect(readFileSync(out, 'utf8')).toBe('keep me\n');
    expect(await usageOf(alice, 'api')).toEqual(before);
  });

  step('--force replaces it, and the replaced file ends 0600 whatever its mode was', async () => {
    const out = join(dir, 'existing.yml');
    if (POSIX) chmodSync(out, 0o644);
    const r = await alice(['--json', 'inject', '--in', template, '--out', out, '--force']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ out, references: 4 });
    expect(readFileSync(out, 'utf8')).toBe(filled);
    if (POSIX) expect(mode(out)).toBe(0o600);
    // No temp file is left beside it.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  step('an unknown secret or a broken token fails naming the line, and writes nothing', async () => {
    const out = join(dir, 'never.yml');
    const unknown = join(dir, 'unknown.tpl');
    writeFileSync(unknown, `first: {{ coffer://personal/api }}\n\nthird: {{ coffer://organization/nope }}\n`);
    const r = await alice(['inject', '--in', unknown, '--out', out]);
    expect(r.code).toBe(5);
    expect(errorLine(r.stderr)).toEqual({ code: 'NOT_FOUND', field: 'template', message: 'line 3 (coffer://organization/nope): no secret named "nope" that you can read' });
    const broken = join(dir, 'broken.tpl');
    writeFileSync(broken, 'a: {{ coffer://personal/api\n}}\n');
    const b = await alice(['inject', '--in', broken, '--out', out]);
    expect(b.code).toBe(2);
    expect(errorLine(b.stderr)).toMatchObject({ code: 'VALIDATION', field: 'template', message: expect.stringMatching(/^line 1: /) });
    expect(existsSync(out)).toBe(false);
    for (const x of [r, b]) noValues(x);
  });
});
