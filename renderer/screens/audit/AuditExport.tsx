import { Download, LoaderCircle } from 'lucide-react';
import { useState } from 'react';
import type { Input } from '../../../shared/ipc';
import type { AuditFormat } from '../../../shared/schemas/lifecycle';
import { AUDIT_FORMATS } from '../../../shared/schemas/lifecycle';
import { deliverAndSay } from '../../lib/delivery';
import { sentence } from '../../lib/errors';
import { request } from '../../state/request';
import { toast } from '../../state/toasts';

type Query = Omit<Input<'audit.export'>, 'format'>;

const FORMAT_LABELS: Record<AuditFormat, string> = { csv: 'CSV', json: 'JSON' };

/**
 * "Export": the entries the screen's filters select (up to 10,000, newest first), with the names
 * the reader knows, as CSV for a spreadsheet or JSON for a program; never a value.
 */
export function AuditExport({ query, disabled }: { query: Query; disabled: boolean }) {
  const [format, setFormat] = useState<AuditFormat>('csv');
  const [busy, setBusy] = useState(false);

  async function exportEntries() {
    setBusy(true);
    const r = await request('audit.export', { ...query, format });
    if (!r.ok) {
      setBusy(false);
      toast.error(sentence(r.error.message));
      return;
    }
    const { entries } = r.value;
    await deliverAndSay(r.value, `${entries} audit ${entries === 1 ? 'entry' : 'entries'}`);
    setBusy(false);
  }

  return (
    <div className="audit-export" role="group" aria-label="Export the entries these filters select">
      <label htmlFor="audit-export-format" className="visually-hidden">
        Export format
      </label>
      <select id="audit-export-format" className="select input-compact" value={format} disabled={busy} onChange={(e) => setFormat(e.target.value as AuditFormat)}>
        {AUDIT_FORMATS.map((f) => (
          <option key={f} value={f}>
            {FORMAT_LABELS[f]}
          </option>
        ))}
      </select>
      <button type="button" className="btn" disabled={busy || disabled} onClick={() => void exportEntries()} data-testid="audit-export">
        {busy ? <LoaderCircle size={16} className="spin" aria-hidden /> : <Download size={16} aria-hidden />}
        {busy ? 'Exporting…' : 'Export'}
      </button>
    </div>
  );
}
