import { afterAll } from 'vitest';
import { stopFileCluster } from './redis.js';

/**
 * Set up before each file of the "on a cluster" project: the cluster that the file's
 * isolatedRedis() started is stopped after the file (this hook, registered first, runs last).
 */
afterAll(stopFileCluster, 30_000);
