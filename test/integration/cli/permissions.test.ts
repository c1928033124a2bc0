import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerSecret } from '../../../electron/core/secrets/registration';
import { addMember } from '../../../electron/core/vault/members';
import { defineRole } from '../../../electron/core/vault/roles';
import { addWorkspace } from '../../../electron/core/vault/structure';
import type { Operation } from '../../../shared/schemas/roles';
import { tablesDigest } from '../../support/sql';
import { CUSTOM_ROLE, EXPECTED, ROLES_UNDER_TEST } from '../permission-table';
import { alongside, member, useTempDirs } from './run';
import { seededVault } from './seeded';

/**
 * docs/product.md §5 through the built CLI: each role, built-in and custom, runs the command of
 * every operation the CLI has a door for; allowed ones exit 0, the others exit 7 (FORBIDDEN) and
 * leave every table but the audit log as it was. Vault settings have no command: the core's test
 * (test/integration/permission-table.test.ts) covers them.
 */

const TESTER_PASSWORD = 'tester password 1';

/** The command of each operation, with the stdin lines after the password; names are fresh so allowed runs never collide. */
const COMMANDS: Partial<Record<Operation, (dir: string) => { args: string[]; stdin: string[] }>> = {
  'member.grantAccountHolder': () => ({ args: ['member', 'add', 'new-holder', '--role', 'account-holder'], stdin: ['new holder password'] }),
  'member.manage': () => ({ args: ['member', 'add', 'new-member', '--role', 'member'], stdin: ['new member password'] }),
  'credential.manage': () => ({ args: ['credential', 'create', 'ci'], stdin: [] }),
  'serviceAccount.manage': () => ({ args: ['account', 'create', 'bot', '--role', 'member'], stdin: [] }),
  'secret.organization.write': () => ({ args: ['secret', 'add', 'api-key', 'org', '--level', 'organization', '--header', 'X-Key', '--value-stdin'], stdin: ['org-value'] }),
  'workspace.create': () => ({ args: ['workspace', 'add', 'New workspace'], stdin: [] }),
  'team.manage': () => ({ args: ['team', 'add', 'New team'], stdin: [] }),
  'secret.workspace.write': () => ({ args: ['secret', 'add', 'api-key', 'ws', '--level', 'workspace', '--workspace', 'Shared', '--header', 'X-Key', '--value-stdin'], stdin: ['ws-value'] }),
  'secret.personal.write': () => ({ args: ['secret', 'add', 'api-key', 'mine', '--header', 'X-Key', '--value-stdin'], stdin: ['mine-value'] }),
  'audit.read': () => ({ args: ['audit', 'list'], stdin: [] }),
  'bundle.exportOrganization': (dir) => ({ args: ['export', '--out', join(dir, 'org.cofferbundle'), '--to', 'member:tester'], stdin: [] }),
};

describe.each(ROLES_UNDER_TEST)('the permission table through the CLI: %s', alongside, (role) => {
  const tempDir = useTempDirs();

  // Five vaults side by side, eleven processes each: minutes on two busy cores, not seconds. The
  // vault is set up in this process: the commands under test are the tester's.
  it('allowed commands succeed; the others exit 7 and write nothing', { timeout: 240_000 }, async () => {
    const dir = tempDir();
    const alice = await seededVault(join(dir, 'vault.coffer'), (s) => {
      addWorkspace(s, 'Shared');
      registerSecret(s, { type: 'api-key', name: 'org-seed', level: 'organization', fields: { headerName: 'X-Key', value: 'seed-value' } });
      defineRole(s, CUSTOM_ROLE);
      addMember(s, { name: 'tester', role, password: TESTER_PASSWORD });
    });
    const tester = member(alice.vault, TESTER_PASSWORD, 'tester');
    for (const [op, command] of Object.entries(COMMANDS) as [Operation, (dir: string) => { args: string[]; stdin: string[] }][]) {
      const { args, stdin } = command(dir);
      const before = tablesDigest(alice.vault, { exceptAudit: true });
      const r = await tester(args, ...stdin);
      const allowed = EXPECTED[role].includes(op);
      expect({ op, code: r.code }, r.stderr).toEqual({ op, code: allowed ? 0 : 7 });
      if (!allowed) expect(tablesDigest(alice.vault, { exceptAudit: true }), `${op} wrote`).toBe(before);
    }
  });
});
