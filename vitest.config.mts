import { defineConfig } from 'vitest/config';

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
    // child process or Chromium. With two, 1,025 tests ran in 613 s here; one fork took 623 s for 894.
    // Three were slower still: 1,122 tests ran in 846 s on two, and three had 70 files of 112 done at 13 min.
    maxWorkers: 2,
  },
});
