#!/usr/bin/env node
// `npm start`: the launch contract of docs/cli.md. Builds what is missing, opens the desktop
// window when Electron's binary is present, and otherwise starts browser mode and says why.
const { spawn, spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const args = process.argv.slice(2);

function usage(message) {
  console.error(`coffer: VALIDATION: ${message}`);
  console.error('usage: npm start -- [--browser] [--port N] [--vault PATH] [--demo] [--read-only]');
  process.exit(2);
}

function parse(argv) {
  const o = { browser: false, demo: false, readOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--browser') o.browser = true;
    else if (a === '--demo') o.demo = true;
    else if (a === '--read-only') o.readOnly = true;
    else if (a === '--port' || a === '--vault') {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      if (a === '--port') {
        if (!/^\d+$/.test(v) || Number(v) > 65535) usage('--port must be a number from 0 to 65535');
        o.port = Number(v);
      } else o.vault = v;
    } else usage(`unknown option ${a}`);
  }
  return o;
}

function ensureBuilt() {
  const built = ['dist/electron/server/browser-mode.js', 'dist/electron/main/index.js', 'dist/renderer/index.html'].every((f) => existsSync(join(root, f)));
  if (built) return;
  console.log('Coffer: building (first start)…');
  const r = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** The Electron binary's path, or why there is none (after one attempt to fetch it). */
function electronBinary() {
  const locate = () => {
    try {
      const path = require('electron');
      return typeof path === 'string' && existsSync(path) ? { path } : { reason: 'the Electron binary is missing' };
    } catch {
      return { reason: 'the Electron binary is not installed' };
    }
  };
  const first = locate();
  if (first.path) return first;
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return { reason: `${first.reason} and ELECTRON_SKIP_BINARY_DOWNLOAD is set` };
  const install = spawnSync(process.execPath, [require.resolve('electron/install.js')], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  const again = locate();
  if (again.path) return again;
  const why = /(fetch failed|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN)/.exec(`${install.stderr}${install.stdout}`)?.[1] ?? 'download failed';
  return { reason: `${first.reason} and cannot be fetched (${why})` };
}

const options = parse(args);
ensureBuilt();
const electron = options.browser ? {} : electronBinary();
if (electron.path) {
  const child = spawn(electron.path, [root, ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  // Browser mode bundled, started with the code V8 compiled for it at build (docs/architecture.md).
  require(join(root, 'dist/electron/cli/code-cache.js')).useCodeCache(join(root, 'dist', 'browser-mode.code-cache'), root);
  require(join(root, 'dist/electron/server/browser-mode.js'))
    .launchBrowserMode({ ...options, reason: electron.reason })
    .catch((e) => {
      console.error(`coffer: ${e && e.code ? `${e.code}: ${e.message}` : 'INTERNAL: browser mode failed to start'}`);
      process.exit(1);
    });
}
