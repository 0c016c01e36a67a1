import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueSend, OUTBOUND_QUEUES } from '../../src/outbound/outbox.js';
import { REMINDER_QUEUE } from '../../src/reminders/scheduler.js';
import { ConversationStore } from '../../src/store/conversation-store.js';
import { PersonCrypto } from '../../src/store/crypto.js';
import { keys } from '../../src/store/keys.js';
import { personTraces } from '../privacy/traces.js';
import { TEST_SECRET } from '../support/app.js';
import { testClock } from '../support/clock.js';
import { isolatedRedis } from '../support/redis.js';

const sealer = new PersonCrypto(TEST_SECRET);

let redis: Awaited<ReturnType<typeof isolatedRedis>>['redis'];
let reminders: Queue;
let outbound: { sms: Queue; whatsapp: Queue };
beforeAll(async () => {
  ({ redis } = await isolatedRedis());
  const prefix = 'erase-test';
  reminders = new Queue(REMINDER_QUEUE, { connection: redis, prefix });
  outbound = {
    sms: new Queue(OUTBOUND_QUEUES.sms, { connection: redis, prefix }),
    whatsapp: new Queue(OUTBOUND_QUEUES.whatsapp, { connection: redis, prefix }),
  };
});
afterAll(async () => {
  for (const queue of [reminders, outbound.sms, outbound.whatsapp]) await queue.close();
  await redis.quit();
});

/** A person with a conversation, a removed reminder (its events remain), and two queued sends. */
async function personWithJobs(personId: string, other: string): Promise<void> {
  await redis.hset(keys.conversation(personId), 'rev', '1');
  await redis.zadd(keys.index(personId), testClock.now().getTime(), keys.conversation(personId));
  await reminders.add('first', { personId }, { jobId: `rem-${personId}-a1-v1-P1D`, delay: 60_000 });
  await reminders.remove(`rem-${personId}-a1-v1-P1D`);
  const record = { kind: 'reminder', channel: 'sms' as const, lang: 'en', parts: ['hi'] };
  await enqueueSend({ redis, sealer }, outbound, personId, `rem-${personId}-a1-v1-P1D-first`, record);
  await enqueueSend({ redis, sealer }, outbound, personId, 'SM0123456789abcdef-now', record);
  // Someone else's queued send must stay.
  await enqueueSend({ redis, sealer }, outbound, other, `rem-${other}-a1-v1-P1D-first`, record);
}

describe('ConversationStore.erase with the queues', () => {
  it('removes the person keys, queued sends and queue events naming them, and nobody else’s', async () => {
    const store = new ConversationStore(redis, 3600, {
      sealer,
      queues: [reminders, outbound.sms, outbound.whatsapp],
    });
    const queues = [reminders, outbound.sms, outbound.whatsapp];
    const [personId, other] = ['P111111111111111111111', 'P222222222222222222222'];
    await personWithJobs(personId, other);
    const before = await personTraces(redis, queues, personId);
    expect(before.jobs).toHaveLength(2);
    expect(before.keys.some((key) => key.endsWith(':events (value)'))).toBe(true);

    await store.erase(personId);
    expect(await personTraces(redis, queues, personId)).toEqual({ keys: [], jobs: [] });
    expect((await personTraces(redis, queues, other)).jobs).toHaveLength(1);
  });

  it('without the queues, erases the keys and leaves the jobs (as before)', async () => {
    const store = new ConversationStore(redis, 3600, { sealer });
    const queues = [reminders, outbound.sms, outbound.whatsapp];
    const [personId, other] = ['P333333333333333333333', 'P444444444444444444444'];
    await personWithJobs(personId, other);
    await store.erase(personId);
    const after = await personTraces(redis, queues, personId);
    expect(after.keys.filter((key) => key.startsWith('hu:'))).toEqual([]);
    expect(after.jobs).toHaveLength(2);
  });
});
