import { join } from 'node:path';
import { beforeAll, describe, expect } from 'vitest';
import type { Member } from './run';
import { errorLine, initVault, member, ok, step, useTempDirs } from './run';
import { readTable } from './table';

/** docs/cli.md `secret edit --teams | --entire-organization`: who can read an organization secret, changed through the built binary. */

const historyOf = async (who: Member, name: string): Promise<{ revision: number }[]> => JSON.parse(await ok(who(['secret', 'history', name, '--json']))) as { revision: number }[];

describe('secret edit --teams and --entire-organization', () => {
  const tempDir = useTempDirs();
  let alice: Member;
  let bob: Member;
  let carol: Member;
  const availability = async (who: Member) => readTable(await ok(who(['secret', 'list'])), ['NAME', 'TYPE', 'AVAILABILITY', 'CREATED', 'EXPIRES', 'STATUS', 'LAST USED']).map((r) => [r.NAME, r.AVAILABILITY]);

  beforeAll(async () => {
    alice = await initVault(join(tempDir(), 'vault.coffer'));
    await ok(alice(['team', 'add', 'Backend']));
    await ok(alice(['member', 'add', 'bob', '--role', 'member'], 'bob password 123'));
    // Several members now: each one names themselves with --as.
    alice = member(alice.vault, alice.password, 'alice');
    await ok(alice(['member', 'add', 'carol', '--role', 'member'], 'carol password 123'));
    await ok(alice(['team', 'add-member', 'Backend', 'bob']));
    bob = member(alice.vault, 'bob password 123', 'bob');
    carol = member(alice.vault, 'carol password 123', 'carol');
    await ok(alice(['secret', 'add', 'api-key', 'gateway', '--level', 'organization', '--header', 'X-Key', '--value-stdin'], 'v-gateway'));
  }, 60_000);

  step('--teams makes it readable by those teams only; it is no new revision', async () => {
    expect(await availability(carol)).toEqual([['gateway', 'Entire organization']]);
    const r = await alice(['secret', 'edit', 'gateway', '--teams', 'Backend']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('"gateway" is now available to Teams: Backend.\n');
    expect(await availability(bob)).toEqual([['gateway', 'Teams: Backend']]);
    expect(await ok(bob(['secret', 'get', 'gateway']))).toBe('v-gateway\n');
    expect(await ok(carol(['secret', 'list']))).toBe('No secrets yet: coffer secret add TYPE NAME\n');
    expect(errorLine((await carol(['secret', 'get', 'gateway'])).stderr)).toMatchObject({ code: 'NOT_FOUND' });
    expect((await historyOf(alice, 'gateway')).map((h) => h.revision)).toEqual([1]);
  });

  step('--entire-organization makes it readable by everyone again; with a field edit, one revision', async () => {
    const r = await alice(['secret', 'edit', 'gateway', '--entire-organization', '--value-stdin'], 'v-gateway-2');
    expect(r.stdout).toBe('Saved "gateway" as revision 2, available to Entire organization.\n');
    expect(await availability(carol)).toEqual([['gateway', 'Entire organization']]);
    expect(await ok(carol(['secret', 'get', 'gateway']))).toBe('v-gateway-2\n');
  });

  step('refusals: both flags, a Member, a personal secret, an unknown team', async () => {
    const both = await alice(['secret', 'edit', 'gateway', '--teams', 'Backend', '--entire-organization']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--entire-organization');
    expect(errorLine((await bob(['secret', 'edit', 'gateway', '--teams', 'Backend'])).stderr)).toMatchObject({ code: 'FORBIDDEN' });
    await ok(alice(['secret', 'add', 'api-key', 'mine', '--header', 'X-Key', '--value-stdin'], 'v-mine'));
    expect(errorLine((await alice(['secret', 'edit', 'mine', '--teams', 'Backend'])).stderr)).toMatchObject({ code: 'VALIDATION', field: 'teams' });
    expect(errorLine((await alice(['secret', 'edit', 'gateway', '--teams', 'Nope'])).stderr)).toMatchObject({ code: 'NOT_FOUND', field: 'teams' });
    expect(await availability(carol)).toEqual([['gateway', 'Entire organization']]);
  });
});
