import { CofferError } from './errors';

export interface Pair {
  key: string;
  value: string;
}

const LINE = /^\s*(?:export\s+)?([^=\s#][^=]*?)\s*=\s*(.*)$/;

function unquote(raw: string, lineNo: number): string {
  const v = raw.trim();
  const q = v[0];
  if (q === '"' || q === "'") {
    const end = v.lastIndexOf(q);
    if (end === 0) throw new CofferError('VALIDATION', `line ${lineNo}: unterminated quote`, 'pairs');
    const inner = v.slice(1, end);
    // Double quotes follow the dotenv convention of escaped newlines; single quotes are literal.
    // One pass, so the `\\` + `n` that formatDotenv writes for a backslash before an n stays two characters.
    return q === '"' ? inner.replace(/\\([\\n"])/g, (_, c: string) => (c === 'n' ? '\n' : c)) : inner;
  }
  const hash = v.search(/\s#/);
  return hash >= 0 ? v.slice(0, hash).trimEnd() : v;
}

/** Parses a `.env` file: `KEY=VALUE`, optional `export`, quotes, comments and blank lines. */
export function parseDotenv(text: string): Pair[] {
  const pairs: Pair[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim() || line.trimStart().startsWith('#')) return;
    const m = LINE.exec(line);
    if (!m) throw new CofferError('VALIDATION', `line ${i + 1} is not KEY=VALUE`, 'pairs');
    pairs.push({ key: m[1]!, value: unquote(m[2]!, i + 1) });
  });
  return pairs;
}

/** Parses a flat JSON object; numbers and booleans become their text, nested values are refused. */
export function parseJsonPairs(text: string): Pair[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new CofferError('VALIDATION', 'the file is not valid JSON', 'pairs');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new CofferError('VALIDATION', 'the JSON file must hold one object of keys and values', 'pairs');
  }
  return Object.entries(data).map(([key, value]) => {
    if (typeof value === 'string') return { key, value };
    if (typeof value === 'number' || typeof value === 'boolean') return { key, value: String(value) };
    throw new CofferError('VALIDATION', `the value of "${key}" must be text, a number or a boolean`, 'pairs');
  });
}

/** Chooses the parser by file name: `.json` is JSON, anything else is read as `.env`. */
export function parsePairsFile(fileName: string, text: string): Pair[] {
  return fileName.toLowerCase().endsWith('.json') ? parseJsonPairs(text) : parseDotenv(text);
}

export function formatDotenv(pairs: readonly Pair[]): string {
  const quote = (v: string) =>
    /^[A-Za-z0-9_./:@+-]*$/.test(v) ? v : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  return pairs.map((p) => `${p.key}=${quote(p.value)}`).join('\n');
}
