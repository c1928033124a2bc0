import { FileInput, LoaderCircle } from 'lucide-react';
import type { ReactNode } from 'react';
import type { ImportResult, ImportStatus, ImportStrategy } from '../../../shared/schemas/bundles';
import { TYPE_LABELS } from '../../../shared/schemas/secrets';
import type { SecretType } from '../../../shared/schemas/secrets';
import { FormError } from '../../components/Field';
import { formatCount, formatDateTime } from '../../lib/format';
import { placeOf } from './place';

export const STRATEGY_LABELS: Record<ImportStrategy, string> = { mine: 'Keep mine', theirs: 'Take theirs', both: 'Keep both' };

const STATUS_LABELS: Record<ImportStatus, string> = { added: 'New', changed: 'Changed', conflicting: 'Conflict', unchanged: 'Unchanged' };

const STATUS_HINTS: Record<ImportStatus, string> = {
  added: 'Not in this vault yet: it is added',
  changed: 'Differs, and theirs is newer than yours',
  conflicting: 'Differs, and yours changed after theirs (or the types differ)',
  unchanged: 'The same on both sides: nothing to do',
};

/** Rows drawn at once; the choice for all applies to the rest. */
const SHOWN = 1000;

const typeLabel = (t: string) => TYPE_LABELS[t as SecretType] ?? t;

interface Props {
  result: ImportResult;
  strategy: ImportStrategy;
  perItem: ReadonlyMap<number, ImportStrategy>;
  busy: string | null;
  /** What the core is doing meanwhile, above the buttons. */
  progress: ReactNode;
  error: string | null;
  onStrategy: (s: ImportStrategy) => void;
  onItem: (index: number, s: ImportStrategy) => void;
  onApply: () => void;
  onCancel: () => void;
}

/** The dry run: every incoming secret with its status here, both dates where both sides have it, and a choice where they differ. */
export function ImportPreview({ result, strategy, perItem, busy, progress, error, onStrategy, onItem, onApply, onCancel }: Props) {
  const { counts, items, skipped } = result;
  const differing = counts.changed + counts.conflicting;
  const willWrite = items.filter((it, i) => it.status === 'added' || ((it.status === 'changed' || it.status === 'conflicting') && (perItem.get(i) ?? strategy) !== 'mine')).length;
  return (
    <section className="panel" aria-labelledby="import-preview-title" data-testid="import-preview">
      <div className="panel-head">
        <h2 id="import-preview-title" tabIndex={-1}>
          Preview
        </h2>
        <p data-testid="import-counts">
          {formatCount(items.length)} {items.length === 1 ? 'secret' : 'secrets'}: {formatCount(counts.added)} new, {formatCount(counts.changed)} changed,{' '}
          {formatCount(counts.conflicting)} in conflict, {formatCount(counts.unchanged)} unchanged
          {skipped.length > 0 && `; ${formatCount(skipped.length)} ${skipped.length === 1 ? 'entry' : 'entries'} of the file skipped`}. Nothing is written until you import.
        </p>
      </div>
      {result.source && result.source.workspacesCreated.length > 0 && (
        <p className="field-hint">New workspaces for the file’s groups: {result.source.workspacesCreated.join(', ')}.</p>
      )}
      {differing > 0 && (
        <div className="field import-all">
          <label className="field-label" htmlFor="import-strategy">
            For every secret on both sides
          </label>
          <select id="import-strategy" className="input" value={strategy} disabled={busy !== null} onChange={(e) => onStrategy(e.target.value as ImportStrategy)}>
            <option value="mine">Keep mine — leave this vault’s version</option>
            <option value="theirs">Take theirs — a new revision; yours stays in its history</option>
            <option value="both">Keep both — theirs added as “name (imported)”</option>
          </select>
        </div>
      )}
      {items.length === 0 ? (
        <p className="pick-empty">The file holds no secret Coffer can import{skipped.length ? ': see what was skipped below' : ''}.</p>
      ) : (
        <div className="table-scroll import-table-scroll" tabIndex={0} aria-label="Secrets in the file">
          <table className="table import-table" data-testid="import-preview-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="t-type">
                  Type
                </th>
                <th scope="col" className="t-place">
                  Place
                </th>
                <th scope="col" className="t-status">
                  Status
                </th>
                <th scope="col" className="t-dates">
                  Last changed
                </th>
                <th scope="col" className="t-choice">
                  Choice
                </th>
              </tr>
            </thead>
            <tbody>
              {items.slice(0, SHOWN).map((it, i) => {
                const differs = it.status === 'changed' || it.status === 'conflicting';
                return (
                  <tr key={i} data-status={it.status}>
                    <td title={it.renamedFrom ? `${it.name} (the file’s “${it.renamedFrom}”, renamed: that name was taken)` : it.name}>
                      <span className="truncate">{it.name}</span>
                    </td>
                    <td className="t-type">{typeLabel(it.type)}</td>
                    <td className="t-place">
                      <span className="truncate">{placeOf(it)}</span>
                    </td>
                    <td className="t-status">
                      <span className={`badge import-status is-${it.status}`} title={STATUS_HINTS[it.status]}>
                        {STATUS_LABELS[it.status]}
                      </span>
                    </td>
                    <td className="t-dates">
                      {differs ? (
                        <span className="import-dates">
                          <span>
                            <span className="muted">Yours </span>
                            {it.ours ? formatDateTime(it.ours) : '—'}
                          </span>
                          <span>
                            <span className="muted">Theirs </span>
                            {it.theirs ? formatDateTime(it.theirs) : 'not in the file'}
                          </span>
                        </span>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td className="t-choice">
                      {differs ? (
                        <select
                          className="input input-compact"
                          aria-label={`Choice for ${it.name}`}
                          value={perItem.get(i) ?? strategy}
                          disabled={busy !== null}
                          onChange={(e) => onItem(i, e.target.value as ImportStrategy)}
                        >
                          {(['mine', 'theirs', 'both'] as const).map((s) => (
                            <option key={s} value={s}>
                              {STRATEGY_LABELS[s]}
                            </option>
                          ))}
                        </select>
                      ) : (
                        <span className="muted">{it.status === 'added' ? 'Add' : 'Nothing to do'}</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {items.length > SHOWN && (
            <p className="list-note">
              The first {formatCount(SHOWN)} of {formatCount(items.length)} are shown; the choice for all applies to the others.
            </p>
          )}
        </div>
      )}
      {skipped.length > 0 && <SkippedList skipped={skipped} />}
      <FormError error={error} />
      {progress}
      <div className="panel-foot">
        <button type="button" className="btn" disabled={busy !== null} onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="btn btn-primary" disabled={busy !== null || items.length === 0} onClick={onApply} data-testid="import-apply">
          {busy ? <LoaderCircle size={16} className="spin" aria-hidden /> : <FileInput size={16} aria-hidden />}
          {busy ? 'Importing…' : willWrite === 0 ? 'Import (nothing changes)' : `Import ${formatCount(willWrite)} ${willWrite === 1 ? 'secret' : 'secrets'}`}
        </button>
      </div>
    </section>
  );
}

export function SkippedList({ skipped }: { skipped: ImportResult['skipped'] }) {
  return (
    <details className="import-skipped" data-testid="import-skipped" open={skipped.length <= 10}>
      <summary>
        Skipped: {formatCount(skipped.length)} {skipped.length === 1 ? 'entry' : 'entries'} of the file
      </summary>
      <ul className="plain-list">
        {skipped.slice(0, 500).map((s, i) => (
          <li key={i}>
            <strong>{s.title || '(untitled)'}</strong> <span className="muted">({s.source})</span> — {s.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}
