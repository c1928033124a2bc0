import { CofferError } from '../../../shared/errors';
import type { BundleInfo, ImportAction, ImportApplied, ImportItemView, ImportResult, ImportStatus, ImportStrategy } from '../../../shared/schemas/bundles';
import type { RegisterSecretInput, ValidSecretInput } from '../../../shared/schemas/secrets';
import { LEVELS, registerSecretInput, secretName } from '../../../shared/schemas/secrets';
import { parseInput } from '../../../shared/validation';
import { SECRET_WRITE } from '../access/permissions';
import { blindHash, normalizeName, wipe } from '../crypto/keys';
import type { AuditAction } from '../audit/log';
import type { SecretRow } from '../db/rows';
import type { CertificateReader } from '../secrets/certificates-ahead';
import { CertificatesAhead } from '../secrets/certificates-ahead';
import type { Content } from '../secrets/content';
import { changedFields, contentFromFields } from '../secrets/content';
import { BulkRegistration } from '../secrets/registration';
import { RevisionBatch } from '../secrets/revision-signatures';
import { currentPayload, reviseSecret } from '../secrets/revisions';
import { findNamed } from '../vault/structure';
import type { Session } from '../vault/session';
import type { OpenOptions } from './open';
import { readRecords, verifyBundle } from './open';
import type { BundleRecord } from './records';
import { dayStart } from '../lifecycle/clock';

export interface ImportOptions extends OpenOptions {
  /** How secrets present on both sides are settled; `mine` unless given. */
  strategy?: ImportStrategy;
  /** Per item (by its position among the incoming secrets), overriding `strategy`. */
  perItem?: ReadonlyMap<number, ImportStrategy>;
  dryRun?: boolean;
  /** Places every incoming secret in this workspace, whatever its level in the bundle or its group in the file. */
  workspace?: string;
}

interface Existing {
  id: string;
  type: string;
  updated: number;
}

interface Planned {
  input: ValidSecretInput;
  status: ImportStatus;
  action: ImportAction;
  existing?: Existing;
  importedAs?: string;
  /** The parsed incoming content, for a new revision. */
  content?: Content;
  renamedFrom?: string;
  /** When the incoming secret last changed, as its source says (0: unknown). */
  theirs: number;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const COPY_SUFFIX = ' (imported)';

/** Where an item lands here: its own level and workspace, or the workspace the import was told to use. */
function placed(input: RegisterSecretInput, workspace: string | undefined): RegisterSecretInput {
  if (workspace === undefined) return input;
  const { teams: _teams, ...rest } = input as RegisterSecretInput & { teams?: string[] };
  return { ...rest, level: 'workspace', workspace } as RegisterSecretInput;
}

/** The names already taken in each scope, by blind hash: one query per scope the import touches. */
class ScopeNames {
  private readonly scopes = new Map<string, Map<string, Existing>>();
  private readonly workspaces = new Map<string, string>();

  constructor(
    private readonly s: Session,
    private readonly pending: ReadonlySet<string>,
  ) {}

  scopeOf(input: RegisterSecretInput): string {
    if (input.level === 'organization') return this.s.vault.orgScopeId;
    if (input.level === 'workspace') {
      const name = (input.workspace ?? '').trim().toLowerCase();
      let scope = this.workspaces.get(name);
      if (!scope) {
        // A workspace a dry run would create holds nothing yet: a scope of its own, empty, never hashed into.
        scope = this.pending.has(normalizeName(input.workspace ?? '')) ? `pending:${name}` : findNamed(this.s, 'workspace', input.workspace ?? '').scopeId;
        this.workspaces.set(name, scope);
      }
      return scope;
    }
    return this.s.personalScopeId();
  }

  taken(scopeId: string): Map<string, Existing> {
    let names = this.scopes.get(scopeId);
    if (!names) {
      names = new Map();
      if (scopeId.startsWith('pending:')) return names;
      const rows = this.s.db
        .query<Pick<SecretRow, 'id' | 'type' | 'updated_at' | 'name_hash'>>('SELECT id, type, updated_at, name_hash FROM secrets WHERE scope_id = ?')
        .all(scopeId);
      for (const r of rows) names.set(hex(r.name_hash), { id: r.id, type: r.type, updated: r.updated_at });
      this.scopes.set(scopeId, names);
    }
    return names;
  }

  hash(scopeId: string, name: string): string {
    return hex(blindHash(this.s.blindKey(scopeId), name));
  }
}

function sameContent(a: Content, b: Content): boolean {
  return a.type === b.type && changedFields(a, b).length === 0;
}

/** The first `name + suffix(n)`, n = 1, 2…, cut so it stays a valid name, free in its scope and not claimed by this import. */
function freeName(names: ScopeNames, scopeId: string, name: string, claimed: Set<string>, suffix: (n: number) => string): string {
  for (let n = 1; ; n++) {
    // Cut by characters, as the schema counts them, so no surrogate pair is split.
    const candidate = `${Array.from(name.trim()).slice(0, 128 - suffix(n).length).join('')}${suffix(n)}`;
    const key = `${scopeId}:${normalizeName(candidate)}`;
    if (!names.taken(scopeId).has(names.hash(scopeId, candidate)) && !claimed.has(key)) {
      claimed.add(key);
      return candidate;
    }
  }
}

/** `name (imported)`, then `name (imported 2)`… */
const copyName = (names: ScopeNames, scopeId: string, name: string, claimed: Set<string>) =>
  freeName(names, scopeId, name, claimed, (n) => (n === 1 ? COPY_SUFFIX : ` (imported ${n})`));

/**
 * Compares incoming secrets with this vault one by one: added (no secret of that level, workspace
 * and name), unchanged (same content and expiry), changed (differs, and theirs is newer than ours) or
 * conflicting (differs, and ours changed since theirs, or the types differ). Then picks the action
 * the strategy implies; no choice ever loses a value.
 */
class Planner {
  private readonly names: ScopeNames;
  private readonly claimed = new Set<string>();

  constructor(
    private readonly s: Session,
    private readonly opts: ImportOptions,
    pending: ReadonlySet<string>,
    /** A foreign file may repeat a name a copy took earlier in the import: it is numbered, where a bundle's is refused. */
    private readonly renameRepeats: boolean,
  ) {
    this.names = new ScopeNames(s, pending);
  }

  plan(rec: SourceRecord, i: number, readCert: CertificateReader | undefined): Planned {
    const { s, opts, names, claimed } = this;
    const input = placed(rec.input, opts.workspace);
    // A name its source validated is checked again only when the import numbered it.
    let name = rec.validated && rec.renamedFrom === undefined ? input.name : parseInput(secretName, input.name, 'name');
    let renamedFrom = rec.renamedFrom;
    const level = input.level ?? 'personal';
    if (!LEVELS.includes(level)) throw new CofferError('VALIDATION', `Level must be one of ${LEVELS.join(', ')}`, 'level');
    s.authorize(SECRET_WRITE[level]);
    const scopeId = names.scopeOf(input);
    const key = `${scopeId}:${normalizeName(name)}`;
    if (claimed.has(key) && this.renameRepeats) {
      renamedFrom ??= name;
      name = parseInput(secretName, freeName(names, scopeId, name, claimed, (n) => ` (${n + 1})`), 'name');
    } else if (claimed.has(key)) {
      throw new CofferError('VALIDATION', `"${name}" appears twice in one place`, 'name');
    }
    claimed.add(`${scopeId}:${normalizeName(name)}`);
    const valid = rec.validated ? ({ ...input, name } as ValidSecretInput) : parseInput(registerSecretInput, { ...input, name });
    // Into an empty scope (a fresh vault, a new workspace) no name needs its blind hash computed.
    const taken = names.taken(scopeId);
    const existing = taken.size ? taken.get(names.hash(scopeId, name)) : undefined;
    if (!existing) {
      // Applying reads the certificate through the registration path; a dry run checks here what that would refuse.
      if (opts.dryRun) contentFromFields(valid.type, valid.fields as Record<string, unknown>, readCert);
      return { input: valid, status: 'added', action: 'add', renamedFrom, theirs: rec.updated };
    }
    const content = contentFromFields(valid.type, valid.fields as Record<string, unknown>, readCert);
    const expires = content.type === 'certificate' ? content.notAfter : valid.expires ? dayStart(valid.expires) : null;
    const current = currentPayload(s, existing.id);
    const status: ImportStatus =
      sameContent(current.content, content) && current.expires === expires && current.name === valid.name
        ? 'unchanged'
        : existing.type === valid.type && rec.updated > existing.updated
          ? 'changed'
          : 'conflicting';
    const strategy = opts.perItem?.get(i) ?? opts.strategy ?? 'mine';
    let action: ImportAction = 'keep';
    if (status !== 'unchanged' && strategy === 'theirs') action = existing.type === valid.type ? 'revise' : 'add-copy';
    if (status !== 'unchanged' && strategy === 'both') action = 'add-copy';
    const p: Planned = { input: valid, status, action, existing, content, renamedFrom, theirs: rec.updated };
    if (action === 'add-copy') p.importedAs = parseInput(secretName, copyName(names, scopeId, valid.name, claimed), 'name');
    return p;
  }
}

function view(p: Planned): ImportItemView {
  return {
    name: p.input.name,
    type: p.input.type,
    level: p.input.level ?? 'personal',
    workspace: p.input.workspace ?? null,
    status: p.status,
    action: p.action,
    ...(p.importedAs ? { importedAs: p.importedAs } : {}),
    ...(p.renamedFrom !== undefined ? { renamedFrom: p.renamedFrom } : {}),
    ...(p.existing ? { ours: p.existing.updated } : {}),
    ...(p.existing && p.theirs > 0 ? { theirs: p.theirs } : {}),
  };
}

/** Records decrypted ahead of the one being applied, so their certificates are read on the other thread meanwhile. */
const LOOKAHEAD = 1024;

/** One secret to import, from a bundle or a foreign file, with the name the file gave it when that was taken. */
export interface SourceRecord extends BundleRecord {
  renamedFrom?: string;
  /**
   * True when `input` is what registerSecretInput made of it where it was read (a foreign file's
   * reading thread): it is not checked again, except a name the import numbered (`renamedFrom`).
   * The one other change an import makes, the place `--workspace` names, is a workspace of this
   * vault (else the plan fails NOT_FOUND), which registration places by the vault's own record.
   */
  validated?: boolean;
}

/**
 * Where an import's records come from: a verified bundle or a foreign file read into records. Its
 * `read` runs inside the import's one transaction, so it is synchronous.
 */
export interface RecordSource {
  /** Calls `each` for every record in order. */
  read(each: (rec: SourceRecord, i: number) => void): void;
  /** Names a record in an error, whatever the error says of it: "item 3 of the bundle". */
  where(i: number): string;
  /** Names of workspaces a dry run counts as created, normalized: planned into as empty ones (filled as `read` goes). */
  pendingWorkspaces?: ReadonlySet<string>;
  /** True when a name this import already used is numbered rather than refused (a foreign file's). */
  renameRepeats?: boolean;
  /** True when `read` may change the roster (a foreign file's new workspaces): the session then rolls its view back with a failed import. */
  changesRoster?: boolean;
  audit(applied: ImportApplied): { action: AuditAction; target: string };
}

export type ImportOutcome = Pick<ImportResult, 'dryRun' | 'strategy' | 'counts' | 'applied' | 'items'>;

/** Runs `fn`, naming the failing record by its place in its source. */
function at<T>(source: RecordSource, i: number, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CofferError) throw new CofferError(e.code, `${source.where(i)}: ${e.message}`, e.field);
    throw e;
  }
}

/**
 * Compares each record of a source with this vault and, unless a dry run, applies it, all in one
 * write transaction with one audit entry: new secrets go through the bulk registration path, a
 * chunk at a time, so memory does not grow with the source. Any failure rolls it all back.
 */
export function importRecords(s: Session, source: RecordSource, opts: ImportOptions): ImportOutcome {
  const certificates = new CertificatesAhead();
  const blame = <T>(i: number, fn: () => T) => at(source, i, fn);
  const run = () => {
    const planner = new Planner(s, opts, source.pendingWorkspaces ?? new Set(), source.renameRepeats ?? false);
    // Every revision the import writes, new secrets' and new revisions' alike, is signed once (docs/product.md §1a).
    const revisions = opts.dryRun ? undefined : new RevisionBatch(s);
    const bulk = opts.dryRun ? undefined : new BulkRegistration(s, blame, revisions);
    const counts = { added: 0, changed: 0, conflicting: 0, unchanged: 0 };
    const applied = { added: 0, revised: 0, copies: 0, kept: 0 };
    const items: ImportItemView[] = [];
    const settle = ({ rec, i, ticket }: Ahead) => {
      const readCert = certificates.reader(ticket);
      const p = blame(i, () => planner.plan(rec, i, readCert));
      counts[p.status]++;
      items.push(view(p));
      if (!bulk) return;
      // The bulk registration names its failing items by their place in the source itself.
      if (p.action === 'add') {
        bulk.add(p.input, i, readCert);
        applied.added++;
      } else if (p.action === 'add-copy') {
        bulk.add({ ...p.input, name: p.importedAs! }, i, readCert);
        applied.copies++;
      } else if (p.action === 'keep') {
        applied.kept++;
      } else {
        const content = p.content!;
        const expires = content.type === 'certificate' ? content.notAfter : p.input.expires ? dayStart(p.input.expires) : null;
        blame(i, () => reviseSecret(s, p.existing!.id, { name: p.input.name.trim(), expires, content }, revisions));
        applied.revised++;
      }
    };
    const ahead: Ahead[] = [];
    let next = 0;
    source.read((rec, i) => {
      ahead.push({ rec, i, ticket: certificates.ticket(rec.input) });
      if (ahead.length - next > LOOKAHEAD) settle(ahead[next++]!);
      // Drops what was applied now and then, rather than shift the array for every record.
      if (next === LOOKAHEAD) {
        ahead.splice(0, next);
        next = 0;
      }
    });
    while (next < ahead.length) settle(ahead[next++]!);
    const outcome: ImportOutcome = {
      dryRun: opts.dryRun ?? false,
      strategy: opts.strategy ?? 'mine',
      counts,
      applied: bulk ? applied : { added: 0, revised: 0, copies: 0, kept: items.length },
      items,
    };
    if (bulk) {
      bulk.finish();
      revisions?.finish();
      const entry = source.audit(applied);
      s.audit(entry.action, entry.target);
    }
    return outcome;
  };
  try {
    if (opts.dryRun) return s.db.read(run);
    return source.changesRoster ? s.write(run) : s.db.write(run);
  } finally {
    certificates.close();
  }
}

/** A bundle's import always says which bundle. */
export type BundleImportResult = ImportResult & { bundle: BundleInfo };

/** What an import applied, as its audit entry states it. */
export const appliedText = (a: ImportApplied) => `${a.added} added, ${a.revised} revised, ${a.copies} copies, ${a.kept} kept`;

/**
 * Imports a bundle: verified first (nothing is read from a bundle that fails), then its records go
 * through importRecords. Any failure, including the file changing while it is read, rolls it all back.
 */
export async function importBundle(s: Session, path: string, opts: ImportOptions = {}): Promise<BundleImportResult> {
  const bundle = verifyBundle(s, path, opts);
  try {
    const outcome = importRecords(s, {
      read: (each) => readRecords(bundle, path, opts, each),
      where: (i) => `item ${i + 1} of the bundle`,
      audit: (applied) => ({ action: 'bundle.import', target: `${bundle.info.id}: ${appliedText(applied)}` }),
    }, opts);
    return { bundle: bundle.info, ...outcome, skipped: [] };
  } finally {
    wipe(bundle.key);
  }
}

interface Ahead {
  rec: SourceRecord;
  i: number;
  ticket: number;
}
