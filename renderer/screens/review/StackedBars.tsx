import { formatCount } from '../../lib/format';
import { useWidth } from './useWidth';

/** One stacked series: its legend label, and a value per day (as many days as the chart has). */
export interface Series {
  label: string;
  values: readonly number[];
}

const HEIGHT = 160;
const PAD = { top: 8, right: 8, bottom: 22, left: 36 };
/** The least room between two date labels on the x axis. */
const LABEL_GAP_PX = 64;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_MS = 86_400_000;

/** `6 Dec` of the UTC day `from` (`YYYY-MM-DD`) plus `offset` days: the series are UTC days, as the core counts them. */
export function dayLabel(from: string, offset: number): string {
  const d = new Date(Date.parse(`${from}T00:00:00Z`) + offset * DAY_MS);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

/** The top of the y axis: the smallest 1, 2 or 5 × 10ⁿ at or above the tallest bar. */
function niceMax(n: number): number {
  if (n <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 5, 10].map((m) => m * p).find((m) => m >= n)!;
}

interface StackedBarsProps {
  /** The first day, `YYYY-MM-DD` (UTC). */
  from: string;
  series: readonly Series[];
  /** What the chart shows, said in one sentence for screen readers (role="img"). */
  summary: string;
  /** What is counted, for the hidden table's caption ("Reads per consumer"). */
  what: string;
}

/**
 * Bars per day, the series stacked in order, in plain SVG drawn at the container's width. The
 * colours come from the theme's `--chart-N` variables; each day's figures are in its tooltip, and
 * the days with any are in a visually hidden table for screen readers.
 */
export function StackedBars({ from, series, summary, what }: StackedBarsProps) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const days = series[0]?.values.length ?? 0;
  const totals = Array.from({ length: days }, (_, d) => series.reduce((sum, s) => sum + (s.values[d] ?? 0), 0));
  const top = niceMax(Math.max(0, ...totals));
  const plotW = Math.max(0, width - PAD.left - PAD.right);
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const band = days > 0 ? plotW / days : 0;
  const barW = Math.max(1, band * 0.72);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const labelEvery = Math.max(1, Math.ceil(LABEL_GAP_PX / Math.max(band, 1)));
  // Every labelEvery-th day gets its date, unless the label would run past the right edge.
  const dated = (d: number) => d % labelEvery === 0 && (d === 0 || PAD.left + (d + 0.5) * band + LABEL_GAP_PX / 2 <= width);
  const ticks = top % 2 === 0 ? [0, top / 2, top] : [0, top];

  return (
    <div className="chart">
      <ul className="chart-legend" aria-hidden>
        {series.map((s, i) => (
          <li key={s.label}>
            <span className={`chart-swatch chart-${i}`} />
            {s.label}
            <span className="chart-legend-total">{formatCount(s.values.reduce((a, b) => a + b, 0))}</span>
          </li>
        ))}
      </ul>
      <div ref={ref} className="chart-frame">
        {width > 0 && (
          <svg width={width} height={HEIGHT} role="img" aria-label={summary} className="chart-svg">
            {ticks.map((t) => (
              <g key={t}>
                <line className="chart-grid" x1={PAD.left} x2={width - PAD.right} y1={y(t)} y2={y(t)} />
                <text className="chart-tick" x={PAD.left - 6} y={y(t)} dy="0.32em" textAnchor="end">
                  {formatCount(t)}
                </text>
              </g>
            ))}
            {totals.map((total, d) => {
              const x = PAD.left + d * band;
              let stacked = 0;
              return (
                <g key={d}>
                  <title>{`${dayLabel(from, d)}: ${series.map((s) => `${formatCount(s.values[d] ?? 0)} ${s.label.toLowerCase()}`).join(', ')}`}</title>
                  {/* The whole day's column takes the pointer, so thin or empty bars still have a tooltip. */}
                  <rect className="chart-hit" x={x} y={PAD.top} width={band} height={plotH} />
                  {total > 0 &&
                    series.map((s, i) => {
                      const v = s.values[d] ?? 0;
                      if (v === 0) return null;
                      const y0 = y(stacked);
                      stacked += v;
                      return <rect key={s.label} className={`chart-${i}`} x={x + (band - barW) / 2} y={y(stacked)} width={barW} height={y0 - y(stacked)} />;
                    })}
                  {dated(d) && (
                    <text className="chart-tick" x={x + band / 2} y={HEIGHT - 6} textAnchor={d === 0 ? 'start' : 'middle'} dx={d === 0 ? -band / 2 : 0}>
                      {dayLabel(from, d)}
                    </text>
                  )}
                </g>
              );
            })}
            <line className="chart-axis" x1={PAD.left} x2={width - PAD.right} y1={y(0)} y2={y(0)} />
          </svg>
        )}
      </div>
      {/* A table sizes itself to its content: the 1 px box that hides it must be around it. */}
      <div className="visually-hidden">
        <table>
          <caption>{what}, by day (days with none left out)</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {series.map((s) => (
                <th key={s.label} scope="col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {totals.map((total, d) =>
              total === 0 ? null : (
                <tr key={d}>
                  <th scope="row">{dayLabel(from, d)}</th>
                  {series.map((s) => (
                    <td key={s.label}>{s.values[d] ?? 0}</td>
                  ))}
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
