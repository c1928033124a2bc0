import type { MessagePort } from 'node:worker_threads';
import { workerData } from 'node:worker_threads';
import type { CertificateFiles, CertificatesToRead } from './certificates-ahead';
import { POSTED, claim, readCertificateFiles } from './certificates-ahead';

// Entry of the thread that reads an import's certificates ahead of it (see certificates-ahead.ts).
const { port, shared } = workerData as { port: MessagePort; shared: Int32Array };
const files: (CertificateFiles | undefined)[] = [];

port.on('message', (m: CertificatesToRead) => {
  m.files.forEach((f, i) => (files[m.from + i] = f));
  for (let ticket = claim(shared, files.length); ticket >= 0; ticket = claim(shared, files.length)) {
    // Posted before the count moves, so a caller woken by the count finds the outcome on its port.
    port.postMessage([ticket, readCertificateFiles(files[ticket]!)]);
    files[ticket] = undefined;
    Atomics.add(shared, POSTED, 1);
    Atomics.notify(shared, POSTED);
  }
});
