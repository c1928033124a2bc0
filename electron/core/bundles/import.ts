import { CofferError } from '../../../shared/errors';
import type { ImportAction, ImportItemView, ImportResult, ImportStatus, ImportStrategy } from '../../../shared/schemas/bundles';
import type { RegisterSecretInput } from '../../../shared/schemas/secrets';
import { LEVELS, registerSecretInput, secretName } from '../../../shared/schemas/secrets';
import { parseInput } from '../../../shared/validation';
import { SECRET_WRITE } from '../access/permissions';
import { blindHash, normalizeName } from '../crypto/keys';
import type { Content } from '../secrets/content';
import { changedFields, contentFromFields } from '../secrets/content';
import type { PreparedSecrets } from '../secrets/secrets';
import { currentPayload, insertPreparedSecrets, prepareSecrets, reviseSecret } from '../secrets/secrets';
import { findNamed } from '../vault/structure';
import type { Session } from '../vault/session';
import type { OpenOptions } from './open';
import { openBundle } from './open';
import type { BundleRecord } from './records';

export interface ImportOptions extends OpenOptions {
  /** How secrets present on both sides are settled; `mine` unless given. */
  strategy?: ImportStrategy;
  /** Per item (by its position in the bundle), overriding `strategy`. */
  perItem?: ReadonlyMap<number, ImportStrategy>;
  dryRun?: boolean;
  /** Places every incoming secret in this workspace, whatever its level in the bundle. */
  workspace?: string;
}

interface Existing {
  id: string;
  type: string;
  updated: number;
}

interface Planned {
  input: RegisterSecretInput;
  status: ImportStatus;
  action: ImportAction;
  existing?: Existing;
  importedAs?: string;
  /** The parsed incoming content, for a new revision. */
  content?: Content;
}

const dayStart = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const COPY_SUFFIX = ' (imported)';

/** Where an item lands here: its own level and workspace, or the workspace the import was told to use. */
function placed(input: RegisterSecretInput, workspace: string | undefined): RegisterSecretInput {
  if (workspace === undefined) return input;
  const { teams: _teams, ...rest } = input as RegisterSecretInput & { teams?: string[] };
  return { ...rest, level: 'workspace', workspace } as RegisterSecretInput;
}

/** The names already taken in each scope, by blind hash: one query per scope the bundle touches. */
class ScopeNames {
  private readonly scopes = new Map<string, Map<string, Existing>>();
  private readonly workspaces = new Map<string, string>();

  constructor(private readonly s: Session) {}

  scopeOf(input: RegisterSecretInput): string {
    if (input.level === 'organization') return this.s.vault.orgScopeId;
    if (input.level === 'workspace') {
      const name = (input.workspace ?? '').trim().toLowerCase();
      let scope = this.workspaces.get(name);
      if (!scope) {
        scope = findNamed(this.s.db, 'workspace', input.workspace ?? '').scope_id;
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
      const rows = this.s.db.stmt('SELECT id, type, updated_at, name_hash FROM secrets WHERE scope_id = ?').all(scopeId) as {
        id: string;
        type: string;
        updated_at: number;
        name_hash: Uint8Array;
      }[];
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

/** `name (imported)`, then `name (imported 2)`…, cut so it stays a valid name, free in its scope. */
function copyName(names: ScopeNames, scopeId: string, name: string, claimed: Set<string>): string {
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? COPY_SUFFIX : ` (imported ${n})`;
    const candidate = `${name.trim().slice(0, 128 - suffix.length)}${suffix}`;
    const key = `${scopeId}:${normalizeName(candidate)}`;
    if (!names.taken(scopeId).has(names.hash(scopeId, candidate)) && !claimed.has(key)) {
      claimed.add(key);
      return candidate;
    }
  }
}

/**
 * Compares each incoming secret with this vault: added (no secret of that level, workspace and
 * name), unchanged (same content and expiry), changed (differs, and theirs is newer than ours) or
 * conflicting (differs, and ours changed since theirs, or the types differ). Then picks the action
 * the strategy implies; no choice ever loses a value.
 */
function plan(s: Session, records: BundleRecord[], opts: ImportOptions): Planned[] {
  const names = new ScopeNames(s);
  const claimed = new Set<string>();
  const out: Planned[] = [];
  records.forEach((rec, i) => {
    try {
      const input = placed(rec.input, opts.workspace);
      const name = parseInput(secretName, input.name, 'name');
      const level = input.level ?? 'personal';
      if (!LEVELS.includes(level)) throw new CofferError('VALIDATION', `Level must be one of ${LEVELS.join(', ')}`, 'level');
      s.authorize(SECRET_WRITE[level]);
      const scopeId = names.scopeOf(input);
      const key = `${scopeId}:${normalizeName(name)}`;
      if (claimed.has(key)) throw new CofferError('VALIDATION', `the bundle holds "${name}" twice in one place`, 'name');
      claimed.add(key);
      // Into an empty scope (a fresh vault, a new workspace) no name needs its blind hash computed.
      const taken = names.taken(scopeId);
      const existing = taken.size ? taken.get(names.hash(scopeId, name)) : undefined;
      if (!existing) {
        // Applying validates through the registration path; a dry run checks here what that would refuse.
        if (opts.dryRun) {
          const valid = parseInput(registerSecretInput, input);
          contentFromFields(valid.type, valid.fields as Record<string, unknown>);
        }
        out.push({ input, status: 'added', action: 'add' });
        return;
      }
      const valid = parseInput(registerSecretInput, input);
      const content = contentFromFields(valid.type, valid.fields as Record<string, unknown>);
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
      const p: Planned = { input, status, action, existing, content };
      if (action === 'add-copy') p.importedAs = copyName(names, scopeId, valid.name, claimed);
      out.push(p);
    } catch (e) {
      if (e instanceof CofferError) throw new CofferError(e.code, `item ${i + 1} of the bundle: ${e.message}`, e.field);
      throw e;
    }
  });
  return out;
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
  };
}

/** An error of the bulk registration names its item by position among the new secrets; people need its place in the bundle. */
function inBundle(e: unknown, origin: number[]): unknown {
  const at = e instanceof CofferError ? /^(\d+)(?:\.(.+))?$/.exec(e.field ?? '') : null;
  if (!at || origin[Number(at[1])] === undefined) return e;
  const err = e as CofferError;
  return new CofferError(err.code, `item ${origin[Number(at[1])]! + 1} of the bundle: ${err.message.replace(/^item \d+: /, '')}`, at[2]);
}

/** The secrets an import registers: new ones and copies, with each one's position in the bundle. */
function newSecrets(planned: Planned[]): { inputs: RegisterSecretInput[]; origin: number[] } {
  const inputs: RegisterSecretInput[] = [];
  const origin: number[] = [];
  for (const [i, p] of planned.entries()) {
    if (p.action === 'add') inputs.push(p.input);
    else if (p.action === 'add-copy') inputs.push({ ...p.input, name: p.importedAs! });
    else continue;
    origin.push(i);
  }
  return { inputs, origin };
}

function apply(s: Session, planned: Planned[], prepared: PreparedSecrets, origin: number[]): ImportResult['applied'] {
  const applied = { added: 0, revised: 0, copies: 0, kept: 0 };
  for (const p of planned) {
    if (p.action === 'add') applied.added++;
    else if (p.action === 'add-copy') applied.copies++;
    else if (p.action === 'keep') applied.kept++;
    else {
      const content = p.content!;
      const expires = content.type === 'certificate' ? content.notAfter : p.input.expires ? dayStart(p.input.expires) : null;
      reviseSecret(s, p.existing!.id, { name: p.input.name.trim(), expires, content });
      applied.revised++;
    }
  }
  try {
    insertPreparedSecrets(s, prepared);
  } catch (e) {
    throw inBundle(e, origin);
  }
  return applied;
}

/**
 * Imports a bundle: verified and decrypted first (nothing is written when any check fails), then
 * compared with this vault and, unless a dry run, applied in one write transaction through the bulk
 * registration path, with one audit entry for the whole import. New secrets are prepared before that
 * transaction (their certificates read on another thread); should the vault change meanwhile, the
 * import is refused rather than applied to a comparison that no longer holds.
 */
export async function importBundle(s: Session, path: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const opened = openBundle(s, path, opts);
  const db = s.db;
  const seen = { version: db.dataVersion(), writes: db.writes };
  const planned = db.read(() => plan(s, opened.records, opts));
  const counts = { added: 0, changed: 0, conflicting: 0, unchanged: 0 };
  for (const p of planned) counts[p.status]++;
  const result = (applied: ImportResult['applied']): ImportResult => ({
    bundle: opened.info,
    dryRun: opts.dryRun ?? false,
    strategy: opts.strategy ?? 'mine',
    counts,
    applied,
    items: planned.map(view),
  });
  if (opts.dryRun) return result({ added: 0, revised: 0, copies: 0, kept: planned.length });
  const { inputs, origin } = newSecrets(planned);
  let prepared: PreparedSecrets;
  try {
    prepared = await prepareSecrets(s, inputs);
  } catch (e) {
    throw inBundle(e, origin);
  }
  return db.write(() => {
    if (db.dataVersion() !== seen.version || db.writes !== seen.writes + 1) {
      throw new CofferError('CONFLICT', 'the vault changed while the import was being prepared: nothing was written; run the import again');
    }
    const applied = apply(s, planned, prepared, origin);
    s.audit('bundle.import', `${opened.info.id}: ${applied.added} added, ${applied.revised} revised, ${applied.copies} copies, ${applied.kept} kept`);
    return result(applied);
  });
}
