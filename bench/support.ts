import type { Redis } from 'ioredis';
import { type RedisServer, startRedisServer } from '../test/support/redis-server.js';

/** A throwaway redis-server for one benchmark (noeviction, no persistence: we measure the app). */
export async function startRedis(): Promise<RedisServer> {
  return startRedisServer(['--maxmemory-policy', 'noeviction']);
}

export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `task` over items with at most `limit` in flight. */
export async function inPool<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}
