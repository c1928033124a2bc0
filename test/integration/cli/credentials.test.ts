import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect } from 'vitest';
import type { CofferResult, Member } from './run';
import { alongside, coffer, errorLine, initVault, ok, step, useTempDirs } from './run';

/**
 * docs/product.md §6 through the built binary: a service credential created once, a pipeline that
 * has nothing but COFFER_CLIENT_ID and COFFER_CLIENT_SECRET, and the same pipeline after revoke.
 */

const TEAM_VALUE = 'team-db-pass-4e1a';
const ORG_VALUE = 'org-wide-value-77c2';

interface Created {
  name: string;
  clientId: string;
  clientSecret: string;
  realm: string;
  teams: string[];
}

describe('service credentials and pipelines', alongside, () => {
  const tempDir = useTempDirs();
  let dir = '';
  let alice: Member;
  let created: Created;
  /** The pipeline: only the vault path and the two variables, no password and no --as. */
  const pipeline = (args: string[], secret = created.clientSecret): Promise<CofferResult> =>
    coffer(args, { env: { COFFER_VAULT: alice.vault, XDG_DATA_HOME: join(dir, 'pipeline-data'), COFFER_CLIENT_ID: created.clientId, COFFER_CLIENT_SECRET: secret } });

  beforeAll(async () => {
    dir = tempDir();
    alice = await initVault(join(dir, 'vault.coffer'));
    await ok(alice(['team', 'add', 'Backend']));
    await ok(alice(['secret', 'add', 'api-key', 'db-pass', '--level', 'organization', '--teams', 'Backend', '--header', 'X-Key', '--value-stdin'], TEAM_VALUE));
    await ok(alice(['secret', 'add', 'api-key', 'org-wide', '--level', 'organization', '--header', 'X-Key', '--value-stdin'], ORG_VALUE));
    await ok(alice(['secret', 'add', 'api-key', 'mine', '--header', 'X-Key', '--value-stdin'], 'personal-value-1'));
    created = JSON.parse(await ok(alice(['credential', 'create', 'ci', '--teams', 'Backend', '--json']))) as Created;
  });

  step('create prints the Client Id, Client Secret and Realm once; the list never shows the secret', async () => {
    expect(created).toMatchObject({ name: 'ci', teams: ['Backend'] });
    expect(created.clientSecret).toMatch(/^coffer_cs_[A-Za-z0-9_-]{43}$/);
    const listed = await ok(alice(['credential', 'list', '--json']));
    expect(JSON.parse(listed)).toEqual([expect.objectContaining({ name: 'ci', clientId: created.clientId, creator: 'alice', teams: ['Backend'], lastUsed: null })]);
    expect(listed).not.toContain(created.clientSecret);
    // The file keeps a verifier and wrapped keys, never the secret or its base64 body.
    const file = readFileSync(alice.vault);
    expect(file.includes(Buffer.from(created.clientSecret))).toBe(false);
    expect(file.includes(Buffer.from(created.clientSecret.slice('coffer_cs_'.length), 'base64url'))).toBe(false);
  });

  step('a pipeline with only the two variables lists and reads exactly what its team can', async () => {
    const list = JSON.parse(await ok(pipeline(['secret', 'list', '--json']))) as { name: string }[];
    expect(list.map((s) => s.name)).toEqual(['db-pass']);
    expect(await ok(pipeline(['secret', 'get', 'db-pass']))).toBe(`${TEAM_VALUE}\n`);
    const orgWide = await pipeline(['secret', 'get', 'org-wide']);
    expect(orgWide.code).toBe(5);
    expect(orgWide.stderr).not.toContain(ORG_VALUE);
    const wrong = await pipeline(['secret', 'get', 'db-pass'], `coffer_cs_${'A'.repeat(43)}`);
    expect(wrong.code).toBe(3);
    expect(errorLine(wrong.stderr).code).toBe('AUTH');
    // Anything but reading is refused by the permission table.
    const write = await pipeline(['team', 'add', 'Sneaky']);
    expect(write.code).toBe(7);
  });

  step('coffer run gives the child the value in its environment, and not the credential', async () => {
    const child = `process.stdout.write(String(process.env.DB) + '|' + String(process.env.COFFER_CLIENT_SECRET))`;
    const r = await pipeline(['run', '--env', 'DB=coffer://organization/db-pass', '--', 'node', '-e', child]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${TEAM_VALUE}|undefined`);
    const usage = JSON.parse(await ok(alice(['secret', 'usage', 'db-pass', '--json']))) as { entries: { who: string; door: string; how: string; detail: string }[] };
    expect(usage.entries).toContainEqual(expect.objectContaining({ who: 'credential:ci', door: 'cli', how: 'run', detail: 'node' }));
    const audit = await ok(alice(['audit', 'list', '--actor', 'credential:ci']));
    expect(audit).toContain('secret.get');
  });

  step('a bundle can be addressed to the credential by its Client Id', async () => {
    const bundle = join(dir, 'ci.cofferbundle');
    await ok(alice(['export', '--out', bundle, '--secrets', 'mine', '--to', `credential:${created.clientId}`]));
    const inspected = JSON.parse(await ok(alice(['inspect', bundle, '--json']))) as { recipients: { name: string }[] };
    expect(inspected.recipients.map((r) => r.name)).toEqual(['credential:ci']);
  });

  step('a member owns at most two credentials (the vault setting)', async () => {
    await ok(alice(['credential', 'create', 'deploy', '--teams', 'Backend']));
    const third = await alice(['credential', 'create', 'third']);
    expect(third.code).toBe(6);
    expect(errorLine(third.stderr)).toMatchObject({ code: 'CONFLICT', field: 'name' });
  });

  step('revoke needs the exact name; afterwards the same pipeline fails with AUTH (exit 3)', async () => {
    const wrong = await alice(['credential', 'revoke', 'ci', '--confirm', 'CI']);
    expect(wrong.code).toBe(6);
    expect(errorLine(wrong.stderr)).toMatchObject({ code: 'CONFLICT', field: 'confirm' });
    expect((await pipeline(['secret', 'get', 'db-pass'])).code).toBe(0);
    await ok(alice(['credential', 'revoke', 'ci', '--confirm', 'ci']));
    const after = await pipeline(['secret', 'get', 'db-pass']);
    expect(after.code).toBe(3);
    expect(errorLine(after.stderr).code).toBe('AUTH');
    const run = await pipeline(['run', '--env', 'DB=coffer://organization/db-pass', '--', 'node', '-e', 'process.stdout.write("started")']);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(JSON.parse(await ok(alice(['credential', 'list', '--json']))).map((c: { name: string }) => c.name)).toEqual(['deploy']);
  });
});
