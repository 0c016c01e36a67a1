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
    enableAutoPipelining: true,
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

/**
 * Reminders and conversations live only in Redis: a server that evicts keys under memory
 * pressure, or keeps nothing across a restart, would silently lose them. Returns what is wrong,
 * or an empty list. Reads INFO, which managed Redis services allow even where CONFIG is blocked.
 */
export async function redisSafetyProblems(client: Redis): Promise<string[]> {
  const info = await client.info();
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
  const problems: string[] = [];
  const policy = field('maxmemory_policy');
  if (policy !== undefined && policy !== 'noeviction') {
    problems.push(
      `maxmemory-policy is "${policy}": set it to noeviction, or keys (reminders) may be evicted`,
    );
  }
  const aof = field('aof_enabled') === '1';
  let rdb = false;
  try {
    const save = (await client.config('GET', 'save')) as string[];
    rdb = (save[1] ?? '').trim() !== '';
  } catch {
    // CONFIG is blocked on some managed services: judge by the append-only file alone.
  }
  if (!aof && !rdb) problems.push('no persistence (appendonly no, save ""): turn on appendonly yes');
  return problems;
}
