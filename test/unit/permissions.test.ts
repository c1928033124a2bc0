import { describe, expect, it } from 'vitest';
import { builtInAllows } from '../../electron/core/access/permissions';
import { RosterState } from '../../electron/core/access/roster-state';
import type { BuiltInRole, Operation } from '../../shared/schemas/roles';
import { OPERATIONS, ROLES } from '../../shared/schemas/roles';

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

const SHORT: Record<BuiltInRole, string> = { 'account-holder': 'AH', 'sys-admin': 'SA', 'account-manager': 'AM', member: 'M' };

function rosterWith(role: string, operations: Operation[]): RosterState {
  const state = new RosterState('org', 0);
  state.roles.set('role:00000000-0000-4000-8000-000000000001', { id: 'role:00000000-0000-4000-8000-000000000001', name: role, operations: new Set(operations), created: 0 });
  state.members.set('m1', { id: 'm1', login: 'ana', role: 'role:00000000-0000-4000-8000-000000000001', boxPublic: new Uint8Array(32), signPublic: new Uint8Array(32), personalScopeId: 'p1', created: 0 });
  state.members.set('m2', { id: 'm2', login: 'bo', role: 'member', boxPublic: new Uint8Array(32), signPublic: new Uint8Array(32), personalScopeId: 'p2', created: 0 });
  return state;
}

describe('the permission table', () => {
  it('lists every operation once', () => {
    expect(SPEC.map(([op]) => op).sort()).toEqual([...OPERATIONS].sort());
  });

  it.each(SPEC)('%s: %s', (op, allowed) => {
    const expected = allowed.split(' ');
    for (const role of ROLES) expect(builtInAllows(role, op)).toBe(expected.includes(SHORT[role]));
  });

  it('a custom role allows exactly its operations', () => {
    const state = rosterWith('Auditor', ['audit.read', 'secret.personal.write']);
    for (const op of OPERATIONS) expect(state.allows('role:00000000-0000-4000-8000-000000000001', op)).toBe(op === 'audit.read' || op === 'secret.personal.write');
  });

  it('authorize throws FORBIDDEN with the role and the operation in words', () => {
    const state = rosterWith('Auditor', ['audit.read']);
    expect(() => state.authorize('m2', 'member.manage')).toThrow(expect.objectContaining({ code: 'FORBIDDEN', message: 'Member may not add or remove members and change roles' }));
    expect(() => state.authorize('m1', 'team.manage')).toThrow(expect.objectContaining({ code: 'FORBIDDEN', message: 'Auditor may not manage teams' }));
    expect(() => state.authorize('m1', 'audit.read')).not.toThrow();
  });
});
