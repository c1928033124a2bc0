import type { ReactNode } from 'react';
import type { ReviewSummary } from '../../../shared/schemas/review';
import { SERIES_DAYS } from '../../../shared/schemas/review';
import { formatCount } from '../../lib/format';
import type { Series } from './StackedBars';
import { StackedBars, dayLabel } from './StackedBars';

/** The busiest consumers each get a colour; the rest share one as "other", so the chart stays readable. */
const TOP_CONSUMERS = 4;

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

function ChartPanel({ id, title, note, empty, children }: { id: string; title: string; note: string; empty: string | null; children: ReactNode }) {
  return (
    <section className="panel dash-chart" aria-labelledby={id}>
      <div className="panel-head">
        <h2 id={id}>{title}</h2>
        <p>{note}</p>
      </div>
      {empty === null ? children : <p className="dash-empty">{empty}</p>}
    </section>
  );
}

/** Expirations and deletions due each day over the next SERIES_DAYS days. */
export function AheadChart({ ahead }: { ahead: ReviewSummary['series']['ahead'] }) {
  const expiring = sum(ahead.expirations);
  const deleting = sum(ahead.deletions);
  const series: Series[] = [
    { label: 'Expirations', values: ahead.expirations },
    { label: 'Deletions', values: ahead.deletions },
  ];
  const last = dayLabel(ahead.from, SERIES_DAYS - 1);
  return (
    <ChartPanel
      id="dash-ahead"
      title="Expirations and deletions ahead"
      note={`Per day, from today to ${last}: secrets that expire, and Inactive or scheduled secrets due for deletion.`}
      empty={expiring + deleting === 0 ? 'Nothing expires or is due for deletion in the next 90 days. Secrets with an expiration date, and those Inactive or scheduled for deletion, will show here by day.' : null}
    >
      <StackedBars
        from={ahead.from}
        series={series}
        what="Expirations and deletions"
        summary={`Bar chart of the next ${SERIES_DAYS} days, ${dayLabel(ahead.from, 0)} to ${last}: ${formatCount(expiring)} expirations and ${formatCount(deleting)} deletions due.`}
      />
    </ChartPanel>
  );
}

/** Reads per consumer each day over the last SERIES_DAYS days: the busiest few, the rest as "other". */
export function ReadsChart({ reads }: { reads: ReviewSummary['series']['reads'] }) {
  const top = reads.consumers.slice(0, TOP_CONSUMERS);
  const rest = reads.consumers.slice(TOP_CONSUMERS);
  const series: Series[] = top.map((c) => ({ label: c.consumer, values: c.perDay }));
  if (rest.length > 0) {
    series.push({ label: rest.length === 1 ? rest[0]!.consumer : `${rest.length} others`, values: Array.from({ length: SERIES_DAYS }, (_, d) => sum(rest.map((c) => c.perDay[d] ?? 0))) });
  }
  const total = sum(reads.consumers.map((c) => c.total));
  const last = dayLabel(reads.from, SERIES_DAYS - 1);
  const busiest = top.map((c) => `${c.consumer} ${formatCount(c.total)}`).join(', ');
  return (
    <ChartPanel
      id="dash-reads"
      title="Reads per consumer"
      note={`Per day, from ${dayLabel(reads.from, 0)} to today: who read secrets (the app, the CLI, a service credential, a command run with secrets).`}
      empty={total === 0 ? 'No secret was read in the last 90 days. Each read by the app, the CLI, a service credential or a command will show here by day and by consumer.' : null}
    >
      <StackedBars
        from={reads.from}
        series={series}
        what="Reads per consumer"
        summary={`Stacked bar chart of the last ${SERIES_DAYS} days, ${dayLabel(reads.from, 0)} to ${last}: ${formatCount(total)} reads by ${reads.consumers.length} consumers; busiest ${busiest}.`}
      />
    </ChartPanel>
  );
}
