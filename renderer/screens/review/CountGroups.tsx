import type { ReviewSummary } from '../../../shared/schemas/review';
import type { Level, SecretStatus, SecretType } from '../../../shared/schemas/secrets';
import { SECRET_TYPES, STATUSES, TYPE_LABELS } from '../../../shared/schemas/secrets';
import { STATUS_LABELS } from '../../../shared/labels';
import { formatCount } from '../../lib/format';
import { openFiltered, openLevel } from './open';

const LEVEL_LABELS: Record<Level, string> = { personal: 'Personal', organization: 'Organization', workspace: 'Workspaces' };
/** The sidebar's order, which the level links follow. */
const LEVEL_ORDER: readonly Level[] = ['personal', 'workspace', 'organization'];

interface CountRow {
  key: string;
  label: string;
  count: number;
  /** What clicking does, for the tooltip. */
  hint: string;
  open: () => void;
}

/** `long`: a group with more rows than the others, which spans the row on narrow windows. */
function CountGroup({ id, title, rows, long = false }: { id: string; title: string; rows: CountRow[]; long?: boolean }) {
  return (
    <section className={long ? 'panel dash-counts is-long' : 'panel dash-counts'} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <ul className="plain-list">
        {rows.map((r) => (
          <li key={r.key}>
            <button type="button" className="dash-count" onClick={r.open} title={r.hint} data-testid={`count-${r.key}`}>
              <span className="truncate">{r.label}</span>
              <span className="dash-count-n">{formatCount(r.count)}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Secrets by status, type and level: each a link to the table, filtered or at that level. */
export function CountGroups({ counts }: { counts: ReviewSummary['counts'] }) {
  const byStatus = STATUSES.map((s: SecretStatus) => ({
    key: s,
    label: STATUS_LABELS[s],
    count: counts.status[s],
    hint: `Show ${STATUS_LABELS[s]} secrets in the table (the place holding the most of them)`,
    open: () => void openFiltered({ status: s }),
  }));
  const byType = SECRET_TYPES.map((t: SecretType) => ({
    key: t,
    label: TYPE_LABELS[t],
    count: counts.type[t],
    hint: `Show ${TYPE_LABELS[t]} secrets in the table (the place holding the most of them)`,
    open: () => void openFiltered({ type: t }),
  }));
  const byLevel = LEVEL_ORDER.map((l) => ({
    key: l,
    label: LEVEL_LABELS[l],
    count: counts.level[l],
    hint: l === 'workspace' ? 'Open the workspace holding the most secrets' : `Open ${LEVEL_LABELS[l]}`,
    open: () => openLevel(l),
  }));
  return (
    <div className="dash-grid dash-grid-3">
      <CountGroup id="dash-status" title="By status" rows={byStatus} />
      <CountGroup id="dash-type" title="By type" rows={byType} long />
      <CountGroup id="dash-level" title="By level" rows={byLevel} />
    </div>
  );
}
