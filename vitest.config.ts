import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Left to itself, vitest ran one file at a time on the 2-core CI machine. Most files wait on
    // processes, Redis and timers, so two at a time halve the run; more than 4 would crowd the
    // fault tests' processes.
    maxWorkers: Math.min(4, Math.max(2, availableParallelism())),
  },
});
