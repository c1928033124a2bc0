import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FixtureInfo, GeneratorOptions } from './generator';
import { buildFixture, makeCertificate } from './generator';
import { round, stats } from './measure';
import type { OpContext, OpDef, OpName, OpOutcome } from './ops';
import { OPS } from './ops';
import type { Machine } from './report';
import { machine } from './report';
import type { UiServer } from './ui';
import { appStartUnavailable, measureAppStart, measureUi, serveInProcess, uiBrowser } from './ui';
import type { ServeCommand, WorkerReply, WorkerTask } from './worker';
import { measureOp } from './worker';

export interface BenchOptions {
  sizes: number[];
  /** Runs per op; quick ops take more samples, heavy ones at most 3 at 50,000 and above. */
  runs: number;
  seed: number;
  /** Repository root: bin/coffer.js, dist/. */
  root: string;
  /** A fresh child process per core op and per vault build (true for real figures); false runs all here (tests). */
  isolate: boolean;
  /** Only these ops (default: all). */
  ops?: readonly OpName[];
  log?: (line: string) => void;
}

/** One row of the JSON's `results`: the shape other tools read. */
export interface ResultRow {
  size: number;
  op: OpName;
  medianMs: number;
  p95Ms: number;
  /** Worth reading where there are hundreds of samples (a load test); with five it is the slowest. */
  p99Ms: number;
  peakRssMb: number;
  /** Set where a rate is the natural figure (secrets/s, frames/s); null elsewhere. */
  perSecond: number | null;
  /** Set where the op's figure is not a time (file-size: bytes per secret; vs-keepassxc: a ratio), with its unit; null elsewhere. */
  value: number | null;
  unit: string | null;
}

export interface Details {
  settings: { sizes: number[]; runs: number; seed: number; isolate: boolean; startedAt: string; durationS: number; loadAtEnd: number };
  fixtures: FixtureInfo[];
  /** Not measured, with why: reported in the table, never in `results`. */
  skipped: { size: number; op: OpName; reason: string }[];
  failed: { size: number; op: OpName; error: string }[];
  notes: { size: number; op: OpName; samples: number; note: string }[];
}

export interface Report {
  machine: Machine;
  results: ResultRow[];
  details: Details;
}

/** Runs a task in a fresh child (dist/scripts/bench/worker.js) and returns its one answer. */
function inChild<T>(task: WorkerTask): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'worker.js'), [], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    let answered = false;
    child.once('message', (r: WorkerReply) => {
      answered = true;
      if (r.ok) resolve(r.value as T);
      else reject(new Error(r.error));
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (!answered) reject(new Error(`bench worker for ${task.task} died (${signal ?? `exit ${code}`})`));
    });
    child.send(task);
  });
}

/** Browser mode served from a child process, so its peak RSS is the core's and the door's alone. */
async function serveInChild(vaultPath: string, root: string): Promise<UiServer> {
  const child: ChildProcess = fork(join(__dirname, 'worker.js'), [], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
  const ask = <T>(msg: WorkerTask | ServeCommand): Promise<T> =>
    new Promise((resolve, reject) => {
      const onExit = () => reject(new Error('the browser-mode child exited'));
      child.once('exit', onExit);
      child.once('message', (r: WorkerReply) => {
        child.off('exit', onExit);
        if (r.ok) resolve(r.value as T);
        else reject(new Error(r.error));
      });
      child.send(msg);
    });
  const url = await ask<string>({ task: 'serve', vaultPath, root });
  return {
    url,
    lock: () => ask<boolean>({ cmd: 'lock' }).then(() => undefined),
    stop: () => ask<number>({ cmd: 'stop' }),
  };
}

/** Above this size, ops marked heavy run only when --ops names them (docs/benchmark.md, "The million"). */
export const HEAVY_ABOVE = 100_000;

const errorText = (e: unknown) => (e instanceof Error ? e.message.split('\n')[0]! : String(e));

export async function runBenchmark(opts: BenchOptions): Promise<Report> {
  const log = opts.log ?? (() => undefined);
  const started = Date.now();
  const browser = await uiBrowser(opts.root);
  const host = machine('unavailable' in browser ? null : browser);
  const wanted = (op: OpName) => !opts.ops || opts.ops.includes(op);
  const skipHere = (def: OpDef, size: number): string | undefined => {
    if (!('measure' in def)) return undefined;
    if (def.heavy && size > HEAVY_ABOVE && !opts.ops?.includes(def.op))
      return `minutes per run above ${HEAVY_ABOVE.toLocaleString('en-US')} and no target there: name it in --ops to run it`;
    return def.unavailableHere?.();
  };
  const results: ResultRow[] = [];
  const details: Details = {
    settings: { sizes: opts.sizes, runs: opts.runs, seed: opts.seed, isolate: opts.isolate, startedAt: new Date(started).toISOString(), durationS: 0, loadAtEnd: 0 },
    fixtures: [],
    skipped: [],
    failed: [],
    notes: [],
  };

  const cert = await makeCertificate();
  const work = mkdtempSync(join(tmpdir(), 'coffer-bench-'));

  const record = (size: number, op: OpName, out: OpOutcome) => {
    const s = stats(out.samples);
    const row: ResultRow = {
      size,
      op,
      medianMs: round(s.medianMs, 3),
      p95Ms: round(s.p95Ms, 3),
      p99Ms: round(s.p99Ms, 3),
      peakRssMb: round(out.peakRssMb ?? Number.NaN, 1),
      perSecond: out.perSecond === undefined ? null : round(out.perSecond, 1),
      value: out.value ? round(out.value.amount, 1) : null,
      unit: out.value?.unit ?? null,
    };
    results.push(row);
    if (out.note) details.notes.push({ size, op, samples: s.n, note: out.note });
    log(`  ${op}: median ${row.medianMs} ms, p95 ${row.p95Ms} ms, peak RSS ${row.peakRssMb} MB${row.perSecond === null ? '' : `, ${row.perSecond}/s`}${row.value === null ? '' : `, ${row.value} ${row.unit}`}`);
  };
  const fail = (size: number, op: OpName, e: unknown) => {
    details.failed.push({ size, op, error: errorText(e) });
    log(`  ${op}: FAILED ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  };

  try {
    for (const size of opts.sizes) {
      const dir = join(work, `size-${size}`);
      mkdirSync(dir, { recursive: true });
      const gen: GeneratorOptions = { seed: opts.seed, cert };
      const build = (path: string, g: GeneratorOptions) =>
        opts.isolate ? inChild<FixtureInfo>({ task: 'fixture', path, size, gen: g }) : buildFixture(path, size, g);
      log(`size ${size}: building the vault`);
      const fixturePath = join(dir, 'bench.coffer');
      const info = await build(fixturePath, gen);
      details.fixtures.push(info);
      log(`  built in ${Math.round(info.buildMs)} ms, ${round(info.fileMb, 1)} MB, ${JSON.stringify(info.byStatus)}, ${info.auditEntries} audit entries`);
      const ctx = (op: OpName): OpContext => {
        const workDir = join(dir, op);
        mkdirSync(workDir, { recursive: true });
        return { size, runs: opts.runs, seed: opts.seed, cert, fixturePath, workDir, root: opts.root };
      };

      for (const def of OPS) {
        if (!wanted(def.op)) continue;
        if ('unavailable' in def) {
          details.skipped.push({ size, op: def.op, reason: def.unavailable });
          continue;
        }
        if (!('measure' in def)) continue;
        const why = skipHere(def, size);
        if (why) {
          details.skipped.push({ size, op: def.op, reason: why });
          continue;
        }
        try {
          const out = def.kind === 'core' && opts.isolate ? await inChild<OpOutcome>({ task: 'op', op: def.op, ctx: ctx(def.op) }) : await measureOp(def.op, ctx(def.op));
          record(size, def.op, out);
        } catch (e) {
          fail(size, def.op, e);
        }
      }

      const uiOps = OPS.filter((d) => d.kind === 'ui' && wanted(d.op) && !('unavailable' in d)).map((d) => d.op);
      if (uiOps.length > 0 && 'unavailable' in browser) {
        for (const op of uiOps) details.skipped.push({ size, op, reason: browser.unavailable });
      } else if (uiOps.length > 0 && 'path' in browser) {
        // Its Account Holder lands on Review (its figures over every secret), then Personal holds every secret: the scroll pass has all N rows.
        log(`size ${size}: building the browser-mode vault (all personal)`);
        const uiPath = join(dir, 'ui.coffer');
        const tableOps = uiOps.filter((op) => op !== 'app-start');
        let built = false;
        try {
          await build(uiPath, { ...gen, allPersonal: true });
          built = true;
        } catch (e) {
          for (const op of uiOps) fail(size, op, e);
        }
        const noStart = built && uiOps.includes('app-start') ? appStartUnavailable(opts.root) : undefined;
        if (noStart) details.skipped.push({ size, op: 'app-start', reason: noStart });
        else if (built && uiOps.includes('app-start')) {
          try {
            record(size, 'app-start', await measureAppStart(opts.root, uiPath, browser, opts.runs));
          } catch (e) {
            fail(size, 'app-start', e);
          }
        }
        let server: UiServer | undefined;
        if (built && tableOps.length > 0) {
          try {
            server = opts.isolate ? await serveInChild(uiPath, opts.root) : await serveInProcess(uiPath, opts.root);
            const out = await measureUi(server, browser, { size, runs: opts.runs });
            const rss = await server.stop();
            server = undefined;
            if (tableOps.includes('ui-unlock-to-table')) record(size, 'ui-unlock-to-table', { ...out.unlock, peakRssMb: rss });
            if (tableOps.includes('ui-scroll-frame')) record(size, 'ui-scroll-frame', { ...out.scroll, peakRssMb: rss });
          } catch (e) {
            for (const op of tableOps) fail(size, op, e);
          } finally {
            await server?.stop().catch(() => undefined);
          }
        }
      }
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  details.settings.durationS = Math.round((Date.now() - started) / 1000);
  details.settings.loadAtEnd = Math.round(loadavg()[0]! * 100) / 100;
  return { machine: host, results, details };
}
