#!/usr/bin/env node
// `npm run soak`: the crash harness of test/crash with ten times the kills of `npm test` (3,000),
// and the damaged-file fuzzer with ten times its inputs (100,000), for before a release or after a
// change to how Coffer writes or reads its file. Extra arguments go to vitest.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const vitest = join(__dirname, '..', 'node_modules', 'vitest', 'vitest.mjs');
const r = spawnSync(process.execPath, [vitest, 'run', 'test/crash', 'test/integrity/damaged-file.property.test.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, COFFER_CRASH_SCALE: process.env.COFFER_CRASH_SCALE ?? '10', COFFER_FUZZ_SCALE: process.env.COFFER_FUZZ_SCALE ?? '10' },
});
process.exit(r.status ?? 1);
