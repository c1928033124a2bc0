import { describe, expect, it } from 'vitest';
import { verifyAuditFor } from '../../electron/core/audit/access';
import { verifyAudit } from '../../electron/core/audit/verify';
import { integrityKey } from '../../electron/core/crypto/keys';
import { addMember, removeMember } from '../../electron/core/vault/members';
import { checkSettings, changeSettings } from '../../electron/core/vault/settings';
import { Vault } from '../../electron/core/vault/vault';
import { PASSWORD, newVault, useTempDir } from '../support/vault';

/**
 * Removing a member rotates the organization key every member held; the settings' MACs and the
 * audit chain, keyed from it, move to the new key in the same transaction. The remaining members
 * still trust both, and the removed member's copy of the old key verifies neither.
 */
describe('the organization key rotated by a member removal', () => {
  const tempDir = useTempDir();

  it('takes the settings MACs and the audit chain along, out of the removed member’s reach', async () => {
    const { path, vault, session } = await newVault(tempDir());
    changeSettings(session, { inactiveDays: 45 });
    addMember(session, { name: 'bob', role: 'member', password: PASSWORD });
    const bob = await vault.unlock('bob', PASSWORD);
    const kept = { settings: Uint8Array.from(bob.integrityKey('settings').key), audit: bob.integrityKey('audit') };
    const keptAudit = { key: Uint8Array.from(kept.audit.key), version: kept.audit.version };
    bob.lock();

    removeMember(session, 'bob');
    expect(checkSettings(session)).toMatchObject({ tampered: [], values: { inactiveDays: 45 } });
    expect(verifyAuditFor(session)).toMatchObject({ ok: true, unauthenticated: 0 });
    // The chain goes on under the new key after the removal.
    changeSettings(session, { deletionDays: 20 });
    expect(verifyAuditFor(session)).toMatchObject({ ok: true, unauthenticated: 0 });
    vault.close();

    const reopened = await Vault.open(path);
    const alice = await reopened.unlock('alice', PASSWORD);
    expect(checkSettings(alice)).toMatchObject({ tampered: [], values: { inactiveDays: 45, deletionDays: 20 } });
    expect(verifyAuditFor(alice)).toMatchObject({ ok: true });
    // What bob kept was version 1 of the organization key: nothing of today's log verifies under it.
    expect(verifyAudit(reopened.db, keptAudit).ok).toBe(false);
    expect(alice.integrityKey('settings').key).not.toEqual(kept.settings);
    expect(integrityKey(alice.scopeKey(reopened.orgScopeId).key, 'audit')).toEqual(alice.integrityKey('audit').key);
    reopened.close();
  });
});
