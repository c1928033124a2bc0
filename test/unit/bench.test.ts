import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { itemAt, items } from '../../scripts/bench/generator';
import { parseArgs, repoRoot } from '../../scripts/bench/index';
import { median, percentile } from '../../scripts/bench/measure';
import { OP_NAMES, OPS } from '../../scripts/bench/ops';
import { formatReport, growth, verdict } from '../../scripts/bench/report';
import type { Report, ResultRow } from '../../scripts/bench/runner';
import { runBenchmark } from '../../scripts/bench/runner';

/** The benchmark's own code at 100 secrets, in this process: every op it can measure here, once. */
describe('benchmark (npm run bench) at 100 secrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-bench-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('generates the same vault for the same seed, all five types, names of realistic length', () => {
    const gen = { seed: 7, cert: { pemBase64: 'AA==', keyBase64: 'AA==' } };
    const a = items(0, 400, gen);
    expect(items(0, 400, gen)).toEqual(a);
    expect(itemAt(123, gen)).toEqual(a[123]);
    expect(new Set(a.map((x) => x.type))).toEqual(new Set(['api-key', 'bearer-token', 'client-credentials', 'certificate', 'key-value']));
    expect(new Set(a.map((x) => x.input.level))).toEqual(new Set(['personal', 'workspace', 'organization']));
    expect(new Set(a.map((x) => x.name)).size).toBe(a.length);
    const lengths = a.map((x) => x.name.length);
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(12);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(60);
    expect(new Set(a.map((x) => x.status))).toEqual(new Set(['active', 'inactive', 'scheduled']));
  });

  it('parses its options and computes median and nearest-rank p95', () => {
    expect(parseArgs(['--quick']).options.sizes).toEqual([1000, 10_000]);
    expect(parseArgs(['--sizes', '1000,100_000', '--runs', '3', '--out', 'x.json'])).toMatchObject({ options: { sizes: [1000, 100_000], runs: 3 }, out: 'x.json' });
    expect(() => parseArgs(['--ops', 'nope'])).toThrow(/unknown op/);
    expect(median([3, 1, 2, 4])).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5], 95)).toBe(5);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 95)).toBe(95);
  });

  it('judges each target at its own size and says how costs grew between sizes 10× apart', () => {
    const row = (op: ResultRow['op'], size: number, medianMs: number, extra: Partial<ResultRow> = {}): ResultRow => ({
      size, op, medianMs, p95Ms: medianMs, p99Ms: medianMs, peakRssMb: 100, perSecond: null, value: null, unit: null, ...extra,
    });
    expect(verdict(row('cli-get', 100_000, 250))).toBe('MISSED: median ≤ 180 ms');
    expect(verdict(row('cli-get', 1_000_000, 250))).toBe('met: median ≤ 300 ms');
    expect(verdict(row('cli-get', 10_000, 250))).toBe('');
    expect(verdict(row('file-size', 1_000_000, 1, { value: 380, unit: 'B/secret' }))).toBe('met: ≤ 400 B/secret');
    expect(verdict(row('file-size', 100_000, 1, { value: 380, unit: 'B/secret' }))).toBe('');
    const grown = growth([
      row('search', 100_000, 2), row('search', 1_000_000, 8),
      row('bulk-import', 100_000, 4000), row('bulk-import', 1_000_000, 42_000),
      row('first-page-name', 100_000, 4), row('first-page-name', 1_000_000, 40),
      row('scheduler-pass', 100_000, 80), row('scheduler-pass', 1_000_000, 2400),
      row('file-size', 100_000, 1, { value: 500 }), row('file-size', 1_000_000, 1, { value: 450 }),
      row('get', 10_000, 1),
    ]);
    const by = Object.fromEntries(grown.map((g) => [g.op, g]));
    expect(by.search).toMatchObject({ verdict: 'sub-linear', met: true });
    expect(by['bulk-import']).toMatchObject({ verdict: 'linear', met: true });
    expect(by['first-page-name']).toMatchObject({ verdict: 'linear', met: false });
    expect(by['scheduler-pass']).toMatchObject({ verdict: 'super-linear', met: false });
    expect(by['file-size']).toMatchObject({ verdict: 'linear', ratio: 9 });
    expect(by.get).toBeUndefined();
  });

  it('measures every available op and writes the JSON other tools read', { timeout: 180_000 }, async () => {
    const report = await runBenchmark({ sizes: [100], runs: 1, seed: 42, root: repoRoot(__dirname), isolate: false });
    const out = join(dir, 'bench-results.json');
    writeFileSync(out, JSON.stringify(report));
    const json = JSON.parse(readFileSync(out, 'utf8')) as Report;

    expect(json.details.failed).toEqual([]);
    expect(Object.keys(json.machine)).toEqual(expect.arrayContaining(['cpu', 'cores', 'memoryGb', 'node', 'os']));
    expect(json.machine.cores).toBeGreaterThan(0);
    const skipped = new Set(json.details.skipped.map((s) => s.op));
    for (const s of json.details.skipped) expect(s.reason).toMatch(/\S/);
    for (const r of json.results) {
      expect(Object.keys(r).sort()).toEqual(['medianMs', 'op', 'p95Ms', 'p99Ms', 'peakRssMb', 'perSecond', 'size', 'unit', 'value']);
      expect(r.size).toBe(100);
      expect(OP_NAMES).toContain(r.op);
      expect(skipped.has(r.op)).toBe(false);
      for (const v of [r.medianMs, r.p95Ms, r.peakRssMb]) {
        expect(Number.isFinite(v)).toBe(true);
        expect(v).toBeGreaterThan(0);
      }
      expect(r.p95Ms).toBeGreaterThanOrEqual(r.medianMs);
      if (r.perSecond !== null) expect(r.perSecond).toBeGreaterThan(0);
    }
    // Every op is either measured or skipped with its reason; ops the product lacks are never faked.
    for (const op of OP_NAMES) expect(json.results.some((r) => r.op === op) || skipped.has(op)).toBe(true);
    for (const def of OPS) if ('unavailable' in def) expect(json.results.some((r) => r.op === def.op)).toBe(false);
    for (const op of ['file-size', 'kdf-fast', 'unlock-minus-kdf', 'first-page-name', 'search', 'get', 'create', 'edit', 'bulk-import', 'bundle-export', 'bundle-import', 'member-remove', 'cli-get', 'cli-search', 'credential-get', 'import-keepass-xml', 'rest-load'] as const) {
      expect(json.results.map((r) => r.op)).toContain(op);
    }
    expect(json.results.find((r) => r.op === 'bulk-import')?.perSecond).toBeGreaterThan(0);
    // The whole file over the secrets: a vault of 100 carries its structure, so well above the 400 B target of a million.
    expect(json.results.find((r) => r.op === 'file-size')).toMatchObject({ unit: 'B/secret', value: expect.any(Number) });
    expect(json.results.find((r) => r.op === 'file-size')!.value).toBeGreaterThan(400);
    const versus = json.results.find((r) => r.op === 'vs-keepassxc');
    if (versus) expect(versus.value).toBeGreaterThan(0);
    else expect(json.details.skipped.find((s) => s.op === 'vs-keepassxc')?.reason).toMatch(/keepassxc-cli not installed|not built/);

    const text = formatReport(json);
    expect(text).toMatch(/unlock-minus-kdf/);
    // Skipped ops are listed with their reason (the UI ops where Chromium is missing).
    if (json.details.skipped.length) expect(text).toMatch(/skipped: /);
  });
});
