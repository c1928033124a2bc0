import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAudit } from '../../electron/core/audit/access';
import { exportBundle } from '../../electron/core/bundles/export';
import { registerSecret } from '../../electron/core/secrets/registration';
import { createAccount } from '../../electron/core/vault/accounts';
import { createCredential } from '../../electron/core/vault/credentials';
import { addMember } from '../../electron/core/vault/members';
import { defineRole } from '../../electron/core/vault/roles';
import type { Session } from '../../electron/core/vault/session';
import { changeSettings } from '../../electron/core/vault/settings';
import { addTeam, addWorkspace } from '../../electron/core/vault/structure';
import type { Operation } from '../../shared/schemas/roles';
import { OPERATIONS } from '../../shared/schemas/roles';
import { tablesDigest } from '../support/sql';
import { newVault, useTempDir } from '../support/vault';
import { CUSTOM_ROLE, EXPECTED, ROLES_UNDER_TEST } from './permission-table';

/**
 * docs/product.md §5 through the core: every role, built-in and custom, tries every operation of the
 * permission table; what the table allows succeeds, the rest is FORBIDDEN and changes nothing.
 * test/integration/cli/permissions.test.ts runs the same table through the CLI.
 */

const apiKey = (name: string, extra: Record<string, unknown>) => ({ type: 'api-key' as const, name, fields: { headerName: 'X-Key', value: `${name}-value` }, ...extra });

/** One call per operation, as a member of the role makes it; names are fresh so allowed calls never collide. */
const ATTEMPTS: Record<Operation, (s: Session, dir: string) => unknown> = {
  'vault.settings': (s) => changeSettings(s, { revealSeconds: 31 }),
  'member.grantAccountHolder': (s) => addMember(s, { name: 'new-holder', role: 'account-holder', password: 'new holder password' }),
  'member.manage': (s) => addMember(s, { name: 'new-member', role: 'member', password: 'new member password' }),
  'credential.manage': (s) => createCredential(s, { name: 'ci', teams: [] }),
  'serviceAccount.manage': (s) => createAccount(s, { name: 'bot', role: 'member' }),
  'secret.organization.write': (s) => registerSecret(s, apiKey('org', { level: 'organization' })),
  'workspace.create': (s) => addWorkspace(s, 'New workspace'),
  'team.manage': (s) => addTeam(s, 'New team'),
  'secret.workspace.write': (s) => registerSecret(s, apiKey('ws', { level: 'workspace', workspace: 'Shared' })),
  'secret.personal.write': (s) => registerSecret(s, apiKey('mine', { level: 'personal' })),
  'audit.read': (s) => readAudit(s, {}),
  'bundle.exportOrganization': (s, dir) => exportBundle(s, { door: 'cli', out: join(dir, 'org.cofferbundle'), selection: { kind: 'all' }, recipients: [{ kind: 'member', name: s.member.login }] }),
};

describe('the permission table through the core', () => {
  const tempDir = useTempDir();

  it.each(ROLES_UNDER_TEST)('%s', async (role) => {
    const dir = tempDir();
    const { vault, session: alice } = await newVault(dir);
    addWorkspace(alice, 'Shared');
    registerSecret(alice, apiKey('org-seed', { level: 'organization' }));
    defineRole(alice, CUSTOM_ROLE);
    addMember(alice, { name: 'tester', role, password: 'tester password 1' });
    const tester = await vault.unlock('tester', 'tester password 1');
    for (const op of OPERATIONS) {
      const allowed = EXPECTED[role].includes(op);
      const before = tablesDigest(vault.path, { exceptAudit: true });
      let outcome: unknown;
      try {
        ATTEMPTS[op](tester, dir);
        outcome = 'ok';
      } catch (e) {
        outcome = (e as { code?: string }).code;
      }
      expect({ op, outcome }).toEqual({ op, outcome: allowed ? 'ok' : 'FORBIDDEN' });
      if (!allowed) expect(tablesDigest(vault.path, { exceptAudit: true }), `${op} wrote`).toBe(before);
    }
  });
});
