import { CofferError } from '../../../../shared/errors';
import { CsvReader } from './csv';
import { readText } from './file';
import type { EntrySink, ForeignEntry } from './foreign';

/** A row as its header names it: a column's value by its name (case-insensitive), and what no rule claimed. */
export class Row {
  private readonly used = new Set<number>();

  constructor(
    private readonly header: readonly string[],
    private readonly index: ReadonlyMap<string, number>,
    private readonly cells: readonly string[],
    readonly line: number,
  ) {}

  /** The first of `names` the header has, with its cell (empty when the row is short). */
  get(...names: string[]): string | undefined {
    for (const n of names) {
      const i = this.index.get(n.toLowerCase());
      if (i === undefined) continue;
      this.used.add(i);
      const v = this.cells[i];
      return v === undefined || v === '' ? undefined : v;
    }
    return undefined;
  }

  /** The cells no `get` asked for, by their column's name, in the file's order. */
  rest(): { name: string; value: string }[] {
    const out: { name: string; value: string }[] = [];
    this.cells.forEach((value, i) => {
      if (!this.used.has(i) && value !== '') out.push({ name: this.header[i]?.trim() || `column ${i + 1}`, value });
    });
    return out;
  }
}

export const headerIndex = (header: readonly string[]) => new Map(header.map((h, i) => [h.trim().toLowerCase(), i] as const).reverse());

/** A date as an export writes it (ISO 8601), as Unix milliseconds; nothing when it is not one. */
export function time(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * Reads a CSV export row by row: the first record is the header, which `check` refuses with the
 * reason when it is not the format's; every other record becomes an entry.
 */
export function readCsv(path: string, sink: EntrySink, format: string, check: (index: ReadonlyMap<string, number>) => boolean, entry: (row: Row) => ForeignEntry): void {
  let header: string[] | undefined;
  let index: ReadonlyMap<string, number> = new Map();
  const reader = new CsvReader((cells, line) => {
    if (!header) {
      header = cells;
      index = headerIndex(cells);
      if (!check(index)) throw new CofferError('VALIDATION', `the file is not a ${format} export: its header row is not one`, 'file');
      return;
    }
    sink.entry(entry(new Row(header, index, cells, line)));
  });
  readText(path, (t) => reader.write(t), sink.progress?.bind(sink));
  reader.end();
  if (!header) throw new CofferError('VALIDATION', `the file is not a ${format} export: it is empty`, 'file');
}
