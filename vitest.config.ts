import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Integration tests each start loopback servers and an in-process dynalite; two cores here.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './tests/support/plain-summary-reporter.ts'],
  },
});
