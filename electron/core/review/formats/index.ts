import type { ReportFormat, ReviewReport } from '../../../../shared/schemas/review';
import { reportHtml } from './html';
import { reportJson } from './json';
import { reportMarkdown } from './markdown';

export { REPORT_FORMATS } from '../../../../shared/schemas/review';
export type { ReportFormat } from '../../../../shared/schemas/review';

const RENDER: Record<ReportFormat, (r: ReviewReport) => Iterable<string>> = { html: reportHtml, md: reportMarkdown, json: reportJson };

/** The report's text in parts, in order: written as they come, a big report is never held whole (electron/core/chunks.ts). */
export function reportParts(format: ReportFormat, r: ReviewReport): Iterable<string> {
  return RENDER[format](r);
}
