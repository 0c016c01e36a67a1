import { Redis } from 'ioredis';
import { inject } from 'vitest';

/**
 * A client on a database of its own (1..63), so each test file starts empty and sees only its
 * own keys. Database 0 holds the counter that hands the numbers out.
 */
export async function isolatedRedis(): Promise<{ url: string; redis: Redis; db: number }> {
  const base = inject('redisUrl');
  const admin = new Redis(base, { maxRetriesPerRequest: 1 });
  const db = ((await admin.incr('huella-test:next-db')) % 63) + 1;
  await admin.quit();
  const url = `${base}/${db}`;
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  await redis.connect();
  await redis.flushdb();
  return { url, redis, db };
}
