import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../electron/core/lifecycle/clock';
import { scheduleDeletion } from '../../electron/core/lifecycle/actions';
import { registerSecret } from '../../electron/core/secrets/registration';
import { SecretIndex } from '../../electron/core/secrets/secret-index';
import { CONFIRM_WORD } from '../../shared/schemas/lifecycle';
import { fakeClock, newVault, useTempDir } from '../support/vault';

/**
 * The "To be deleted" view lists at most a page of the secrets awaiting purge, and that page must be
 * the soonest: sorted by deletion date in the core, not the first page by name sorted again.
 */
describe('secrets listed by deletion date', () => {
  const tmp = useTempDir();

  it('give the soonest first, past any page size, with the undated after every dated one', async () => {
    const clock = fakeClock(Date.parse('2027-03-01T09:00:00Z'));
    const { vault, session } = await newVault(tmp(), { context: { clock } });
    // Names in the reverse order of their deletion dates: the first page by name is the latest.
    const names = Array.from({ length: 12 }, (_, i) => `awaiting-${String(11 - i).padStart(2, '0')}`);
    for (const name of names) registerSecret(session, { type: 'api-key', name, fields: { headerName: 'X-Key', value: `value-of-${name}` } });
    registerSecret(session, { type: 'api-key', name: 'aaa-kept', fields: { headerName: 'X-Key', value: 'kept-value' } });
    for (const name of names) {
      clock.advance(DAY_MS);
      scheduleDeletion(session, { name }, CONFIRM_WORD);
    }
    const index = SecretIndex.of(session);

    const page = index.query({ status: 'scheduled', sort: 'deletion', limit: 5 });
    expect(page.matched).toBe(12);
    expect(page.items.map((i) => i.name)).toEqual(names.slice(0, 5));
    const deletions = page.items.map((i) => i.deletion!);
    expect(deletions).toEqual([...deletions].sort((a, b) => a - b));

    const latestFirst = index.query({ status: 'scheduled', sort: 'deletion', desc: true, limit: 3 });
    expect(latestFirst.items.map((i) => i.name)).toEqual(names.slice(-3).reverse());

    const all = index.query({ sort: 'deletion', limit: 100 });
    expect(all.items.map((i) => i.name)).toEqual([...names, 'aaa-kept']);
    session.lock();
    vault.close();
  });
});
