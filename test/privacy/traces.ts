import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type RedisClient, scanKeys } from '../../src/store/redis.js';

/** Every key whose name or contents mention the person id, and every job that carries it. */
export async function personTraces(
  client: RedisClient,
  queues: Queue[],
  personId: string,
): Promise<{ keys: string[]; jobs: string[] }> {
  const found: string[] = [];
  // Every primary of a cluster; each key is read on the node that listed it.
  for await (const { node, keys: batch } of scanKeys(client, '*')) {
    for (const key of batch) {
      if (key.includes(personId)) found.push(key);
      else if ((await valueText(node, key)).includes(personId)) found.push(`${key} (value)`);
    }
  }
  const jobs: string[] = [];
  for (const queue of queues) {
    for (const job of await queue.getJobs()) {
      if (JSON.stringify(job.data).includes(personId) || job.id?.includes(personId))
        jobs.push(`${queue.name}:${job.id}`);
    }
  }
  return { keys: found.sort(), jobs };
}

/** A key's contents as text, whatever its type. */
async function valueText(redis: Redis, key: string): Promise<string> {
  const type = await redis.type(key);
  return type === 'hash'
    ? JSON.stringify(await redis.hgetall(key))
    : type === 'string'
      ? ((await redis.get(key)) ?? '')
      : type === 'zset'
        ? (await redis.zrange(key, '0', '-1')).join(' ')
        : type === 'set'
          ? (await redis.smembers(key)).join(' ')
          : type === 'list'
            ? (await redis.lrange(key, 0, -1)).join(' ')
            : type === 'stream'
              ? JSON.stringify(await redis.xrange(key, '-', '+'))
              : '';
}
