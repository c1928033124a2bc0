#!/usr/bin/env node
// Bundles the two doors that start as processes of their own, the `coffer` command and browser
// mode (`npm start` without Electron), into one file each (docs/architecture.md, "The command
// line's start"). The worker threads they may start are bundled beside each, under the names the
// core looks for next to itself. better-sqlite3 (native) and libsodium (1.2 MB that only its own
// loader should touch) stay outside. Part of `npm run build`.
const { build } = require('rolldown');
const { join } = require('node:path');

const root = join(__dirname, '..');
const WORKERS = {
  'reading-worker': 'electron/core/bundles/importers/reading-worker.ts',
  'certificate-worker': 'electron/core/secrets/certificate-worker.ts',
};
/** Each bundle sits where its entry's compiled file sits, so that paths from `__dirname` still hold. */
const DOORS = [
  { dir: 'dist/electron/cli', entries: { coffer: 'electron/cli/index.ts', ...WORKERS } },
  { dir: 'dist/electron/server', entries: { 'browser-mode': 'electron/server/launch.ts', ...WORKERS } },
];

async function main() {
  for (const { dir, entries } of DOORS) {
    for (const [name, input] of Object.entries(entries)) {
      await build({
        cwd: root,
        input: { [name]: input },
        platform: 'node',
        // The sources import `./x.js` as Node resolves the compiled files; here they are still `.ts`.
        resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
        external: ['better-sqlite3', 'libsodium-wrappers-sumo', /^node:/],
        logLevel: 'warn',
        // One file each: what is loaded lazily stays lazy inside it. Without comments, no `import(`
        // is left for electron/cli/code-cache.ts to mistake for one.
        output: { dir: join(root, dir), format: 'cjs', codeSplitting: false, entryFileNames: '[name].js', comments: false },
      });
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
