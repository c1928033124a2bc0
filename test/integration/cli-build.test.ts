import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * How `npm run build` makes the two doors that start as processes, the `coffer` command and browser
 * mode (docs/architecture.md, "The command line's start"): one bundled file each, and V8's code
 * cache (electron/cli/code-cache.ts). The cache changes how Node
 * loads modules, so each of its cases runs in a Node process of its own, on real files.
 */
const ROOT = resolve(__dirname, '../..');
const CODE_CACHE = join(ROOT, 'dist/electron/cli/code-cache.js');

const dir = mkdtempSync(join(tmpdir(), 'coffer-code-cache-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `script` in a fresh Node process with `cc` bound to the code-cache module; its stdout as JSON. */
function node(script: string): unknown {
  const r = spawnSync(process.execPath, ['-e', `const cc = require(${JSON.stringify(CODE_CACHE)});\n${script}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}

const modules = join(dir, 'modules');
const cacheFile = join(dir, 'modules.code-cache');
const record = () => node(`cc.recordCodeCache(${JSON.stringify(cacheFile)}, ${JSON.stringify(modules)}); console.log(JSON.stringify(require(${JSON.stringify(join(modules, 'a.js'))}).run()))`);
const use = () =>
  node(`const use = cc.useCodeCache(${JSON.stringify(cacheFile)}, ${JSON.stringify(modules)});
const out = require(${JSON.stringify(join(modules, 'a.js'))}).run();
Promise.all(Object.entries(out).map(async ([k, v]) => [k, await v])).then((e) => console.log(JSON.stringify({ value: Object.fromEntries(e), use })));`);

function writeModules(b = "exports.twice = (n) => n * 2; exports.where = __filename;"): void {
  rmSync(modules, { recursive: true, force: true });
  mkdirSync(modules, { recursive: true });
  writeFileSync(join(modules, 'a.js'), "#!/usr/bin/env node\nconst b = require('./b.js');\nexports.run = () => ({ twice: b.twice(21), where: require('node:path').basename(b.where), main: require.resolve('./b.js') === b.where });\n");
  writeFileSync(join(modules, 'b.js'), b);
}

describe('code cache', () => {
  it('runs recorded modules from the cache with the same results', () => {
    writeModules();
    const recorded = record();
    expect(recorded).toEqual({ twice: 42, where: 'b.js', main: true });
    expect(use()).toEqual({ value: recorded, use: { hits: 2, compiled: 0 } });
  });

  it('compiles a module whose source changed since the recording, even at the same length', () => {
    writeModules();
    record();
    writeModules("exports.twice = (n) => n + 2; exports.where = __filename;");
    expect(use()).toEqual({ value: { twice: 23, where: 'b.js', main: true }, use: { hits: 1, compiled: 1 } });
  });

  it('ignores a damaged or missing cache file', () => {
    writeModules();
    record();
    const whole = readFileSync(cacheFile);
    for (const damaged of [whole.subarray(0, 3), whole.subarray(0, whole.length - 40), Buffer.from('not a cache at all')]) {
      writeFileSync(cacheFile, damaged);
      const { value } = use() as { value: unknown };
      expect(value).toEqual({ twice: 42, where: 'b.js', main: true });
    }
    rmSync(cacheFile);
    expect(use()).toEqual({ value: { twice: 42, where: 'b.js', main: true }, use: { hits: 0, compiled: 0 } });
  });

  it('leaves a module with import() to Node, which runs it', () => {
    writeModules("exports.twice = (n) => import('./c.mjs').then((c) => c.times(n, 2)); exports.where = __filename;");
    writeFileSync(join(modules, 'c.mjs'), 'export const times = (a, b) => a * b;\n');
    record();
    expect(use()).toEqual({ value: { twice: 42, where: 'b.js', main: true }, use: { hits: 1, compiled: 1 } });
  });

  it('serves every module of a real `coffer` run from the cache that the build recorded', () => {
    const r = spawnSync(process.execPath, ['-e', `const cc = require(${JSON.stringify(CODE_CACHE)});
const use = cc.useCodeCache(${JSON.stringify(join(ROOT, 'dist/cli.code-cache'))}, ${JSON.stringify(ROOT)});
process.on('exit', () => console.error(JSON.stringify(use)));
process.argv.splice(1, 1, 'coffer', 'help');
require(${JSON.stringify(join(ROOT, 'dist/electron/cli/coffer.js'))});`], { encoding: 'utf8' });
    expect(r.stdout).toContain('Usage: coffer');
    // The bundle, better-sqlite3's modules and libsodium's two: none compiled anew.
    expect(JSON.parse(r.stderr.trim().split('\n').at(-1)!)).toMatchObject({ compiled: 0 });
    expect((JSON.parse(r.stderr.trim().split('\n').at(-1)!) as { hits: number }).hits).toBeGreaterThanOrEqual(3);
  });
});

describe('bundles', () => {
  it.each([
    ['dist/electron/cli/coffer.js', ['certificate-worker.js', 'reading-worker.js']],
    ['dist/electron/server/browser-mode.js', ['../../renderer', 'certificate-worker.js', 'reading-worker.js']],
  ])('%s finds every file it names from its own folder: the workers beside it, the renderer', (bundle, expected) => {
    const text = readFileSync(join(ROOT, bundle), 'utf8');
    const named = [...text.matchAll(/__dirname((?:, "[^"]+")+)\)/g)].map((m) => [...m[1]!.matchAll(/"([^"]+)"/g)].map((p) => p[1]!).join('/'));
    expect(named.sort()).toEqual(expected);
    for (const path of named) expect(existsSync(join(ROOT, dirname(bundle), path)), path).toBe(true);
  });

  it('browser mode loads from the cache the build recorded for it', () => {
    const use = node(`const use = cc.useCodeCache(${JSON.stringify(join(ROOT, 'dist/browser-mode.code-cache'))}, ${JSON.stringify(ROOT)});
require(${JSON.stringify(join(ROOT, 'dist/electron/server/browser-mode.js'))});
console.log(JSON.stringify(use));`) as { hits: number; compiled: number };
    expect(use.compiled).toBe(0);
    expect(use.hits).toBeGreaterThanOrEqual(3);
  });
});
