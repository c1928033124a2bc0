import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION } from '../../electron/core/db/migrations';
import { DAY_MS } from '../../electron/core/lifecycle/clock';
import { sessionPass } from '../../electron/core/lifecycle/passes';
import { DATED_EARLY } from '../../electron/core/lifecycle/scheduler';
import { registerSecret } from '../../electron/core/secrets/registration';
import { Vault } from '../../electron/core/vault/vault';
import { intoOlderFormat } from '../support/older-format';
import { auditActions, withRawDb } from '../support/sql';
import { PASSWORD, fakeClock, newVault, useTempDir } from '../support/vault';

/**
 * Migration 10 indexes Inactive secrets by how far their deletion date lies from `active_since`, so
 * that the check every authenticated pass makes for secrets dated earlier than the periods allow
 * reads those few instead of every Inactive secret (lifecycle/scheduler.ts, redateEarly).
 */

const START = Date.parse('2027-01-01T09:00:00Z');
const statuses = (path: string) => withRawDb(path, (db) => (db.prepare('SELECT status FROM secrets ORDER BY seq').all() as { status: string }[]).map((r) => r.status));

describe('Inactive secrets dated early, in a vault made before migration 10', () => {
  const tmp = useTempDir();

  it('are found through the new index once upgraded, and made Active again by the first authenticated pass', async () => {
    const dir = tmp();
    const clock = fakeClock(START);
    const made = await newVault(dir, { context: { clock } });
    for (const name of ['early', 'kept']) registerSecret(made.session, { type: 'api-key', name, fields: { headerName: 'X-Key', value: `value-of-${name}` } });
    made.session.lock();
    made.vault.close();
    // What a locked pass under one-day periods written into the file leaves: Inactive, deletion the next day.
    withRawDb(made.path, (db) => db.prepare("UPDATE secrets SET status = 'inactive', inactive_since = ?, deletion_at = ? WHERE seq = 1").run(START + DAY_MS, START + 2 * DAY_MS));
    const old = join(dir, 'v9.coffer');
    intoOlderFormat(made.path, old, 9);
    withRawDb(old, (db) => expect(db.pragma('user_version', { simple: true })).toBe(9));

    clock.set(START + 10 * DAY_MS);
    const vault = await Vault.open(old, { context: { clock } });
    withRawDb(old, (db) => {
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${DATED_EARLY}`).all(60 * DAY_MS) as { detail: string }[]).map((r) => r.detail).join('; ');
      expect(plan).toContain('secrets_inactive_by_lead');
    });
    expect(statuses(old)).toEqual(['inactive', 'active']);
    const session = await vault.unlock(undefined, PASSWORD);
    // 10 days old under the real 30 + 30: not yet due, so Active again, and nothing purged.
    sessionPass(session);
    expect(statuses(old)).toEqual(['active', 'active']);
    expect(auditActions(old)).not.toContain('secret.purge');
    session.lock();
    vault.close();
  });
});
