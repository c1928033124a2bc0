import { CofferError } from '../../../shared/errors';
import type { AuditAction } from '../../../shared/audit-actions';
import { formatDotenv } from '../../../shared/dotenv';
import type { FieldView, ListSecretsInput, SecretDetail, SecretListing, SecretRef, SecretSummary, SecretType, SecretUsage } from '../../../shared/schemas/secrets';
import { secretRef } from '../../../shared/schemas/secrets';
import { parseInput } from '../../../shared/validation';
import { open } from '../crypto/aead';
import { blindHash, normalizeName, wipe } from '../crypto/keys';
import type { UsageRow } from '../db/rows';
import { compareNames } from '../access/roster-state';
import { closedFor } from '../vault/damage';
import { findNamed } from '../vault/structure';
import type { Session } from '../vault/session';
import type { Content, Payload } from './content';
import { DEFAULT_FIELD, fieldViews, masked } from './content';
import { readScopeNames } from './name-chunks';
import { SecretIndex } from './secret-index';
import { decryptRevision, readers, unwrapDataKey, withCurrent } from './sealing';
import type { ListedSecret } from './summaries';
import { SECRET_COLUMNS, indexed, workspaceName } from './summaries';
import { readRecording } from './recording';
import type { UseVia } from './usage';
import { readUseRecord, recordUsage, usageContext } from './usage';

const decoder = new TextDecoder();

export function listSecrets(s: Session, input: ListSecretsInput = {}): SecretListing {
  return SecretIndex.of(s).query(input);
}

/** A candidate's place, as people write it: `personal/NAME`, `workspace/Backend/NAME`, `organization/NAME`. */
function placeLabel(s: Session, row: ListedSecret, name: string): string {
  if (row.level === 'workspace') return `workspace/${workspaceName(s, row.workspace_id)}/${name}`;
  return `${row.level}/${name}`;
}

/** A workspace's scope by name; one the verified roster lacks while a workspace key does not open may be that one: TAMPERED. */
function workspaceScope(s: Session, name: string): string {
  try {
    return findNamed(s, 'workspace', name).scopeId;
  } catch (e) {
    const closed = e instanceof CofferError && e.code === 'NOT_FOUND' ? closedFor(s, 'workspace') : undefined;
    if (closed) throw new CofferError('TAMPERED', `no workspace "${name}" on the verified roster, and your key to ${closed} does not open (the file is damaged or was altered): run \`coffer doctor\``, 'workspace');
    throw e;
  }
}

/**
 * Finds a secret by name through the blind index of each scope it may live in: personal, then
 * workspaces, then organization. No chunk is decrypted, so `secret get` stays fast.
 */
function findSecret(s: Session, rawRef: SecretRef): { row: ListedSecret; name?: string } {
  s.assertUnlocked();
  const ref = parseInput(secretRef, rawRef);
  if (ref.id !== undefined) return { row: secretById(s, ref.id) };
  const name = ref.name!;
  const scopes: string[] = [];
  if ((!ref.level || ref.level === 'personal') && !ref.workspace && !s.isMachine) scopes.push(s.personalScopeId());
  if (!ref.level || ref.level === 'workspace') {
    if (ref.workspace) scopes.push(workspaceScope(s, ref.workspace));
    else scopes.push(...[...s.roster.workspaces.values()].map((w) => w.scopeId));
  }
  const wantsOrganization = (!ref.level && !ref.workspace) || ref.level === 'organization';
  if (wantsOrganization) scopes.push(s.vault.orgScopeId);
  const found: ListedSecret[] = [];
  if (wantsOrganization && !s.canRead(s.vault.orgScopeId)) found.push(...teamOnlyNamed(s, name));
  for (const scopeId of scopes) {
    if (!s.canRead(scopeId)) continue;
    const row = s.db
      .query<ListedSecret>(`SELECT ${SECRET_COLUMNS} FROM secrets WHERE scope_id = ? AND name_hash = ?`)
      .get(scopeId, blindHash(s.blindKey(scopeId), name));
    // A team-only organization secret is found only by those holding one of its teams' keys.
    if (row && readers(s, row.id).some((r) => s.canRead(r.scope_id))) found.push(row);
  }
  if (found.length === 0) {
    if (listedAs(s, ref, name)) throw new CofferError('TAMPERED', `the vault's name index no longer leads to "${name}", which your listing shows: the file was altered; nothing was read`, 'name');
    const closed = closedFor(s, ref.level, ref.workspace ? scopes : undefined);
    if (closed) throw new CofferError('TAMPERED', `no "${name}" found, but your key to ${closed} does not open (the file is damaged or was altered), so it may be there: run \`coffer doctor\``, 'name');
    throw new CofferError('NOT_FOUND', `no secret named "${name}" that you can read`, 'name');
  }
  if (found.length > 1) {
    const where = found
      .map((r) => placeLabel(s, r, name))
      .sort(compareNames)
      .join(', ');
    throw new CofferError('CONFLICT', `"${name}" exists in several places (${where}): choose one with --level or --workspace`, 'name');
  }
  return { row: found[0]!, name };
}

/**
 * Team-only organization secrets of this name, for a reader holding team keys but not the
 * organization's (a service credential, docs/product.md §6): their blind hashes are under the
 * organization key, so they are found through the names their teams' chunks hold.
 */
function teamOnlyNamed(s: Session, name: string): ListedSecret[] {
  const wanted = normalizeName(name);
  // Only the team scopes' chunks, not the whole listing index: a pipeline's get reads a few thousand
  // names, where building the index scans every secret's clear columns (~290 ms at 100,000).
  const names = new Map<string, string>();
  for (const scopeId of s.readableScopes()) if (s.roster.scopeKind(scopeId) === 'team') readScopeNames(s, scopeId, names);
  return [...names].filter(([, n]) => normalizeName(n) === wanted).map(([id]) => secretById(s, id));
}

/**
 * Whether the listing (names decrypted from the chunks) shows a secret of this name in the places
 * asked for, when the blind index found none: a name hash or a home scope written into the file
 * hides a secret from a lookup by name, and that is TAMPERED, not "no such secret" (docs/product.md
 * §1a). Only on that path: it builds the listing index when none is (~0.2 s at 100,000 secrets).
 */
function listedAs(s: Session, ref: SecretRef, name: string): boolean {
  const wanted = normalizeName(name);
  const { items } = SecretIndex.of(s).query({ search: name, level: ref.level, workspace: ref.workspace, limit: 100_000 });
  return items.some((i) => !i.tampered && normalizeName(i.name) === wanted);
}

/**
 * The blind index is a clear column anyone holding the file can swap between two rows; the name
 * sealed in the current revision is what the secret is really called (docs/product.md §1a).
 */
function checkSealedName(asked: string | undefined, sealed: string | null): void {
  if (asked === undefined || sealed === null || normalizeName(sealed) === normalizeName(asked)) return;
  throw new CofferError('TAMPERED', `the vault's name index leads "${asked}" to another secret: the file was altered; nothing was read`, 'name');
}

/** A secret by id or by name, its sealed name checked against the name asked for. */
export function resolveSecret(s: Session, ref: SecretRef): ListedSecret {
  const { row, name } = findSecret(s, ref);
  if (name !== undefined) checkSealedName(name, sealedName(s, row));
  return row;
}

/** Resolves and opens the current revision once: the name check and `fn` share one decryption. */
function withResolved<T>(s: Session, ref: SecretRef, fn: (row: ListedSecret, payload: Payload, dataKey: Uint8Array) => T): T {
  const { row, name } = findSecret(s, ref);
  return withCurrent(s, row, (p, dataKey) => {
    checkSealedName(name, p.name);
    return fn(row, p, dataKey);
  });
}

/**
 * The name in a secret's current revision, or null when that revision cannot be opened: history
 * still lists a damaged secret's revisions and "Delete now" still clears it, while every read of
 * its value fails on the damage itself.
 */
function sealedName(s: Session, row: ListedSecret): string | null {
  try {
    return withCurrent(s, row, (p) => p.name);
  } catch (e) {
    if (e instanceof CofferError && e.code === 'TAMPERED') return null;
    throw e;
  }
}

/** A listing row for one secret, from the index when it is built, else from its current revision. */
export function secretSummary(s: Session, id: string): SecretSummary {
  const row = secretById(s, id);
  const name = s.index?.get(row.seq)?.name ?? withCurrent(s, row, (p) => p.name);
  return indexed(s, row, name);
}

/** By id, for the app; a secret this member holds no key for does not exist for them. */
export function secretById(s: Session, id: string): ListedSecret {
  const row = s.db.query<ListedSecret>(`SELECT ${SECRET_COLUMNS} FROM secrets WHERE id = ?`).get(id);
  if (!row || !readers(s, row.id).some((r) => s.canRead(r.scope_id))) throw new CofferError('NOT_FOUND', 'this secret does not exist, or you cannot read it', 'id');
  return row;
}

/** Every field, values masked: decrypts but reads no value out, so it records no usage. */
export function showSecret(s: Session, ref: SecretRef): SecretDetail {
  return withResolved(s, ref, (row, p) => ({ ...indexed(s, row, p.name), fields: masked(fieldViews(p.content)) }));
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
  /** The door and how the value leaves it: recorded as the use, and audited as a reveal, a copy or a get. */
  use: UseVia;
}

const auditAction = (via: UseVia): AuditAction => (via.how === 'reveal' || via.how === 'copy' ? `secret.${via.how}` : 'secret.get');

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
 * Reads a value and records who used it and when, in the same transaction as the read (docs/product.md §2).
 * Use brings an Inactive or scheduled secret back to Active (docs/product.md §4). Read-only vaults record nothing.
 */
export function getSecretValue(s: Session, ref: SecretRef, opts: GetOptions): SecretValue {
  return readRecorded(s, ref, opts, (row, p, views) => ({ id: row.id, name: p.name, type: row.type, ...pickValue(p.content, views, opts.field), fields: views }));
}

/**
 * Several fields of one secret in one read, as `getSecretValue` reads one: a pipeline that takes
 * a username and a password is one use of the secret, not two. `take` asks for each field it
 * needs (undefined: the main value); a field the secret lacks is a VALIDATION error from there.
 */
export function readSecretFields<T>(s: Session, ref: SecretRef, opts: Omit<GetOptions, 'field'>, take: (valueOf: (field: string | undefined) => string) => T): T {
  return readRecorded(s, ref, opts, (_row, p, views) => take((field) => pickValue(p.content, views, field).value));
}

/**
 * An older revision's fields with their values, for History's Show before a restore: a read of a
 * value like Reveal, so it is recorded and audited as one (`secret.reveal`, docs/product.md §2) and
 * it too makes a scheduled or Inactive secret Active again (§4).
 */
export function revealRevision(s: Session, ref: SecretRef, revision: number, door: UseVia['door']): FieldView[] {
  if (!Number.isInteger(revision) || revision < 1) throw new CofferError('VALIDATION', 'Revision must be a positive whole number', 'revision');
  return readRecorded(s, ref, { use: { door, how: 'reveal' } }, (row, _current, views, dataKey) =>
    revision === row.revision ? views : fieldViews(decryptRevision(s, row, dataKey, revision).content),
  );
}

/** Resolves and opens a secret, lets `pick` take values out, then records the use: nothing is recorded when `pick` throws. */
function readRecorded<T>(s: Session, ref: SecretRef, opts: Omit<GetOptions, 'field'>, pick: (row: ListedSecret, p: Payload, views: FieldView[], dataKey: Uint8Array) => T): T {
  return readRecording(s, (record) =>
    withResolved(s, ref, (row, p, dataKey) => {
      const picked = pick(row, p, fieldViews(p.content), dataKey);
      if (record) {
        recordUsage(s, row, dataKey, opts.use);
        s.audit(auditAction(opts.use), row.id);
      }
      return picked;
    }),
  );
}

/** Where and when a secret was used, newest first. */
export function secretUsage(s: Session, ref: SecretRef, limit = 100): SecretUsage {
  const row = resolveSecret(s, ref);
  const dataKey = unwrapDataKey(s, row);
  try {
    const rows = s.db
      .query<Pick<UsageRow, 'at' | 'consumer'>>('SELECT at, consumer FROM usage WHERE secret_id = ? ORDER BY at DESC, id DESC LIMIT ?')
      .all(row.id, limit);
    return {
      lastUsed: row.last_used_at,
      entries: rows.map((u) => ({ at: u.at, ...readUseRecord(decoder.decode(open(dataKey, u.consumer, usageContext(s, row.id), 'a usage record'))) })),
    };
  } finally {
    wipe(dataKey);
  }
}
