import { describe, it } from 'vitest';
import { clusterFailover, sentinelFailover } from './failover.js';
import { FULL } from './support.js';

/**
 * A primary killed while reminders fire, on Redis's own engines for scale and failover: Redis
 * Cluster and Redis Sentinel (test/faults/failover.ts). `npm test` runs both side by side at small
 * counts; `npm run test:faults` one after the other at full counts. The figures are printed.
 */
describe('failover', () => {
  for (const fault of [clusterFailover, sentinelFailover]) {
    const stage = fault.stage();
    const test = FULL ? it : it.concurrent;
    test(fault.title, ({ expect }) => fault.run(stage, expect), fault.timeoutMs);
  }
});
