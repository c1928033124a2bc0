import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { CertFixtures } from './certs';
import { makeCertFixtures } from './certs';

/** Certificate fixtures made once per test file in their own temp folder, removed after the file. */
export function useCertFixtures(): () => CertFixtures {
  let dir = '';
  let fx: CertFixtures | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'coffer-certs-'));
    fx = makeCertFixtures(dir);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (!fx) throw new Error('certificate fixtures are made in beforeAll');
    return fx;
  };
}
