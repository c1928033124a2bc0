import { parentPort } from 'node:worker_threads';
import { readCertificateFiles } from './certificates-aside';
import type { CertificateFiles } from './certificates-aside';

// Entry of the thread that reads an import's certificates (see certificates-aside.ts).
parentPort?.on('message', (files: CertificateFiles[]) => {
  parentPort?.postMessage(files.map(readCertificateFiles));
});
