import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time on two cores (the default is one fewer than the cores): most files wait on
    // real processes, PostgreSQL or Chromium rather than compute, so a second one overlaps them.
    maxWorkers: 2,
    globalSetup: ['test/global-setup.ts'],
  },
});
