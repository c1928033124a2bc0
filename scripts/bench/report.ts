import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem, type, release, arch } from 'node:os';
import type { OpName } from './ops';
import { OP_NAMES } from './ops';
import type { Report, ResultRow } from './runner';
import type { FoundChromium } from '../chromium';
import { chromiumVersion } from '../chromium';

export interface Machine {
  cpu: string;
  cores: number;
  availableParallelism: number;
  memoryGb: number;
  node: string;
  os: string;
  chromium: string | null;
  /** 1-minute load average when the run started: other work on the machine skews every figure. */
  loadAtStart: number;
}

function distro(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? '';
  } catch {
    return '';
  }
}

export function machine(browser: FoundChromium | null): Machine {
  const cpu = cpus();
  const d = distro();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    availableParallelism: availableParallelism(),
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${type()} ${release()} ${arch()}${d ? ` (${d})` : ''}`,
    chromium: browser && chromiumVersion(browser),
    loadAtStart: Math.round(loadavg()[0]! * 100) / 100,
  };
}

/** The issue's targets, for 100,000 secrets on the 2-core reference machine. */
export const TARGET_SIZE = 100_000;

interface Target {
  text: string;
  met(row: ResultRow): boolean;
}

const medianAtMost = (ms: number): Target => ({ text: `median ≤ ${ms} ms`, met: (r) => r.medianMs <= ms });
const p95AtMost = (ms: number): Target => ({ text: `p95 ≤ ${ms} ms`, met: (r) => r.p95Ms <= ms });
const p99AtMost = (ms: number): Target => ({ text: `p99 ≤ ${ms} ms`, met: (r) => r.p99Ms <= ms });
const rssAtMost = (mb: number): Target => ({ text: `RSS ≤ ${mb} MB`, met: (r) => r.peakRssMb <= mb });
const rateAtLeast = (n: number): Target => ({ text: `≥ ${n.toLocaleString('en-US')}/s`, met: (r) => (r.perSecond ?? 0) >= n });
/** "Peak RSS of the core with the vault unlocked ≤ 250 MB": every op measured on an unlocked vault. */
const unlockedRss = rssAtMost(250);

export const TARGETS: Partial<Record<OpName, Target[]>> = {
  'unlock-minus-kdf': [medianAtMost(250), unlockedRss],
  'first-page-name': [medianAtMost(20), unlockedRss],
  'first-page-expiry': [unlockedRss],
  'filter-status': [unlockedRss],
  search: [p95AtMost(5), unlockedRss],
  get: [medianAtMost(2), unlockedRss],
  create: [medianAtMost(5), unlockedRss],
  edit: [unlockedRss],
  'bulk-import': [rateAtLeast(20_000)],
  'scheduler-pass': [medianAtMost(200)],
  dashboard: [medianAtMost(50), unlockedRss],
  'bundle-export': [medianAtMost(3000), rssAtMost(300)],
  'bundle-import': [medianAtMost(3000), rssAtMost(300)],
  'member-remove': [medianAtMost(10_000)],
  'cli-get': [medianAtMost(300)],
  'report-html': [medianAtMost(3000)],
  'credential-get': [medianAtMost(300)],
  'import-keepass-xml': [medianAtMost(5000), rssAtMost(400)],
  'rest-load': [rateAtLeast(2000), p99AtMost(50)],
  'ui-unlock-to-table': [medianAtMost(1000), unlockedRss],
  'ui-scroll-frame': [p95AtMost(20)],
};

/** "met"/"MISSED" per target, for rows at TARGET_SIZE; empty elsewhere. */
export function verdict(row: ResultRow): string {
  if (row.size !== TARGET_SIZE) return '';
  return (TARGETS[row.op] ?? []).map((t) => `${t.met(row) ? 'met' : 'MISSED'}: ${t.text}`).join('; ');
}

const num = (x: number | null, digits: number) =>
  x === null || !Number.isFinite(x) ? '-' : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(header: string[], rows: string[][], right: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatReport(report: Report): string {
  const m = report.machine;
  const out: string[] = [];
  out.push(`Coffer benchmark — ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node}, ${m.os}`);
  out.push(`runs ${report.details.settings.runs}, seed ${report.details.settings.seed}, load average ${m.loadAtStart} at start and ${report.details.settings.loadAtEnd} at the end, took ${report.details.settings.durationS} s`);
  for (const f of report.details.fixtures) {
    const st = f.byStatus;
    out.push(
      `vault of ${f.size.toLocaleString('en-US')}: built in ${(f.buildMs / 1000).toFixed(1)} s, ${f.fileMb.toFixed(1)} MB; ` +
        `${st.active} active, ${st.inactive} inactive, ${st.scheduled} scheduled; ${f.auditEntries} audit entries, ${f.notices} notices`,
    );
  }
  out.push('');
  const order = (r: ResultRow) => r.size * 100 + OP_NAMES.indexOf(r.op);
  const rows = [...report.results].sort((a, b) => order(a) - order(b));
  const sizes = [...new Set(report.results.map((r) => r.size).concat(report.details.skipped.map((s) => s.size)))].sort((a, b) => a - b);
  const cells: string[][] = [];
  for (const size of sizes) {
    for (const op of OP_NAMES) {
      const r = rows.find((x) => x.size === size && x.op === op);
      const skipped = report.details.skipped.find((x) => x.size === size && x.op === op);
      const failed = report.details.failed.find((x) => x.size === size && x.op === op);
      if (r) {
        cells.push([size.toLocaleString('en-US'), op, num(r.medianMs, 2), num(r.p95Ms, 2), num(r.peakRssMb, 0), num(r.perSecond, 0), verdict(r)]);
      } else if (skipped) cells.push([size.toLocaleString('en-US'), op, '', '', '', '', `skipped: ${skipped.reason}`]);
      else if (failed) cells.push([size.toLocaleString('en-US'), op, '', '', '', '', `FAILED: ${failed.error}`]);
    }
  }
  out.push(table(['size', 'op', 'median ms', 'p95 ms', 'peak RSS MB', 'per s', `target at ${TARGET_SIZE.toLocaleString('en-US')}`], cells, [true, false, true, true, true, true, false]));
  const largest = sizes[sizes.length - 1];
  const notes = report.details.notes.filter((n) => n.size === largest);
  if (notes.length > 0) {
    out.push('', `What each op measured (size ${largest?.toLocaleString('en-US')}):`);
    for (const n of notes) out.push(`  ${n.op} (${n.samples} samples): ${n.note}`);
  }
  return out.join('\n');
}
