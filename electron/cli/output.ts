import type { ErrorCode, ErrorShape } from '../../shared/errors';

/** Exit codes of docs/cli.md, one place. */
export const EXIT_CODES: Record<ErrorCode, number> = {
  INTERNAL: 1,
  VALIDATION: 2,
  AUTH: 3,
  TAMPERED: 4,
  NOT_FOUND: 5,
  CONFLICT: 6,
  FORBIDDEN: 7,
  LOCKED: 8,
  UNSUPPORTED_VERSION: 8,
};

export function errorLine(e: ErrorShape): string {
  return `coffer: ${e.code}: ${e.message}${e.field ? ` (field: ${e.field})` : ''}`;
}

export function writeError(e: ErrorShape, json: boolean): void {
  process.stderr.write(`${json ? JSON.stringify({ error: e }) : errorLine(e)}\n`);
}

export function warn(message: string): void {
  process.stderr.write(`coffer: warning: ${message}\n`);
}

export const day = (ms: number | null | undefined): string => (ms == null ? '' : new Date(ms).toISOString().slice(0, 10));
/** `2026-11-25 14:03` (or with seconds) in UTC, for tables of events. */
export const dateTime = (ms: number, seconds = false): string => new Date(ms).toISOString().replace('T', ' ').slice(0, seconds ? 19 : 16);
export const iso = (ms: number | null | undefined): string | null => (ms == null ? null : new Date(ms).toISOString());

/** Aligned columns for people; the header row first. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
