import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as Aead from '../../electron/core/crypto/aead';
import type * as Keys from '../../electron/core/crypto/keys';
import type * as SodiumModule from '../../electron/core/crypto/sodium';
import type * as Head from '../../electron/core/secrets/head';
import type * as Reading from '../../electron/core/secrets/reading';
import type * as Registration from '../../electron/core/secrets/registration';
import type * as Sealing from '../../electron/core/secrets/sealing';
import type * as SealingAheadModule from '../../electron/core/secrets/sealing-ahead';
import type { SealJob } from '../../electron/core/secrets/sealing-ahead';
import type * as Doctor from '../../electron/core/vault/doctor';
import type * as Structure from '../../electron/core/vault/structure';
import type * as VaultModule from '../../electron/core/vault/vault';
import { registerSecretInput } from '../../shared/schemas/secrets';
import { parseInput } from '../../shared/validation';
import { tablesDigest } from '../support/sql';
import { PASSWORD, useTempDir } from '../support/vault';

/**
 * Sealing on a second thread (secrets/sealing-ahead.ts): the worker runs compiled code, so this test
 * loads the build `npm test` makes first, the core included (a thread's output is checked with the
 * same modules that made the session).
 */
let core: {
  aead: typeof Aead;
  keys: typeof Keys;
  head: typeof Head;
  reading: typeof Reading;
  registration: typeof Registration;
  sealing: typeof Sealing;
  ahead: typeof SealingAheadModule;
  doctor: typeof Doctor;
  structure: typeof Structure;
  Vault: typeof VaultModule.Vault;
};

const dist = <T>(module: string) => import(join(process.cwd(), 'dist/electron/core', `${module}.js`)) as Promise<T>;

beforeAll(async () => {
  await (await dist<typeof SodiumModule>('crypto/sodium')).initSodium();
  core = {
    aead: await dist('crypto/aead'),
    keys: await dist('crypto/keys'),
    head: await dist('secrets/head'),
    reading: await dist('secrets/reading'),
    registration: await dist('secrets/registration'),
    sealing: await dist('secrets/sealing'),
    ahead: await dist('secrets/sealing-ahead'),
    doctor: await dist('vault/doctor'),
    structure: await dist('vault/structure'),
    Vault: (await dist<typeof VaultModule>('vault/vault')).Vault,
  };
});

const decoder = new TextDecoder();

describe('sealing on a second thread (the compiled worker)', () => {
  const tempDir = useTempDir();

  async function session() {
    const vault = await core.Vault.create(join(tempDir(), 'sealing.coffer'), { org: 'Acme', member: 'alice', password: PASSWORD, kdf: 'fast' });
    const s = await vault.unlock(undefined, PASSWORD);
    core.structure.addWorkspace(s, 'Backend');
    return { vault, s };
  }

  it("seals what the caller would: each data key opens under each reader's key, the revision under it, the name hash and head match", async () => {
    const { vault, s } = await session();
    const personal = s.personalScopeId();
    const backend = core.structure.findNamed(s, 'workspace', 'Backend').scopeId;
    const jobs: SealJob[] = Array.from({ length: 600 }, (_, i) => {
      const scope = i % 2 ? personal : backend;
      const readers = [scope, ...(i % 3 === 0 ? [s.vault.orgScopeId] : [])];
      return {
        row: {
          id: `secret-${i}`,
          seq: i + 1,
          scope_id: scope,
          level: i % 2 ? 'personal' : 'workspace',
          workspace_id: i % 2 ? null : 'w',
          type: 'api-key',
          availability: i % 2 ? 'personal' : 'workspace',
          revision: 1,
          created_at: 1_000 + i,
          updated_at: 1_000 + i,
          expires_at: i % 5 ? null : 86_400_000,
          last_used_at: null,
          active_since: 1_000 + i,
          status: 'active',
          deletion_at: null,
        },
        name: `key ${i} é`,
        payload: { v: 1, name: `key ${i} é`, expires: null, content: { type: 'api-key', headerName: 'X-Key', value: `value ${i} 🔑` }, changed: [] },
        readers: readers.map((scopeId) => ({ scopeId, version: s.scopeKey(scopeId).version })),
      };
    });
    const ahead = new core.ahead.SealingAhead(s, undefined, 0);
    const tickets = jobs.map((job) => ahead.add(job));
    const first = ahead.take(tickets[0]!);
    // Left alone, the thread seals the rest before they are asked for.
    for (let waited = 0; ahead.sealedByThread + 1 < jobs.length && waited < 20_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    expect(ahead.sealedByThread).toBeGreaterThanOrEqual(jobs.length - 1);
    const sealed = [first, ...tickets.slice(1).map((t) => ahead.take(t))];
    ahead.close();

    sealed.forEach((out, i) => {
      const { row, name, payload, readers } = jobs[i]!;
      const nameHash = core.keys.blindHash(s.blindKey(row.scope_id), name);
      expect(Buffer.from(out.nameHash).equals(Buffer.from(nameHash))).toBe(true);
      expect(out.wrapped).toHaveLength(readers.length);
      readers.forEach((r, k) => {
        const dataKey = core.aead.open(s.scopeKey(r.scopeId).key, out.wrapped[k]!, core.sealing.dataKeyContext(s, row.id, r.scopeId, r.version), 'data key');
        const plain = core.aead.open(dataKey, out.content, core.sealing.revisionContext(s, row, 1), 'revision');
        expect(JSON.parse(decoder.decode(plain))).toEqual(payload);
        const head = core.head.headWithKey(s.vaultId, core.head.headKey(dataKey), { ...row, name_hash: nameHash });
        expect(Buffer.from(out.head).equals(Buffer.from(head))).toBe(true);
      });
    });
    vault.close();
  });

  it('a bulk registration sealed partly on the thread: every secret reads back and verifies; a failure writes nothing', async () => {
    const { vault, s } = await session();
    const levels = [{}, { level: 'workspace', workspace: 'Backend' }, { level: 'organization' }] as const;
    const inputs = Array.from({ length: 3000 }, (_, i) =>
      parseInput(registerSecretInput, { type: 'api-key', name: `bulk-${i}`, ...levels[i % 3], fields: { headerName: 'X-Key', value: `bulk value ${i}` } }),
    );
    /** Registers `list` with the thread from the first item, pausing once so that it has started and sealed some. */
    const register = (list: typeof inputs) =>
      s.db.write(() => {
        const bulk = new core.registration.BulkRegistration(s, undefined, undefined, 0);
        try {
          list.forEach((input, i) => {
            if (i === 700) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
            bulk.add(input, i);
          });
          return { count: bulk.finish(), byThread: bulk.sealedByThread };
        } finally {
          bulk.close();
        }
      });

    const before = tablesDigest(vault.path);
    // The 2,500th name repeats the first in its own place: refused at its insert, after the thread sealed many.
    const repeated = inputs.map((input, i) => (i === 2499 ? { ...input, name: 'bulk-0', level: 'personal' as const, workspace: undefined } : input));
    expect(() => register(repeated)).toThrow(expect.objectContaining({ code: 'CONFLICT', field: '2499.name' }));
    expect(tablesDigest(vault.path)).toBe(before);

    const { count, byThread } = register(inputs);
    expect(count).toBe(3000);
    expect(byThread).toBeGreaterThan(200);
    expect(core.reading.listSecrets(s, { limit: 5000 }).total).toBe(3000);
    for (let i = 0; i < 3000; i += 37) {
      expect(core.reading.getSecretValue(s, { name: `bulk-${i}` }, { use: { door: 'cli', how: 'print' } }).value).toBe(`bulk value ${i}`);
    }
    // Every head and every current revision, checked as `coffer doctor` does.
    expect(core.doctor.sessionDamage(s)).toMatchObject({ findings: [], secrets: [] });
    vault.close();
  });
});
