import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: the fault tests alone, at full counts (FAULT_FULL=1), one after another
 * so that each has the machine to itself. `npm test` runs the same tests at smaller counts.
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    include: ['test/faults/**/*.test.ts'],
    env: { FAULT_FULL: '1' },
    testTimeout: 30 * 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
