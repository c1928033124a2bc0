/**
 * `npm run bench -- [--sizes 1000,10000,100000] [--quick] [--runs N] [--out FILE] [--ops a,b] [--seed N] [--in-process]`
 * (`--sizes 1000000` runs the million: docs/benchmark.md, "The million").
 *
 * Builds deterministic vaults per size in temp folders, measures every op (README: Benchmark),
 * prints a table and writes the JSON other tools read.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { OpName } from './ops';
import { OP_NAMES } from './ops';
import { formatReport } from './report';
import type { BenchOptions } from './runner';
import { runBenchmark } from './runner';

export const DEFAULT_SIZES = [1000, 10_000, 100_000];
export const QUICK_SIZES = [1000, 10_000];

const USAGE = `usage: npm run bench -- [--sizes 1000,10000,100000] [--quick] [--runs N] [--out FILE] [--ops OP,OP] [--seed N] [--in-process]
  --quick       only 1,000 and 10,000 (development, CI)
  --runs N      measured runs per op (default 5; quick ops take more samples, heavy ones at most 3 at 100,000)
  --out FILE    write the JSON report there
  --ops LIST    only these ops: ${OP_NAMES.join(', ')}
                (above 100,000, the heavy ops without a target there run only when named here)
  --in-process  measure everything in this process (no child per op: peak RSS is then the whole run's)`;

export interface CliArgs {
  options: Omit<BenchOptions, 'root' | 'log'>;
  out: string | undefined;
}

class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): CliArgs {
  let sizes = DEFAULT_SIZES;
  let runs = 5;
  let seed = 42;
  let out: string | undefined;
  let ops: OpName[] | undefined;
  let isolate = true;
  const value = (i: number, flag: string) => {
    const v = argv[i];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  const positive = (v: string, flag: string) => {
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`${flag} takes whole numbers from 1`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--sizes') sizes = value(++i, a).split(',').map((s) => positive(s.trim().replace(/_/g, ''), a));
    else if (a === '--quick') sizes = QUICK_SIZES;
    else if (a === '--runs') runs = positive(value(++i, a), a);
    else if (a === '--seed') seed = positive(value(++i, a), a);
    else if (a === '--out') out = value(++i, a);
    else if (a === '--in-process') isolate = false;
    else if (a === '--ops') {
      ops = value(++i, a).split(',').map((o) => o.trim()) as OpName[];
      const unknown = ops.filter((o) => !OP_NAMES.includes(o));
      if (unknown.length) throw new UsageError(`unknown op ${unknown.join(', ')}`);
    } else if (a === '--help' || a === '-h') throw new UsageError('');
    else throw new UsageError(`unknown option ${a}`);
  }
  return { options: { sizes, runs, seed, isolate, ops }, out };
}

/** The repository root: the folder holding bin/coffer.js, above this file in scripts/ or dist/scripts/. */
export function repoRoot(from = __dirname): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'bin', 'coffer.js'))) return dir;
    if (dirname(dir) === dir) throw new Error('cannot find the repository root (bin/coffer.js)');
  }
}

async function main(): Promise<void> {
  let args: CliArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (e.message) console.error(`bench: ${e.message}`);
    console.error(USAGE);
    process.exit(e.message ? 2 : 0);
  }
  const report = await runBenchmark({ ...args.options, root: repoRoot(), log: (l) => console.error(l) });
  console.log(formatReport(report));
  if (args.out) {
    writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nJSON written to ${args.out}`);
  }
  if (report.details.failed.length > 0) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  });
}
