import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/conversation/machine.js';
import { createLogger } from '../../src/logger.js';
import { deliver, recordDelivery } from '../../src/outbound/deliver.js';
import { enqueueSend, type OutboundJobData, type OutboundRecord } from '../../src/outbound/outbox.js';
import { TwilioSender } from '../../src/outbound/sender.js';
import { createTwilioClient } from '../../src/outbound/twilio-client.js';
import { generateSecret, PersonCrypto } from '../../src/store/crypto.js';
import { keys } from '../../src/store/keys.js';
import { type FakeTwilio, startFakeTwilio } from '../support/fake-twilio.js';
import { isolatedRedis } from '../support/redis.js';

/** The outbound path end to end: ledger in a real Redis, BullMQ queues, the real twilio SDK, a local Twilio. */
let fake: FakeTwilio;
let redis: Redis;
let url: string;
const crypto = new PersonCrypto(generateSecret());
const optedOutBy: string[] = [];
let running: { queues: Record<Channel, Queue<OutboundJobData>>; workers: Worker[] } | undefined;

beforeAll(async () => {
  fake = await startFakeTwilio();
  ({ url, redis } = await isolatedRedis());
});
afterAll(async () => {
  await redis.quit();
  await fake.close();
});
afterEach(async () => {
  if (running) {
    await Promise.all(running.workers.map((w) => w.close()));
    await Promise.all(Object.values(running.queues).map((q) => q.close()));
    running = undefined;
  }
  fake.reset();
  optedOutBy.length = 0;
});

async function startOutbound(templates: Record<string, string> = {}, fallback: 'sms' | 'none' = 'none') {
  const prefix = `t${Math.random().toString(36).slice(2, 8)}`;
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const client = createTwilioClient({
    accountSid: fake.accountSid,
    authToken: fake.authToken,
    apiBaseUrl: fake.url,
    timeoutMs: 1_000,
  });
  const sender = new TwilioSender({ client, smsFrom: '+15005550006', whatsappFrom: 'whatsapp:+14155238886' });
  const deps = {
    redis,
    sender,
    crypto,
    logger: createLogger('silent', false),
    whatsappTemplates: templates,
    whatsappFallback: fallback,
    statusCallbackBase: 'https://huella.example.org',
    onCarrierOptOut: async (personId: string) => {
      optedOutBy.push(personId);
    },
  };
  const queues = {
    sms: new Queue<OutboundJobData>('outbound-sms', { connection, prefix }),
    whatsapp: new Queue<OutboundJobData>('outbound-whatsapp', { connection, prefix }),
  };
  const workers = (['outbound-sms', 'outbound-whatsapp'] as const).map(
    (name) =>
      new Worker<OutboundJobData>(name, (job) => deliver(deps, job.data), {
        connection,
        prefix,
        concurrency: 5,
      }),
  );
  for (const w of workers) w.on('error', () => {});
  running = { queues, workers };
  return { queues, workers };
}

async function person(address: string, lastInboundAgoMs = 0): Promise<string> {
  const personId = crypto.personId(address);
  await redis.hset(keys.conversation(personId), {
    addr: crypto.seal(address),
    ch: address.startsWith('whatsapp:') ? 'whatsapp' : 'sms',
    last_in: String(Date.now() - lastInboundAgoMs),
    opted_out: '0',
  });
  return personId;
}

async function settled(queue: Queue, jobId: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await queue.getJobState(jobId);
    if (state === 'completed' || state === 'failed') return state;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${state}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const record = (channel: Channel, parts: string[], extra: Partial<OutboundRecord> = {}): OutboundRecord => ({
  kind: 'reminder',
  channel,
  lang: 'en',
  parts,
  ...extra,
});

describe('outbound delivery', () => {
  it('sends each part once, resuming after the parts already accepted when a retry comes', async () => {
    const { queues } = await startOutbound();
    const personId = await person('+15550300001');
    fake.failWith((req) =>
      req.body === 'part two' && req.attempt <= 2 ? { status: 500, code: 20500 } : undefined,
    );
    await enqueueSend(redis, queues, personId, 'send-a', record('sms', ['part one', 'part two']), {
      retryDelayMs: 20,
    });
    expect(await settled(queues.sms, 'send-a')).toBe('completed');
    expect(fake.messages.map((m) => m.body)).toEqual(['part one', 'part two']);
    expect(fake.attempts.filter((a) => a.body === 'part two')).toHaveLength(3);
    const ledger = await redis.hgetall(keys.send(personId, 'send-a'));
    expect(ledger.status).toBe('sent');
    expect(ledger['sid:0']).toMatch(/^SM/);
    expect(ledger['sid:1']).toBe(fake.messages[1]!.sid);
    // Queuing the same send again changes nothing and sends nothing.
    await enqueueSend(redis, queues, personId, 'send-a', record('sms', ['part one', 'part two']));
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.messages).toHaveLength(2);
  });

  it('retries 429 and no-answer without a double send', async () => {
    const { queues } = await startOutbound();
    const personId = await person('+15550300002');
    fake.failWith((req) =>
      req.attempt === 1 ? { status: 429, code: 20429 } : req.attempt === 2 ? 'hang' : undefined,
    );
    await enqueueSend(redis, queues, personId, 'send-b', record('sms', ['hello']), { retryDelayMs: 20 });
    expect(await settled(queues.sms, 'send-b')).toBe('completed');
    expect(fake.messages).toHaveLength(1);
    expect(fake.attempts.map((a) => a.outcome)).toEqual(['failed', 'hang', 'accepted']);
  });

  it('marks the person opted out on 21610 and never retries', async () => {
    const { queues } = await startOutbound();
    const personId = await person('+15550300003');
    fake.failWith(() => ({ status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' }));
    await enqueueSend(redis, queues, personId, 'send-c', record('sms', ['hello']), { retryDelayMs: 20 });
    expect(await settled(queues.sms, 'send-c')).toBe('failed');
    expect(fake.attempts).toHaveLength(1);
    expect(await redis.hget(keys.conversation(personId), 'opted_out')).toBe('1');
    expect(optedOutBy).toEqual([personId]);
    // Later sends to them are skipped without calling Twilio.
    await enqueueSend(redis, queues, personId, 'send-c2', record('sms', ['again']));
    expect(await settled(queues.sms, 'send-c2')).toBe('completed');
    expect(fake.attempts).toHaveLength(1);
    expect(await redis.hget(keys.send(personId, 'send-c2'), 'status')).toBe('skipped-opted-out');
  });

  it('stops sending to a number Twilio calls unreachable', async () => {
    const { queues } = await startOutbound();
    const personId = await person('+15550300004');
    fake.failWith(() => ({ status: 400, code: 21211, message: 'Invalid To number' }));
    await enqueueSend(redis, queues, personId, 'send-d', record('sms', ['hello']), { retryDelayMs: 20 });
    expect(await settled(queues.sms, 'send-d')).toBe('failed');
    expect(await redis.hget(keys.conversation(personId), 'undeliverable')).toBe('21211');
    expect(fake.attempts).toHaveLength(1);
  });

  it('uses free text inside the WhatsApp window and the approved template outside it', async () => {
    const { queues } = await startOutbound({ 'reminder.en': 'HX0123456789abcdef0123456789abcdef' });
    const recent = await person('whatsapp:+15550300005', 60_000);
    const stale = await person('whatsapp:+15550300006', 25 * 60 * 60 * 1000);
    const withTemplate = record('whatsapp', ['Your appointment is tomorrow'], {
      template: { name: 'reminder', variables: { '1': 'Tue, Mar 10, 10:00 AM' } },
    });
    await enqueueSend(redis, queues, recent, 'send-e', withTemplate);
    await enqueueSend(redis, queues, stale, 'send-f', withTemplate);
    expect(await settled(queues.whatsapp, 'send-e')).toBe('completed');
    expect(await settled(queues.whatsapp, 'send-f')).toBe('completed');
    const byTo = Object.fromEntries(fake.messages.map((m) => [m.to, m]));
    expect(byTo['whatsapp:+15550300005']).toMatchObject({
      body: 'Your appointment is tomorrow',
      contentSid: undefined,
    });
    expect(byTo['whatsapp:+15550300006']).toMatchObject({ contentSid: 'HX0123456789abcdef0123456789abcdef' });
    expect(JSON.parse(byTo['whatsapp:+15550300006']!.contentVariables!)).toEqual({
      '1': 'Tue, Mar 10, 10:00 AM',
    });
  });

  it('does not send, and does not record as sent, a WhatsApp text outside the window with no template', async () => {
    const { queues } = await startOutbound();
    const stale = await person('whatsapp:+15550300007', 25 * 60 * 60 * 1000);
    await enqueueSend(redis, queues, stale, 'send-g', record('whatsapp', ['hello']));
    expect(await settled(queues.whatsapp, 'send-g')).toBe('completed');
    expect(fake.attempts).toHaveLength(0);
    expect(await redis.hget(keys.send(stale, 'send-g'), 'status')).toBe('blocked');
  });

  it('falls back to SMS outside the WhatsApp window when so configured', async () => {
    const { queues } = await startOutbound({}, 'sms');
    const stale = await person('whatsapp:+15550300008', 25 * 60 * 60 * 1000);
    await enqueueSend(redis, queues, stale, 'send-h', record('whatsapp', ['hello by sms']));
    expect(await settled(queues.whatsapp, 'send-h')).toBe('completed');
    expect(fake.messages).toMatchObject([{ to: '+15550300008', from: '+15005550006', body: 'hello by sms' }]);
  });

  it('writes delivery reports to the ledger, and an unreachable report stops later sends', async () => {
    const { queues } = await startOutbound();
    const personId = await person('+15550300009');
    await enqueueSend(redis, queues, personId, 'send-i', record('sms', ['hello']));
    expect(await settled(queues.sms, 'send-i')).toBe('completed');
    expect(fake.messages[0]!.statusCallback).toBe(
      `https://huella.example.org/twilio/status?p=${personId}&s=send-i&i=0`,
    );
    await recordDelivery(redis, personId, 'send-i', 0, 'undelivered', '30006');
    const ledger = await redis.hgetall(keys.send(personId, 'send-i'));
    expect(ledger['delivery:0']).toBe('undelivered');
    expect(await redis.hget(keys.conversation(personId), 'undeliverable')).toBe('30006');
  });
});
