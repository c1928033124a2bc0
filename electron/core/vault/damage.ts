import type { Level } from '../../../shared/schemas/secrets';
import type { ScopeKind } from '../access/roster-state';
import type { ReaderKeyRow } from '../db/rows';
import { scopeNumbersOfTable } from './scopes';
import type { Session } from './session';

/**
 * What an unlocked session cannot read because the file is damaged or was altered (docs/product.md
 * §1a, "Damage is reported"): each scope whose key did not open, by name, and how many secrets it
 * alone would have opened. Never a silent gap in a listing: the doors say it on every unlock.
 */
export interface Unreadable {
  /** `personal scope of alice`, `workspace Backend`, `team Ops`, `the organization`, or `scope ID` when the roster does not know it. */
  scope: string;
  /** Secrets this scope alone would open for this session: no other scope it holds reads them. */
  secrets: number;
}

/** A scope as people know it, from the verified roster. */
export function scopeLabel(s: Session, scopeId: string): string {
  const roster = s.roster;
  switch (roster.scopeKind(scopeId)) {
    case 'organization':
      return 'the organization';
    case 'workspace':
      return `workspace ${[...roster.workspaces.values()].find((w) => w.scopeId === scopeId)!.name}`;
    case 'team':
      return `team ${[...roster.teams.values()].find((t) => t.scopeId === scopeId)!.name}`;
    case 'personal': {
      const owner = roster.ownerOf(scopeId);
      return `personal scope of ${(owner && roster.member(owner)?.login) ?? 'a member'}`;
    }
    default: {
      // Not on the verified roster (one that stops early): the clear tables' name, said as theirs.
      const place = s.db.value<string>('SELECT name FROM workspaces WHERE scope_id = ?', scopeId);
      const team = place === undefined ? s.db.value<string>('SELECT name FROM teams WHERE scope_id = ?', scopeId) : undefined;
      if (place !== undefined) return `workspace ${place} (not on the verified roster)`;
      if (team !== undefined) return `team ${team} (not on the verified roster)`;
      return `scope ${scopeId}`;
    }
  }
}

/**
 * The wrapped keys from both their trees, the table's own (a table without rowid is its primary
 * key's tree) and the scope index: a damaged page of either, or a file cut short, drops keys the
 * other still has. Named: NOT INDEXED would still let SQLite read the covering scope index alone.
 */
const EVERY_WRAPPED_KEY = `SELECT secret_seq, scope_num FROM reader_keys INDEXED BY sqlite_autoindex_reader_keys_1
  UNION SELECT secret_seq, scope_num FROM reader_keys INDEXED BY reader_keys_by_scope`;

/**
 * For each secret any of `scopeIds` holds (by its listing number), whether a scope this session
 * opened reads it all the same. From the wrapped keys alone, never joined to the secrets, and never
 * through a lookup by index: in a damaged file an index may be what is broken (SQLite never checks
 * one against its table on a read), and a secret it drops would go uncounted. Only a session with a
 * closed scope pays for the scans.
 */
function openedElsewhere(s: Session, scopeIds: readonly string[]): Map<number, boolean> {
  const opened = new Map<number, boolean>();
  if (scopeIds.length === 0) return opened;
  const numbers = scopeNumbersOfTable(s.db);
  const scopeOf = new Map([...numbers].map(([id, num]) => [num, id]));
  const closed = new Set(scopeIds);
  // A closed scope whose row is gone or damaged has no number to find it by: a key to a number no
  // row has, or whose row names a scope the roster does not know, may be its.
  const closedUnnumbered = scopeIds.some((id) => !numbers.has(id));
  const isClosed = (num: number) => {
    const id = scopeOf.get(num);
    return (id !== undefined && closed.has(id)) || (closedUnnumbered && (id === undefined || !s.roster.scopeKind(id)));
  };
  const keys = s.db.tuples<[seq: ReaderKeyRow['secret_seq'], scopeNum: ReaderKeyRow['scope_num']]>(EVERY_WRAPPED_KEY);
  // Two passes instead of every key in memory: a million-secret vault has more than a million keys.
  const held = new Set<number>();
  for (const [seq, num] of keys.iterate()) if (isClosed(num)) held.add(seq);
  for (const [seq, num] of keys.iterate()) {
    if (!held.has(seq)) continue;
    const scopeId = scopeOf.get(num);
    opened.set(seq, (opened.get(seq) ?? false) || (scopeId !== undefined && s.canRead(scopeId)));
  }
  return opened;
}

const lost = (opened: Map<number, boolean>) => [...opened.values()].filter((open) => !open).length;

/** The scopes this session should hold and cannot open, each with the secrets lost with it. */
export function unreadableScopes(s: Session): Unreadable[] {
  return s.accessFindings.closedScopes.map((scopeId) => ({ scope: scopeLabel(s, scopeId), secrets: lost(openedElsewhere(s, [scopeId])) }));
}

/**
 * How many secrets the closed scopes hold that no opened scope reads, each counted once (one held
 * by two closed scopes is on both their lines): what an empty listing must not pass off as an empty vault.
 */
export const unreadableSecrets = (s: Session): number => lost(openedElsewhere(s, s.accessFindings.closedScopes));

/** What is lost with a closed scope, as a clause: `3 secrets in it cannot be read`. */
export const lostSecrets = (n: number): string => (n === 0 ? 'it holds no secret yet' : `${n === 1 ? '1 secret' : `${n} secrets`} in it cannot be read`);

/** One line per unreadable scope, for a door that prints warnings (the CLI); the app shows them in its banner. */
export function damageWarnings(s: Session): string[] {
  return unreadableScopes(s).map(
    (u) => `TAMPERED: your key to ${u.scope} does not open (its grant is damaged, altered or missing): ${lostSecrets(u.secrets)}; \`coffer doctor\` lists what is unreadable`,
  );
}

/** The scope kinds a secret of a level can be read through: an organization secret also through its teams'. */
const KINDS_OF_LEVEL: Record<Level, readonly ScopeKind[]> = { personal: ['personal'], workspace: ['workspace'], organization: ['organization', 'team'] };

/**
 * A closed scope a secret of this level (any level when undefined), or of one of the scopes
 * `within`, could be behind: a lookup that found nothing is then TAMPERED, not NOT_FOUND. A scope
 * the roster does not know could be any.
 */
export function closedFor(s: Session, level: Level | undefined, within?: readonly string[]): string | undefined {
  const closed = s.accessFindings.closedScopes.find((id) => {
    if (within) return within.includes(id);
    const kind = s.roster.scopeKind(id);
    return !level || !kind || KINDS_OF_LEVEL[level].includes(kind);
  });
  return closed === undefined ? undefined : scopeLabel(s, closed);
}
