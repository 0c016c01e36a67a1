import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { refuseUnsafeRedis } from '../../src/server.js';
import { createRedis, primaries, redisSafetyProblems } from '../../src/store/redis.js';
import { testLogger } from '../support/log.js';
import { RedisCluster } from '../support/redis-cluster.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';

/** Each case gets a redis-server of its own: these settings are server-wide. */
const servers: RedisServer[] = [];
const clients: Redis[] = [];
afterAll(() => {
  for (const c of clients) c.disconnect();
  for (const s of servers) s.stop();
});

async function redisWith(args: string[]): Promise<Redis> {
  const server = await startRedisServer(args);
  servers.push(server);
  const client = new Redis(server.url);
  clients.push(client);
  return client;
}

const logger = testLogger();
const config = (allow: boolean) =>
  loadConfig({ NODE_ENV: 'test', REDIS_ALLOW_UNSAFE: allow ? 'true' : 'false' });

describe('refusing a Redis that could lose reminders', () => {
  it('accepts append-only persistence with noeviction', async () => {
    const redis = await redisWith(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']);
    expect(await redisSafetyProblems(redis)).toEqual([]);
    await expect(refuseUnsafeRedis(redis, config(false), logger)).resolves.toBeUndefined();
  });

  it('refuses no persistence and an evicting policy, saying what to change', async () => {
    const redis = await redisWith(['--maxmemory-policy', 'allkeys-lru']);
    const problems = await redisSafetyProblems(redis);
    expect(problems).toHaveLength(2);
    expect(problems.join(' ')).toContain('noeviction');
    expect(problems.join(' ')).toContain('appendonly yes');
    await expect(refuseUnsafeRedis(redis, config(false), logger)).rejects.toThrow(/REDIS_ALLOW_UNSAFE=true/);
  });

  it('counts RDB snapshots as persistence, and lets a throwaway setup through when allowed', async () => {
    const snapshots = await redisWith(['--save', '60 1']);
    expect(await redisSafetyProblems(snapshots)).toEqual([]);
    const bare = await redisWith([]);
    await expect(refuseUnsafeRedis(bare, config(true), logger)).resolves.toBeUndefined();
  });
});

describe('on a Redis Cluster', () => {
  it('checks every primary, and names the one that could lose reminders', async () => {
    const cluster = await RedisCluster.start();
    const client = createRedis(cluster.target);
    try {
      await client.connect();
      expect(await redisSafetyProblems(client)).toEqual([]);
      const [, second] = primaries(client);
      await second!.config('SET', 'maxmemory-policy', 'allkeys-lru');
      const problems = await redisSafetyProblems(client);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(`:${second!.options.port}: maxmemory-policy is "allkeys-lru"`);
    } finally {
      client.disconnect();
      await cluster.stop();
    }
  });
});
