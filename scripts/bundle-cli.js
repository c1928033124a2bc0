#!/usr/bin/env node
// Bundles the `coffer` command into one file per process it starts (docs/architecture.md, "The
// command line's start"): the command and the two worker threads it may start, each beside the
// bundle so that their `__dirname` is the command's. better-sqlite3 (native) and libsodium (1.2 MB
// that only its own loader should touch) stay outside. Part of `npm run build`.
const { build } = require('rolldown');
const { join } = require('node:path');

const root = join(__dirname, '..');
const ENTRIES = {
  coffer: 'electron/cli/index.ts',
  'reading-worker': 'electron/core/bundles/importers/reading-worker.ts',
  'certificate-worker': 'electron/core/secrets/certificate-worker.ts',
};

async function main() {
  for (const [name, input] of Object.entries(ENTRIES)) {
    await build({
      cwd: root,
      input: { [name]: input },
      platform: 'node',
      // The sources import `./x.js` as Node resolves the compiled files; here they are still `.ts`.
      resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
      external: ['better-sqlite3', 'libsodium-wrappers-sumo', /^node:/],
      logLevel: 'warn',
      // One file each: commands loaded lazily stay lazy inside it. Without comments, no `import(` is
      // left for electron/cli/code-cache.ts to mistake for one.
      output: { dir: join(root, 'dist', 'electron', 'cli'), format: 'cjs', codeSplitting: false, entryFileNames: '[name].js', comments: false },
    });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
