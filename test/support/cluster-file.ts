import { afterAll } from 'vitest';
import { describeFindings, scanRedis } from '../privacy/scan.js';
import { takeFileCluster } from './redis.js';

/**
 * Set up before each file of the "on a cluster" project: after the file (this hook, registered
 * first, runs last), the privacy scan reads every key on the file's cluster, as the run's scan
 * reads the shared server (test/support/global-setup.ts), and the cluster is stopped.
 */
afterAll(async () => {
  const cluster = await takeFileCluster();
  if (!cluster) return;
  try {
    const findings = [];
    for (const port of await cluster.primaryPorts()) {
      findings.push(...(await scanRedis(`redis://127.0.0.1:${port}`, [0])).findings);
    }
    if (findings.length > 0) {
      throw new Error(`privacy scan of the cluster: personal data found:\n${describeFindings(findings)}`);
    }
  } finally {
    await cluster.stop();
  }
}, 30_000);
