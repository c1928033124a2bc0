#!/usr/bin/env node
// `npm run soak`: the crash harness of test/crash with ten times the kills of `npm test` (3,000), and
// the fuzzers (IPC channels, the HTTP doors' raw requests, the bundle reader, damaged vault files)
// with ten times their inputs (100,000 each), for before a release or after a change to how Coffer
// writes or reads its file or to what a fuzzer covers. Extra arguments go to vitest.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const FUZZERS = [
  'test/unit/main/ipc-fuzz.test.ts',
  'test/integration/http-hostile.test.ts',
  'test/integration/bundles-tamper.test.ts',
  'test/integrity/damaged-file.property.test.ts',
];
const vitest = join(__dirname, '..', 'node_modules', 'vitest', 'vitest.mjs');
const r = spawnSync(process.execPath, [vitest, 'run', 'test/crash', ...FUZZERS, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, COFFER_CRASH_SCALE: process.env.COFFER_CRASH_SCALE ?? '10', COFFER_FUZZ_SCALE: process.env.COFFER_FUZZ_SCALE ?? '10' },
});
process.exit(r.status ?? 1);
