import { join } from 'node:path';
import { beforeAll, describe, expect } from 'vitest';
import type { CofferResult, Member } from './run';
import { alongside, coffer, errorLine, initVault, ok, step, useTempDirs } from './run';

/** docs/product.md §7 through the built binary: a service account, its keys, and a pipeline using one. */

const VALUE = 'backend-db-4471';

interface Key {
  keyId: string;
  created: number;
  secret: string;
  expires: number | null;
}

describe('service accounts', alongside, () => {
  const tempDir = useTempDirs();
  let dir = '';
  let alice: Member;
  let account: { id: string; name: string; enableBasicAuth: boolean; created: number; keys: Key[] };
  const pipeline = (args: string[], secret: string, extra: Record<string, string> = {}): Promise<CofferResult> =>
    coffer(args, { env: { COFFER_VAULT: alice.vault, XDG_DATA_HOME: join(dir, 'pipeline-data'), COFFER_KEY_SECRET: secret, ...extra } });

  beforeAll(async () => {
    dir = tempDir();
    alice = await initVault(join(dir, 'vault.coffer'));
    await ok(alice(['workspace', 'add', 'Backend']));
    await ok(alice(['secret', 'add', 'api-key', 'db', '--level', 'workspace', '--workspace', 'Backend', '--header', 'X-Key', '--value-stdin'], VALUE));
    await ok(alice(['secret', 'add', 'api-key', 'org-only', '--level', 'organization', '--header', 'X-Key', '--value-stdin'], 'org-value-1'));
    account = JSON.parse(await ok(alice(['account', 'create', 'deploy-bot', '--role', 'member', '--workspace', 'Backend', '--basic-auth', '--json'])));
  });

  step('create prints the first key once, times in Unix seconds; the list never shows a secret', async () => {
    expect(account).toMatchObject({ name: 'deploy-bot', enableBasicAuth: true, keys: [{ expires: null }] });
    expect(account.created).toBeLessThan(Date.now() / 100);
    expect(account.keys[0]!.secret).toMatch(/^coffer_sak_[A-Za-z0-9_-]{43}$/);
    const listed = await ok(alice(['account', 'list', '--json']));
    expect(JSON.parse(listed)).toEqual([expect.objectContaining({ id: account.id, level: 'workspace', workspace: 'Backend', roleName: 'Member' })]);
    expect(listed).not.toContain(account.keys[0]!.secret);
  });

  step('COFFER_KEY_SECRET alone reads the workspace and nothing else; both kinds of identity at once is a usage error', async () => {
    const secret = account.keys[0]!.secret;
    expect(await ok(pipeline(['secret', 'get', 'db'], secret))).toBe(`${VALUE}\n`);
    expect((await pipeline(['secret', 'get', 'org-only'], secret)).code).toBe(5);
    expect((await pipeline(['workspace', 'add', 'Nope'], secret)).code).toBe(7);
    const both = await pipeline(['secret', 'get', 'db'], secret, { COFFER_CLIENT_ID: 'x', COFFER_CLIENT_SECRET: 'y' });
    expect(both.code).toBe(2);
  });

  step('renew: the old secret fails with AUTH at once, the new one works; a deleted key fails too', async () => {
    const old = account.keys[0]!;
    const renewed = JSON.parse(await ok(alice(['account', 'key', 'renew', account.id, old.keyId, '--json']))) as Key;
    expect(renewed.keyId).toBe(old.keyId);
    const refused = await pipeline(['secret', 'get', 'db'], old.secret);
    expect(refused.code).toBe(3);
    expect(errorLine(refused.stderr).code).toBe('AUTH');
    expect(await ok(pipeline(['secret', 'get', 'db'], renewed.secret))).toBe(`${VALUE}\n`);
    const added = JSON.parse(await ok(alice(['account', 'key', 'add', 'deploy-bot', '--expires', '2099-01-01', '--json']))) as Key;
    expect(added.expires).toBe(Date.parse('2099-01-01T00:00:00Z') / 1000);
    await ok(alice(['account', 'key', 'delete', account.id, added.keyId]));
    expect((await pipeline(['secret', 'get', 'db'], added.secret)).code).toBe(3);
    const past = await alice(['account', 'key', 'add', account.id, '--expires', '2001-01-01']);
    expect(past.code).toBe(2);
    await ok(alice(['account', 'delete', account.id]));
    expect((await pipeline(['secret', 'get', 'db'], renewed.secret)).code).toBe(3);
    expect(JSON.parse(await ok(alice(['account', 'list', '--json'])))).toEqual([]);
  });

  step('an organization-level account whose role manages accounts creates one with its key alone', async () => {
    const admin = JSON.parse(await ok(alice(['account', 'create', 'admin-bot', '--role', 'sys-admin', '--json']))) as { keys: Key[] };
    const made = JSON.parse(await ok(pipeline(['account', 'create', 'made-by-bot', '--role', 'member', '--json'], admin.keys[0]!.secret))) as { keys: Key[] };
    expect(await ok(pipeline(['secret', 'get', 'org-only'], made.keys[0]!.secret))).toBe('org-value-1\n');
    const list = JSON.parse(await ok(alice(['account', 'list', '--json']))) as { name: string; creator: string }[];
    expect(list.find((a) => a.name === 'made-by-bot')?.creator).toBe('account:admin-bot');
    expect((await pipeline(['team', 'add', 'Nope'], admin.keys[0]!.secret)).code).toBe(7);
  });
});
