import { closeSync, openSync, writeSync } from 'node:fs';
import { BASE62, Draw, itemSeed } from './prng';

/**
 * Deterministic exports of other password managers, for measuring the importers at 100,000 entries
 * and for tests that need files larger than one read block: entry `i` of seed `s` is always the same,
 * and both formats hold the same entries.
 */
export interface ForeignItem {
  title: string;
  username: string;
  password: string;
  url: string;
  notes?: string;
  totp?: string;
  field?: { name: string; value: string };
  /** Seconds since 1970. */
  created: number;
  updated: number;
  /** An older password, kept by KeePass as a history revision. */
  previous?: string;
}

const TOP_GROUPS = ['Email', 'Banking', 'Work', 'Social', 'Shopping', 'Servers', 'Travel', 'Family'];
const SUB_GROUPS = ['Personal', 'Shared', 'Old', 'Clients', 'Admin'];
/** Every entry sits in one of these 40 nested groups, chosen by its index. */
export const GROUPS: string[][] = TOP_GROUPS.flatMap((top) => SUB_GROUPS.map((sub) => [top, sub]));
const SITES = ['github', 'gitlab', 'example', 'mail', 'bank', 'shop', 'cloud', 'forum', 'news', 'video'];

export const groupOf = (i: number): string[] => GROUPS[i % GROUPS.length]!;

export function foreignItem(seed: number, i: number): ForeignItem {
  const d = Draw.seeded(itemSeed(seed, i));
  const site = d.pick(SITES);
  const created = 1_600_000_000 + d.int(0, 100_000_000);
  const item: ForeignItem = {
    title: `${site} account ${i}`,
    username: `user${i}@${site}.example`,
    password: d.chars(BASE62, 20),
    url: `https://${site}.example/login?u=${i}`,
    created,
    updated: created + d.int(0, 10_000_000),
  };
  if (d.chance(0.3)) item.notes = `Recovery email: backup${i}@example.org\nSecurity question: ${d.chars(BASE62, 12)}`;
  if (d.chance(0.1)) item.totp = d.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 32);
  if (d.chance(0.2)) item.field = { name: 'PIN', value: String(d.int(1000, 9999)) };
  if (d.chance(0.25)) item.previous = d.chars(BASE62, 20);
  return item;
}

/** Writes in ~1 MiB pieces, so generating 100,000 entries never holds the file either. */
class Output {
  private readonly fd: number;
  private pending: string[] = [];
  private size = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    this.pending.push(text);
    this.size += text.length;
    if (this.size > 1 << 20) this.flush();
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    writeSync(this.fd, this.pending.join(''));
    this.pending = [];
    this.size = 0;
  }
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function xmlString(key: string, value: string, protect = false): string {
  const attr = protect ? ' ProtectInMemory="True"' : '';
  return `\t\t\t\t<String>\n\t\t\t\t\t<Key>${xml(key)}</Key>\n\t\t\t\t\t<Value${attr}>${xml(value)}</Value>\n\t\t\t\t</String>\n`;
}

function xmlEntry(item: ForeignItem, history: boolean): string {
  const times =
    `\t\t\t\t<Times>\n\t\t\t\t\t<LastModificationTime>${iso(item.updated)}</LastModificationTime>\n` +
    `\t\t\t\t\t<CreationTime>${iso(item.created)}</CreationTime>\n\t\t\t\t\t<Expires>False</Expires>\n\t\t\t\t</Times>\n`;
  // The title's last 16 characters hold " account N" whole (N below 10,000,000): one UUID per entry, as KeePassXC needs (it keeps one entry per UUID).
  let body = `\t\t\t<Entry>\n\t\t\t\t<UUID>${Buffer.from(item.title.padStart(16).slice(-16)).toString('base64')}</UUID>\n${times}`;
  body += xmlString('Title', item.title) + xmlString('UserName', item.username);
  body += xmlString('Password', history ? (item.previous ?? '') : item.password, true) + xmlString('URL', item.url);
  body += xmlString('Notes', item.notes ?? '');
  if (item.totp) body += xmlString('otp', `otpauth://totp/${item.title}?secret=${item.totp}`, true);
  if (item.field) body += xmlString(item.field.name, item.field.value, true);
  if (!history && item.previous) body += `\t\t\t\t<History>\n${xmlEntry({ ...item, updated: item.created }, true)}\t\t\t\t</History>\n`;
  return `${body}\t\t\t</Entry>\n`;
}

/** A KeePassXC-shaped XML export of entries 0…count-1, each in its group of GROUPS. */
export function writeKeepassXml(path: string, count: number, seed = 1): void {
  const out = new Output(path);
  out.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<KeePassFile>\n\t<Meta>\n');
  out.write('\t\t<Generator>KeePassXC</Generator>\n\t\t<RecycleBinUUID>AAAAAAAAAAAAAAAAAAAAAA==</RecycleBinUUID>\n');
  out.write('\t</Meta>\n\t<Root>\n\t\t<Group>\n\t\t\t<Name>Passwords</Name>\n');
  let top = '';
  GROUPS.forEach(([topName, subName], g) => {
    if (topName !== top) {
      if (top) out.write('\t\t</Group>\n');
      out.write(`\t\t<Group>\n\t\t\t<Name>${topName}</Name>\n`);
      top = topName!;
    }
    out.write(`\t\t<Group>\n\t\t\t<Name>${subName}</Name>\n`);
    for (let i = g; i < count; i += GROUPS.length) out.write(xmlEntry(foreignItem(seed, i), false));
    out.write('\t\t</Group>\n');
  });
  out.write('\t\t</Group>\n\t\t</Group>\n\t</Root>\n</KeePassFile>\n');
  out.close();
}

function bitwardenItem(item: ForeignItem, i: number): unknown {
  return {
    passwordHistory: item.previous ? [{ lastUsedDate: iso(item.created), password: item.previous }] : null,
    revisionDate: new Date(item.updated * 1000).toISOString(),
    creationDate: new Date(item.created * 1000).toISOString(),
    deletedDate: null,
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    organizationId: null,
    folderId: `f0000000-0000-4000-8000-${String(i % GROUPS.length).padStart(12, '0')}`,
    type: 1,
    reprompt: 0,
    name: item.title,
    notes: item.notes ?? null,
    favorite: false,
    fields: item.field ? [{ name: item.field.name, value: item.field.value, type: 1, linkedId: null }] : undefined,
    login: {
      fido2Credentials: [],
      uris: [{ match: null, uri: item.url }],
      username: item.username,
      password: item.password,
      totp: item.totp ?? null,
    },
    collectionIds: null,
  };
}

/** A Bitwarden-shaped unencrypted JSON export of entries 0…count-1, pretty-printed as Bitwarden does. */
export function writeBitwardenJson(path: string, count: number, seed = 1): void {
  const out = new Output(path);
  const folders = GROUPS.map((g, n) => ({ id: `f0000000-0000-4000-8000-${String(n).padStart(12, '0')}`, name: g.join('/') }));
  out.write(`{\n  "encrypted": false,\n  "folders": ${JSON.stringify(folders, null, 2).replace(/\n/g, '\n  ')},\n  "items": [`);
  for (let i = 0; i < count; i++) {
    const text = JSON.stringify(bitwardenItem(foreignItem(seed, i), i), null, 2).replace(/\n/g, '\n    ');
    out.write(`${i === 0 ? '' : ','}\n    ${text}`);
  }
  out.write('\n  ]\n}\n');
  out.close();
}

const csvField = (s: string) => `"${s.replace(/"/g, '""')}"`;
const csvLine = (fields: string[]) => `${fields.map(csvField).join(',')}\n`;

/** A KeePassXC CSV export of entries 0…count-1 (its ten columns), each in its group of GROUPS. */
export function writeKeepassxcCsv(path: string, count: number, seed = 1): void {
  const out = new Output(path);
  out.write(csvLine(['Group', 'Title', 'Username', 'Password', 'URL', 'Notes', 'TOTP', 'Icon', 'Last Modified', 'Created']));
  for (let i = 0; i < count; i++) {
    const it = foreignItem(seed, i);
    const totp = it.totp ? `otpauth://totp/${it.title}?secret=${it.totp}` : '';
    out.write(csvLine([['Root', ...groupOf(i)].join('/'), it.title, it.username, it.password, it.url, it.notes ?? '', totp, '0', iso(it.updated), iso(it.created)]));
  }
  out.close();
}

/** A 1Password CSV export of entries 0…count-1: no groups, a byte-order mark as 1Password writes. */
export function writeOnepasswordCsv(path: string, count: number, seed = 1): void {
  const out = new Output(path);
  out.write(`\uFEFF${['Title', 'Website', 'Username', 'Password', 'OTPAuth', 'Favorite', 'Archived', 'Tags', 'Notes'].join(',')}\n`);
  for (let i = 0; i < count; i++) {
    const it = foreignItem(seed, i);
    const totp = it.totp ? `otpauth://totp/${it.title}?secret=${it.totp}` : '';
    out.write(csvLine([it.title, it.url, it.username, it.password, totp, 'false', 'false', groupOf(i).join(';'), it.notes ?? '']));
  }
  out.close();
}

/** A `.env` of count lines, one password each, for `--split`. */
export function writeDotenv(path: string, count: number, seed = 1): void {
  const out = new Output(path);
  for (let i = 0; i < count; i++) out.write(`ACCOUNT_${i}_PASSWORD=${foreignItem(seed, i).password}\n`);
  out.close();
}
