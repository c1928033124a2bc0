import type { ReportFormat, ReviewReport } from '../../../../shared/schemas/review';
import { reportHtml } from './html';
import { reportJson } from './json';
import { reportMarkdown } from './markdown';

export { REPORT_FORMATS } from '../../../../shared/schemas/review';
export type { ReportFormat } from '../../../../shared/schemas/review';

const RENDER: Record<ReportFormat, (r: ReviewReport) => string> = { html: reportHtml, md: reportMarkdown, json: reportJson };

export function renderReport(format: ReportFormat, r: ReviewReport): string {
  return RENDER[format](r);
}
