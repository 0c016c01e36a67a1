import { Queue } from 'bullmq';
import { METRICS_KEY } from '../../src/metrics.js';
import { OUTBOUND_QUEUES } from '../../src/outbound/outbox.js';
import { REMINDER_QUEUE } from '../../src/reminders/scheduler.js';
import type { RedisClient } from '../../src/store/redis.js';

/**
 * Everything a database holds, as one comparable value: every key (SCAN) with its type and
 * contents, and the job counts of every BullMQ queue. Two equal snapshots mean nothing changed.
 * The metrics counters are left out: they count rejected requests too, and reach Redis on a
 * timer, so whether a flush falls between two snapshots depends on the machine's speed.
 */
export async function snapshotState(
  redis: RedisClient,
): Promise<{ keys: Record<string, string>; jobs: unknown }> {
  const keys: Record<string, string> = {};
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'COUNT', '1000');
    cursor = next;
    for (const key of batch) {
      if (key === METRICS_KEY) continue;
      const type = await redis.type(key);
      const value =
        type === 'string'
          ? await redis.get(key)
          : type === 'hash'
            ? await redis.hgetall(key)
            : type === 'list'
              ? await redis.lrange(key, 0, -1)
              : type === 'set'
                ? (await redis.smembers(key)).sort()
                : type === 'zset'
                  ? await redis.zrange(key, '0', '-1', 'WITHSCORES')
                  : type === 'stream'
                    ? await redis.xlen(key)
                    : type;
      keys[key] = `${type}:${JSON.stringify(value)}`;
    }
  } while (cursor !== '0');
  const jobs: Record<string, unknown> = {};
  for (const name of [REMINDER_QUEUE, ...Object.values(OUTBOUND_QUEUES)]) {
    const queue = new Queue(name, { connection: redis });
    jobs[name] = await queue.getJobCounts();
    await queue.close();
  }
  return { keys, jobs };
}
