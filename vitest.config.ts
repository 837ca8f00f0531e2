import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // One file at a time on two cores (vitest's default): two at once measured 4:44 instead of 5:55,
    // but the timing test's ratios (security/timing.test.ts) then drift past their bound with the
    // other file's load beside them.
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
  },
});
