import { expect } from 'vitest';

/**
 * Reads a table the CLI printed for people and checks it is aligned: the header row first, each
 * column starting at the same offset on every row, two spaces between columns. Returns the rows as
 * objects keyed by header, cells trimmed.
 */
export function readTable(text: string, columns: readonly string[]): Record<string, string>[] {
  const all = text.replace(/\n$/, '').split('\n');
  const header = all[0] ?? '';
  const starts = columns.map((c) => header.indexOf(c));
  expect(starts[0]).toBe(0);
  for (let i = 1; i < starts.length; i++) {
    expect(starts[i]!, `column ${columns[i]} in ${header}`).toBeGreaterThan(starts[i - 1]!);
    expect(header.slice(starts[i - 1]!, starts[i]!)).toMatch(new RegExp(`^${columns[i - 1]} {2,}$`));
  }
  expect(header.slice(starts[starts.length - 1]!)).toBe(columns[columns.length - 1]);
  const body = all.slice(1);
  const end = body.indexOf('');
  return (end >= 0 ? body.slice(0, end) : body).map((row) => {
    expect(row).toBe(row.trimEnd());
    const cells: Record<string, string> = {};
    columns.forEach((c, i) => {
      const s = starts[i]!;
      const cell = row.slice(s, i + 1 < starts.length ? starts[i + 1] : undefined);
      if (i > 0 && row.length > s) expect(row.slice(s - 2, s), `two spaces before ${c} in "${row}"`).toBe('  ');
      if (cell.trim() !== '') expect(cell[0], `${c} starts at its column in "${row}"`).not.toBe(' ');
      cells[c] = cell.trim();
    });
    return cells;
  });
}
