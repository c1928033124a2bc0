import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { alongside, errorLine, initVault, member, ok, step, useTempDirs } from './run';

/** docs/product.md §5: an admin adds a member without choosing their password. */
describe('member add --setup-code', alongside, () => {
  const tempDir = useTempDirs();
  let code = '';
  let vault = '';

  step('prints a one-time code; until it is replaced, the member can do nothing else', async () => {
    const alice = await initVault(join(tempDir(), 'vault.coffer'));
    vault = alice.vault;
    const added = JSON.parse(await ok(alice(['member', 'add', 'carol', '--role', 'member', '--setup-code', '--json']))) as { setupCode: string; roleName: string };
    expect(added.roleName).toBe('Member');
    code = added.setupCode;
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/);
    const early = await member(vault, code, 'carol')(['secret', 'list']);
    expect(early.code).toBe(3);
    expect(errorLine(early.stderr)).toMatchObject({ code: 'AUTH' });
    expect(errorLine(early.stderr).message).toContain('coffer passwd');
  });

  step('passwd with the code as the current password makes the vault hers; the code stops working', async () => {
    await ok(member(vault, code, 'carol')(['passwd'], 'carol chose this one'));
    await ok(member(vault, 'carol chose this one', 'carol')(['secret', 'list']));
    expect((await member(vault, code, 'carol')(['secret', 'list'])).code).toBe(3);
  });
});
