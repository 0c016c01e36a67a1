import { Queue, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/conversation/machine.js';
import { createLogger } from '../../src/logger.js';
import {
  type DeliverDeps,
  deliver,
  recordDelivery,
  SENDING_MARK_MARGIN_MS,
  SendInterrupted,
} from '../../src/outbound/deliver.js';
import { createOutboundWorker } from '../../src/outbound/outbound-worker.js';
import { enqueueSend, type OutboundJobData, type OutboundRecord } from '../../src/outbound/outbox.js';
import { rateKey, SendLimiter } from '../../src/outbound/rate-limit.js';
import { TwilioSender } from '../../src/outbound/sender.js';
import { createTwilioClient } from '../../src/outbound/twilio-client.js';
import { generateSecret, PersonCrypto } from '../../src/store/crypto.js';
import { keys } from '../../src/store/keys.js';
import type { RedisClient } from '../../src/store/redis.js';
import { PLANTED } from '../privacy/planted.js';
import { testClock } from '../support/clock.js';
import {
  busiestWindow,
  type FailureRequest,
  type FakeTwilio,
  startFakeTwilio,
} from '../support/fake-twilio.js';
import { isolatedRedis } from '../support/redis.js';

/** The outbound path end to end: ledger in a real Redis, BullMQ queues, the real twilio SDK, a local Twilio. */
let fake: FakeTwilio;
let redis: RedisClient;
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

/** The client's timeout in these tests: a 'hang' or 'lost' answer costs this long. */
const TIMEOUT_MS = 1_000;

/** The send moments the rate limit reserved (Redis's clock, ms), in the order it gave them. */
const reserved: number[] = [];

/** The tests' clock, which delivery is given too: the marks and windows written here are read by it. */
const nowMs = () => testClock.now().getTime();

function outboundDeps(
  templates: Record<string, string> = {},
  fallback: 'sms' | 'none' = 'none',
  perSecond?: number,
): DeliverDeps {
  const client = createTwilioClient({
    accountSid: fake.accountSid,
    authToken: fake.authToken,
    apiBaseUrl: fake.url,
    timeoutMs: TIMEOUT_MS,
  });
  const sender = new TwilioSender({
    client,
    smsFrom: '+15005550006',
    whatsappFrom: 'whatsapp:+14155238886',
    timeoutMs: TIMEOUT_MS,
  });
  return {
    redis,
    sender,
    crypto,
    now: nowMs,
    logger: createLogger('silent', false),
    whatsappTemplates: templates,
    whatsappFallback: fallback,
    statusCallbackBase: 'https://huella.example.org',
    onCarrierOptOut: async (personId: string) => {
      optedOutBy.push(personId);
    },
    ...(perSecond ? { limiter: new SendLimiter(redis, perSecond, (at) => reserved.push(at)) } : {}),
  };
}

async function startOutbound(
  templates: Record<string, string> = {},
  fallback: 'sms' | 'none' = 'none',
  perSecond?: number,
) {
  const prefix = `t${Math.random().toString(36).slice(2, 8)}`;
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const deps = outboundDeps(templates, fallback, perSecond);
  const queues = {
    sms: new Queue<OutboundJobData>('outbound-sms', { connection, prefix }),
    whatsapp: new Queue<OutboundJobData>('outbound-whatsapp', { connection, prefix }),
  };
  const workers = (['outbound-sms', 'outbound-whatsapp'] as const).map((name) =>
    createOutboundWorker(name, deps, { connection, prefix, concurrency: 5 }),
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
    last_in: String(nowMs() - lastInboundAgoMs),
    opted_out: '0',
  });
  return personId;
}

async function settled(queue: Queue, jobId: string, timeoutMs = 15_000): Promise<string> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const state = await queue.getJobState(jobId);
    if (state === 'completed' || state === 'failed') return state;
    if (performance.now() > deadline) throw new Error(`job ${jobId} still ${state}`);
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
    await enqueueSend(
      { redis, sealer: crypto },
      queues,
      personId,
      'send-a',
      record('sms', ['part one', 'part two']),
      {
        retryDelayMs: 20,
      },
    );
    expect(await settled(queues.sms, 'send-a')).toBe('completed');
    expect(fake.messages.map((m) => m.body)).toEqual(['part one', 'part two']);
    expect(fake.attempts.filter((a) => a.body === 'part two')).toHaveLength(3);
    const ledger = await redis.hgetall(keys.send(personId, 'send-a'));
    expect(ledger.status).toBe('sent');
    expect(ledger['sid:0']).toMatch(/^SM/);
    expect(ledger['sid:1']).toBe(fake.messages[1]!.sid);
    // Queuing the same send again changes nothing and sends nothing.
    await enqueueSend(
      { redis, sealer: crypto },
      queues,
      personId,
      'send-a',
      record('sms', ['part one', 'part two']),
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.messages).toHaveLength(2);
  });

  it('retries 429 and no-answer without a double send', async () => {
    const { queues } = await startOutbound();
    const personId = await person('+15550300002');
    fake.failWith((req) =>
      req.attempt === 1 ? { status: 429, code: 20429 } : req.attempt === 2 ? 'hang' : undefined,
    );
    await enqueueSend({ redis, sealer: crypto }, queues, personId, 'send-b', record('sms', ['hello']), {
      retryDelayMs: 20,
    });
    expect(await settled(queues.sms, 'send-b')).toBe('completed');
    expect(fake.messages).toHaveLength(1);
    expect(fake.attempts.map((a) => a.outcome)).toEqual(['failed', 'hang', 'accepted']);
  });

  it("keeps Twilio's words, the number and the text out of a failed job's reason and stack trace", async () => {
    const { queues } = await startOutbound();
    // Twilio's messages quote the number (and here the text): BullMQ would keep them 7 days.
    const twilioSays = (req: FailureRequest) =>
      `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${req.to}. Body: ${req.body}`;
    fake.failWith((req) =>
      req.to.endsWith('21')
        ? { status: 400, code: 21408, message: twilioSays(req) }
        : req.attempt === 1
          ? { status: 503, code: 20503, message: twilioSays(req) }
          : undefined,
    );
    const refused = await person('+15550300021');
    const retried = await person('+15550300022');
    const text = (what: string) => [`parte ${what} ${PLANTED.canary}`];
    await enqueueSend({ redis, sealer: crypto }, queues, refused, 'send-q1', record('sms', text('uno')));
    await enqueueSend({ redis, sealer: crypto }, queues, retried, 'send-q2', record('sms', text('dos')), {
      retryDelayMs: 20,
    });
    expect(await settled(queues.sms, 'send-q1')).toBe('failed');
    expect(await settled(queues.sms, 'send-q2')).toBe('completed');
    for (const id of ['send-q1', 'send-q2']) {
      const job = await redis.hgetall(queues.sms.toKey(id));
      const kept = `${job.failedReason} ${job.stacktrace}`;
      expect(job.stacktrace, id).toBeDefined();
      expect(kept, id).not.toMatch(/5550300|Permission|region|parte/);
      expect(kept, id).not.toContain(PLANTED.canary);
    }
    expect((await redis.hget(queues.sms.toKey('send-q1'), 'failedReason')) ?? '').toMatch(/21408/);
    expect((await redis.hget(queues.sms.toKey('send-q2'), 'failedReason')) ?? '').toMatch(/20503/);
  });

  it("keeps Twilio's words out of a failed job when it could not tell whether a part went out", async () => {
    const { queues } = await startOutbound();
    const address = '+15550300023';
    const personId = await person(address);
    // The first try is taken but never answered; the list read that asks about it fails, quoting the number.
    fake.failWith((req) => (req.attempt === 1 ? 'lost' : undefined));
    fake.failLookupsWith(() => ({
      status: 500,
      code: 20500,
      message: `Internal error reading messages to ${address}: not a valid phone number`,
    }));
    await enqueueSend({ redis, sealer: crypto }, queues, personId, 'send-q3', record('sms', ['parte tres']), {
      retryDelayMs: 20,
    });
    const key = queues.sms.toKey('send-q3');
    const deadline = performance.now() + 15_000;
    while (fake.lookups.length === 0 || !(await redis.hget(key, 'failedReason'))) {
      if (performance.now() > deadline) throw new Error('no failed lookup');
      await new Promise((r) => setTimeout(r, 25));
    }
    const job = await redis.hgetall(key);
    expect(job.failedReason).toMatch(/could not check whether part 0 went out/);
    expect(`${job.failedReason} ${job.stacktrace}`).not.toMatch(/5550300|valid phone|parte/);
    fake.failLookupsWith(undefined);
  });

  it('marks the person opted out on 21610 and never retries', async () => {
    const { queues } = await startOutbound();
    const personId = await person('+15550300003');
    fake.failWith(() => ({ status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' }));
    await enqueueSend({ redis, sealer: crypto }, queues, personId, 'send-c', record('sms', ['hello']), {
      retryDelayMs: 20,
    });
    expect(await settled(queues.sms, 'send-c')).toBe('failed');
    expect(fake.attempts).toHaveLength(1);
    expect(await redis.hget(keys.conversation(personId), 'opted_out')).toBe('1');
    expect(optedOutBy).toEqual([personId]);
    // Later sends to them are skipped without calling Twilio.
    await enqueueSend({ redis, sealer: crypto }, queues, personId, 'send-c2', record('sms', ['again']));
    expect(await settled(queues.sms, 'send-c2')).toBe('completed');
    expect(fake.attempts).toHaveLength(1);
    expect(await redis.hget(keys.send(personId, 'send-c2'), 'status')).toBe('skipped-opted-out');
  });

  it('stops sending to a number Twilio calls unreachable', async () => {
    const { queues } = await startOutbound();
    const personId = await person('+15550300004');
    fake.failWith(() => ({ status: 400, code: 21211, message: 'Invalid To number' }));
    await enqueueSend({ redis, sealer: crypto }, queues, personId, 'send-d', record('sms', ['hello']), {
      retryDelayMs: 20,
    });
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
    await enqueueSend({ redis, sealer: crypto }, queues, recent, 'send-e', withTemplate);
    await enqueueSend({ redis, sealer: crypto }, queues, stale, 'send-f', withTemplate);
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
    await enqueueSend({ redis, sealer: crypto }, queues, stale, 'send-g', record('whatsapp', ['hello']));
    expect(await settled(queues.whatsapp, 'send-g')).toBe('completed');
    expect(fake.attempts).toHaveLength(0);
    expect(await redis.hget(keys.send(stale, 'send-g'), 'status')).toBe('blocked');
  });

  it('falls back to SMS outside the WhatsApp window when so configured', async () => {
    const { queues } = await startOutbound({}, 'sms');
    const stale = await person('whatsapp:+15550300008', 25 * 60 * 60 * 1000);
    await enqueueSend(
      { redis, sealer: crypto },
      queues,
      stale,
      'send-h',
      record('whatsapp', ['hello by sms']),
    );
    expect(await settled(queues.whatsapp, 'send-h')).toBe('completed');
    expect(fake.messages).toMatchObject([{ to: '+15550300008', from: '+15005550006', body: 'hello by sms' }]);
  });

  it('writes delivery reports to the ledger, and an unreachable report stops later sends', async () => {
    const { queues } = await startOutbound();
    const personId = await person('+15550300009');
    await enqueueSend({ redis, sealer: crypto }, queues, personId, 'send-i', record('sms', ['hello']));
    expect(await settled(queues.sms, 'send-i')).toBe('completed');
    expect(fake.messages[0]!.statusCallback).toBe(
      `https://huella.example.org/twilio/status?p=${personId}&s=send-i&i=0`,
    );
    await recordDelivery(redis, personId, 'send-i', 0, 'undelivered', '30006');
    const ledger = await redis.hgetall(keys.send(personId, 'send-i'));
    expect(ledger['delivery:0']).toBe('undelivered');
    expect(await redis.hget(keys.conversation(personId), 'undeliverable')).toBe('30006');
  });

  it('finds a part Twilio accepted but whose answer was lost, and does not send it again', async () => {
    const { queues } = await startOutbound();
    const personId = await person('+15550300010');
    // The first try of part two is taken by Twilio, but its answer never comes back.
    fake.failWith((req) => (req.body === 'part two' && req.attempt === 1 ? 'lost' : undefined));
    await enqueueSend(
      { redis, sealer: crypto },
      queues,
      personId,
      'send-j',
      record('sms', ['part one', 'part two', 'part three']),
      {
        retryDelayMs: 20,
      },
    );
    expect(await settled(queues.sms, 'send-j', 20_000)).toBe('completed');
    expect(fake.messages.map((m) => m.body)).toEqual(['part one', 'part two', 'part three']);
    expect(fake.attempts.map((a) => a.outcome)).toEqual(['accepted', 'lost', 'accepted']);
    expect(fake.lookups).toHaveLength(1);
    const ledger = await redis.hgetall(keys.send(personId, 'send-j'));
    expect(ledger['sid:1']).toBe(fake.messages[1]!.sid);
    expect(ledger['sending:1']).toBeUndefined();
    expect(ledger.status).toBe('sent');
  });

  it('sends again a part whose try got no answer and that Twilio never took', async () => {
    const { queues } = await startOutbound();
    const personId = await person('+15550300011');
    fake.failWith((req) => (req.attempt === 1 ? 'hang' : undefined));
    await enqueueSend({ redis, sealer: crypto }, queues, personId, 'send-k', record('sms', ['only part']), {
      retryDelayMs: 20,
    });
    expect(await settled(queues.sms, 'send-k', 20_000)).toBe('completed');
    expect(fake.attempts.map((a) => a.outcome)).toEqual(['hang', 'accepted']);
    expect(fake.lookups).toHaveLength(1);
    expect(fake.messages).toHaveLength(1);
  });

  it('after a worker died between Twilio accepting a part and the ledger, asks Twilio instead of resending', async () => {
    const deps = outboundDeps();
    const sent = await person('+15550300012');
    const unsent = await person('+15550300013');
    const longAgo = nowMs() - (TIMEOUT_MS + SENDING_MARK_MARGIN_MS + 1_000);
    for (const [personId, sendId] of [
      [sent, 'send-l'],
      [unsent, 'send-m'],
    ] as const) {
      await redis.hset(keys.send(personId, sendId), {
        record: JSON.stringify(record('sms', ['first', 'second'])),
        status: 'queued',
        'sid:0': 'SMearlier',
        'sending:1': `${longAgo}:deadbeef`,
      });
    }
    // The dead worker's call had reached Twilio for one person only.
    await deps.sender.send({
      personId: sent,
      to: '+15550300012',
      channel: 'sms',
      body: 'second',
      kind: 'reminder',
    });
    expect(await deliver(deps, { personId: sent, sendId: 'send-l' })).toBe('sent');
    expect(await deliver(deps, { personId: unsent, sendId: 'send-m' })).toBe('sent');
    expect(fake.messages.map((m) => [m.to, m.body])).toEqual([
      ['+15550300012', 'second'],
      ['+15550300013', 'second'],
    ]);
    expect(await redis.hget(keys.send(sent, 'send-l'), 'sid:1')).toBe(fake.messages[0]!.sid);
    expect(fake.lookups).toHaveLength(2);
  });

  it('waits, without sending or asking, while a part may still be in flight', async () => {
    const deps = outboundDeps();
    const personId = await person('+15550300014');
    await redis.hset(keys.send(personId, 'send-n'), {
      record: JSON.stringify(record('sms', ['in flight'])),
      status: 'queued',
      'sending:0': `${nowMs()}:cafe`,
    });
    await expect(deliver(deps, { personId, sendId: 'send-n' })).rejects.toMatchObject({
      name: 'SendDeferred',
    });
    expect(fake.attempts).toHaveLength(0);
    expect(fake.lookups).toHaveLength(0);
  });

  it('stops between parts when the worker shuts down', async () => {
    const deps = outboundDeps();
    const personId = await person('+15550300015');
    await redis.hset(keys.send(personId, 'send-o'), {
      record: JSON.stringify(record('sms', ['one', 'two'])),
      status: 'queued',
    });
    const stop = new AbortController();
    stop.abort('shutdown');
    await expect(deliver(deps, { personId, sendId: 'send-o' }, stop.signal)).rejects.toBeInstanceOf(
      SendInterrupted,
    );
    expect(fake.attempts).toHaveLength(0);
  });

  it('keeps every sending number to OUTBOUND_MPS texts in any second, counting every part and retry', async () => {
    await redis.del(rateKey('sms'));
    reserved.length = 0;
    const { queues } = await startOutbound({}, 'none', 4);
    fake.failWith((req) => (req.attempt === 1 && req.body?.endsWith('b') ? { status: 500 } : undefined));
    for (let n = 0; n < 4; n++) {
      const personId = await person(`+1555030010${n}`);
      await enqueueSend(
        { redis, sealer: crypto },
        queues,
        personId,
        `send-p${n}`,
        record('sms', [`${n}a`, `${n}b`, `${n}c`]),
        {
          retryDelayMs: 20,
        },
      );
    }
    for (let n = 0; n < 4; n++) expect(await settled(queues.sms, `send-p${n}`, 20_000)).toBe('completed');
    expect(fake.messages).toHaveLength(12);
    expect(fake.attempts).toHaveLength(16);
    // What the limit guarantees: the moments it hands out, 16 of them, never more than 4 in any
    // second. Requests leave at their moment or later (a busy event loop, a Redis round trip, the
    // network) and may arrive at Twilio closer together than that: how much closer is measured by
    // `npm run bench` (the rate row), not asserted here.
    expect(reserved).toHaveLength(16);
    expect(busiestWindow(reserved, 1_000)).toBeLessThanOrEqual(4);
    // None leaves early: the k-th request Twilio saw came no sooner than the k-th moment handed out
    // (Redis and this process read the same host clock; 5 ms for rounding).
    const arrivals = fake.attempts.map((a) => a.receivedAt).sort((x, y) => x - y);
    const moments = [...reserved].sort((x, y) => x - y);
    for (const [k, arrived] of arrivals.entries()) expect(arrived).toBeGreaterThanOrEqual(moments[k]! - 5);
  });
});
