import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // e2e tests spawn the built binary; two cores, so keep parallelism modest
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
    env: { TZ: 'America/New_York' },
  },
});
