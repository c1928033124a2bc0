import type { ReviewReport } from '../../../../shared/schemas/review';
import { reportHtml } from './html';
import { reportJson } from './json';
import { reportMarkdown } from './markdown';

export const REPORT_FORMATS = ['html', 'md', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const RENDER: Record<ReportFormat, (r: ReviewReport) => string> = { html: reportHtml, md: reportMarkdown, json: reportJson };

export function renderReport(format: ReportFormat, r: ReviewReport): string {
  return RENDER[format](r);
}
