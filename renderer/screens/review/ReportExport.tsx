import { Download, LoaderCircle } from 'lucide-react';
import { useState } from 'react';
import type { ReportFormat } from '../../../shared/schemas/review';
import { deliverAndSay } from '../../lib/delivery';
import { sentence } from '../../lib/errors';
import { request } from '../../state/request';
import { toast } from '../../state/toasts';

const FORMAT_LABELS: Record<ReportFormat, string> = { html: 'HTML page', md: 'Markdown', json: 'JSON' };

/**
 * "Export review report": the same report `coffer report` writes, one row per secret and never a
 * value, saved through the desktop's dialog or the browser's downloads.
 */
export function ReportExport() {
  const [format, setFormat] = useState<ReportFormat>('html');
  const [busy, setBusy] = useState(false);

  async function exportReport() {
    setBusy(true);
    const r = await request('review.report', { format });
    if (!r.ok) {
      setBusy(false);
      toast.error(sentence(r.error.message));
      return;
    }
    const { secrets } = r.value;
    await deliverAndSay(r.value, `The review report of ${secrets} ${secrets === 1 ? 'secret' : 'secrets'}`);
    setBusy(false);
  }

  return (
    <div className="dash-report" role="group" aria-label="Export review report">
      <label htmlFor="report-format" className="dash-report-label">
        Report as
      </label>
      <select id="report-format" className="select input-compact" value={format} disabled={busy} onChange={(e) => setFormat(e.target.value as ReportFormat)}>
        {(Object.keys(FORMAT_LABELS) as ReportFormat[]).map((f) => (
          <option key={f} value={f}>
            {FORMAT_LABELS[f]}
          </option>
        ))}
      </select>
      <button type="button" className="btn" disabled={busy} onClick={() => void exportReport()} data-testid="report-export">
        {busy ? <LoaderCircle size={16} className="spin" aria-hidden /> : <Download size={16} aria-hidden />}
        {busy ? 'Exporting…' : 'Export review report'}
      </button>
    </div>
  );
}
