import type { ConsumerSeries, ReviewReport } from '../../../../shared/schemas/review';
import type { Section } from './words';
import { AHEAD_HEADING, READS_HEADING, SECRET_COLUMNS, attentionSections, cellsOf, countSections, preamble, seriesDay, title } from './words';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Every piece of the vault's data goes through this: a name is text, never markup. */
const esc = (text: string): string => (/[&<>"']/.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c]!) : text);

/** Light and dark follow the reader's setting; print drops colours that waste ink and keeps tables whole per row. */
const STYLE = `
:root { color-scheme: light dark; --fg: #1d2330; --muted: #5b6475; --bg: #ffffff; --line: #d8dde6; --head: #f2f4f8;
  --c0: #2f6fde; --c1: #d9822b; --c2: #2e9e6a; --c3: #a35bd0; --c4: #c9454b; --c5: #7a8394; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6e9ef; --muted: #a3abba; --bg: #161a22; --line: #343b49; --head: #202632;
    --c0: #6fa0ff; --c1: #f0a45c; --c2: #5cc995; --c3: #c991ee; --c4: #f07a7f; --c5: #9aa3b5; }
}
* { box-sizing: border-box; }
body { margin: 2rem auto; max-width: 72rem; padding: 0 1rem; font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; } h3 { margin-top: 1.4rem; }
p.note, .more { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--head); font-weight: 600; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.counts { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 1rem; }
.bar { display: inline-block; height: .7rem; background: var(--c0); border-radius: 2px; }
svg { width: 100%; height: auto; } svg text { fill: var(--muted); font-size: 10px; } svg line { stroke: var(--line); }
.s0 { fill: var(--c0); } .s1 { fill: var(--c1); } .s2 { fill: var(--c2); } .s3 { fill: var(--c3); } .s4 { fill: var(--c4); } .s5 { fill: var(--c5); }
.legend span { margin-right: 1rem; white-space: nowrap; } .legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: -1px; border-radius: 2px; }
.k0 { background: var(--c0); } .k1 { background: var(--c1); } .k2 { background: var(--c2); } .k3 { background: var(--c3); } .k4 { background: var(--c4); } .k5 { background: var(--c5); }
@media print {
  :root { --fg: #000; --muted: #333; --bg: #fff; --line: #999; --head: #eee; }
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; } tr, svg { break-inside: avoid; } thead { display: table-header-group; }
}`;

function table(columns: string[], rows: string[][]): string {
  return [...tableParts(columns, rows)].join('');
}

/** A table row by row, for the table of every secret, which is written as it is made. */
function* tableParts(columns: string[], rows: Iterable<string[]>): Generator<string> {
  let empty = true;
  for (const r of rows) {
    if (empty) yield `<table><thead><tr>${columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>`;
    empty = false;
    let html = '\n<tr>';
    for (const c of r) html += `<td>${esc(c)}</td>`;
    yield `${html}</tr>`;
  }
  yield empty ? '<p class="note">None.</p>' : '</tbody></table>';
}

function section(s: Section): string {
  const more = s.more > 0 ? `<p class="more">…and ${s.more} more, in the table of all secrets below.</p>` : '';
  return `<h3>${esc(s.heading)}</h3>${table(s.columns, s.rows)}${more}`;
}

function counts(r: ReviewReport): string {
  const blocks = countSections(r).map((c) => {
    const max = Math.max(1, ...c.counts.map(([, n]) => n));
    const rows = c.counts.map(([label, n]) => `<tr><td>${esc(label)}</td><td class="n">${n}</td><td><span class="bar" style="width:${((n / max) * 8).toFixed(2)}rem"></span></td></tr>`);
    return `<div><h3>${esc(c.heading)}</h3><table><tbody>${rows.join('')}</tbody></table></div>`;
  });
  return `<div class="counts">${blocks.join('')}</div>`;
}

const WIDTH = 720;
const HEIGHT = 160;
const TOP = 8;
const BOTTOM = 18;

/** Stacked daily bars, one colour per series, a tooltip per day; days with nothing draw nothing. */
function barChart(label: string, from: string, series: { name: string; values: number[] }[]): string {
  const days = series[0]?.values.length ?? 0;
  const totals = Array.from({ length: days }, (_, i) => series.reduce((sum, s) => sum + s.values[i]!, 0));
  const max = Math.max(1, ...totals);
  const step = WIDTH / Math.max(1, days);
  const scale = (HEIGHT - TOP - BOTTOM) / max;
  const bars: string[] = [];
  for (let i = 0; i < days; i++) {
    if (totals[i] === 0) continue;
    let y = HEIGHT - BOTTOM;
    const tip = `${seriesDay(from, i)}: ${series.flatMap((s) => (s.values[i] ? [`${s.values[i]} ${s.name}`] : [])).join(', ')}`;
    const rects = series.map((s, k) => {
      const h = s.values[i]! * scale;
      y -= h;
      return h > 0 ? `<rect class="s${k}" x="${(i * step + 0.5).toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(1, step - 1).toFixed(1)}" height="${h.toFixed(1)}"/>` : '';
    });
    bars.push(`<g><title>${esc(tip)}</title>${rects.join('')}</g>`);
  }
  const tick = (i: number, x: number, anchor: string) => `<text x="${x.toFixed(1)}" y="${HEIGHT - 4}" text-anchor="${anchor}">${seriesDay(from, i)}</text>`;
  // The last day's label ends at the right edge, where a label starting there would be cut off.
  const ticks = [...[0, 30, 60].filter((i) => i < days - 1).map((i) => tick(i, i * step, 'start')), days > 0 ? tick(days - 1, WIDTH, 'end') : ''];
  const legend = series.map((s, k) => `<span><i class="k${k}"></i>${esc(s.name)}</span>`).join('');
  return `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${esc(label)}"><text x="0" y="${TOP + 2}">max ${max}/day</text><line x1="0" x2="${WIDTH}" y1="${HEIGHT - BOTTOM}" y2="${HEIGHT - BOTTOM}"/>${bars.join('')}${ticks.join('')}</svg><p class="legend">${legend}</p>`;
}

/** The five busiest consumers get a colour each; the rest share one. */
function readSeries(consumers: ConsumerSeries[]): { name: string; values: number[] }[] {
  const shown = consumers.slice(0, 5).map((c) => ({ name: c.consumer, values: c.perDay }));
  const rest = consumers.slice(5);
  if (rest.length === 0) return shown;
  const values = rest[0]!.perDay.map((_, i) => rest.reduce((sum, c) => sum + c.perDay[i]!, 0));
  return [...shown, { name: `${rest.length} other consumer(s)`, values }];
}

/** One self-contained page: inline CSS and SVG, nothing fetched (its CSP forbids it), readable printed, light or dark. */
export function* reportHtml(r: ReviewReport): Generator<string> {
  const { ahead, reads } = r.summary.series;
  const readsChart = reads.consumers.length === 0 ? '<p class="note">No reads in this period.</p>' : barChart(READS_HEADING, reads.from, readSeries(reads.consumers));
  const readsTable = table(['Consumer', 'Reads'], reads.consumers.map((c) => [c.consumer, String(c.total)]));
  yield `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title(r))}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${esc(title(r))}</h1>
<p class="note">${esc(preamble(r))}</p>
<h2>Totals (${r.summary.total} secrets)</h2>
${counts(r)}
<h2>Needs attention</h2>
${attentionSections(r).map(section).join('\n')}
<h2>${esc(AHEAD_HEADING)}</h2>
${barChart(AHEAD_HEADING, ahead.from, [{ name: 'expirations', values: ahead.expirations }, { name: 'deletions', values: ahead.deletions }])}
<h2>${esc(READS_HEADING)}</h2>
${readsChart}
${readsTable}
<h2>All secrets (${r.secrets.length})</h2>
`;
  yield* tableParts(SECRET_COLUMNS, cellsOf(r.secrets));
  yield `
</body>
</html>
`;
}
