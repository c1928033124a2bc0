import { beforeAll, describe, expect, it } from 'vitest';
import { systemRandom } from '../../electron/core/crypto/random';
import { initSodium, sodium } from '../../electron/core/crypto/sodium';
import type { HeadState } from '../../electron/core/secrets/head';
import { HEAD_COLUMNS, headKey, headMessage, headOf, headWithKey } from '../../electron/core/secrets/head';
import { revisionLeaf } from '../../electron/core/secrets/revision-signatures';

const VAULT = '0190a1b2-0000-7000-8000-000000000001';
const base: HeadState = {
  id: '0190a1b2-0000-7000-8000-0000000000aa',
  seq: 7,
  scope_id: '0190a1b2-0000-7000-8000-0000000000bb',
  level: 'workspace',
  workspace_id: '0190a1b2-0000-7000-8000-0000000000cc',
  type: 'api-key',
  availability: 'workspace',
  name_hash: new Uint8Array(32).fill(9),
  revision: 3,
  created_at: 1_700_000_000_000,
  updated_at: 1_700_000_100_000,
  expires_at: 1_800_000_000_000,
  last_used_at: 1_700_000_200_000,
  active_since: 1_700_000_200_000,
  status: 'active',
  deletion_at: null,
};

/** A different value of each covered column. */
const changed: { [K in keyof HeadState]: HeadState[K] } = {
  id: '0190a1b2-0000-7000-8000-0000000000ab',
  seq: 8,
  scope_id: '0190a1b2-0000-7000-8000-0000000000bc',
  level: 'organization',
  workspace_id: null,
  type: 'bearer-token',
  availability: 'entire-organization',
  name_hash: new Uint8Array(32).fill(8),
  revision: 2,
  created_at: 1_699_999_999_999,
  updated_at: 1_700_000_099_999,
  expires_at: null,
  last_used_at: null,
  active_since: 1_600_000_000_000,
  status: 'scheduled',
  deletion_at: 1_700_000_300_000,
};

describe('a secret head', () => {
  beforeAll(async () => {
    await initSodium();
  });
  const dataKey = systemRandom.bytes(32);

  it('changes with every covered column', () => {
    const head = headOf(VAULT, dataKey, base);
    // Status and deletion date count together, as the manual deletion date (next test).
    for (const column of HEAD_COLUMNS.filter((c) => c !== 'status' && c !== 'deletion_at')) {
      const edited = { ...base, [column]: changed[column] } as HeadState;
      expect(headOf(VAULT, dataKey, edited), column).not.toEqual(head);
    }
    expect(headOf('another-vault', dataKey, base)).not.toEqual(head);
    expect(headOf(VAULT, systemRandom.bytes(32), base)).not.toEqual(head);
  });

  it('covers the deletion date of a scheduled secret only: the scheduler dates Inactive ones without a key', () => {
    const head = headOf(VAULT, dataKey, base);
    expect(headOf(VAULT, dataKey, { ...base, status: 'inactive', deletion_at: 1_700_000_300_000 })).toEqual(head);
    const scheduled = { ...base, status: 'scheduled' as const, deletion_at: 1_700_000_300_000 };
    expect(headOf(VAULT, dataKey, scheduled)).not.toEqual(head);
    expect(headOf(VAULT, dataKey, { ...scheduled, deletion_at: 1_700_000_300_001 })).not.toEqual(headOf(VAULT, dataKey, scheduled));
  });

  it('is keyed by a key derived from the data key, never the data key itself', () => {
    const key = headKey(dataKey);
    expect(key).not.toEqual(dataKey);
    expect(headWithKey(VAULT, key, base)).toEqual(headOf(VAULT, dataKey, base));
    expect(headWithKey(VAULT, key, base)).toEqual(sodium().crypto_generichash(32, headMessage(VAULT, base), key));
    expect(new TextDecoder().decode(headMessage(VAULT, base))).toBe(
      [
        'coffer/v1/secret-head',
        VAULT,
        base.id,
        '7',
        base.scope_id,
        'workspace',
        base.workspace_id,
        'api-key',
        'workspace',
        '09'.repeat(32),
        '3',
        '1700000000000',
        '1700000100000',
        '1800000000000',
        '1700000200000',
        '1700000200000',
        '',
      ].join('\u001f'),
    );
  });
});

describe('a revision leaf', () => {
  beforeAll(async () => {
    await initSodium();
  });
  const rev = { secret_id: 'secret-1', revision: 2, author_id: 'member-1', created_at: 1_700_000_000_000 };

  it('changes with the vault, the secret, the revision number, the author and the time', () => {
    const leaf = revisionLeaf(VAULT, rev);
    expect(leaf).toHaveLength(32);
    expect(revisionLeaf('another-vault', rev)).not.toEqual(leaf);
    for (const edited of [{ secret_id: 'secret-2' }, { revision: 3 }, { author_id: 'member-2' }, { created_at: 1 }]) {
      expect(revisionLeaf(VAULT, { ...rev, ...edited })).not.toEqual(leaf);
    }
  });
});
