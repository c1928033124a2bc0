import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { ErrorShape } from '../../../../shared/errors';
import { CofferError } from '../../../../shared/errors';
import type { ForeignFormat } from './foreign';
import type { MappedEntry, MappedSink, ReadOptions } from './mapped';
import { readMapped } from './mapped';

/** What the reading thread posts, in file order: batches of entries, then the end or why it stopped. */
export type ReadingMessage = { entries: MappedEntry[]; read: number; total: number } | { end: true } | { error: ErrorShape };

/** What the two threads share: the thread is running; messages it has posted; messages the caller has taken. */
export const STARTED = 0;
export const POSTED = 1;
export const TAKEN = 2;

/** What the thread is started with. */
export interface ReadingJob {
  format: ForeignFormat;
  path: string;
  opts: ReadOptions;
  shared: Int32Array;
}

/** Entries per message: a structured clone has a fixed cost per message, and a batch bounds what waits. */
export const BATCH = 256;
/** Batches the thread may run ahead of the caller: beyond, it waits, so a fast parser never fills memory. */
export const AHEAD = 16;
/** Below this size, starting a thread (~0.1 s of loading the parsers again) costs more than it saves. */
const THREAD_FROM_BYTES = 1 << 20;
/** A thread that has not begun by then (an app packaged where workers cannot load) is given up: the file is read here. */
const START_MS = 2000;
/** A running thread silent this long has died (out of memory): the import fails rather than wait forever. */
const STALL_MS = 30_000;

/**
 * The thread's young generation: what it allocates dies with the entry it reads. Capped below
 * V8's default it keeps the import's peak ~30 MB lower; at 4 MB its scavenges took 1.9 s of CPU
 * per 100,000 entries, at 16 MB 0.7 s (docs/benchmark.md, "The reading thread's young generation").
 */
const YOUNG_MB = 16;

/** The compiled worker; absent when the core runs from TypeScript sources (tests), which read inline. */
const WORKER = join(__dirname, 'reading-worker.js');

/**
 * Reads and maps a foreign file on a second thread while the caller, inside its write transaction,
 * takes each batch as it comes without awaiting: parsing and mapping are a third of a large import's
 * time, and the other core can take them (docs/importers.md, "How it is built"). The caller gets
 * exactly what readMapped would give it, in the same order, with the same typed error; a file under
 * `threadFrom` bytes, or a thread that cannot start, is read inline. Says which it was.
 */
export function readMappedAhead(format: ForeignFormat, path: string, opts: ReadOptions, sink: MappedSink, threadFrom = THREAD_FROM_BYTES): 'thread' | 'inline' {
  if (!existsSync(WORKER) || sizeOf(path) < threadFrom) return inline(format, path, opts, sink);
  const shared = new Int32Array(new SharedArrayBuffer(12));
  const { port1, port2 } = new MessageChannel();
  const job: ReadingJob = { format, path, opts, shared };
  const worker = new Worker(WORKER, { workerData: { job, port: port2 }, transferList: [port2], resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } });
  worker.on('error', () => undefined);
  try {
    if (Atomics.wait(shared, STARTED, 0, START_MS) === 'timed-out' && Atomics.load(shared, STARTED) === 0) {
      return inline(format, path, opts, sink);
    }
    for (let taken = 0; ; ) {
      const m = receiveMessageOnPort(port1)?.message as ReadingMessage | undefined;
      if (!m) {
        // Posted before the count moves: a count past what was taken means a message is waiting.
        if (Atomics.wait(shared, POSTED, taken, STALL_MS) === 'timed-out') {
          throw new CofferError('INTERNAL', 'the thread reading the file stopped answering', 'file');
        }
        continue;
      }
      Atomics.store(shared, TAKEN, ++taken);
      Atomics.notify(shared, TAKEN);
      if ('error' in m) throw new CofferError(m.error.code, m.error.message, m.error.field);
      if ('end' in m) return 'thread';
      for (const e of m.entries) sink.entry(e);
      sink.progress?.(m.read, m.total);
    }
  } finally {
    port1.close();
    void worker.terminate();
  }
}

function inline(format: ForeignFormat, path: string, opts: ReadOptions, sink: MappedSink): 'inline' {
  readMapped(format, path, opts, sink);
  return 'inline';
}

/** The file's size, or 0 when it cannot be read: readMapped then says why, as a typed error. */
function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
