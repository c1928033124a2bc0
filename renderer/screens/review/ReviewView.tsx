import { ChartColumn, ShieldAlert } from 'lucide-react';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNote } from '../../components/ErrorNote';
import { SkeletonLines } from '../../components/Skeleton';
import { formatCount, formatDateTime } from '../../lib/format';
import { useRequest } from '../../lib/useRequest';
import { HOME, useNav } from '../../state/nav';
import { useSession } from '../../state/session';
import { useUi } from '../../state/ui';
import { AttentionLists } from './AttentionLists';
import { AheadChart, ReadsChart } from './Charts';
import { CountGroups } from './CountGroups';
import { ReportExport } from './ReportExport';

/** A screenful per "Needs attention" list; its full count is shown beside it. */
const LIST_LIMIT = 8;

/**
 * The landing screen of those who read the audit log (docs/review.md): counts, what needs
 * attention and two charts over every secret the session may read, computed by the core from clear
 * columns, never from a value.
 */
export function ReviewView() {
  // Any change the core reports (a write, a purge at a tick, another window) brings fresh figures.
  const sessionStatus = useSession((s) => s.status);
  const { value: summary, error } = useRequest('review.summary', { limit: LIST_LIMIT }, sessionStatus);

  if (!summary) {
    return error ? (
      <div className="page-fill">
        <EmptyState icon={<ShieldAlert size={22} />} title="The review could not be loaded">
          {error}
        </EmptyState>
      </div>
    ) : (
      <div className="page" aria-busy="true">
        <div className="page-inner page-review">
          <SkeletonLines count={6} />
        </div>
      </div>
    );
  }
  if (summary.total === 0) return <NothingToReview />;
  return (
    <div className="page" data-testid="review">
      <div className="page-inner page-review">
        {error && <ErrorNote message={error} />}
        <div className="dash-head">
          <p className="dash-total" role="status">
            <strong>{formatCount(summary.total)}</strong> {summary.total === 1 ? 'secret' : 'secrets'} you can read · figures of {formatDateTime(summary.at)}
          </p>
          <ReportExport />
        </div>
        <CountGroups counts={summary.counts} />
        <AttentionLists attention={summary.attention} />
        <AheadChart ahead={summary.series.ahead} />
        <ReadsChart reads={summary.series.reads} />
      </div>
    </div>
  );
}

function NothingToReview() {
  const readOnly = useSession((s) => s.status?.vault?.readOnly ?? false);
  const register = () => {
    useNav.getState().go(HOME);
    useUi.getState().setRegisterOpen(true);
  };
  return (
    <div className="page-fill" data-testid="review">
      <EmptyState
        icon={<ChartColumn size={22} />}
        title="Nothing to review yet"
        action={
          readOnly ? undefined : (
            <button type="button" className="btn btn-primary" onClick={register}>
              Register secret
            </button>
          )
        }
      >
        Once secrets are registered, this page counts them by status, type and level, lists those that need attention (expiring, Inactive, scheduled for deletion, never used), and charts the expirations ahead and the reads of the last 90 days.
      </EmptyState>
    </div>
  );
}
