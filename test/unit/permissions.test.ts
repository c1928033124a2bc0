import { describe, expect, it } from 'vitest';
import type { Operation } from '../../electron/core/access/permissions';
import { authorize, can } from '../../electron/core/access/permissions';
import type { Role } from '../../shared/schemas/vault';
import { ROLES } from '../../shared/schemas/vault';

/** docs/product.md §5, row by row: which of AH, SA, AM, M may do it. */
const SPEC: [Operation, string][] = [
  ['vault.settings', 'AH'],
  ['member.grantAccountHolder', 'AH'],
  ['member.manage', 'AH SA'],
  ['credential.manage', 'AH SA'],
  ['serviceAccount.manage', 'AH SA'],
  ['secret.organization.write', 'AH AM'],
  ['workspace.create', 'AH SA AM'],
  ['team.manage', 'AH SA AM'],
  ['secret.workspace.write', 'AH SA AM M'],
  ['secret.personal.write', 'AH SA AM M'],
  ['audit.read', 'AH SA AM'],
  ['bundle.exportOrganization', 'AH SA AM'],
];

const SHORT: Record<Role, string> = { 'account-holder': 'AH', 'sys-admin': 'SA', 'account-manager': 'AM', member: 'M' };

describe('the permission table', () => {
  it.each(SPEC)('%s: %s', (op, allowed) => {
    const expected = allowed.split(' ');
    for (const role of ROLES) expect(can(role, op)).toBe(expected.includes(SHORT[role]));
  });

  it('authorize throws FORBIDDEN with the role and the operation in words', () => {
    expect(() => authorize('member', 'member.manage')).toThrow(expect.objectContaining({ code: 'FORBIDDEN', message: 'Member may not add or remove members and change roles' }));
    expect(() => authorize('account-holder', 'member.manage')).not.toThrow();
  });
});
