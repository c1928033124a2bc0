import { serveWork } from '../threads/work-ahead';
import { readCertificateFiles } from './certificates-ahead';

// Entry of the thread that reads an import's certificates ahead of it (see certificates-ahead.ts).
serveWork({ run: readCertificateFiles });
