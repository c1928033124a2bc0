import { Copy, Eye, EyeOff, LoaderCircle, Pencil, X } from 'lucide-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { FieldView, SecretDetail } from '../../../shared/schemas/secrets';
import { TYPE_LABELS } from '../../../shared/schemas/secrets';
import { ALL_FIELDS } from '../../../shared/schemas/secret-types';
import { availabilityLabel, shownName } from '../../../shared/labels';
import { Countdown } from '../../components/Countdown';
import { ErrorNote } from '../../components/ErrorNote';
import { SkeletonLines } from '../../components/Skeleton';
import { StatusBadge } from '../../components/StatusBadge';
import { copyPlain, copyText } from '../../lib/clipboard';
import { sentence } from '../../lib/errors';
import { expiryHint, formatDate, formatDateTime, formatDay, relative, seconds } from '../../lib/format';
import { dialogOpen, hasModifier, isTypingTarget } from '../../lib/keys';
import { request } from '../../state/request';
import { useSecrets } from '../../state/secrets';
import { useSelection } from '../../state/selection';
import { useReadOnly } from '../../state/session';
import { toast } from '../../state/toasts';
import { DeletionSection } from './DeletionSection';
import { EditDialog } from './EditDialog';
import { HistoryTab } from './HistoryTab';
import { ReadersTab } from './ReadersTab';
import { UsageTab } from './UsageTab';
import { useDeletionGuard } from './useDeletionGuard';

type Tab = 'details' | 'history' | 'usage' | 'readers';
const TABS: { id: Tab; label: string }[] = [
  { id: 'details', label: 'Details' },
  { id: 'history', label: 'History' },
  { id: 'usage', label: 'Where used' },
  { id: 'readers', label: 'Who can read' },
];

/** Revealed values live here only, in this component's state: dropped on timer, on close, on lock. */
interface Revealed {
  values: Map<string, string>;
  until: number;
  total: number;
}

/** The detail of one secret: facts, masked fields with Reveal and Copy, Edit, History, Where used. */
export function DetailPanel({ id }: { id: string }) {
  const detail = useSelection((s) => (s.detail?.id === id ? s.detail : null));
  const loading = useSelection((s) => s.detailLoading);
  const error = useSelection((s) => s.detailError);
  const action = useSelection((s) => s.action);
  const close = useSelection((s) => s.close);
  const refreshDetail = useSelection((s) => s.refreshDetail);
  const reload = useSecrets((s) => s.reload);
  const readOnly = useReadOnly();
  const [tab, setTab] = useState<Tab>('details');
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const [revealing, setRevealing] = useState(false);
  const [editOpen, setEditOpen] = useState(false);
  const { guard, dialog: guardDialog } = useDeletionGuard(detail);
  const hideTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ details: null, history: null, usage: null, readers: null });

  const hide = useCallback(() => {
    if (hideTimer.current) clearTimeout(hideTimer.current);
    hideTimer.current = null;
    setRevealed(null);
  }, []);

  // Closing the panel (or locking, which unmounts it) drops every revealed value.
  useEffect(() => hide, [hide]);

  const afterUse = useCallback(() => {
    void refreshDetail();
    reload();
  }, [refreshDetail, reload]);

  const showValues = useCallback(async (): Promise<boolean> => {
    setRevealing(true);
    const r = await request('secrets.reveal', { id });
    setRevealing(false);
    if (!r.ok) {
      toast.error(sentence(r.error.message));
      return false;
    }
    const values = new Map<string, string>();
    for (const f of r.value.fields) if (f.value !== null) values.set(f.key, f.value);
    const total = r.value.hideAfterMs;
    if (hideTimer.current) clearTimeout(hideTimer.current);
    hideTimer.current = setTimeout(() => setRevealed(null), total);
    setRevealed({ values, until: Date.now() + total, total });
    afterUse();
    return true;
  }, [id, afterUse]);

  const copyValue = useCallback(
    async (field?: FieldView): Promise<boolean> => {
      const r = await request('secrets.copy', field ? { id, field: field.key } : { id });
      if (!r.ok) {
        toast.error(sentence(r.error.message));
        return false;
      }
      const { value, clearAfterMs } = r.value;
      if (value !== null) {
        try {
          await copyText(value, clearAfterMs);
        } catch {
          toast.error('The browser refused to write to the clipboard: click in the window and try again');
          return false;
        }
      }
      toast.success(`Copied — clears in ${seconds(clearAfterMs)} s`);
      afterUse();
      return true;
    },
    [id, afterUse],
  );

  const reveal = useCallback(() => {
    if (revealed) hide();
    else guard('Revealing', showValues);
  }, [revealed, hide, guard, showValues]);

  const copy = useCallback((field?: FieldView) => guard('Copying', () => copyValue(field)), [guard, copyValue]);

  // Shortcuts forwarded from the table (r, c, e while it has focus and this panel is open).
  useEffect(() => {
    if (!action) return;
    if (action.kind === 'reveal') reveal();
    else if (action.kind === 'copy') copy();
    else if (!readOnly) setEditOpen(true);
    // Only a new action (its counter) triggers; the callbacks change with state.
  }, [action]);

  function onKeyDown(e: KeyboardEvent<HTMLElement>) {
    if (hasModifier(e) || isTypingTarget(e.target) || editOpen || dialogOpen()) return;
    if (e.key === 'r') {
      e.preventDefault();
      reveal();
    } else if (e.key === 'c') {
      e.preventDefault();
      copy();
    } else if (e.key === 'e' && !readOnly) {
      e.preventDefault();
      setEditOpen(true);
    }
  }

  function onTabKey(e: KeyboardEvent<HTMLButtonElement>, index: number) {
    const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!delta && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    const next = e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : (index + delta + TABS.length) % TABS.length;
    const t = TABS[next]!.id;
    setTab(t);
    tabRefs.current[t]?.focus();
  }

  const title = detail ? shownName(detail) : 'Secret';

  return (
    <aside id="detail-panel" className="detail" aria-label={`Details of ${title}`} onKeyDown={onKeyDown} data-testid="detail-panel">
      <div className="detail-head">
        <div className="detail-title">
          <h2>{title}</h2>
          {detail && (
            <div className="detail-sub">
              <span>{TYPE_LABELS[detail.type]}</span>
              <span aria-hidden>·</span>
              <StatusBadge status={detail.status} deletion={detail.deletion} />
            </div>
          )}
        </div>
        <button type="button" className="icon-btn" aria-label="Close details" title="Close (Esc)" onClick={close}>
          <X size={18} aria-hidden />
        </button>
      </div>

      {!detail && loading && (
        <div className="tab-panel">
          <SkeletonLines count={6} />
        </div>
      )}
      {!detail && !loading && error && (
        <div className="tab-panel">
          <ErrorNote message={sentence(error)} />
        </div>
      )}

      {detail && (
        <>
          <div className="detail-actions">
            <button
              type="button"
              className="btn btn-sm reveal-btn"
              onClick={() => reveal()}
              disabled={revealing}
              aria-keyshortcuts="r"
              aria-pressed={revealed !== null}
              title={revealed ? 'Hide the values now (r)' : 'Show the values for a while (r)'}
            >
              {revealing ? <LoaderCircle size={14} className="spin" aria-hidden /> : revealed ? <EyeOff size={14} aria-hidden /> : <Eye size={14} aria-hidden />}
              {revealed ? 'Hide' : 'Reveal'}
            </button>
            <button type="button" className="btn btn-sm" onClick={() => copy()} aria-keyshortcuts="c" title="Copy the main value (c)">
              <Copy size={14} aria-hidden />
              Copy
            </button>
            {!readOnly && (
              <button type="button" className="btn btn-sm" onClick={() => setEditOpen(true)} aria-keyshortcuts="e" title="Edit (e)">
                <Pencil size={14} aria-hidden />
                Edit
              </button>
            )}
            {revealed && <Countdown until={revealed.until} total={revealed.total} />}
          </div>
          {readOnly && (
            <p className="detail-note" data-testid="read-only-reveal-note">
              Read-only review: revealing or copying records no use and no audit entry.
            </p>
          )}

          <div className="tabs" role="tablist" aria-label="Secret sections">
            {TABS.map((t, i) => (
              <button
                key={t.id}
                ref={(el) => {
                  tabRefs.current[t.id] = el;
                }}
                type="button"
                role="tab"
                id={`tab-${t.id}`}
                className="tab"
                aria-selected={tab === t.id}
                aria-controls={`panel-${t.id}`}
                tabIndex={tab === t.id ? 0 : -1}
                onClick={() => setTab(t.id)}
                onKeyDown={(e) => onTabKey(e, i)}
              >
                {t.label}
              </button>
            ))}
          </div>
          <div className="tab-panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} tabIndex={0}>
            {tab === 'details' && (
              <>
                <DetailsTab detail={detail} revealed={revealed} onCopy={copy} />
                <DeletionSection detail={detail} readOnly={readOnly} />
                <p className="shortcuts">
                  Keys: <kbd>r</kbd> reveal · <kbd>c</kbd> copy ·{' '}
                  {!readOnly && (
                    <>
                      <kbd>e</kbd> edit ·{' '}
                    </>
                  )}
                  <kbd>Esc</kbd> close
                </p>
              </>
            )}
            {tab === 'history' && <HistoryTab detail={detail} readOnly={readOnly} guard={guard} onUse={afterUse} />}
            {tab === 'usage' && <UsageTab detail={detail} />}
            {tab === 'readers' && <ReadersTab detail={detail} />}
          </div>
          {guardDialog}
          {editOpen && <EditDialog detail={detail} onClose={() => setEditOpen(false)} />}
        </>
      )}
    </aside>
  );
}

function DetailsTab({ detail, revealed, onCopy }: { detail: SecretDetail; revealed: Revealed | null; onCopy: (f: FieldView) => void }) {
  const hint = detail.expires !== null ? expiryHint(detail.expires) : null;
  return (
    <>
      <section className="section" aria-labelledby="facts-title">
        <h3 className="section-title" id="facts-title">
          Facts
        </h3>
        <dl className="facts">
          <dt>Type</dt>
          <dd>{TYPE_LABELS[detail.type]}</dd>
          <dt>Availability</dt>
          <dd>{availabilityLabel(detail)}</dd>
          <dt>Created</dt>
          <dd title={formatDateTime(detail.created)}>{formatDate(detail.created)}</dd>
          <dt>Expiration</dt>
          <dd>
            {detail.expires === null ? (
              'None'
            ) : (
              <>
                {formatDay(detail.expires)}
                {hint && <span className="hint">({hint.text})</span>}
              </>
            )}
          </dd>
          <dt>Status</dt>
          <dd>
            <StatusBadge status={detail.status} deletion={detail.deletion} />
          </dd>
          <dt>Last used</dt>
          <dd>{detail.lastUsed === null ? 'Never' : <span title={formatDateTime(detail.lastUsed)}>{relative(detail.lastUsed)}</span>}</dd>
          <dt>Revision</dt>
          <dd>
            {detail.revision}
            <span className="hint">(updated {relative(detail.updated)})</span>
          </dd>
        </dl>
      </section>
      <section className="section" aria-labelledby="fields-title">
        <h3 className="section-title" id="fields-title">
          Fields
        </h3>
        <ul className="fields">
          {detail.fields.map((f) => (
            <FieldRow key={f.key} field={f} revealedValue={revealed?.values.get(f.key)} onCopy={onCopy} />
          ))}
        </ul>
      </section>
    </>
  );
}

/** Files (a certificate, its key) are long: shown as a block. */
const FILE_FIELDS = new Set(ALL_FIELDS.filter((f) => f.kind === 'file').map((f) => f.key));

/** A field that is no secret is on the page already: copied here, it is not a use and records nothing. */
async function copyShown(label: string, value: string) {
  try {
    await copyPlain(value);
    toast.success(`Copied ${label}`);
  } catch {
    toast.error('The browser refused to write to the clipboard: click in the window and try again');
  }
}

function FieldRow({ field, revealedValue, onCopy }: { field: FieldView; revealedValue: string | undefined; onCopy: (f: FieldView) => void }) {
  const value = field.value ?? revealedValue ?? null;
  const long = FILE_FIELDS.has(field.key);
  const shown = field.value;
  const copyable = field.secret || (shown !== null && !field.date);
  const labelId = `field-label-${field.key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return (
    <li className="field-item" data-testid="secret-field" data-field={field.key}>
      <div className="field-item-head">
        <span className="field-item-label" id={labelId}>
          {field.label}
        </span>
        {copyable && (
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => (shown === null ? onCopy(field) : void copyShown(field.label, shown))}
            aria-label={`Copy ${field.label}`}
            title={`Copy ${field.label}`}
          >
            <Copy size={14} aria-hidden />
            Copy
          </button>
        )}
      </div>
      {value === null ? (
        <span className="field-value masked" aria-label={`${field.label} hidden`} role="img">
          ••••••••
        </span>
      ) : field.date ? (
        <span className="field-value field-date" title={value}>
          {formatDateTime(Date.parse(value))}
        </span>
      ) : long ? (
        <pre className="field-value block" tabIndex={0} role="region" aria-labelledby={labelId}>
          {value}
        </pre>
      ) : (
        <span className="field-value" data-revealed={field.value === null ? 'true' : undefined}>
          {value}
        </span>
      )}
    </li>
  );
}
