import { CofferError } from '../../../shared/errors';
import type { Availability, Level, RegisterSecretInput, SecretSummary, ValidSecretInput } from '../../../shared/schemas/secrets';
import { registerSecretInput } from '../../../shared/schemas/secrets';
import { parseInput } from '../../../shared/validation';
import { SECRET_WRITE } from '../access/permissions';
import type { Alloc } from '../crypto/aead';
import { KEY_BYTES, seal, slabs } from '../crypto/aead';
import { blindHash, wipe } from '../crypto/keys';
import { scopeNumbers } from '../vault/scopes';
import { findNamed } from '../vault/structure';
import type { Session } from '../vault/session';
import { contentFromFields } from './content';
import type { CertificateReader } from './certificates-ahead';
import { CertificatesAhead } from './certificates-ahead';
import { headKey, headWithKey } from './head';
import { ListingSeq } from './listing-seq';
import { NameBatch } from './name-chunks';
import { RevisionBatch, signedBatch } from './revision-signatures';
import { dataKeyContext, sealRevision } from './sealing';
import type { ListedSecret } from './summaries';
import { indexed } from './summaries';
import { dayStart } from '../lifecycle/clock';

/** A UNIQUE violation on (scope_id, name_hash) is a name already taken in that scope; anything else is rethrown. */
export function nameTaken(e: unknown, name: string): never {
  if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
    throw new CofferError('CONFLICT', `a secret named "${name}" already exists here`, 'name');
  }
  throw e;
}

interface Placement {
  homeScope: string;
  readerScopes: string[];
  workspaceId: string | null;
  availability: Availability;
}

function place(s: Session, level: Level, workspace: string | undefined, teams: string[] | undefined): Placement {
  if (level === 'personal') return { homeScope: s.personalScopeId(), readerScopes: [s.personalScopeId()], workspaceId: null, availability: 'personal' };
  if (level === 'workspace') {
    const ws = findNamed(s, 'workspace', workspace ?? '');
    return { homeScope: ws.scopeId, readerScopes: [ws.scopeId], workspaceId: ws.id, availability: 'workspace' };
  }
  return { homeScope: s.vault.orgScopeId, workspaceId: null, ...organizationReaders(s, teams) };
}

/**
 * Who reads an organization secret: the organization scope, or exactly the scopes of the teams
 * named (as the verified roster says), each of which this session must hold the key of to wrap
 * the data key for it.
 */
export function organizationReaders(s: Session, teams: readonly string[] | null | undefined): Pick<Placement, 'readerScopes' | 'availability'> {
  if (!teams) return { readerScopes: [s.vault.orgScopeId], availability: 'entire-organization' };
  // Every name is looked up before any key is asked for: an unknown team is NOT_FOUND whatever its place.
  const named = new Map(teams.map((t) => [findNamed(s, 'team', t, 'teams').scopeId, t]));
  for (const [scope, team] of named) {
    if (!s.canRead(scope)) throw new CofferError('FORBIDDEN', `you hold no key of team "${team}"`, 'teams');
  }
  return { readerScopes: [...named.keys()], availability: 'teams' };
}

/** A data key wrapped for one reader scope, under the key version that wrapped it. */
interface WrappedKey {
  scopeId: string;
  version: number;
  wrapped: Uint8Array;
}

/** A registration validated and sealed, ready to insert: nothing of it is plaintext. */
interface Prepared {
  row: ListedSecret;
  name: string;
  nameHash: Uint8Array;
  /** Revision 1, sealed under the secret's data key. */
  content: Uint8Array;
  readers: WrappedKey[];
  /** The secret's head key (secrets/head.ts): the head covers the listing number, taken only when inserted. Wiped then. */
  headKey: Uint8Array;
}

/** What the registrations of one call share: their time, the places looked up, where their ciphertexts go. */
interface Batch {
  now: number;
  places: Map<string, Placement>;
  alloc?: Alloc;
}

/**
 * Placement, content (certificate parsing) and sealing for one validated registration: everything
 * but the inserts, which a bulk registration then runs back to back, table by table.
 */
function prepareSecret(s: Session, v: ValidSecretInput, batch: Batch, readCert?: CertificateReader): Prepared {
  s.authorize(SECRET_WRITE[v.level]);
  // A bulk import places thousands of secrets in a handful of scopes: look each place up once.
  const where = JSON.stringify([v.level, v.workspace?.toLowerCase(), v.teams]);
  let p = batch.places.get(where);
  if (!p) {
    p = place(s, v.level, v.workspace, v.teams);
    batch.places.set(where, p);
  }
  const content = contentFromFields(v.type, v.fields as Record<string, unknown>, readCert);
  const expires = content.type === 'certificate' ? content.notAfter : v.expires ? dayStart(v.expires) : null;
  const id = s.ctx.random.uuid();
  const row: ListedSecret = {
    id,
    seq: 0, // taken when inserted, inside the write transaction
    scope_id: p.homeScope,
    level: v.level,
    workspace_id: p.workspaceId,
    type: v.type,
    availability: p.availability,
    revision: 1,
    created_at: batch.now,
    updated_at: batch.now,
    expires_at: expires,
    last_used_at: null,
    deletion_at: null,
    status: 'active',
    name_hash: blindHash(s.blindKey(p.homeScope), v.name),
    active_since: batch.now,
    head: null, // written with the row, once its listing number is known
  };
  const dataKey = s.ctx.random.bytes(KEY_BYTES);
  try {
    const readers = p.readerScopes.map((scopeId) => {
      const scope = s.scopeKey(scopeId);
      return { scopeId, version: scope.version, wrapped: seal(scope.key, dataKey, dataKeyContext(s, row.id, scopeId, scope.version), s.ctx.random, batch.alloc) };
    });
    const sealed = sealRevision(s, row, dataKey, 1, { v: 1, name: v.name, expires, content, changed: [] }, batch.alloc);
    return { row, name: v.name, nameHash: row.name_hash, content: sealed, readers, headKey: headKey(dataKey) };
  } finally {
    wipe(dataKey);
  }
}

type Blame = <T>(i: number, fn: () => T) => T;

/** Prefixes an item's error with its position, so a bulk caller knows which one failed. */
function atItem<T>(i: number, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CofferError) throw new CofferError(e.code, `item ${i + 1}: ${e.message}`, e.field ? `${i}.${e.field}` : String(i));
    throw e;
  }
}

/**
 * Inserts prepared secrets inside the caller's write transaction, one table at a time (a tight
 * loop per statement runs faster than the three interleaved); their names go to `names`, flushed
 * by the caller, their revisions to `revisions`, signed by the caller. `blame` names the failing
 * item's position in a bulk registration.
 */
function insertPrepared(s: Session, items: readonly Prepared[], names: NameBatch, seqs: ListingSeq, revisions: RevisionBatch, blame: Blame): void {
  const secret = s.db.stmt(
    `INSERT INTO secrets (id, seq, scope_id, level, workspace_id, type, availability, name_hash, revision, created_at, updated_at, expires_at, status, active_since, head)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, 'active', ?, ?)`,
  );
  try {
    items.forEach(({ row, name, nameHash, headKey: key }, i) => {
      row.seq = seqs.take();
      row.head = headWithKey(s.vaultId, key, row);
      try {
        secret.run(row.id, row.seq, row.scope_id, row.level, row.workspace_id, row.type, row.availability, nameHash, row.created_at, row.updated_at, row.expires_at, row.active_since, row.head);
      } catch (e) {
        blame(i, () => nameTaken(e, name));
      }
    });
  } finally {
    for (const item of items) wipe(item.headKey);
  }
  const reader = s.db.stmt('INSERT INTO reader_keys (secret_seq, scope_num, key_version, chunk_no, wrapped_key) VALUES (?, ?, ?, ?, ?)');
  const scopeNum = scopeNumbers(s.db);
  for (const { row, name, readers } of items) {
    for (const r of readers) reader.run(row.seq, scopeNum(r.scopeId), r.version, names.add(r.scopeId, row.id, name, row.seq), r.wrapped);
  }
  const revision = s.db.stmt('INSERT INTO secret_revisions (secret_seq, revision, created_at, author_id, content, signature_id) VALUES (?, 1, ?, ?, ?, ?)');
  for (const { row, content } of items) revision.run(row.seq, row.created_at, s.member.id, content, revisions.add(row.id, 1, row.created_at));
}

/** Registers a secret: one encrypted revision, its data key wrapped per reader scope, its name in their chunks. */
export function registerSecret(s: Session, input: RegisterSecretInput): SecretSummary {
  s.assertUnlocked();
  const p = prepareSecret(s, parseInput(registerSecretInput, input), { now: s.ctx.clock.now(), places: new Map() });
  try {
    s.db.write(() => {
      const names = new NameBatch(s);
      const seqs = new ListingSeq(s.db);
      signedBatch(s, undefined, (revisions) => insertPrepared(s, [p], names, seqs, revisions, (_i, fn) => fn()));
      names.flush();
      seqs.flush();
      s.audit('secret.register', p.row.id);
    });
  } finally {
    // Wiped by the insert, unless the transaction never reached it (LOCKED).
    wipe(p.headKey);
  }
  return indexed(s, p.row, p.name);
}

/** Secrets prepared, then inserted table by table, this many at a time. */
const CHUNK = 256;

/**
 * Registers many secrets inside the caller's write transaction, a chunk at a time: each is
 * prepared, then inserted, so a bulk import holds no more than a chunk of them in memory. The
 * caller's `blame` names a failing item by its position (an index into its own list). Their
 * revisions are signed once: in the caller's `revisions` batch (which the caller finishes), or in
 * one of the registration's own, signed by `finish`.
 */
export class BulkRegistration {
  private readonly names: NameBatch;
  private readonly seqs: ListingSeq;
  private readonly batch: Batch;
  private readonly revisions: RevisionBatch;
  private readonly ownsRevisions: boolean;
  private items: Prepared[] = [];
  private positions: number[] = [];
  private count = 0;

  constructor(
    private readonly s: Session,
    private readonly blame: Blame = atItem,
    revisions?: RevisionBatch,
  ) {
    s.assertUnlocked();
    this.names = new NameBatch(s);
    this.seqs = new ListingSeq(s.db);
    this.batch = { now: s.ctx.clock.now(), places: new Map(), alloc: slabs() };
    this.ownsRevisions = revisions === undefined;
    this.revisions = revisions ?? new RevisionBatch(s);
  }

  /** `input` validated by the caller (importRecords' plan, registerSecrets), which checked it once. */
  add(input: ValidSecretInput, position: number, readCert?: CertificateReader): void {
    this.items.push(this.blame(position, () => prepareSecret(this.s, input, this.batch, readCert)));
    this.positions.push(position);
    if (this.items.length === CHUNK) this.insert();
  }

  /** Inserts what is left and writes the names; returns how many secrets were registered. */
  finish(): number {
    this.insert();
    this.names.flush();
    this.seqs.flush();
    if (this.ownsRevisions) this.revisions.finish();
    this.s.index?.invalidate();
    return this.count;
  }

  private insert(): void {
    const positions = this.positions;
    insertPrepared(this.s, this.items, this.names, this.seqs, this.revisions, (j, fn) => this.blame(positions[j]!, fn));
    this.count += this.items.length;
    this.items = [];
    this.positions = [];
  }
}

/**
 * Registers many secrets in one transaction (imports): all or nothing, each touched name chunk
 * written once, certificates read on a second thread ahead of the loop. An invalid item fails the
 * whole call, the first in order, its index leading the field (`3.name`).
 */
export async function registerSecrets(s: Session, inputs: readonly RegisterSecretInput[]): Promise<number> {
  s.assertUnlocked();
  const certificates = new CertificatesAhead();
  const tickets = inputs.map((input) => certificates.ticket(input));
  try {
    return s.db.write(() => {
      const bulk = new BulkRegistration(s);
      inputs.forEach((input, i) => bulk.add(atItem(i, () => parseInput(registerSecretInput, input)), i, certificates.reader(tickets[i]!)));
      const n = bulk.finish();
      s.audit('secret.import', `${n} secrets`);
      return n;
    });
  } finally {
    certificates.close();
  }
}
