import { defineConfig } from 'vitest/config';
import type { TestSpecification } from 'vitest/node';
import { BaseSequencer } from 'vitest/node';

/**
 * The files that take a minute or two, started first. Vitest orders by the durations it cached on
 * an earlier run, and a fresh clone (CI, a newcomer's `npm ci && npm test`) has none: it then runs
 * larger files first, and these are small ones that loop. Started last, one of them ran alone on
 * one core for its last two minutes.
 */
const LONGEST = ['test/crash/', 'test/integration/cli/upgrade.test.ts', 'test/integration/cli/secrets.test.ts'];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const longest = (f: TestSpecification) => LONGEST.some((p) => f.moduleId.replaceAll('\\', '/').includes(p));
    return [...sorted.filter(longest), ...sorted.filter((f) => !longest(f))];
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/chromium.ts'],
    // Argon2id and child processes make some tests slow on a 2-core machine, twice as slow when
    // two test files share it: a timeout here catches a hang, not a slow machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default on two cores is one fork, which leaves a core idle while a test waits on a
    // child process or Chromium. With two, 1,217 tests ran in 839 s here (1,561 s of test files);
    // three were slower (at 1,122 tests: 846 s on two, and 70 files of 112 done at 13 min on three).
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
  },
});
