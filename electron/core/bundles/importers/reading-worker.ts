import type { MessagePort } from 'node:worker_threads';
import { workerData } from 'node:worker_threads';
import { toErrorShape } from '../../../../shared/errors';
import type { MappedEntry } from './mapped';
import { readMapped } from './mapped';
import type { ReadingJob, ReadingMessage } from './reading-ahead';
import { AHEAD, BATCH, POSTED, STARTED, TAKEN } from './reading-ahead';

// Entry of the thread that reads and maps a foreign file ahead of the import (see reading-ahead.ts).
const { job, port } = workerData as { job: ReadingJob; port: MessagePort };
const { shared } = job;
Atomics.store(shared, STARTED, 1);
Atomics.notify(shared, STARTED);

let posted = 0;
function post(m: ReadingMessage): void {
  // Posted before the count moves, so a caller woken by the count finds the message on its port.
  port.postMessage(m);
  Atomics.store(shared, POSTED, ++posted);
  Atomics.notify(shared, POSTED);
  for (let taken = Atomics.load(shared, TAKEN); posted - taken > AHEAD; taken = Atomics.load(shared, TAKEN)) {
    Atomics.wait(shared, TAKEN, taken);
  }
}

let entries: MappedEntry[] = [];
let read = 0;
let total = 0;
try {
  readMapped(job.format, job.path, job.opts, {
    entry(e) {
      entries.push(e);
      if (entries.length === BATCH) {
        post({ entries, read, total });
        entries = [];
      }
    },
    progress(r, t) {
      read = r;
      total = t;
    },
  });
  post({ entries, read, total });
  post({ end: true });
} catch (e) {
  post({ error: toErrorShape(e) });
}
