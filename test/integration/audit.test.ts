import { describe, expect, it } from 'vitest';
import { readAudit, verifyAuditFor } from '../../electron/core/audit/access';
import { getSecretValue } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { editSecret } from '../../electron/core/secrets/revisions';
import { addMember } from '../../electron/core/vault/members';
import { Vault } from '../../electron/core/vault/vault';
import { withRawDb } from '../support/sql';
import { PASSWORD, newVault, useTempDir } from '../support/vault';

const VALUE = 'audit-must-never-hold-this-value';

async function auditedVault(dir: string) {
  const { vault, session, path } = await newVault(dir);
  registerSecret(session, { type: 'api-key', name: 'k', fields: { headerName: 'X-Key', value: VALUE } });
  getSecretValue(session, { name: 'k' }, { use: { door: 'desktop', how: 'reveal' } });
  getSecretValue(session, { name: 'k' }, { use: { door: 'desktop', how: 'copy' } });
  editSecret(session, { ref: { name: 'k' }, fields: { value: `${VALUE}-2` } });
  addMember(session, { name: 'bob', role: 'member', password: 'bob-password-1' });
  await vault.unlock('alice', 'wrong password').catch(() => undefined);
  session.lock();
  vault.close();
  return path;
}

describe('audit log', () => {
  const tmp = useTempDir();

  it('records who did what to which id, and never a value', async () => {
    const path = await auditedVault(tmp());
    const v = await Vault.open(path);
    const s = await v.unlock('alice', PASSWORD);
    const entries = readAudit(s);
    expect(entries.map((e) => e.action).reverse()).toEqual([
      'unlock',
      'secret.register',
      'secret.reveal',
      'secret.copy',
      'secret.edit',
      'member.add',
      'unlock.failed',
      'unlock',
    ]);
    expect(entries.every((e) => e.actor === 'alice')).toBe(true);
    expect(JSON.stringify(entries)).not.toContain(VALUE);
    expect(readAudit(s, { action: 'secret' }).length).toBe(4);
    expect(verifyAuditFor(s)).toEqual({ ok: true, entries: 8, unauthenticated: 1 });
  });

  const tamperings: [string, string][] = [
    ['an altered action', "UPDATE audit SET action = 'secret.register' WHERE seq = 3"],
    ['an altered actor', "UPDATE audit SET actor = 'mallory' WHERE seq = 2"],
    ['an altered time', 'UPDATE audit SET at = at + 1 WHERE seq = 5'],
    ['an altered target', "UPDATE audit SET target = 'x' WHERE seq = 4"],
    ['a removed entry in the middle', 'DELETE FROM audit WHERE seq = 4'],
    ['a removed first entry', 'DELETE FROM audit WHERE seq = 1'],
    // The newest entry of all is the failed unlock, written without a key: see test/integrity/audit.test.ts.
    ['a removed last entry written under the key', "DELETE FROM audit WHERE seq >= (SELECT max(seq) FROM audit WHERE origin = 'session')"],
    [
      'two entries swapped',
      `UPDATE audit SET seq = -1 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 4; UPDATE audit SET seq = 4 WHERE seq = -1;`,
    ],
    ['every entry removed', 'DELETE FROM audit'],
  ];

  it.each(tamperings)('detects %s with plain SQL', async (_what, sql) => {
    const path = await auditedVault(tmp());
    withRawDb(path, (db) => db.exec(sql));
    const v = await Vault.open(path, { readOnly: true });
    const verdict = verifyAuditFor(await v.unlock('alice', PASSWORD));
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.brokenAt).toBeGreaterThanOrEqual(1);
    v.close();
  });

  it('names the first broken entry', async () => {
    const path = await auditedVault(tmp());
    withRawDb(path, (db) => db.exec("UPDATE audit SET action = 'secret.get' WHERE seq = 5"));
    const v = await Vault.open(path, { readOnly: true });
    expect(verifyAuditFor(await v.unlock('alice', PASSWORD))).toEqual({ ok: false, entries: 7, unauthenticated: 1, brokenAt: 5, reason: 'entry 5 was altered' });
    v.close();
  });

  it('is refused to a Member by the permission table', async () => {
    const { vault, session } = await newVault(tmp());
    addMember(session, { name: 'bob', role: 'member', password: 'bob-password-1' });
    const bob = await vault.unlock('bob', 'bob-password-1');
    expect(() => readAudit(bob)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => verifyAuditFor(bob)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });
});
