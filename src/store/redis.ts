import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

/**
 * A client for request paths: it fails fast instead of queueing while Redis is away, so a
 * webhook answers in time; it reconnects by itself when Redis returns.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 2_000,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    lazyConnect: true,
    ...options,
  });
}

/** Connects, failing the boot with a clear message if Redis is not reachable. */
export async function connectRedis(client: Redis, what = 'Redis'): Promise<void> {
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw new Error(`${what} is not reachable: ${(error as Error).message}`);
  }
}
