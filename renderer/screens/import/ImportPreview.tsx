import { FileInput, LoaderCircle } from 'lucide-react';
import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { ImportResult, ImportStrategy } from '../../../shared/schemas/bundles';
import { Chip } from '../../components/Chip';
import { FormError } from '../../components/Field';
import { formatCount } from '../../lib/format';
import { PreviewTable, differs } from './PreviewTable';
import { SkippedList } from './SkippedList';

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
  const [filter, setFilter] = useState<'all' | 'differs'>('all');
  // A new preview without differences has nothing to filter to.
  const onlyDiffering = filter === 'differs' && differing > 0;
  const rows = useMemo(() => {
    const shown: number[] = [];
    items.forEach((it, i) => {
      if (!onlyDiffering || differs(it)) shown.push(i);
    });
    return shown;
  }, [items, onlyDiffering]);
  const willWrite = useMemo(() => items.filter((it, i) => it.status === 'added' || (differs(it) && (perItem.get(i) ?? strategy) !== 'mine')).length, [items, perItem, strategy]);
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
        <>
          {differing > 0 && (
            <div className="chip-group" role="group" aria-labelledby="import-filter-label">
              <span className="chip-group-label" id="import-filter-label">
                Show
              </span>
              <Chip pressed={!onlyDiffering} onClick={() => setFilter('all')}>
                All
                <span className="chip-count">{formatCount(items.length)}</span>
              </Chip>
              <Chip pressed={onlyDiffering} onClick={() => setFilter('differs')}>
                Only what differs
                <span className="chip-count">{formatCount(differing)}</span>
              </Chip>
            </div>
          )}
          <PreviewTable items={items} rows={rows} strategy={strategy} perItem={perItem} disabled={busy !== null} onItem={onItem} />
        </>
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
