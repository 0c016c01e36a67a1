import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { createRedis, type RedisClient, type RedisTarget, scanKeys } from '../../src/store/redis.js';
import { RedisCluster } from './redis-cluster.js';

/**
 * HUELLA_TEST_REDIS=cluster (the "on a cluster" project in vitest.config.ts): the test file runs
 * on a Redis Cluster of its own instead of a database of the shared server.
 */
export const ON_CLUSTER = process.env.HUELLA_TEST_REDIS === 'cluster';

export interface IsolatedRedis {
  /** A URL for one server; on a cluster, a description (use `target`). */
  url: string;
  /** What the app is given (createRedis, startWorker). */
  target: RedisTarget | string;
  redis: RedisClient;
  db: number;
}

/**
 * A client on a database of its own (1..63), so each test file starts empty and sees only its
 * own keys. Database 0 holds the counter that hands the numbers out. On a cluster (which has
 * database 0 only), each test file gets a cluster of its own: about 3 s to start, cheaper than
 * teaching every key a per-file prefix, and nothing to clean up between files.
 */
export async function isolatedRedis(): Promise<IsolatedRedis> {
  if (ON_CLUSTER) return clusterOfThisFile();
  const base = inject('redisUrl');
  const admin = new Redis(base, { maxRetriesPerRequest: 1 });
  const db = ((await admin.incr('huella-test:next-db')) % 63) + 1;
  await admin.quit();
  const url = `${base}/${db}`;
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  await redis.connect();
  await redis.flushdb();
  return { url, target: url, redis, db };
}

let fileCluster: Promise<RedisCluster> | undefined;

async function clusterOfThisFile(): Promise<IsolatedRedis> {
  if (!fileCluster) {
    fileCluster = RedisCluster.start();
  }
  const cluster = await fileCluster;
  const redis = createRedis(cluster.target, { enableOfflineQueue: true, commandTimeout: 10_000 });
  await redis.connect();
  return { url: `cluster ${cluster.env}`, target: cluster.target, redis, db: 0 };
}

/** The file's cluster, if it started one, handed over to be stopped (test/support/cluster-file.ts). */
export async function takeFileCluster(): Promise<RedisCluster | undefined> {
  const cluster = fileCluster;
  fileCluster = undefined;
  return cluster;
}

/** Every key matching the pattern, on every primary (KEYS on a cluster sees one node only). */
export async function allKeys(redis: RedisClient, pattern: string): Promise<string[]> {
  const found: string[] = [];
  for await (const { keys } of scanKeys(redis, pattern)) found.push(...keys);
  return found;
}
