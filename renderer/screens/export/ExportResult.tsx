import { CircleCheck, CircleAlert } from 'lucide-react';
import { useEffect, useRef } from 'react';
import type { ExportedBundle } from '../../../shared/schemas/bundle-export';
import type { Delivery } from '../../lib/delivery';
import { formatCount } from '../../lib/format';

export function formatBytes(n: number): string {
  if (n < 1024) return `${formatCount(n)} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The finished export: where the file went, what it holds, who signed it (the fingerprint a receiver compares) and who can open it. */
export function ExportResult({ bundle, delivery, onAgain }: { bundle: ExportedBundle; delivery: Delivery; onAgain: () => void }) {
  const headRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headRef.current?.focus(), []);
  const ok = delivery.kind === 'downloaded' || delivery.kind === 'saved';
  return (
    <section className="panel" aria-labelledby="export-done-title" data-testid="export-result">
      <div className="panel-head">
        <h2 id="export-done-title" ref={headRef} tabIndex={-1} className={`result-title ${ok ? 'is-ok' : 'is-off'}`}>
          {ok ? <CircleCheck size={18} aria-hidden /> : <CircleAlert size={18} aria-hidden />}
          {ok ? 'Bundle exported' : delivery.kind === 'cancelled' ? 'Bundle not saved' : 'Bundle not downloaded'}
        </h2>
        <p role="status">
          {delivery.kind === 'downloaded' && 'Your browser saved it with your other downloads.'}
          {delivery.kind === 'saved' && 'Saved where you chose.'}
          {delivery.kind === 'cancelled' && 'You closed the save dialog, so the file was discarded. Export again to make a new one.'}
          {delivery.kind === 'failed' && `${delivery.message} The file was discarded: export again to make a new one.`}
        </p>
      </div>
      <dl className="about export-facts">
        <dt>File</dt>
        <dd className="mono" data-testid="export-file">
          {delivery.kind === 'saved' ? delivery.path : bundle.fileName}
        </dd>
        <dt>Holds</dt>
        <dd data-testid="export-items">
          {formatCount(bundle.items)} {bundle.items === 1 ? 'secret' : 'secrets'} · {bundle.selection}
        </dd>
        <dt>Size</dt>
        <dd>{formatBytes(bundle.bytes)}</dd>
        <dt>Signed by</dt>
        <dd>
          {bundle.signer.name}
          <span className="fingerprint mono" data-testid="signer-fingerprint">
            {bundle.signer.fingerprint}
          </span>
          <span className="field-hint">Tell the receiver this fingerprint another way (a call, a chat): they compare it before importing.</span>
        </dd>
        <dt>Opens with</dt>
        <dd>
          <ul className="plain-list" data-testid="export-recipients">
            {bundle.recipients.map((r) =>
              r.kind === 'member' ? (
                <li key={r.fingerprint}>
                  {r.name.startsWith('credential:') ? `Service credential ${r.name.slice('credential:'.length)}` : r.name}{' '}
                  <span className="mono muted">{r.fingerprint}</span>
                </li>
              ) : (
                <li key="passphrase">The passphrase (Argon2id{r.kdfProfile === 'fast' ? ', fast test profile' : ''})</li>
              ),
            )}
          </ul>
        </dd>
      </dl>
      <div className="panel-foot">
        <button type="button" className="btn btn-primary" onClick={onAgain}>
          New export
        </button>
      </div>
    </section>
  );
}
