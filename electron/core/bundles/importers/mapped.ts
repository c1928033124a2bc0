import type { PlacedSecret } from './coffer-csv';
import type { ForeignFormat, SkippedEntry } from './foreign';
import type { ParseOptions } from './index';
import { parserFor } from './index';
import { placeEntry } from './mapping';

/**
 * One entry of a foreign file read and mapped by the rules (mapping.ts): the secret it becomes,
 * placed by the file's groups (not yet matched with the vault's workspaces), or nothing, with what
 * was left out; an item the parser itself skipped is one with nothing but that. Plain data, so it
 * crosses to another thread as it is.
 */
export interface MappedEntry {
  source: string;
  secret?: PlacedSecret;
  skipped: SkippedEntry[];
  created?: number;
  updated?: number;
}

export interface MappedSink {
  entry(m: MappedEntry): void;
  /** Bytes of the file read so far, for a progress bar. */
  progress?(bytesRead: number, totalBytes: number): void;
}

export interface ReadOptions extends ParseOptions {
  /** The workspace every entry goes to (`--workspace`), else each entry's top group. */
  given?: string;
}

/** Reads a file of one format and maps each entry as it is read: only one entry is ever held. */
export function readMapped(format: ForeignFormat, path: string, opts: ReadOptions, sink: MappedSink): void {
  parserFor(format)(
    path,
    {
      entry(e) {
        const mapped = placeEntry(e, opts.given);
        sink.entry({ source: e.source, secret: mapped.secret, skipped: mapped.skipped, created: e.created, updated: e.updated });
      },
      skipped: (s) => sink.entry({ source: s.source, skipped: [s] }),
      progress: sink.progress && ((read, total) => sink.progress!(read, total)),
    },
    { split: opts.split },
  );
}
