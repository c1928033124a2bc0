#!/usr/bin/env node
// The `coffer` binary: built output of electron/cli (npm's `prepare` builds it).
require('../dist/electron/cli/index.js');
