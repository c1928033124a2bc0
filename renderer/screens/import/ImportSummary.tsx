import { CircleCheck } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { ImportFormat } from '../../../shared/schemas/bundle-import';
import { FORMAT_LABELS } from '../../../shared/schemas/bundle-import';
import type { ImportItemView, ImportResult } from '../../../shared/schemas/bundles';
import { sentence } from '../../lib/errors';
import { formatCount } from '../../lib/format';
import type { Scope } from '../../state/nav';
import { useNav } from '../../state/nav';
import { request } from '../../state/request';
import { useSelection } from '../../state/selection';
import { toast } from '../../state/toasts';
import { SkippedList } from './SkippedList';
import { placeOf } from './place';

const WHAT: Record<'add' | 'revise' | 'add-copy', string> = { add: 'added', revise: 'replaced (yours kept in its history)', 'add-copy': 'added beside yours (Keep both)' };

/** Opens an imported secret as the rest of the app does: its scope's table, its detail panel. */
async function openSecret(item: ImportItemView, name: string) {
  const scope: Scope = item.level === 'workspace' && item.workspace ? { level: 'workspace', workspace: item.workspace } : item.level === 'organization' ? { level: 'organization' } : { level: 'personal' };
  const r = await request('secrets.list', { level: scope.level, ...(scope.level === 'workspace' ? { workspace: scope.workspace } : {}), search: name, limit: 50 });
  if (!r.ok) return toast.error(sentence(r.error.message));
  const found = r.value.items.find((s) => s.name === name);
  if (!found) return toast.error(`“${name}” is not there any more`);
  useNav.getState().go({ kind: 'secrets', scope });
  useSelection.getState().open(found.id);
}

/** What the import did: counts by outcome, each imported secret a link to it, and what a foreign file's importer skipped. */
export function ImportSummary({ fileName, result, onAgain }: { fileName: string; result: ImportResult; onAgain: () => void }) {
  const headRef = useRef<HTMLHeadingElement>(null);
  const [opening, setOpening] = useState<number | null>(null);
  useEffect(() => headRef.current?.focus(), []);
  const imported = result.items.map((it, i) => ({ it, i })).filter(({ it }) => it.action !== 'keep');
  const keptMine = result.items.filter((it) => it.action === 'keep' && it.status !== 'unchanged').length;
  const rows: [string, number][] = [
    ['Added', result.applied.added],
    ['Replaced', result.applied.revised],
    ['Kept both', result.applied.copies],
    ['Kept mine', keptMine],
    ['Unchanged', result.counts.unchanged],
    ['Skipped', result.skipped.length],
  ];
  return (
    <section className="panel" aria-labelledby="import-done-title" data-testid="import-summary">
      <div className="panel-head">
        <h2 id="import-done-title" ref={headRef} tabIndex={-1} className="result-title is-ok">
          <CircleCheck size={18} aria-hidden />
          Imported {fileName}
        </h2>
        <p role="status">
          {result.bundle ? `A bundle from ${result.bundle.organization}, signed by ${result.bundle.signer.name}.` : `${result.source ? (FORMAT_LABELS[result.source.format as ImportFormat] ?? result.source.format) : 'A file'}: ${formatCount(result.source?.items ?? 0)} secrets read.`}
          {result.source && result.source.workspacesCreated.length > 0 && ` New workspaces: ${result.source.workspacesCreated.join(', ')}.`} The import is in the audit log.
        </p>
      </div>
      <dl className="about import-outcome" data-testid="import-outcome">
        {rows.map(([label, n]) => (
          <div key={label} className="import-outcome-row">
            <dt>{label}</dt>
            <dd>{formatCount(n)}</dd>
          </div>
        ))}
      </dl>
      {imported.length > 0 ? (
        <div>
          <h3 className="import-sub">Imported secrets</h3>
          <ul className="plain-list import-links" data-testid="import-links">
            {imported.slice(0, 500).map(({ it, i }) => {
              const name = it.action === 'add-copy' && it.importedAs ? it.importedAs : it.name;
              return (
                <li key={i}>
                  <button
                    type="button"
                    className="link-btn"
                    disabled={opening !== null}
                    onClick={() => {
                      setOpening(i);
                      void openSecret(it, name).finally(() => setOpening(null));
                    }}
                  >
                    {name}
                  </button>{' '}
                  <span className="muted">
                    · {placeOf(it)} · {WHAT[it.action as keyof typeof WHAT]}
                  </span>
                </li>
              );
            })}
          </ul>
          {imported.length > 500 && <p className="field-hint">And {formatCount(imported.length - 500)} more: find them in their places in the sidebar.</p>}
        </div>
      ) : (
        <p className="pick-empty">Nothing was written: every secret was already here or you kept yours.</p>
      )}
      {result.skipped.length > 0 && <SkippedList skipped={result.skipped} />}
      <div className="panel-foot">
        <button type="button" className="btn btn-primary" onClick={onAgain}>
          Import another file
        </button>
      </div>
    </section>
  );
}
