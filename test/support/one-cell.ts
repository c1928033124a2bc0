import type { Database } from 'better-sqlite3';
import { CofferError } from '../../shared/errors';
import type { SecretRef } from '../../shared/schemas/secrets';
import { verifyAuditFor } from '../../electron/core/audit/access';
import { getSecretValue, listSecrets } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { editSecret, secretHistory } from '../../electron/core/secrets/revisions';
import { addMember } from '../../electron/core/vault/members';
import { checkSettings, changeSettings } from '../../electron/core/vault/settings';
import { addTeam, addTeamMember, addWorkspace } from '../../electron/core/vault/structure';
import { Vault } from '../../electron/core/vault/vault';
import type { Session } from '../../electron/core/vault/session';
import { rowKey, whereKey, withRawDb } from './sql';
import { PASSWORD, newVault } from './vault';

/**
 * The populated vault of the one-cell property test (test/integrity/one-cell.property.test.ts), the
 * cells an attacker may edit in it, and the oracle that says whether an edit was detected.
 */

export const LOGINS = ['alice', 'bob', 'carol'] as const;
export type Login = (typeof LOGINS)[number];
export const PASSWORDS: Record<Login, string> = { alice: PASSWORD, bob: 'bob-password-1', carol: 'carol-password-1' };

/** Who reads what in the template: each member's secrets by name and place, as the CLI asks for them. */
export const READS: Record<Login, SecretRef[]> = {
  alice: [
    { name: 'p-key', level: 'personal' },
    { name: 'w-token', level: 'workspace', workspace: 'Backend' },
    { name: 'o-env', level: 'organization' },
    { name: 'o-cc', level: 'organization' },
  ],
  bob: [
    { name: 'b-key', level: 'personal' },
    { name: 'w-token', level: 'workspace', workspace: 'Backend' },
    { name: 'o-env', level: 'organization' },
    { name: 'o-cc', level: 'organization' },
  ],
  carol: [
    { name: 'w-token', level: 'workspace', workspace: 'Backend' },
    { name: 'o-env', level: 'organization' },
  ],
};

/**
 * alice (Account Holder), bob (Member, in team Ops), carol (Sys Admin); workspace Backend; a secret
 * at each level: alice's and bob's personal keys, a workspace token edited once (2 revisions), an
 * organization-wide key/value used once, an organization client credential for team Ops; settings
 * saved through the app. Checkpointed and closed: the main file alone is the vault.
 */
export async function buildTemplate(dir: string): Promise<string> {
  const { path, vault, session } = await newVault(dir);
  addMember(session, { name: 'bob', role: 'member', password: PASSWORDS.bob });
  addMember(session, { name: 'carol', role: 'sys-admin', password: PASSWORDS.carol });
  addWorkspace(session, 'Backend');
  addTeam(session, 'Ops');
  addTeamMember(session, 'Ops', 'bob');
  registerSecret(session, { type: 'api-key', name: 'p-key', fields: { headerName: 'X-Key', value: 'personal-value' } });
  registerSecret(session, { type: 'bearer-token', name: 'w-token', level: 'workspace', workspace: 'Backend', fields: { headerName: 'Authorization', headerValue: 'Bearer token-1' } });
  editSecret(session, { ref: { name: 'w-token' }, fields: { headerValue: 'Bearer token-2' } });
  registerSecret(session, { type: 'key-value', name: 'o-env', level: 'organization', fields: { pairs: [{ key: 'A', value: 'alpha' }] } });
  registerSecret(session, {
    type: 'client-credentials',
    name: 'o-cc',
    level: 'organization',
    teams: ['Ops'],
    fields: { clientId: 'client', url: 'https://auth.example/t', clientSecret: 'cs-1' },
  });
  getSecretValue(session, { name: 'o-env' }, { use: { door: 'cli', how: 'print' } });
  changeSettings(session, { revealSeconds: 45, inactiveDays: 60 });
  session.lock();
  const bob = await vault.unlock('bob', PASSWORDS.bob);
  registerSecret(bob, { type: 'api-key', name: 'b-key', fields: { headerName: 'X-Bob', value: 'bob-value' } });
  bob.lock();
  vault.close();
  withRawDb(path, (db) => db.pragma('wal_checkpoint(TRUNCATE)'));
  return path;
}

/** The tables that carry access, secrets, revisions, audit or settings. */
export const TABLES = [
  'members',
  'roster',
  'scopes',
  'scope_grants',
  'team_members',
  'teams',
  'workspaces',
  'secrets',
  'reader_keys',
  'name_chunks',
  'secret_revisions',
  'revision_signatures',
  'audit',
  'meta',
] as const;

/** The meta rows that carry settings (and their MACs), the roster's and the audit log's heads, and the vault's identity. */
const META_KEYS = /^(reveal_seconds|clipboard_seconds|auto_lock_minutes|inactive_days|deletion_days|kdf_profile)(_mac)?$|^(roster_head|audit_head|org_scope_id|vault_id)$/;

export interface Cell {
  table: string;
  /** The values of the row's `rowKey` columns: its rowid, or its primary key in a WITHOUT ROWID table. */
  key: unknown[];
  column: string;
  /** Declared type: INTEGER, TEXT or BLOB. */
  type: string;
  notNull: boolean;
  value: unknown;
  /** Members whose own unlock and reads the cell's row concerns (beyond alice, who is always checked). */
  concerns: Login[];
  /** `table.column`, and for meta `meta.column[key]`: what the lists of the property test name. */
  label: string;
}

/** The members (other than alice) a value names, directly or through their personal scope or secrets. */
export type Concerns = (value: unknown) => Login[];

/** Every cell of the template in TABLES (meta: the rows META_KEYS names), and every TEXT value seen per column. */
export function enumerateCells(path: string): { cells: Cell[]; texts: Map<string, string[]>; concerns: Concerns } {
  return withRawDb(path, (db) => {
    const ids = memberIds(db);
    const personal = new Map((db.prepare("SELECT id, owner_id FROM scopes WHERE kind = 'personal'").all() as { id: string; owner_id: string }[]).map((r) => [r.id, r.owner_id]));
    const secretScope = new Map((db.prepare('SELECT id, scope_id FROM secrets').all() as { id: string; scope_id: string }[]).map((r) => [r.id, r.scope_id]));
    const owner = new Map<string, string>();
    for (const [scope, member] of personal) owner.set(scope, member);
    for (const [secret, scope] of secretScope) if (personal.has(scope)) owner.set(secret, personal.get(scope)!);
    const mentions = (v: unknown, into: Set<Login>) => {
      if (typeof v !== 'string') return;
      for (const [login, id] of ids) if (v === id || owner.get(v) === id) into.add(login);
    };
    const concerns: Concerns = (v) => {
      const into = new Set<Login>();
      mentions(v, into);
      return LOGINS.filter((l) => l !== 'alice' && into.has(l));
    };
    // reader_keys and secret_revisions name a secret (and a scope) by number (migration 9): the ids they stand for say whom a row concerns.
    const secretOfSeq = new Map((db.prepare('SELECT seq, id FROM secrets').raw().all() as [number, string][]).map(([seq, id]) => [seq, id]));
    const scopeOfNum = new Map((db.prepare('SELECT num, id FROM scopes').raw().all() as [number, string][]).map(([num, id]) => [num, id]));
    const cells: Cell[] = [];
    const texts = new Map<string, string[]>();
    for (const table of TABLES) {
      const columns = db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; type: string; notnull: number; pk: number }[];
      const key = rowKey(db, table);
      const rows = db.prepare(`SELECT ${key.map((c, i) => `${c} AS __key${i}`).join(', ')}, * FROM "${table}"`).all() as Record<string, unknown>[];
      for (const row of rows) {
        if (table === 'meta' && !META_KEYS.test(row.key as string)) continue;
        const mentioned = new Set<Login>();
        const keyValues = key.map((_, i) => row[`__key${i}`]);
        for (const c of columns) mentions(row[c.name], mentioned);
        if ('secret_seq' in row) mentions(secretOfSeq.get(row.secret_seq as number), mentioned);
        if ('scope_num' in row) mentions(scopeOfNum.get(row.scope_num as number), mentioned);
        const rowConcerns = LOGINS.filter((l) => l !== 'alice' && mentioned.has(l));
        for (const c of columns) {
          const value = row[c.name];
          const label = table === 'meta' ? `meta.${c.name}[${row.key as string}]` : `${table}.${c.name}`;
          cells.push({ table, key: keyValues, column: c.name, type: c.type, notNull: c.notnull === 1 || c.pk === 1, value, concerns: rowConcerns, label });
          if (typeof value === 'string') {
            const key = `${table}.${c.name}`;
            const list = texts.get(key) ?? [];
            if (!list.includes(value)) list.push(value);
            texts.set(key, list);
          }
        }
      }
    }
    return { cells, texts, concerns };
  });
}

function memberIds(db: Database): Map<Login, string> {
  const rows = db.prepare('SELECT id, login FROM members').all() as { id: string; login: Login }[];
  return new Map(rows.map((r) => [r.login, r.id]));
}

/** The new value of one cell; `undefined` from `apply` means the edit changes nothing. */
export type Edit =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'bytes'; seed: number }
  | { kind: 'delta'; delta: number }
  | { kind: 'text'; value: string }
  | { kind: 'null' }
  | { kind: 'fill'; int: number; text: string };

export function editedValue(cell: Cell, edit: Edit): unknown {
  const v = cell.value;
  switch (edit.kind) {
    case 'flip': {
      if (!(v instanceof Uint8Array) || v.length === 0) return undefined;
      const b = Buffer.from(v);
      b[edit.at % b.length]! ^= 1 << edit.bit;
      return b;
    }
    case 'bytes': {
      if (!(v instanceof Uint8Array) || v.length === 0) return undefined;
      const b = Buffer.alloc(v.length);
      let x = edit.seed >>> 0 || 1;
      for (let i = 0; i < b.length; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        b[i] = x & 0xff;
      }
      return Buffer.compare(b, v) === 0 ? undefined : b;
    }
    case 'delta':
      return typeof v === 'number' && edit.delta !== 0 ? v + edit.delta : undefined;
    case 'text':
      return typeof v === 'string' && v !== edit.value ? edit.value : undefined;
    case 'null':
      return v !== null && !cell.notNull ? null : undefined;
    case 'fill':
      if (v !== null) return undefined;
      return cell.type === 'INTEGER' ? edit.int : cell.type === 'TEXT' ? edit.text : Buffer.from(edit.text.padEnd(64, '#'));
  }
}

/** Writes `value` into a copy of the template; false when the schema refuses it. */
export function writeCell(path: string, cell: Cell, value: unknown): boolean {
  return withRawDb(path, (db) => {
    // A throwaway copy: no fsync, which would cost more than the whole check.
    db.pragma('synchronous = OFF');
    try {
      const changed = db.prepare(`UPDATE "${cell.table}" SET "${cell.column}" = ? WHERE ${whereKey(rowKey(db, cell.table))}`).run(value, ...cell.key).changes;
      if (changed !== 1) throw new Error(`no ${cell.table} row ${JSON.stringify(cell.key)}`);
      return true;
    } catch (e) {
      if (String((e as { code?: string }).code).startsWith('SQLITE_CONSTRAINT')) return false;
      throw e;
    }
  });
}

/** What the members saw in the edited vault: `detected` names the first sign of the edit; `notes` anything else odd. */
export interface Verdict {
  detected?: string;
  notes: string[];
}

const DETECTING = new Set(['TAMPERED', 'AUTH', 'VALIDATION']);

function describe(e: unknown): string {
  return e instanceof CofferError ? `${e.code}: ${e.message}` : `crash: ${(e as Error).message}`;
}

/**
 * The oracle: the vault opened read-only (nothing is written), then unlocked as alice and as each
 * member the edit concerns. For each: what unlock found about the roster, the structure and the
 * grants; the settings check; for alice the audit verification; the listing; then every secret of
 * the template the member can read (alice: all of hers; others: those alice cannot read): its value,
 * and its history, which opens every revision and checks the sealed name against the name asked for.
 */
export async function inspect(path: string, who: readonly Login[]): Promise<Verdict> {
  const notes: string[] = [];
  let vault: Vault;
  try {
    vault = await Vault.open(path, { readOnly: true });
  } catch (e) {
    if (e instanceof CofferError && DETECTING.has(e.code)) return { detected: `open: ${describe(e)}`, notes };
    notes.push(`open: ${describe(e)}`);
    return { notes };
  }
  try {
    for (const login of who) {
      const found = await inspectAs(vault, login, notes);
      if (found) return { detected: `${login}: ${found}`, notes };
    }
    return { notes };
  } finally {
    vault.close();
  }
}

const key = (r: SecretRef) => `${r.level}/${r.workspace ?? ''}/${r.name}`;
const ALICE_READS = new Set(READS.alice.map(key));

async function inspectAs(vault: Vault, login: Login, notes: string[]): Promise<string | undefined> {
  let s: Session;
  try {
    s = await vault.unlock(login, PASSWORDS[login]);
  } catch (e) {
    if (e instanceof CofferError && DETECTING.has(e.code)) return `unlock ${describe(e)}`;
    notes.push(`${login} unlock ${describe(e)}`);
    return undefined;
  }
  try {
    const f = s.accessFindings;
    if (f.rosterProblem) return `roster: ${f.rosterProblem}`;
    if (f.structure.length > 0) return `structure: ${f.structure[0]}`;
    if (f.grantsRejected > 0) return `${f.grantsRejected} grant(s) rejected`;
    if (f.grantsMissing > 0) return `${f.grantsMissing} grant(s) missing`;
    const tampered = checkSettings(s).tampered;
    if (tampered.length > 0) return `settings tampered: ${tampered.join(', ')}`;
    const tried = (what: string, fn: () => unknown): string | undefined => {
      try {
        fn();
        return undefined;
      } catch (e) {
        if (e instanceof CofferError && e.code === 'TAMPERED') return `${what}: ${describe(e)}`;
        notes.push(`${login} ${what}: ${describe(e)}`);
        return undefined;
      }
    };
    if (login === 'alice') {
      const audit = verifyAuditFor(s);
      if (!audit.ok) return `audit broken at ${audit.brokenAt}: ${audit.reason}`;
    }
    {
      let listing: ReturnType<typeof listSecrets> | undefined;
      const listed = tried('list', () => (listing = listSecrets(s)));
      if (listed) return listed;
      const marked = listing?.items.find((i) => i.tampered);
      if (marked) return `listing marks ${marked.name} tampered`;
    }
    for (const ref of READS[login]) {
      if (login !== 'alice' && ALICE_READS.has(key(ref))) continue;
      const label = `${ref.level}/${ref.name}`;
      const found =
        tried(`get ${label}`, () => getSecretValue(s, ref, { use: { door: 'cli', how: 'print' } })) ??
        tried(`history ${label}`, () => {
          const h = secretHistory(s, ref);
          if (h.some((r) => r.tampered)) throw new CofferError('TAMPERED', 'a revision is marked tampered');
          if (h.some((r) => r.authorUnverified)) throw new CofferError('TAMPERED', 'an author no longer verifies');
        });
      if (found) return found;
    }
    return undefined;
  } finally {
    s.lock();
  }
}
