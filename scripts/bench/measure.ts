/** Timing and memory: warm-up, runs, median and p95, peak RSS. */

export interface Plan {
  /** Unmeasured runs first (JIT, caches, the WASM heap). */
  warmup: number;
  runs: number;
  /**
   * Collect garbage before each run, untimed (when the process runs with --expose-gc): for ops that
   * leave a large heap behind, so one run's garbage is not paid in the next.
   */
  gc?: boolean;
}

const collect = (globalThis as { gc?: () => void }).gc;

export interface Stats {
  medianMs: number;
  p95Ms: number;
  p99Ms: number;
  n: number;
}

export const now = (): number => performance.now();

/** Runs `fn` `plan.warmup` times unmeasured, then `plan.runs` times; each call returns its own sample in ms. */
export async function repeat(plan: Plan, fn: (run: number) => number | Promise<number>): Promise<number[]> {
  for (let i = 0; i < plan.warmup; i++) {
    if (plan.gc) collect?.();
    await fn(-1 - i);
  }
  const samples: number[] = [];
  for (let i = 0; i < plan.runs; i++) {
    if (plan.gc) collect?.();
    samples.push(await fn(i));
  }
  return samples;
}

/** Times `fn` alone. */
export async function timed(fn: () => unknown): Promise<number> {
  const t0 = now();
  await fn();
  return now() - t0;
}

export function timedSync(fn: () => unknown): number {
  const t0 = now();
  fn();
  return now() - t0;
}

/** Nearest-rank percentile: with 5 samples the p95 is the slowest one. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function stats(samples: readonly number[]): Stats {
  return { medianMs: median(samples), p95Ms: percentile(samples, 95), p99Ms: percentile(samples, 99), n: samples.length };
}

/** This process's peak resident set so far (getrusage maxrss), in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export const round = (x: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/**
 * The environment of a Coffer process the benchmark starts: the runner's, without what would change
 * what Coffer does (`COFFER_*`, `NODE_OPTIONS`, and npm's own variables where npm starts it), and
 * with a data folder of its own under `dataDir`. Otherwise every command measured reads and rewrites
 * the runner's record of the vaults it has opened (audit-heads.json, one entry per vault ever opened:
 * 123 KB and ~15 ms a command on the machine of docs/benchmark.md after its tests and runs).
 */
export function childEnv(dataDir: string, { npm = false } = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('COFFER_') && k !== 'NODE_OPTIONS' && !(npm && k.startsWith('npm_'))) env[k] = v;
  env.XDG_DATA_HOME = dataDir;
  return env;
}
