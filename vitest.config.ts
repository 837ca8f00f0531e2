import { defineConfig } from 'vitest/config';

// Files whose assertions are ratios of timings: they run after everything else, one at a time, so
// no other file's load sits beside their measurements (two at once made the app-level timing
// ratio drift past its bound once in two full runs).
const ALONE = ['test/connector/security/timing.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time on two cores: most of them wait on real processes, PostgreSQL or Chromium.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: ALONE, globalSetup: ['test/global-setup.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'alone',
          include: ALONE,
          globalSetup: ['test/global-setup-alone.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
