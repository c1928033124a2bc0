import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, relative, sep } from 'node:path';
import { Script } from 'node:vm';

/**
 * V8's code cache for the `coffer` process (docs/architecture.md, "The command line's start").
 * A short command spends most of its CPU compiling the same JavaScript again: libsodium's 1.2 MB,
 * zod, commander, Coffer's own modules. `npm run build` records the code V8 compiled while running
 * typical commands into one file (scripts/code-cache.js), and every later `coffer` hands each module
 * its recorded code. Node 22's `module.enableCompileCache()` does the same; Coffer runs on Node 20.
 *
 * The file is only read: a module whose source differs from the one recorded (its SHA-256, because
 * V8 itself checks only the length) or whose code V8 rejects (another Node) compiles as usual.
 */

interface CacheEntry {
  /** The module's path under the package root, with `/` separators. */
  file: string;
  sha256: string;
  offset: number;
  length: number;
}

type Compile = (this: Module, content: string, filename: string) => unknown;
interface Loader {
  prototype: { _compile: Compile; require(id: string): unknown };
  _resolveFilename(request: string, parent: Module, isMain: boolean, options?: { paths?: string[] }): string;
  _resolveLookupPaths(request: string, parent: Module): string[] | null;
  _extensions: unknown;
  _cache: unknown;
}
const loader = Module as unknown as Loader;

/**
 * A file with `import()` is left to Node: a `vm.Script` would need an experimental loader option
 * to run it, and the few such modules (the lazily loaded commands) are small.
 */
const DYNAMIC_IMPORT = /\bimport\s*\(/;

const sha256 = (content: string) => createHash('sha256').update(content).digest('hex');
const keyOf = (root: string, filename: string) => relative(root, filename).split(sep).join('/');
const underRoot = (root: string, filename: string) => filename.startsWith(root + sep);

/** What Node's own loader gives a module as `require` (lib/internal/modules/helpers.js). */
function requireFor(mod: Module): NodeJS.Require {
  const require = ((id: string) => loader.prototype.require.call(mod, id)) as NodeJS.Require;
  const resolve = ((request: string, options?: { paths?: string[] }) => loader._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => loader._resolveLookupPaths(request, mod);
  return Object.assign(require, { resolve, main: process.mainModule, extensions: loader._extensions, cache: loader._cache });
}

/** Compiles and runs a module as Node would, through a `vm.Script` that may take cached code. */
function runModule(mod: Module, content: string, filename: string, cachedData?: Buffer): { script: Script; result: unknown } {
  const script = new Script(Module.wrap(content.startsWith('#!') ? `//${content}` : content), { filename, cachedData });
  const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
  return { script, result: wrapper.call(mod.exports, mod.exports, requireFor(mod), mod, filename, dirname(filename)) };
}

/** The recorded file, or undefined when it is missing or unreadable: the cache only ever saves time. */
function readCache(cacheFile: string): { index: Map<string, CacheEntry>; blob: Buffer } | undefined {
  try {
    const file = readFileSync(cacheFile);
    const headerLength = file.readUInt32LE(0);
    const entries = JSON.parse(file.subarray(4, 4 + headerLength).toString('utf8')) as CacheEntry[];
    return { index: new Map(entries.map((e) => [e.file, e])), blob: file.subarray(4 + headerLength) };
  } catch {
    return undefined;
  }
}

/** How the cache served this process: modules that ran from recorded code, and modules that had to compile. */
export interface CodeCacheUse {
  hits: number;
  compiled: number;
}

/** Gives every module under `root` its recorded code from `cacheFile`; without the file, changes nothing. */
export function useCodeCache(cacheFile: string, root: string): CodeCacheUse {
  const use: CodeCacheUse = { hits: 0, compiled: 0 };
  const cache = readCache(cacheFile);
  if (!cache) return use;
  const compile = loader.prototype._compile;
  loader.prototype._compile = function (this: Module, content: string, filename: string) {
    const entry = underRoot(root, filename) ? cache.index.get(keyOf(root, filename)) : undefined;
    if (!entry || DYNAMIC_IMPORT.test(content) || sha256(content) !== entry.sha256) {
      use.compiled++;
      return compile.call(this, content, filename);
    }
    const { script, result } = runModule(this, content, filename, cache.blob.subarray(entry.offset, entry.offset + entry.length));
    if (script.cachedDataRejected === true) use.compiled++;
    else use.hits++;
    return result;
  };
  return use;
}

/**
 * Compiles every module under `root` through a `vm.Script` and, when the process exits, writes what
 * V8 compiled by then (the functions the command ran, not only the eagerly compiled ones) to `cacheFile`.
 */
export function recordCodeCache(cacheFile: string, root: string): void {
  const compile = loader.prototype._compile;
  const recorded: { file: string; sha256: string; script: Script }[] = [];
  loader.prototype._compile = function (this: Module, content: string, filename: string) {
    if (!underRoot(root, filename) || DYNAMIC_IMPORT.test(content)) return compile.call(this, content, filename);
    const { script, result } = runModule(this, content, filename);
    recorded.push({ file: keyOf(root, filename), sha256: sha256(content), script });
    return result;
  };
  process.on('exit', () => {
    const blobs = recorded.map((r) => r.script.createCachedData());
    let offset = 0;
    const entries: CacheEntry[] = recorded.map((r, i) => {
      const entry = { file: r.file, sha256: r.sha256, offset, length: blobs[i]!.length };
      offset += entry.length;
      return entry;
    });
    const header = Buffer.from(JSON.stringify(entries), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.length);
    // Renamed into place: a `coffer` starting meanwhile reads the old file or the new one, whole.
    writeFileSync(`${cacheFile}.tmp`, Buffer.concat([length, header, ...blobs]));
    renameSync(`${cacheFile}.tmp`, cacheFile);
  });
}
