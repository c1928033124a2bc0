#!/usr/bin/env node
// Runs Doyensec's Electronegativity over the desktop app as it ships its security settings: the
// main process and preload (electron/), the page's HTML (renderer/index.html, which carries the
// CSP), and package.json (the Electron version). Prints the findings as JSON lines of
// {id, severity, confidence, file, line, sample}. `npm run scan:electron` prints them;
// test/integration/electronegativity.test.ts fails on any high or medium finding that SECURITY.md
// does not accept. The scan is offline: the check that downloads Electron's release list is off.
const { cpSync, mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const run = require('@doyensec/electronegativity');

const root = join(__dirname, '..');

async function main() {
  const input = mkdtempSync(join(tmpdir(), 'coffer-electronegativity-'));
  try {
    cpSync(join(root, 'electron'), join(input, 'electron'), { recursive: true });
    cpSync(join(root, 'renderer', 'index.html'), join(input, 'index.html'));
    cpSync(join(root, 'package.json'), join(input, 'package.json'));
    // Its progress bar and tables go to the console; only the findings go to stdout, as JSON.
    const log = console.log;
    console.log = () => {};
    let result;
    try {
      result = await run({ input, isRelative: true, excludeFromScan: ['AvailableSecurityFixesGlobalCheck'] });
    } finally {
      console.log = log;
    }
    if (result.errors.length > 0) throw new Error(`files it could not parse: ${result.errors.map((e) => e.file).join(', ')}`);
    for (const i of result.issues) {
      const finding = { id: i.id, severity: i.severity.name, confidence: i.confidence.name, file: i.file, line: i.location.line, sample: i.sample };
      process.stdout.write(`${JSON.stringify(finding)}\n`);
    }
  } finally {
    rmSync(input, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`electronegativity: ${e.stack ?? e}\n`);
  process.exit(1);
});
