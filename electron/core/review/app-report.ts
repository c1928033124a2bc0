import type { ReportFile } from '../../../shared/schemas/review';
import { reportFileInput } from '../../../shared/schemas/review';
import { parseInput } from '../../../shared/validation';
import { slug } from '../bundles/app-export';
import type { Outbox } from '../bundles/outbox';
import { isoDay } from '../lifecycle/clock';
import type { Session } from '../vault/session';
import { reportParts } from './formats';
import { reviewReport } from './report';

/**
 * "Export review report" on the app's Review screen: the same report `coffer report` writes,
 * left in the core's outbox for the door to deliver (shared/ipc.ts trait `download`).
 */
export function reportToOutbox(s: Session, outbox: Outbox, raw: unknown): ReportFile {
  const { format } = parseInput(reportFileInput, raw);
  const report = reviewReport(s);
  const now = s.ctx.clock.now();
  const fileName = `${slug(report.organization, 40) || 'coffer'}-review-${isoDay(now)}.${format}`;
  const id = s.ctx.random.uuid();
  const bytes = outbox.offerText(id, fileName, reportParts(format, report), now);
  return { fileName, format, secrets: report.secrets.length, bytes, downloadId: id, savedTo: null };
}
