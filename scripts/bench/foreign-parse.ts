/**
 * Parse time and peak RSS of the KeePass XML and Bitwarden JSON readers on generated exports, one
 * child process per measurement so each peak is its own. Not part of `npm run bench` (no vault is
 * involved); run after `tsc -p scripts/bench/tsconfig.json`:
 *   node dist/scripts/bench/foreign-parse.js [entries=100000] [dir=os.tmpdir()]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBitwardenJson } from '../../electron/core/bundles/importers/bitwarden-json';
import type { EntrySink } from '../../electron/core/bundles/importers/foreign';
import { readKeepassXml } from '../../electron/core/bundles/importers/keepass-xml';
import { writeBitwardenJson, writeKeepassXml } from './foreign-exports';

const READERS: Record<string, (path: string, sink: EntrySink) => void> = {
  'keepass-xml (saxes, streaming)': readKeepassXml,
  'bitwarden-json (item scanner, streaming)': readBitwardenJson,
  'bitwarden-json (readFileSync + JSON.parse, for comparison)': (path, sink) => {
    const doc = JSON.parse(readFileSync(path, 'utf8')) as { items: { name: string }[] };
    doc.items.forEach((it, i) => sink.entry({ source: `item ${i + 1}`, title: it.name, group: [], fields: [], attachments: [] }));
  },
  'baseline (modules loaded, nothing read)': () => undefined,
};

/** In the child: one reader on one file; prints its figures as JSON. */
function measureOne(reader: string, path: string): void {
  let entries = 0;
  const sink: EntrySink = { entry: () => void entries++, skipped: () => undefined };
  const t0 = performance.now();
  READERS[reader]!(path, sink);
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ ms, peakRssMiB: process.resourceUsage().maxRSS / 1024, entries }));
}

function main(): void {
  const count = Number(process.argv[2] ?? 100_000);
  const dir = process.argv[3] ?? tmpdir();
  const files = { xml: join(dir, `keepass-${count}.xml`), json: join(dir, `bitwarden-${count}.json`) };
  writeKeepassXml(files.xml, count);
  writeBitwardenJson(files.json, count);
  console.log(`${count} entries on ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), Node ${process.version}`);
  for (const reader of Object.keys(READERS)) {
    const path = reader.startsWith('keepass') ? files.xml : files.json;
    const out = execFileSync(process.execPath, [__filename, '--child', reader, path], { encoding: 'utf8' });
    const r = JSON.parse(out) as { ms: number; peakRssMiB: number; entries: number };
    const mib = statSync(path).size / 2 ** 20;
    console.log(`${reader}: file ${mib.toFixed(1)} MiB, ${r.entries} entries, ${r.ms.toFixed(0)} ms, peak RSS ${r.peakRssMiB.toFixed(0)} MiB`);
  }
}

if (process.argv[2] === '--child') measureOne(process.argv[3]!, process.argv[4]!);
else main();
