import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SecretIndex } from '../../electron/core/secrets/secret-index';
import { getSecretValue, listSecrets } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { editSecret } from '../../electron/core/secrets/revisions';
import { deleteNow, scheduleDeletion } from '../../electron/core/lifecycle/actions';
import { systemRandom } from '../../electron/core/crypto/random';
import { CONFIRM_WORD } from '../../shared/schemas/lifecycle';
import { SORT_KEYS } from '../../shared/schemas/secrets';
import { newVault, useTempDir } from '../support/vault';

const SORTS = ['name', 'expires', 'lastUsed', 'created'] as const;

describe('sorted orders kept in place across writes', () => {
  const tmp = useTempDir();

  it('equal a fresh sort after any sequence of creates, renames, expiry edits, uses and deletions', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('create' as const), name: fc.stringMatching(/^[a-z]{1,6}$/), day: fc.integer({ min: 1, max: 28 }) }),
            fc.record({ op: fc.constant('rename' as const), pick: fc.nat(), name: fc.stringMatching(/^[a-z]{1,6}$/) }),
            fc.record({ op: fc.constant('expire' as const), pick: fc.nat(), day: fc.integer({ min: 1, max: 28 }) }),
            fc.record({ op: fc.constant('use' as const), pick: fc.nat() }),
            fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }),
          ),
          { minLength: 5, maxLength: 30 },
        ),
        async (ops) => {
          const { session, vault } = await newVault(tmp());
          for (const s of SORTS) listSecrets(session, { sort: s }); // every order cached before the writes
          const names = (): string[] => listSecrets(session, { sort: 'name' }).items.map((x) => x.name);
          for (const o of ops) {
            const existing = names();
            const target = existing.length ? existing[('pick' in o ? o.pick : 0) % existing.length]! : undefined;
            try {
              if (o.op === 'create') {
                registerSecret(session, { type: 'api-key', name: o.name, expires: `2027-02-${String(o.day).padStart(2, '0')}`, fields: { headerName: 'X', value: 'v' } });
              } else if (target && o.op === 'rename') editSecret(session, { ref: { name: target }, name: o.name });
              else if (target && o.op === 'expire') editSecret(session, { ref: { name: target }, expires: `2027-03-${String(o.day).padStart(2, '0')}` });
              else if (target && o.op === 'use') getSecretValue(session, { name: target }, { use: { door: 'cli', how: 'print' } });
              else if (target && o.op === 'delete') deleteNow(session, { name: target }, 'DELETE');
            } catch (e) {
              if ((e as { code?: string }).code !== 'CONFLICT') throw e; // a name already taken
            }
          }
          const views = () =>
            SORTS.flatMap((sort) =>
              ['', 'a', 'e', 'ab'].flatMap((search) =>
                [false, true].map((desc) => listSecrets(session, { sort, search, desc, limit: 7 }).items.map((x) => x.id).join(',')),
              ),
            );
          const kept = views();
          session.index = SecretIndex.build(session);
          expect(kept).toEqual(views());
          // Search agrees with a plain substring test on the names.
          const all = listSecrets(session, { sort: 'name' }).items;
          expect(listSecrets(session, { sort: 'name', search: 'A' }).items.map((x) => x.id)).toEqual(all.filter((x) => x.name.includes('a')).map((x) => x.id));
          session.lock();
          vault.close();
        },
      ),
      { numRuns: 25 },
    );
  });

  it('pick a first page without sorting that equals the same page of the full sort, ties included', async () => {
    // Ids made in rising order (as Coffer makes them) and in falling order (as a secret imported with
    // an older id has), so that the later of two slots tied on every value can come first either way.
    let next = 0xffffffff;
    const falling = { ...systemRandom, uuid: () => `${(next--).toString(16).padStart(8, '0')}-0000-7000-8000-000000000000` };
    const vaults = [await newVault(tmp()), await newVault(tmp(), { context: { random: falling } })];
    for (const { session } of vaults) {
      // Equal names in two places, names alike in their first characters and made in falling order,
      // equal values under every other key: the page's edge falls inside ties of every kind.
      for (const level of ['personal', 'organization'] as const) {
        for (let i = 0; i < 12; i++) {
          const name = i % 2 ? `n${i % 7}` : `${i % 4 ? 'same-first-twelve' : 'key'}-${String.fromCharCode(0x7a - i)}`;
          const expires = i % 3 === 0 ? undefined : `2027-0${1 + (i % 2)}-01`;
          const place = { name, level, expires };
          try {
            if (i % 2) registerSecret(session, { ...place, type: 'api-key', fields: { headerName: 'X', value: 'v' } });
            else registerSecret(session, { ...place, type: 'bearer-token', fields: { headerName: 'Authorization', headerValue: 'Bearer v' } });
          } catch (e) {
            if ((e as { code?: string }).code !== 'CONFLICT') throw e;
          }
        }
      }
      for (const name of ['n1', 'n3', 'key-v', 'same-first-twelve-t']) getSecretValue(session, { name, level: 'organization' }, { use: { door: 'cli', how: 'print' } });
      for (const name of ['n3', 'key-v', 'same-first-twelve-x']) scheduleDeletion(session, { name, level: 'organization' }, CONFIRM_WORD);
    }
    await fc.assert(
      fc.property(fc.constantFrom(...vaults), fc.constantFrom(...SORT_KEYS), fc.boolean(), fc.integer({ min: 1, max: 25 }), fc.integer({ min: 0, max: 6 }), ({ session }, sort, desc, limit, offset) => {
        session.index = SecretIndex.build(session);
        const picked = listSecrets(session, { sort, desc, limit, offset }).items.map((x) => x.id);
        SecretIndex.of(session).prepare(sort);
        expect(picked).toEqual(listSecrets(session, { sort, desc, limit, offset }).items.map((x) => x.id));
      }),
      { numRuns: 300 },
    );
    for (const { session, vault } of vaults) {
      session.lock();
      vault.close();
    }
  });
});

