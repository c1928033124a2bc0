import { CofferError } from '../../../shared/errors';
import { formatDotenv } from '../../../shared/dotenv';
import type {
  Availability,
  EditSecretInput,
  FieldView,
  RevisionInfo,
  SecretDetail,
  SecretUsage,
  Level,
  ListSecretsInput,
  RegisterSecretInput,
  SecretListing,
  SecretRef,
  SecretSummary,
  SecretType,
} from '../../../shared/schemas/secrets';
import { editSecretInput, registerSecretInput, secretRef } from '../../../shared/schemas/secrets';
import { parseInput } from '../../../shared/validation';
import { SECRET_WRITE } from '../access/permissions';
import type { Alloc } from '../crypto/aead';
import { KEY_BYTES, ad, open, seal, sealText, slabs } from '../crypto/aead';
import { blindHash, wipe } from '../crypto/keys';
import { findNamed } from '../vault/structure';
import type { Session } from '../vault/session';
import type { Content, FieldsPatch, Payload } from './content';
import { DEFAULT_FIELD, applyPatch, changedFields, contentFromFields, fieldViews, masked } from './content';
import type { CertificateReader } from './certificates-ahead';
import { CertificatesAhead } from './certificates-ahead';
import { ListingSeq } from './listing-seq';
import { NameBatch } from './name-chunks';
import { SecretIndex } from './secret-index';
import type { ListedSecret } from './summaries';
import { SECRET_COLUMNS, rowSummary, teamNamesOf } from './summaries';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const dataKeyContext = (s: Session, secretId: string, scopeId: string, version: number) => ad('coffer/v1/data-key', s.vaultId, secretId, scopeId, version);
const revisionContext = (s: Session, row: Pick<ListedSecret, 'id' | 'scope_id' | 'type'>, revision: number) =>
  ad('coffer/v1/revision', s.vaultId, row.id, row.scope_id, row.type, revision);
const usageContext = (s: Session, secretId: string) => ad('coffer/v1/usage', s.vaultId, secretId);

const dayStart = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`);

interface ReaderRow {
  scope_id: string;
  key_version: number;
  chunk_no: number;
  wrapped_key: Uint8Array;
}

function readers(s: Session, secretId: string): ReaderRow[] {
  return s.db.stmt('SELECT scope_id, key_version, chunk_no, wrapped_key FROM secret_readers WHERE secret_id = ?').all(secretId) as ReaderRow[];
}

/** Unwraps a secret's data key through any reader scope whose key is sealed to this member. */
function unwrapDataKey(s: Session, secretId: string): Uint8Array {
  const reader = readers(s, secretId).find((r) => s.canRead(r.scope_id));
  if (!reader) throw new CofferError('FORBIDDEN', 'you hold no key that opens this secret');
  const scope = s.scopeKey(reader.scope_id);
  return open(scope.key, reader.wrapped_key, dataKeyContext(s, secretId, reader.scope_id, reader.key_version), 'this secret');
}

function decryptRevision(s: Session, row: ListedSecret, dataKey: Uint8Array, revision: number): Payload {
  const rev = s.db.stmt('SELECT content FROM revisions WHERE secret_id = ? AND revision = ?').get(row.id, revision) as { content: Uint8Array } | undefined;
  if (!rev) throw new CofferError('NOT_FOUND', `revision ${revision} does not exist`, 'revision');
  const plain = open(dataKey, rev.content, revisionContext(s, row, revision), 'this secret');
  try {
    return JSON.parse(decoder.decode(plain)) as Payload;
  } finally {
    wipe(plain);
  }
}

/** A revision's content, sealed under the secret's data key and bound to its place and number. */
function sealRevision(
  s: Session,
  row: Pick<ListedSecret, 'id' | 'scope_id' | 'type'>,
  dataKey: Uint8Array,
  revision: number,
  payload: Payload,
  alloc?: Alloc,
): Uint8Array {
  return sealText(dataKey, JSON.stringify(payload), revisionContext(s, row, revision), s.ctx.random, alloc);
}

const INSERT_REVISION = 'INSERT INTO revisions (secret_id, revision, created_at, author_id, content) VALUES (?, ?, ?, ?, ?)';

function writeRevision(s: Session, row: Pick<ListedSecret, 'id' | 'scope_id' | 'type'>, dataKey: Uint8Array, revision: number, payload: Payload): void {
  s.db.stmt(INSERT_REVISION).run(row.id, revision, s.ctx.clock.now(), s.member.id, sealRevision(s, row, dataKey, revision, payload));
}

function nameTaken(e: unknown, name: string): never {
  if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
    throw new CofferError('CONFLICT', `a secret named "${name}" already exists here`, 'name');
  }
  throw e;
}

function workspaceName(s: Session, workspaceId: string | null): string | null {
  if (!workspaceId) return null;
  return (s.db.stmt('SELECT name FROM workspaces WHERE id = ?').get(workspaceId) as { name: string } | undefined)?.name ?? null;
}

/** Keeps the in-memory index (when built) in step with this session's write. */
function indexed(s: Session, row: ListedSecret, name: string): SecretSummary {
  const summary = { workspace: workspaceName(s, row.workspace_id), teams: teamNamesOf(s.db, row.id) };
  if (s.index) return s.index.upsert(row, name, summary.workspace, summary.teams);
  return rowSummary(row, name, summary.workspace, summary.teams);
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
    const ws = findNamed(s.db, 'workspace', workspace ?? '');
    return { homeScope: ws.scope_id, readerScopes: [ws.scope_id], workspaceId: ws.id, availability: 'workspace' };
  }
  const org = s.vault.orgScopeId;
  if (!teams) return { homeScope: org, readerScopes: [org], workspaceId: null, availability: 'entire-organization' };
  const readerScopes = [...new Set(teams.map((t) => findNamed(s.db, 'team', t, 'teams').scope_id))];
  for (const [i, scope] of readerScopes.entries()) {
    if (!s.canRead(scope)) throw new CofferError('FORBIDDEN', `you hold no key of team "${teams[i]}"`, 'teams');
  }
  return { homeScope: org, readerScopes, workspaceId: null, availability: 'teams' };
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
}

/** What the registrations of one call share: their time, the places looked up, where their ciphertexts go. */
interface Batch {
  now: number;
  places: Map<string, Placement>;
  alloc?: Alloc;
}

/**
 * Validation, placement, content (certificate parsing) and sealing for one registration: everything
 * but the inserts, which a bulk registration then runs back to back, table by table.
 */

function prepareSecret(s: Session, input: RegisterSecretInput, batch: Batch, readCert?: CertificateReader): Prepared {
  const v = parseInput(registerSecretInput, input);
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
  const row: ListedSecret = {
    id: s.ctx.random.uuid(),
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
  };
  const dataKey = s.ctx.random.bytes(KEY_BYTES);
  try {
    const readers = p.readerScopes.map((scopeId) => {
      const scope = s.scopeKey(scopeId);
      return { scopeId, version: scope.version, wrapped: seal(scope.key, dataKey, dataKeyContext(s, row.id, scopeId, scope.version), s.ctx.random, batch.alloc) };
    });
    const sealed = sealRevision(s, row, dataKey, 1, { v: 1, name: v.name, expires, content, changed: [] }, batch.alloc);
    return { row, name: v.name, nameHash: blindHash(s.blindKey(row.scope_id), v.name), content: sealed, readers };
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
 * by the caller. `blame` names the failing item's position in a bulk registration.
 */
function insertPrepared(s: Session, items: readonly Prepared[], names: NameBatch, seqs: ListingSeq, blame: Blame): void {
  const secret = s.db.stmt(
    `INSERT INTO secrets (id, seq, scope_id, level, workspace_id, type, availability, name_hash, revision, created_at, updated_at, expires_at, status, active_since)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, 'active', ?)`,
  );
  items.forEach(({ row, name, nameHash }, i) => {
    row.seq = seqs.take();
    try {
      secret.run(row.id, row.seq, row.scope_id, row.level, row.workspace_id, row.type, row.availability, nameHash, row.created_at, row.updated_at, row.expires_at, row.created_at);
    } catch (e) {
      blame(i, () => nameTaken(e, name));
    }
  });
  const reader = s.db.stmt('INSERT INTO secret_readers (secret_id, scope_id, key_version, chunk_no, wrapped_key) VALUES (?, ?, ?, ?, ?)');
  for (const { row, name, readers } of items) {
    for (const r of readers) reader.run(row.id, r.scopeId, r.version, names.add(r.scopeId, row.id, name, row.seq), r.wrapped);
  }
  const revision = s.db.stmt(INSERT_REVISION);
  for (const { row, content } of items) revision.run(row.id, 1, row.created_at, s.member.id, content);
}

/** Registers a secret: one encrypted revision, its data key wrapped per reader scope, its name in their chunks. */
export function registerSecret(s: Session, input: RegisterSecretInput): SecretSummary {
  s.assertUnlocked();
  const p = prepareSecret(s, input, { now: s.ctx.clock.now(), places: new Map() });
  s.db.write(() => {
    const names = new NameBatch(s);
    const seqs = new ListingSeq(s.db);
    insertPrepared(s, [p], names, seqs, (_i, fn) => fn());
    names.flush();
    seqs.flush();
    s.audit('secret.register', p.row.id);
  });
  return indexed(s, p.row, p.name);
}

/** Secrets prepared, then inserted table by table, this many at a time. */
const CHUNK = 256;

/**
 * Registers many secrets inside the caller's write transaction, a chunk at a time: each is
 * prepared, then inserted, so a bulk import holds no more than a chunk of them in memory. The
 * caller's `blame` names a failing item by its position (an index into its own list).
 */
export class BulkRegistration {
  private readonly names: NameBatch;
  private readonly seqs: ListingSeq;
  private readonly batch: Batch;
  private items: Prepared[] = [];
  private positions: number[] = [];
  private count = 0;

  constructor(
    private readonly s: Session,
    private readonly blame: Blame = atItem,
  ) {
    s.assertUnlocked();
    this.names = new NameBatch(s);
    this.seqs = new ListingSeq(s.db);
    this.batch = { now: s.ctx.clock.now(), places: new Map(), alloc: slabs() };
  }

  add(input: RegisterSecretInput, position: number, readCert?: CertificateReader): void {
    this.items.push(this.blame(position, () => prepareSecret(this.s, input, this.batch, readCert)));
    this.positions.push(position);
    if (this.items.length === CHUNK) this.insert();
  }

  /** Inserts what is left and writes the names; returns how many secrets were registered. */
  finish(): number {
    this.insert();
    this.names.flush();
    this.seqs.flush();
    this.s.index?.invalidate();
    return this.count;
  }

  private insert(): void {
    const positions = this.positions;
    insertPrepared(this.s, this.items, this.names, this.seqs, (j, fn) => this.blame(positions[j]!, fn));
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
      inputs.forEach((input, i) => bulk.add(input, i, certificates.reader(tickets[i]!)));
      const n = bulk.finish();
      s.audit('secret.import', `${n} secrets`);
      return n;
    });
  } finally {
    certificates.close();
  }
}

export function listSecrets(s: Session, input: ListSecretsInput = {}): SecretListing {
  return SecretIndex.of(s).query(input);
}

/** A candidate's place, as people write it: `personal/NAME`, `workspace/Backend/NAME`, `organization/NAME`. */
function placeLabel(s: Session, row: ListedSecret, name: string): string {
  if (row.level === 'workspace') return `workspace/${workspaceName(s, row.workspace_id)}/${name}`;
  return `${row.level}/${name}`;
}

/**
 * Finds a secret by name through the blind index of each scope it may live in: personal, then
 * workspaces, then organization. No chunk is decrypted, so `secret get` stays fast.
 */
export function resolveSecret(s: Session, rawRef: SecretRef): ListedSecret {
  s.assertUnlocked();
  const ref = parseInput(secretRef, rawRef);
  if (ref.id !== undefined) return secretById(s, ref.id);
  const name = ref.name!;
  const scopes: string[] = [];
  if (!ref.level || ref.level === 'personal') {
    if (!ref.workspace) scopes.push(s.personalScopeId());
  }
  if (!ref.level || ref.level === 'workspace') {
    if (ref.workspace) scopes.push(findNamed(s.db, 'workspace', ref.workspace).scope_id);
    else scopes.push(...(s.db.stmt('SELECT scope_id FROM workspaces ORDER BY name COLLATE NOCASE').all() as { scope_id: string }[]).map((w) => w.scope_id));
  }
  if ((!ref.level && !ref.workspace) || ref.level === 'organization') scopes.push(s.vault.orgScopeId);
  const found: ListedSecret[] = [];
  for (const scopeId of scopes) {
    if (!s.canRead(scopeId)) continue;
    const row = s.db
      .stmt(`SELECT ${SECRET_COLUMNS} FROM secrets WHERE scope_id = ? AND name_hash = ?`)
      .get(scopeId, blindHash(s.blindKey(scopeId), name)) as ListedSecret | undefined;
    // A team-only organization secret is found only by those holding one of its teams' keys.
    if (row && readers(s, row.id).some((r) => s.canRead(r.scope_id))) found.push(row);
  }
  if (found.length === 0) throw new CofferError('NOT_FOUND', `no secret named "${name}" that you can read`, 'name');
  if (found.length > 1) {
    const where = found.map((r) => placeLabel(s, r, name)).join(', ');
    throw new CofferError('CONFLICT', `"${name}" exists in several places (${where}): choose one with --level or --workspace`, 'name');
  }
  return found[0]!;
}

/** A listing row for one secret, from the index when it is built, else from its current revision. */
export function secretSummary(s: Session, id: string): SecretSummary {
  const row = secretById(s, id);
  const name = s.index?.get(row.seq)?.name ?? withCurrent(s, row, (p) => p.name);
  return indexed(s, row, name);
}

/** By id, for the app; a secret this member holds no key for does not exist for them. */
function secretById(s: Session, id: string): ListedSecret {
  const row = s.db.stmt(`SELECT ${SECRET_COLUMNS} FROM secrets WHERE id = ?`).get(id) as ListedSecret | undefined;
  if (!row || !readers(s, row.id).some((r) => s.canRead(r.scope_id))) throw new CofferError('NOT_FOUND', 'this secret does not exist, or you cannot read it', 'id');
  return row;
}

function withCurrent<T>(s: Session, row: ListedSecret, fn: (payload: Payload, dataKey: Uint8Array) => T): T {
  const dataKey = unwrapDataKey(s, row.id);
  try {
    return fn(decryptRevision(s, row, dataKey, row.revision), dataKey);
  } finally {
    wipe(dataKey);
  }
}

/** Every field, values masked: decrypts but reads no value out, so it records no usage. */
export function showSecret(s: Session, ref: SecretRef): SecretDetail {
  const row = resolveSecret(s, ref);
  return withCurrent(s, row, (p) => ({ ...indexed(s, row, p.name), fields: masked(fieldViews(p.content)) }));
}

export interface SecretValue {
  id: string;
  name: string;
  type: SecretType;
  field: string | null;
  /** The one field asked for, or the secret's main value. */
  value: string;
  fields: FieldView[];
}

export interface GetOptions {
  field?: string;
  consumer: string;
  /** How the value leaves: printed (`get`), shown (`reveal`) or copied (`copy`); audited as such. */
  purpose?: 'get' | 'reveal' | 'copy';
}

function pickValue(content: Content, views: FieldView[], field: string | undefined): { field: string | null; value: string } {
  const name = field ?? DEFAULT_FIELD[content.type];
  if (name === null) return { field: null, value: content.type === 'key-value' ? formatDotenv(content.pairs) : '' };
  const view = views.find((v) => v.key === name);
  if (!view || view.value === null) {
    const known = views.map((v) => v.key).join(', ');
    throw new CofferError('VALIDATION', `this secret has no field "${name}" (fields: ${known})`, 'field');
  }
  return { field: name, value: view.value };
}

/**
 * Reads a value and records who used it and when, in the same transaction as the read (SPEC §2).
 * Use brings an Inactive or scheduled secret back to Active (SPEC §4). Read-only vaults record nothing.
 */
export function getSecretValue(s: Session, ref: SecretRef, opts: GetOptions): SecretValue {
  const consumer = opts.consumer.trim().slice(0, 128) || 'unknown';
  const read = () => {
    const row = resolveSecret(s, ref);
    return withCurrent(s, row, (p, dataKey) => {
      const views = fieldViews(p.content);
      const picked = pickValue(p.content, views, opts.field);
      if (!s.vault.readOnly) {
        recordUsage(s, row, dataKey, consumer);
        s.audit(`secret.${opts.purpose ?? 'get'}`, row.id);
      }
      return { id: row.id, name: p.name, type: row.type, ...picked, fields: views };
    });
  };
  return s.vault.readOnly ? s.db.read(read) : s.db.write(read);
}

/** A use makes the secret Active again and cancels a scheduled deletion (SPEC §4); `?` twice for the time. */
const USED_AT = "last_used_at = ?, active_since = ?, status = 'active', inactive_since = NULL, deletion_at = NULL";

/** The consumer of a use, sealed under the secret's data key: only its readers learn who used it. */
const usageLabel = (s: Session, secretId: string, dataKey: Uint8Array, consumer: Uint8Array) => seal(dataKey, consumer, usageContext(s, secretId), s.ctx.random);

function recordUsage(s: Session, row: ListedSecret, dataKey: Uint8Array, consumer: string): void {
  const now = s.ctx.clock.now();
  s.db.stmt('INSERT INTO usage (secret_id, at, consumer) VALUES (?, ?, ?)').run(row.id, now, usageLabel(s, row.id, dataKey, encoder.encode(consumer)));
  s.db.stmt(`UPDATE secrets SET ${USED_AT} WHERE id = ?`).run(now, now, row.id);
  if (s.index) s.index.upsert({ ...row, last_used_at: now, deletion_at: null, status: 'active' }, s.index.get(row.seq)?.name ?? '', workspaceName(s, row.workspace_id), teamNamesOf(s.db, row.id));
}

/** Writes `payload` as the next revision; renames go to the blind index and every reader's chunk. */
function commitRevision(
  s: Session,
  row: ListedSecret,
  dataKey: Uint8Array,
  current: Payload,
  next: Omit<Payload, 'changed' | 'v'>,
  action: 'secret.edit' | 'secret.restore' | null = 'secret.edit',
): SecretSummary {
  const changed = [...(current.name !== next.name ? ['name'] : []), ...changedFields(current.content, next.content)];
  if (current.expires !== next.expires && !changed.includes('expires')) changed.push('expires');
  if (changed.length === 0) return indexed(s, row, current.name);
  const now = s.ctx.clock.now();
  const revision = row.revision + 1;
  s.db.write(() => {
    if (current.name !== next.name) {
      try {
        s.db.stmt('UPDATE secrets SET name_hash = ? WHERE id = ?').run(blindHash(s.blindKey(row.scope_id), next.name), row.id);
      } catch (e) {
        nameTaken(e, next.name);
      }
      const names = new NameBatch(s);
      for (const r of readers(s, row.id)) names.rename(r.scope_id, r.chunk_no, row.id, next.name, row.seq);
      names.flush();
    }
    writeRevision(s, row, dataKey, revision, { v: 1, ...next, changed });
    if (action) s.audit(action, row.id);
    s.db.stmt('UPDATE secrets SET revision = ?, updated_at = ?, expires_at = ? WHERE id = ?').run(revision, now, next.expires, row.id);
  });
  return indexed(s, { ...row, revision, updated_at: now, expires_at: next.expires }, next.name);
}

export function editSecret(s: Session, input: EditSecretInput): SecretSummary {
  s.assertUnlocked();
  const v = parseInput(editSecretInput, input);
  const given = Object.values(v.fields).some((x) => x !== undefined) || v.name !== undefined || v.expires !== undefined;
  if (!given) throw new CofferError('VALIDATION', 'nothing to change: give at least one field');
  // Read and write in one transaction: a concurrent edit cannot slip in between.
  return s.db.write(() => {
    const row = resolveSecret(s, v.ref);
    s.authorize(SECRET_WRITE[row.level]);
    if (row.type === 'certificate' && v.expires !== undefined) {
      throw new CofferError('VALIDATION', "a certificate's Expiration Date is read from the certificate", 'expires');
    }
    return withCurrent(s, row, (current, dataKey) => {
      const content = applyPatch(current.content, v.fields as FieldsPatch);
      const expires = content.type === 'certificate' ? content.notAfter : v.expires === undefined ? current.expires : v.expires ? dayStart(v.expires) : null;
      return commitRevision(s, row, dataKey, current, { name: v.name ?? current.name, expires, content });
    });
  });
}

/** Who changed what and when; never a value. */
export function secretHistory(s: Session, ref: SecretRef): RevisionInfo[] {
  const row = resolveSecret(s, ref);
  const dataKey = unwrapDataKey(s, row.id);
  try {
    const revs = s.db
      .stmt('SELECT r.revision, r.created_at, m.login FROM revisions r LEFT JOIN members m ON m.id = r.author_id WHERE r.secret_id = ? ORDER BY r.revision DESC')
      .all(row.id) as { revision: number; created_at: number; login: string | null }[];
    return revs.map((r) => {
      const info: RevisionInfo = { revision: r.revision, created: r.created_at, author: r.login, changed: [], current: r.revision === row.revision };
      try {
        info.changed = decryptRevision(s, row, dataKey, r.revision).changed;
      } catch (e) {
        if ((e as CofferError).code !== 'TAMPERED') throw e;
        info.tampered = true;
      }
      return info;
    });
  } finally {
    wipe(dataKey);
  }
}

/** Makes an old revision current again, as a new revision; nothing is overwritten. */
export function restoreRevision(s: Session, ref: SecretRef, revision: number): SecretSummary {
  if (!Number.isInteger(revision) || revision < 1) throw new CofferError('VALIDATION', 'Revision must be a positive whole number', 'revision');
  return s.db.write(() => {
    const row = resolveSecret(s, ref);
    s.authorize(SECRET_WRITE[row.level]);
    if (revision === row.revision) throw new CofferError('CONFLICT', `revision ${revision} is already the current one`, 'revision');
    return withCurrent(s, row, (current, dataKey) => {
      const old = decryptRevision(s, row, dataKey, revision);
      return commitRevision(s, row, dataKey, current, { name: old.name, expires: old.expires, content: old.content }, 'secret.restore');
    });
  });
}

/** The current revision of a secret by id, for comparing an incoming bundle item with it; reads no value out. */
export function currentPayload(s: Session, id: string): Payload {
  return withCurrent(s, secretById(s, id), (p) => p);
}

/**
 * Makes `next` the current revision of an existing secret inside the caller's transaction (an import
 * taking theirs): the replaced revision stays in history, and the import audits itself once.
 */
export function reviseSecret(s: Session, id: string, next: Omit<Payload, 'changed' | 'v'>): void {
  const row = secretById(s, id);
  s.authorize(SECRET_WRITE[row.level]);
  if (row.type !== next.content.type) throw new CofferError('CONFLICT', "a secret's type cannot change in a new revision", 'type');
  withCurrent(s, row, (current, dataKey) => commitRevision(s, row, dataKey, current, next, null));
}

const USAGE_ROWS_PER_INSERT = 256;

/** What an export needs of a secret; the rest of its row stays in SQLite. */
export type ExportRow = Pick<ListedSecret, 'id' | 'scope_id' | 'level' | 'workspace_id' | 'type' | 'availability' | 'revision' | 'created_at' | 'updated_at'>;

/** One joined row per reader scope, as a tuple: at 100,000 secrets, named-column objects cost ~0.25 s more. */
type ExportTuple = [
  rowid: number,
  id: string,
  scopeId: string,
  level: Level,
  workspaceId: string | null,
  type: SecretType,
  availability: Availability,
  revision: number,
  created: number,
  updated: number,
  content: Uint8Array,
  readerScope: string,
  readerVersion: number,
  wrappedKey: Uint8Array,
];

/** Which secrets an export reads: a condition on `secrets s`, written by the caller with its arguments. */
export interface ExportFilter {
  where: string;
  args: unknown[];
}

/**
 * Current revisions of the secrets `filter` selects, for an export: one pass in rowid order inside
 * the caller's transaction, each secret handed to `fn` as soon as it is decrypted; those this member
 * holds no key for are skipped. Each read is recorded as a use by `consumer` (SPEC §2) unless the vault
 * is read-only, written after the pass: SQLite cannot write while a statement iterates, and
 * interleaving 100,000 scattered writes with the reads cost more than the reads.
 */
export function readForExport(s: Session, filter: ExportFilter, consumer: string, fn: (row: ExportRow, payload: Payload, readerScopes: string[]) => void): void {
  s.assertUnlocked();
  const record = !s.vault.readOnly;
  const label = encoder.encode(consumer);
  const uses: { id: string; label: Uint8Array }[] = [];
  const rowids: number[] = [];
  const tuples = s.db
    .stmt(
      `SELECT s.rowid, s.id, s.scope_id, s.level, s.workspace_id, s.type, s.availability, s.revision, s.created_at, s.updated_at,
              r.content, g.scope_id, g.key_version, g.wrapped_key
       FROM secrets s JOIN revisions r ON r.secret_id = s.id AND r.revision = s.revision JOIN secret_readers g ON g.secret_id = s.id
       WHERE ${filter.where} ORDER BY s.rowid -- export`,
    )
    .raw(true)
    .iterate(...filter.args) as IterableIterator<ExportTuple>;
  // A secret readable by several teams comes once per reader scope, on consecutive rows.
  let group: ExportTuple[] = [];
  const flush = () => {
    const [rowid, id, scope_id, level, workspace_id, type, availability, revision, created_at, updated_at, content] = group[0]!;
    const reader = group.find((g) => s.canRead(g[11]));
    if (!reader) return;
    const row: ExportRow = { id, scope_id, level, workspace_id, type, availability, revision, created_at, updated_at };
    const dataKey = open(s.scopeKey(reader[11]).key, reader[13], dataKeyContext(s, id, reader[11], reader[12]), `secret ${id}`);
    try {
      const plain = open(dataKey, content, revisionContext(s, row, revision), `secret ${id}`);
      const payload = JSON.parse(decoder.decode(plain)) as Payload;
      wipe(plain);
      fn(row, payload, group.map((g) => g[11]));
      if (record) uses.push({ id, label: usageLabel(s, id, dataKey, label) });
      rowids.push(rowid);
    } finally {
      wipe(dataKey);
    }
  };
  for (const tuple of tuples) {
    if (group.length && group[0]![0] !== tuple[0]) {
      flush();
      group = [];
    }
    group.push(tuple);
  }
  if (group.length) flush();
  if (record && rowids.length) {
    const now = s.ctx.clock.now();
    // Many rows per statement: 100,000 single-row inserts spent as long in the calls as in SQLite.
    for (let at = 0; at < uses.length; at += USAGE_ROWS_PER_INSERT) {
      const batch = uses.slice(at, at + USAGE_ROWS_PER_INSERT);
      s.db
        .stmt(`INSERT INTO usage (secret_id, at, consumer) VALUES ${batch.map(() => '(?, ?, ?)').join(', ')}`)
        .run(batch.flatMap((u) => [u.id, now, u.label]));
    }
    s.db.stmt(`UPDATE secrets SET ${USED_AT} WHERE rowid IN (SELECT value FROM json_each(?))`).run(now, now, JSON.stringify(rowids));
    s.index?.invalidate();
  }
}

/** Where and when a secret was used, newest first. */
export function secretUsage(s: Session, ref: SecretRef, limit = 100): SecretUsage {
  const row = resolveSecret(s, ref);
  const dataKey = unwrapDataKey(s, row.id);
  try {
    const rows = s.db.stmt('SELECT at, consumer FROM usage WHERE secret_id = ? ORDER BY at DESC, id DESC LIMIT ?').all(row.id, limit) as {
      at: number;
      consumer: Uint8Array;
    }[];
    return {
      lastUsed: row.last_used_at,
      entries: rows.map((u) => ({ at: u.at, consumer: decoder.decode(open(dataKey, u.consumer, usageContext(s, row.id), 'a usage record')) })),
    };
  } finally {
    wipe(dataKey);
  }
}
