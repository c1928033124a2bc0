import type { RegisterSecretInput } from '../../../../shared/schemas/secrets';
import { INVISIBLE } from '../../../../shared/schemas/text';
import { normalizeName } from '../../crypto/keys';
import type { Place, PlacedSecret } from './coffer-csv';
import { readCofferEntry, validPlaced } from './coffer-csv';
import type { ForeignEntry, SkippedEntry } from './foreign';
import { isoDay } from '../../lifecycle/clock';

/**
 * The one set of rules that turns an entry of any foreign format into a Coffer secret
 * (docs/importers.md, "Mapping"). Parsers know nothing of these rules; change them here and in
 * that document together.
 */

export const NOTHING_SECRET = 'nothing secret to keep: no password, notes or custom fields';
export const UNTITLED = '(untitled)';
const NAME_MAX = 128;
const KEY_MAX = 256;
const WORKSPACE_MAX = 64;

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const INVISIBLES = new RegExp(INVISIBLE.source, 'g');

/**
 * A name as the schema accepts it: trimmed, NFC, cut to `max` (never inside a surrogate pair).
 * Control characters and line breaks become spaces; invisible and text-direction characters are
 * dropped, so a foreign entry keeps the name it shows rather than being refused for it.
 */
export function cleanName(raw: string, max: number, fallback: string): string {
  const s = raw.normalize('NFC').replace(CONTROLS, ' ').replace(INVISIBLES, '').trim();
  // No more UTF-16 units than `max` means no more characters either: most names need no split.
  const cut = s.length <= max ? s : Array.from(s).slice(0, max).join('').trim();
  return cut || fallback;
}

/** `name`, then `name (2)`, `name (3)`…, the suffix kept within `max`. */
function numbered(name: string, n: number, max: number): string {
  if (n === 1) return name;
  const suffix = ` (${n})`;
  return `${Array.from(name).slice(0, max - suffix.length).join('').trimEnd()}${suffix}`;
}

const isHttpUrl = (s: string) => {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
  } catch {
    return false;
  }
};

const present = (v: string | undefined): v is string => v !== undefined && v.trim().length > 0;

/** What one entry becomes: a secret in its place, validated, without name clash handling; or nothing; plus what was left out. */
export interface Mapped {
  secret?: PlacedSecret;
  skipped: SkippedEntry[];
}

/** Keys of a key/value secret: cleaned so the schema takes them, and each one once. */
class PairKeys {
  private readonly seen = new Set<string>();

  claim(raw: string): string {
    const base = cleanName(raw.replace(/=/g, '-'), KEY_MAX, 'field');
    for (let n = 1; ; n++) {
      const key = numbered(base, n, KEY_MAX);
      if (!this.seen.has(key)) {
        this.seen.add(key);
        return key;
      }
    }
  }
}

function keyValue(e: ForeignEntry, subgroup: string[]): { key: string; value: string }[] {
  const keys = new PairKeys();
  const pairs: { key: string; value: string }[] = [];
  const add = (key: string, value: string | undefined) => {
    // An empty value holds nothing, and the schema refuses it.
    if (present(value)) pairs.push({ key: keys.claim(key), value });
  };
  // The standard keys are claimed first, so a custom field of the same name becomes "password (2)".
  add('username', e.username);
  add('password', e.password);
  add('url', e.url);
  add('otp', e.totp);
  add('notes', e.notes);
  for (const f of e.fields) add(f.name, f.value);
  if (subgroup.length) add('group', subgroup.join('/'));
  return pairs;
}

/**
 * Maps one entry into `place`. `subgroup` is the part of its group path that placement did not
 * use: it is kept as a `group` pair. An entry the schema would still refuse (a value over 64 KiB)
 * is skipped with the schema's reason, which names fields, never values.
 */
export function mapEntry(e: ForeignEntry, subgroup: string[], place: Place = { level: 'personal' }): Mapped {
  const skipped: SkippedEntry[] = e.attachments.map((a) => ({ source: e.source, title: e.title, reason: `attachment ${a}: files are not imported` }));
  const hasSecret = present(e.password) || present(e.notes) || present(e.totp) || e.fields.some((f) => present(f.value));
  if (!hasSecret) return { skipped: [...skipped, { source: e.source, title: e.title, reason: NOTHING_SECRET }] };
  const name = cleanName(e.title, NAME_MAX, UNTITLED);
  const expires = e.expires !== undefined && Number.isFinite(e.expires) && Math.abs(e.expires) < 8.64e15 ? { expires: isoDay(e.expires) } : {};
  const onlyLogin =
    present(e.username) && present(e.password) && present(e.url) && isHttpUrl(e.url.trim()) && !present(e.notes) && !present(e.totp) && !e.fields.some((f) => present(f.value)) && subgroup.length === 0;
  const candidates: Pick<RegisterSecretInput, 'type' | 'fields' | 'name' | 'expires'>[] = [];
  if (onlyLogin) candidates.push({ type: 'client-credentials', name, fields: { clientId: e.username!, url: e.url!.trim(), clientSecret: e.password! }, ...expires });
  candidates.push({ type: 'key-value', name, fields: { pairs: keyValue(e, subgroup) }, ...expires });
  let reason = '';
  for (const c of candidates) {
    const valid = validPlaced({ ...c, ...place });
    if ('secret' in valid) return { secret: valid.secret, skipped };
    reason = valid.reason;
  }
  return { skipped: [...skipped, { source: e.source, title: e.title, reason: `not a valid secret: ${reason}` }] };
}

/** Where an entry goes: the workspace given, else its top group as a workspace, else the personal level. */
export interface Destination {
  workspace?: string;
  /** The group path below the part that chose the workspace. */
  subgroup: string[];
}

export function destinationOf(e: ForeignEntry, workspace: string | undefined): Destination {
  const groups = e.group.map((g) => g.trim()).filter((g) => g.length > 0);
  if (workspace !== undefined) return { workspace, subgroup: groups };
  if (groups.length === 0) return { subgroup: [] };
  return { workspace: cleanName(groups[0]!, WORKSPACE_MAX, UNTITLED), subgroup: groups.slice(1) };
}

/**
 * What one entry becomes and where: a Coffer export read back as the secret it was written from
 * (coffer-csv.ts), any other entry by the rules above. `given` is the workspace --workspace names;
 * a workspace is the file's spelling, not yet matched with the vault's.
 */
export function placeEntry(e: ForeignEntry, given: string | undefined): { secret?: PlacedSecret; skipped: SkippedEntry[] } {
  const own = readCofferEntry(e);
  if (own) return { secret: given === undefined ? own : { ...own, level: 'workspace', workspace: given }, skipped: [] };
  const dest = destinationOf(e, given);
  const place: Place = dest.workspace === undefined ? { level: 'personal' } : { level: 'workspace', workspace: dest.workspace };
  return mapEntry(e, dest.subgroup, place);
}

/** Names taken by earlier entries of the same file, per level and workspace: a later one gets " (2)", " (3)"… */
export class FileNames {
  private readonly taken = new Set<string>();

  claim(place: Place, name: string): string {
    // The level leads the key, so a workspace named "personal" is not the personal level.
    const scope = place.level === 'workspace' ? `workspace\u0000${normalizeName(place.workspace)}` : place.level;
    for (let n = 1; ; n++) {
      const candidate = numbered(name, n, NAME_MAX);
      const key = `${scope}\u0000${normalizeName(candidate)}`;
      if (!this.taken.has(key)) {
        this.taken.add(key);
        return candidate;
      }
    }
  }
}
