import type { ReviewReport } from '../../../../shared/schemas/review';
import { AHEAD_HEADING, READS_HEADING, SECRET_COLUMNS, attentionSections, cellsOf, countSections, preamble, seriesDay, title } from './words';

/**
 * A cell's text with what Markdown would read as markup escaped: a name is the vault's data, and a
 * `|` would split the table, `<` open HTML in a ticket that renders it.
 */
const MARKUP = /[\\`*_[\]<>|#]/;
const cell = (text: string): string => (MARKUP.test(text) ? text.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`) : text);

function table(columns: string[], rows: string[][]): string[] {
  return [...tableLines(columns, rows)];
}

function* tableLines(columns: string[], rows: Iterable<string[]>): Generator<string> {
  let empty = true;
  for (const r of rows) {
    if (empty) yield* [`| ${columns.map(cell).join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`];
    empty = false;
    yield `| ${r.map(cell).join(' | ')} |`;
  }
  if (empty) yield 'None.';
}

/** The report as Markdown tables, to paste into a ticket; the table of every secret is written as it is made. */
export function* reportMarkdown(r: ReviewReport): Generator<string> {
  const out: string[] = [`# ${cell(title(r))}`, '', cell(preamble(r)), '', `## Totals (${r.summary.total} secrets)`];
  for (const c of countSections(r)) out.push('', `### ${c.heading}`, '', ...table(['', 'Secrets'], c.counts.map(([label, n]) => [label, String(n)])));
  out.push('', '## Needs attention');
  for (const s of attentionSections(r)) {
    out.push('', `### ${cell(s.heading)}`, '', ...table(s.columns, s.rows));
    if (s.more > 0) out.push('', `…and ${s.more} more, in the table of all secrets below.`);
  }
  const ahead = r.summary.series.ahead;
  const aheadRows = ahead.expirations.flatMap((n, i) => (n + ahead.deletions[i]! === 0 ? [] : [[seriesDay(ahead.from, i), String(n), String(ahead.deletions[i])]]));
  out.push('', `## ${AHEAD_HEADING}`, '', ...table(['Day', 'Expirations', 'Deletions'], aheadRows));
  const reads = r.summary.series.reads;
  out.push('', `## ${READS_HEADING}`, '', ...table(['Consumer', 'Reads'], reads.consumers.map((c) => [c.consumer, String(c.total)])));
  out.push('', `## All secrets (${r.secrets.length})`, '');
  yield out.join('\n');
  for (const line of tableLines(SECRET_COLUMNS, cellsOf(r.secrets))) yield `\n${line}`;
  yield '\n';
}
