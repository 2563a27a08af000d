import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // e2e tests spawn the built binary; two cores, so keep parallelism modest
    maxWorkers: 2,
    // Integration and e2e tests spawn processes and wait on timers on a 2-core machine; one retry keeps
    // a load stall from failing CI, while a real defect still fails both attempts (and a retried test
    // is reported as flaky in the output).
    retry: 1,
    reporters: ['default', './test/summary-reporter.ts'],
    env: { TZ: 'America/New_York' },
  },
});
