#!/usr/bin/env node
// The `coffer` binary: electron/cli bundled into one file by `npm run build` (npm's `prepare`
// builds it), started with the code V8 compiled for it at build time (electron/cli/code-cache.ts).
const { join } = require('node:path');

const root = join(__dirname, '..');
require('../dist/electron/cli/code-cache.js').useCodeCache(join(root, 'dist', 'cli.code-cache'), root);
require('../dist/electron/cli/coffer.js');
