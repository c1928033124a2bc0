import { beforeAll } from 'vitest';
import type { CertFixtures } from './certs';
import { makeCertFixtures } from './certs';

/** Certificate fixtures made once per test file. */
export function useCertFixtures(): () => CertFixtures {
  let fx: CertFixtures | undefined;
  beforeAll(async () => {
    fx = await makeCertFixtures();
  });
  return () => {
    if (!fx) throw new Error('certificate fixtures are made in beforeAll');
    return fx;
  };
}
