import { describe, expect, it } from 'vitest';
import { ad, open, seal } from '../../electron/core/crypto/aead';
import { deleteNow } from '../../electron/core/lifecycle/actions';
import type { NameEntry } from '../../electron/core/secrets/name-chunks';
import { SecretIndex } from '../../electron/core/secrets/secret-index';
import { listSecrets } from '../../electron/core/secrets/reading';
import { registerSecret, registerSecrets } from '../../electron/core/secrets/registration';
import { editSecret } from '../../electron/core/secrets/revisions';
import { addWorkspace } from '../../electron/core/vault/structure';
import type { Session } from '../../electron/core/vault/session';
import { newVault, useTempDir } from '../support/vault';

const key = (name: string, where: object = {}) => ({ type: 'api-key' as const, name, ...where, fields: { headerName: 'X-Key', value: `value of ${name}` } });

interface Chunk {
  scope_id: string;
  chunk_no: number;
  key_version: number;
  content: Uint8Array;
}

// The chunk format spelled out on purpose: these tests pin what older files hold.
const chunkContext = (s: Session, c: Chunk) => ad('coffer/v1/names', s.vaultId, c.scope_id, c.chunk_no, c.key_version);
const chunks = (s: Session) => s.db.raw.prepare('SELECT scope_id, chunk_no, key_version, content FROM name_chunks').all() as Chunk[];
const entriesOf = (s: Session, c: Chunk) => JSON.parse(new TextDecoder().decode(open(s.scopeKey(c.scope_id).key, c.content, chunkContext(s, c), 'chunk'))) as NameEntry[];

/** Rewrites every chunk as Coffer wrote it before listing numbers: `[id, name]` entries. */
function makeLegacy(s: Session): void {
  for (const c of chunks(s)) {
    const legacy = entriesOf(s, c).map(([id, name]) => [id, name]);
    const content = seal(s.scopeKey(c.scope_id).key, new TextEncoder().encode(JSON.stringify(legacy)), chunkContext(s, c), s.ctx.random);
    s.db.raw.prepare('UPDATE name_chunks SET content = ? WHERE scope_id = ? AND chunk_no = ?').run(content, c.scope_id, c.chunk_no);
  }
}

describe('listing numbers', () => {
  const tempDir = useTempDir();

  it('are given once, in order, and never reused after a purge', async () => {
    const { session } = await newVault(tempDir());
    registerSecret(session, key('first'));
    await registerSecrets(session, [key('second'), key('third')]);
    const seqs = () => session.db.raw.prepare('SELECT seq FROM secrets ORDER BY seq').pluck().all() as number[];
    expect(seqs()).toEqual([1, 2, 3]);
    deleteNow(session, { name: 'third' }, 'DELETE');
    registerSecret(session, key('fourth'));
    expect(seqs()).toEqual([1, 2, 4]);
    for (const c of chunks(session)) for (const e of entriesOf(session, c)) expect(e[2]).toBeGreaterThan(0);
  });

  it('name chunks written before them still list every secret, and a rewrite upgrades the chunk', async () => {
    const { session } = await newVault(tempDir());
    addWorkspace(session, 'Backend');
    await registerSecrets(session, [key('Stripe'), key('GitHub', { level: 'organization' }), key('Datadog', { level: 'workspace', workspace: 'Backend' })]);
    const before = listSecrets(session, { sort: 'name' }).items;
    makeLegacy(session);
    session.index = SecretIndex.build(session);
    expect(listSecrets(session, { sort: 'name' }).items).toEqual(before);
    expect(chunks(session).flatMap((c) => entriesOf(session, c)).every((e) => e[2] === undefined)).toBe(true);

    editSecret(session, { ref: { name: 'Stripe' }, name: 'Stripe live' });
    const personal = chunks(session).find((c) => c.scope_id === session.personalScopeId())!;
    expect(entriesOf(session, personal)).toEqual([[before.find((i) => i.name === 'Stripe')!.id, 'Stripe live', expect.any(Number)]]);
    session.index = SecretIndex.build(session);
    expect(listSecrets(session, { sort: 'name' }).items.map((i) => i.name)).toEqual(['Datadog', 'GitHub', 'Stripe live']);
  });

  it('a first page picked without sorting equals the page of the full sort, both ways, with filters', async () => {
    const { session } = await newVault(tempDir());
    addWorkspace(session, 'Backend');
    const names = Array.from({ length: 60 }, (_, i) => `svc-${(i * 37) % 60}-${'abc'[i % 3]}`);
    await registerSecrets(
      session,
      names.map((n, i) => ({ ...key(n, i % 3 === 0 ? { level: 'workspace', workspace: 'Backend' } : {}), expires: i % 4 ? `2027-0${(i % 9) + 1}-01` : undefined })),
    );
    const pages = () =>
      (['name', 'expires', 'created'] as const).flatMap((sort) =>
        [false, true].flatMap((desc) =>
          [{}, { workspace: 'backend' }, { level: 'personal' as const }].map((filter) => {
            const page = listSecrets(session, { sort, desc, offset: 5, limit: 10, ...filter });
            return `${page.matched}:${page.items.map((i) => i.name).join(',')}`;
          }),
        ),
      );
    session.index = SecretIndex.build(session);
    const picked = pages();
    for (const sort of ['name', 'expires', 'created'] as const) SecretIndex.of(session).prepare(sort);
    expect(picked).toEqual(pages());
  });
});
