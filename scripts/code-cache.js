#!/usr/bin/env node
// Records V8's code cache for the two doors that start as processes (electron/cli/code-cache.ts):
// runs each on a throwaway vault with the fast KDF and keeps what V8 compiled. Part of `npm run build`.
//   node scripts/code-cache.js                            record dist/cli.code-cache and dist/browser-mode.code-cache
//   node scripts/code-cache.js --record-cli FILE ARGS…    (internal) run `coffer ARGS…` recording into FILE
//   node scripts/code-cache.js --record-browser FILE VAULT (internal) start browser mode on VAULT, load its page, stop
const { spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { get } = require('node:http');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const root = join(__dirname, '..');
const record = (file) => require('../dist/electron/cli/code-cache.js').recordCodeCache(file, root);

async function recordBrowserMode(vault) {
  let url;
  const log = console.log;
  console.log = (line) => (url = /(http:\/\/\S+)/.exec(String(line))?.[1]);
  await require('../dist/electron/server/browser-mode.js').launchBrowserMode({ vault, port: 0 });
  console.log = log;
  const status = await new Promise((resolve, reject) => get(url, (res) => resolve(res.resume().statusCode)).on('error', reject));
  if (status !== 200) throw new Error(`code cache: browser mode answered ${status}`);
  process.exit(0);
}

function recordAll() {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-code-cache-'));
  const vault = join(dir, 'v.coffer');
  const password = 'a password for the code cache only\n';
  const run = (args, stdin) => {
    const r = spawnSync(process.execPath, args, { input: stdin, env: { ...process.env, COFFER_VAULT: vault, XDG_DATA_HOME: dir }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`code cache: ${args.join(' ')} failed: ${r.stderr}`);
  };
  try {
    const coffer = join(root, 'bin', 'coffer.js');
    const self = join(__dirname, 'code-cache.js');
    run([coffer, '--password-stdin', 'init', '--org', 'Cache', '--member', 'builder', '--kdf', 'fast'], password);
    run([coffer, '--password-stdin', 'secret', 'add', 'api-key', 'example', '--header', 'X-Api-Key', '--value-stdin'], `${password}not a secret\n`);
    run([self, '--record-cli', join(root, 'dist', 'cli.code-cache'), '--password-stdin', 'secret', 'get', 'example'], password);
    run([self, '--record-browser', join(root, 'dist', 'browser-mode.code-cache'), vault], '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--record-cli') {
  record(process.argv[3]);
  process.argv.splice(1, 3, join(root, 'bin', 'coffer.js'));
  require('../dist/electron/cli/coffer.js');
} else if (process.argv[2] === '--record-browser') {
  record(process.argv[3]);
  recordBrowserMode(process.argv[4]).catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  recordAll();
}
