#!/usr/bin/env node
// Records V8's code cache for the `coffer` command (electron/cli/code-cache.ts): runs typical
// commands on a throwaway vault with the fast KDF and keeps what V8 compiled. Part of `npm run build`.
//   node scripts/code-cache.js                       record dist/cli.code-cache
//   node scripts/code-cache.js --record FILE ARGS…   (internal) run `coffer ARGS…` recording into FILE
const { spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const root = join(__dirname, '..');

if (process.argv[2] === '--record') {
  require('../dist/electron/cli/code-cache.js').recordCodeCache(process.argv[3], root);
  process.argv.splice(1, 3, join(root, 'bin', 'coffer.js'));
  require('../dist/electron/cli/coffer.js');
} else {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-code-cache-'));
  const password = 'a password for the code cache only\n';
  const run = (args, stdin) => {
    const r = spawnSync(process.execPath, args, { input: stdin, env: { ...process.env, COFFER_VAULT: join(dir, 'v.coffer'), XDG_DATA_HOME: dir }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`code cache: ${args.join(' ')} failed: ${r.stderr}`);
  };
  try {
    const coffer = join(root, 'bin', 'coffer.js');
    run([coffer, '--password-stdin', 'init', '--org', 'Cache', '--member', 'builder', '--kdf', 'fast'], password);
    run([coffer, '--password-stdin', 'secret', 'add', 'api-key', 'example', '--header', 'X-Api-Key', '--value-stdin'], `${password}not a secret\n`);
    run([join(__dirname, 'code-cache.js'), '--record', join(root, 'dist', 'cli.code-cache'), '--password-stdin', 'secret', 'get', 'example'], password);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
