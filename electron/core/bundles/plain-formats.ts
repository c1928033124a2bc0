import { CofferError } from '../../../shared/errors';
import { formatDotenv } from '../../../shared/dotenv';
import type { Pair } from '../../../shared/dotenv';
import type { Level, SecretType } from '../../../shared/schemas/secrets';
import type { Content } from '../secrets/content';
import { fieldsOf } from './records';
import { isoDay } from '../lifecycle/clock';

/** The plain formats of docs/plain-export.md. */
export const PLAIN_FORMATS = ['env', 'json', 'keepassxc-csv'] as const;
export type PlainFormat = (typeof PLAIN_FORMATS)[number];

/** One decrypted secret, as the plain formats need it. */
export interface PlainSecret {
  name: string;
  level: Level;
  workspace: string | null;
  expires: number | null;
  created: number;
  updated: number;
  content: Content;
}

/** KeePassXC writes its times as ISO 8601 in UTC, to the second. */
const isoSecond = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** What `secret get` prints for each type, written under the secret's name in `.env`. */
function mainValue(c: Content): string | null {
  switch (c.type) {
    case 'api-key':
      return c.value;
    case 'bearer-token':
      return c.headerValue;
    case 'client-credentials':
      return c.clientSecret;
    case 'certificate':
      return c.certificate;
    case 'key-value':
      return null;
  }
}

/**
 * A secret's name as an environment variable: accents dropped, upper case, every run of anything
 * but A–Z, 0–9 and _ made one `_`, none at either end, and `_` before a leading digit.
 */
export function envName(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^A-Z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[0-9]/.test(base) ? `_${base}` : base;
}

function toEnv(secrets: readonly PlainSecret[]): string {
  const pairs: Pair[] = [];
  const from = new Map<string, string>();
  for (const s of secrets) {
    const value = mainValue(s.content);
    const own = value === null && s.content.type === 'key-value' ? s.content.pairs : [{ key: envName(s.name), value: value ?? '' }];
    for (const p of own) {
      if (!p.key) throw new CofferError('VALIDATION', `the name "${s.name}" has no letter or digit to name a variable: export it as json`, 'format');
      const earlier = from.get(p.key);
      // Two variables of one name: the later would silently win when the file is loaded.
      if (earlier !== undefined) throw new CofferError('VALIDATION', `"${s.name}" and "${earlier}" both give the variable ${p.key}: export them apart`, 'format');
      from.set(p.key, s.name);
      pairs.push(p);
    }
  }
  return pairs.length ? `${formatDotenv(pairs)}\n` : '';
}

function toJson(secrets: readonly PlainSecret[]): string {
  const items = secrets.map((s) => ({
    name: s.name,
    type: s.content.type,
    level: s.level,
    workspace: s.workspace,
    expires: s.expires === null ? null : isoDay(s.expires),
    fields: fieldsOf(s.content, (_fileName, text) => text),
  }));
  return `${JSON.stringify(items, null, 2)}\n`;
}

export const KEEPASSXC_COLUMNS = ['Group', 'Title', 'Username', 'Password', 'URL', 'Notes', 'TOTP', 'Icon', 'Last Modified', 'Created'] as const;

interface Columns {
  username: string;
  password: string;
  url: string;
  /** After the header lines of Notes, following one empty line. */
  body: string | null;
  header?: string;
}

function columnsOf(c: Content): Columns {
  switch (c.type) {
    case 'api-key':
      return { username: '', password: c.value, url: '', body: null, header: c.headerName };
    case 'bearer-token':
      return { username: '', password: c.headerValue, url: '', body: null, header: c.headerName };
    case 'client-credentials':
      return { username: c.clientId, password: c.clientSecret, url: c.url, body: null };
    case 'certificate':
      return { username: '', password: c.privateKey ?? '', url: '', body: c.certificate.trimEnd() };
    case 'key-value':
      return { username: '', password: '', url: '', body: formatDotenv(c.pairs) };
  }
}

/** Notes: `coffer-type`, then `header` and `expires` when there are; then an empty line and the body, if any. */
function notesOf(type: SecretType, cols: Columns, expires: number | null): string {
  const lines = [`coffer-type: ${type}`];
  if (cols.header !== undefined) lines.push(`header: ${cols.header}`);
  if (expires !== null) lines.push(`expires: ${isoDay(expires)}`);
  return cols.body === null ? lines.join('\n') : `${lines.join('\n')}\n\n${cols.body}`;
}

const csvField = (v: string) => `"${v.replace(/"/g, '""')}"`;

function toKeepassCsv(secrets: readonly PlainSecret[]): string {
  const rows = secrets.map((s) => {
    const cols = columnsOf(s.content);
    const group = `Root/${s.level === 'workspace' && s.workspace !== null ? s.workspace : s.level}`;
    // Icon 0 is KeePassXC's default key icon; Coffer keeps no TOTP.
    return [group, s.name, cols.username, cols.password, cols.url, notesOf(s.content.type, cols, s.expires), '', '0', isoSecond(s.updated), isoSecond(s.created)];
  });
  return [KEEPASSXC_COLUMNS, ...rows].map((r) => `${r.map(csvField).join(',')}\n`).join('');
}

export function renderPlain(format: PlainFormat, secrets: readonly PlainSecret[]): string {
  switch (format) {
    case 'env':
      return toEnv(secrets);
    case 'json':
      return toJson(secrets);
    case 'keepassxc-csv':
      return toKeepassCsv(secrets);
  }
}
