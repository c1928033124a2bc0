import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ForeignFormat } from '../../electron/core/bundles/importers/foreign';
import type * as Mapped from '../../electron/core/bundles/importers/mapped';
import type { MappedEntry, ReadOptions } from '../../electron/core/bundles/importers/mapped';
import type * as Ahead from '../../electron/core/bundles/importers/reading-ahead';
import { useTempDir } from '../support/vault';

let ahead: typeof Ahead;
let readMapped: typeof Mapped.readMapped;

beforeAll(async () => {
  // The worker runs compiled code: this test loads the build `npm test` makes first.
  ahead = (await import(join(process.cwd(), 'dist/electron/core/bundles/importers/reading-ahead.js'))) as typeof Ahead;
  ({ readMapped } = (await import(join(process.cwd(), 'dist/electron/core/bundles/importers/mapped.js'))) as typeof Mapped);
});

const FIXTURES = join(__dirname, '..', 'fixtures', 'importers');

interface Read {
  entries: MappedEntry[];
  progress: [number, number][];
  error?: unknown;
  how?: string;
}

/** Everything a sink is given, or the error that ended the reading. */
function collect(read: (sink: { entry(m: MappedEntry): void; progress(r: number, t: number): void }) => string | void): Read {
  const out: Read = { entries: [], progress: [] };
  try {
    out.how = read({ entry: (m) => out.entries.push(m), progress: (r, t) => out.progress.push([r, t]) }) ?? undefined;
  } catch (e) {
    out.error = { ...(e as object), message: (e as Error).message, type: (e as Error).constructor.name };
  }
  return out;
}

/** Read on the thread (every file, however small) and inline: the caller must not see the difference. */
function both(format: ForeignFormat, path: string, opts: ReadOptions = {}) {
  const threaded = collect((sink) => ahead.readMappedAhead(format, path, opts, sink, 0));
  const inline = collect((sink) => readMapped(format, path, opts, sink));
  return { threaded, inline };
}

describe('reading a foreign file on a second thread (the compiled worker)', () => {
  const tempDir = useTempDir();

  it.each([
    ['keepass-xml', 'keepass-full.xml', {}],
    ['keepass-xml', 'keepass-kp2-no-bin-uuid.xml', { given: 'Ops' }],
    ['keepassxc-csv', 'keepassxc.csv', {}],
    ['bitwarden-json', 'bitwarden-organization.json', {}],
    ['1password-csv', '1password.csv', {}],
    ['dotenv', 'app.env', { split: true }],
  ] as const)('%s %s: the same entries, skips and order as read inline', (format, file, opts) => {
    const { threaded, inline } = both(format, join(FIXTURES, file), opts);
    expect(threaded.how).toBe('thread');
    expect(inline.error).toBeUndefined();
    expect(threaded.entries.length).toBeGreaterThan(0);
    expect(threaded.entries).toEqual(inline.entries);
    expect(threaded.progress.at(-1)).toEqual(inline.progress.at(-1));
  });

  it.each([
    ['keepass-xml', 'keepass-malformed.xml'],
    ['keepass-xml', 'keepass-doctype.xml'],
    ['keepass-xml', 'keepass-protected.xml'],
    ['bitwarden-json', 'bitwarden-truncated.json'],
    ['bitwarden-json', 'bitwarden-encrypted.json'],
  ] as const)('%s %s: refused with the same typed error', (format, file) => {
    const { threaded, inline } = both(format, join(FIXTURES, file));
    expect(inline.error).toMatchObject({ type: 'CofferError', code: 'VALIDATION' });
    expect(threaded.error).toEqual(inline.error);
  });

  it('a file far larger than what the thread may run ahead: every entry, in order, with progress to the end', () => {
    const path = join(tempDir(), 'many.env');
    const lines = Array.from({ length: ahead.BATCH * ahead.AHEAD * 3 + 7 }, (_, i) => `KEY_${i}=value-${i}`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    const { threaded, inline } = both('dotenv', path, { split: true });
    expect(threaded.entries.map((e) => e.secret?.name)).toEqual(lines.map((l) => l.split('=')[0]));
    expect(threaded.entries).toEqual(inline.entries);
    const size = Buffer.byteLength(`${lines.join('\n')}\n`);
    expect(threaded.progress.at(-1)).toEqual([size, size]);
  });

  it('a caller that fails halfway stops the thread and gets its own error', () => {
    const path = join(tempDir(), 'many.env');
    writeFileSync(path, Array.from({ length: 20_000 }, (_, i) => `K${i}=v`).join('\n'));
    let seen = 0;
    const refusal = new Error('the caller refused entry 1000');
    const refuseAt1000 = {
      entry: () => {
        if (++seen === 1000) throw refusal;
      },
    };
    expect(() => ahead.readMappedAhead('dotenv', path, { split: true }, refuseAt1000, 0)).toThrow(refusal);
    expect(seen).toBe(1000);
  });

  it('a missing file is NOT_FOUND, as inline, and small files are read inline', () => {
    const { threaded, inline } = both('dotenv', join(tempDir(), 'absent.env'));
    expect(threaded.error).toMatchObject({ code: 'NOT_FOUND', field: 'file' });
    expect(threaded.error).toEqual(inline.error);
    expect(collect((sink) => ahead.readMappedAhead('dotenv', join(FIXTURES, 'app.env'), {}, sink)).how).toBe('inline');
  });
});
