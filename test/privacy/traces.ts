import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** Every key whose name or contents mention the person id, and every job that carries it. */
export async function personTraces(
  redis: Redis,
  queues: Queue[],
  personId: string,
): Promise<{ keys: string[]; jobs: string[] }> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'COUNT', '1000');
    cursor = next;
    for (const key of batch) {
      if (key.includes(personId)) {
        found.push(key);
        continue;
      }
      const type = await redis.type(key);
      const text =
        type === 'hash'
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
      if (text.includes(personId)) found.push(`${key} (value)`);
    }
  } while (cursor !== '0');
  const jobs: string[] = [];
  for (const queue of queues) {
    for (const job of await queue.getJobs()) {
      if (JSON.stringify(job.data).includes(personId) || job.id?.includes(personId))
        jobs.push(`${queue.name}:${job.id}`);
    }
  }
  return { keys: found.sort(), jobs };
}
