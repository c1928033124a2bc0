import { Search } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { SecretSummary } from '../../../shared/schemas/secrets';
import { TYPE_LABELS } from '../../../shared/schemas/secrets';
import { SkeletonLines } from '../../components/Skeleton';
import { formatCount } from '../../lib/format';
import { useRequest } from '../../lib/useRequest';

/** How many rows of the listing the picker shows at once; a search narrows the rest. */
const SHOWN = 200;

export const placeOf = (s: Pick<SecretSummary, 'level' | 'workspace'>): string =>
  s.level === 'workspace' ? (s.workspace ?? 'Workspace') : s.level === 'personal' ? 'Personal' : 'Organization';

interface SecretPickerProps {
  chosen: ReadonlyMap<string, SecretSummary>;
  onChange: (next: Map<string, SecretSummary>) => void;
  /** Organization secrets need the export permission: without it they are not offered. */
  organization: boolean;
  disabled: boolean;
  error: string | undefined;
}

/** The listing of every secret this member can read, searched by name, each with a checkbox. */
export function SecretPicker({ chosen, onChange, organization, disabled, error }: SecretPickerProps) {
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setSearch(text.trim()), 150);
    return () => clearTimeout(t);
  }, [text]);
  const { value, error: loadError } = useRequest('secrets.list', { search: search || undefined, sort: 'name', limit: SHOWN });
  const rows = (value?.items ?? []).filter((s) => organization || s.level !== 'organization');
  const hidden = (value?.items.length ?? 0) - rows.length;

  const toggle = (s: SecretSummary, on: boolean) => {
    const next = new Map(chosen);
    if (on) next.set(s.id, s);
    else next.delete(s.id);
    onChange(next);
  };

  return (
    <div className="secret-picker">
      <div className="secret-picker-bar">
        <div className="input-with-icon secret-picker-search">
          <Search size={16} aria-hidden />
          <input
            type="search"
            className="input"
            placeholder="Search by name"
            aria-label="Search secrets to export"
            value={text}
            maxLength={256}
            disabled={disabled}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && text) {
                e.stopPropagation();
                setText('');
              }
            }}
          />
        </div>
        <span className="row-count" role="status" data-testid="chosen-count">
          {formatCount(chosen.size)} chosen
        </span>
        <button type="button" className="btn" disabled={disabled || chosen.size === 0} onClick={() => onChange(new Map())}>
          Clear
        </button>
      </div>
      {loadError && !value ? (
        <p className="form-error" role="alert">
          {loadError}
        </p>
      ) : value === null ? (
        <SkeletonLines count={4} />
      ) : rows.length === 0 ? (
        <p className="pick-empty">{search ? 'No secrets match that search.' : 'No secrets you can read yet — register some first.'}</p>
      ) : (
        <ul className="pick-list pick-list-scroll" aria-label="Secrets to export" aria-describedby={error ? 'export-selection-error' : undefined}>
          {rows.map((s) => (
            <li key={s.id}>
              <label className="pick-row">
                <input type="checkbox" checked={chosen.has(s.id)} disabled={disabled} onChange={(e) => toggle(s, e.target.checked)} />
                <span className="pick-main truncate" title={s.name}>
                  {s.name}
                </span>
                <span className="pick-meta truncate">{TYPE_LABELS[s.type]}</span>
                <span className="pick-meta pick-place truncate">{placeOf(s)}</span>
              </label>
            </li>
          ))}
        </ul>
      )}
      {value && (value.matched > value.items.length || hidden > 0) && (
        <p className="field-hint">
          {value.matched > value.items.length ? `Showing the first ${formatCount(value.items.length)} of ${formatCount(value.matched)}: search to find others. ` : ''}
          {hidden > 0 ? 'Organization secrets are not offered: your role may not export them.' : ''}
        </p>
      )}
    </div>
  );
}
