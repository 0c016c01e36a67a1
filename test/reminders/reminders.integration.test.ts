import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { DateTime } from 'luxon';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Huella } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Appointment } from '../../src/conversation/appointments.js';
import { REMINDER_QUEUE, reminderJobId } from '../../src/reminders/scheduler.js';
import type { Running } from '../../src/server.js';
import { keys } from '../../src/store/keys.js';
import { createRedis } from '../../src/store/redis.js';
import { startWorker } from '../../src/worker.js';
import { dayAhead, testClock, testNow, toTestTime } from '../support/clock.js';
import { type FakeTwilio, startFakeTwilio } from '../support/fake-twilio.js';
import { testLogger } from '../support/log.js';
import { allKeys, isolatedRedis } from '../support/redis.js';

/**
 * Reminders end to end: the webhook, the conversation, BullMQ delayed jobs on a real Redis, the
 * worker, and the real twilio SDK sending to a local Twilio-compatible server. Offsets are seconds.
 */
const PUBLIC = 'https://huella.example.org';
const SECRET = Buffer.alloc(32, 9).toString('base64');
let fake: FakeTwilio;
let app: FastifyInstance;
let huella: Huella;
let worker: Running;
let redis: Awaited<ReturnType<typeof isolatedRedis>>['redis'];
let queue: Queue;
let cleanup: () => Promise<void>;
let sid = 0;
/** BullMQ's timers round to the millisecond and hosts' clocks differ a little: this much early is on time. */
const EARLY_MS = 50;

beforeAll(async () => {
  fake = await startFakeTwilio();
  const isolated = await isolatedRedis();
  redis = isolated.redis;
  // Hash-tagged, as a queue prefix must be on a cluster (the file also runs on one).
  const prefix = `{rt${randomUUID().slice(0, 8)}}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    TWILIO_ACCOUNT_SID: fake.accountSid,
    TWILIO_AUTH_TOKEN: fake.authToken,
    TWILIO_API_BASE_URL: fake.url,
    TWILIO_SMS_FROM: '+15005550006',
    TWILIO_WHATSAPP_FROM: 'whatsapp:+14155238886',
    PUBLIC_BASE_URL: PUBLIC,
    HUELLA_SECRET: SECRET,
    REMINDER_OFFSETS: 'PT6S,PT3S',
    FOLLOW_UP_AFTER: 'PT2S',
    STATUS_CHECK_EVERY: 'PT3S',
    QUIET_HOURS: '',
    OUTBOUND_MPS: '50',
    DEFAULT_TIMEZONE: 'America/Chicago',
    REDIS_ALLOW_UNSAFE: 'true',
  });
  const appRedis = createRedis(isolated.target);
  await appRedis.connect();
  const logger = testLogger();
  ({ app, huella } = await buildApp({
    config,
    redis: appRedis,
    logger,
    secret: SECRET,
    queuePrefix: prefix,
    clock: testClock,
  }));
  await app.ready();
  worker = await startWorker(config, logger, isolated.target, {
    queuePrefix: prefix,
    secret: SECRET,
    clock: testClock,
  });
  queue = new Queue(REMINDER_QUEUE, { connection: redis, prefix });
  cleanup = async () => {
    await worker.close();
    await app.close();
    await queue.close();
    appRedis.disconnect();
    await redis.quit();
    await fake.close();
  };
}, 30_000);
afterAll(async () => cleanup?.());

async function text(from: string, body: string): Promise<string> {
  sid++;
  const params = {
    MessageSid: `SM${String(sid).padStart(32, '0')}`,
    AccountSid: fake.accountSid,
    From: from,
    To: '+15005550006',
    Body: body,
    NumMedia: '0',
  };
  const res = await app.inject({
    method: 'POST',
    url: '/twilio/messages',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(
        fake.authToken,
        `${PUBLIC}/twilio/messages`,
        params,
      ),
    },
    payload: new URLSearchParams(params).toString(),
  });
  expect(res.statusCode).toBe(200);
  return res.body;
}

/** Gives a person an appointment `seconds` ahead (with seconds, as only a test can), and schedules it. */
async function appointmentIn(
  from: string,
  seconds: number,
  version = 1,
  previous?: Appointment,
): Promise<{ appointment: Appointment; at: DateTime }> {
  const personId = huella.crypto.personId(from);
  const at = testNow().setZone('America/Chicago').plus({ seconds }).startOf('second');
  const appointment: Appointment = {
    id: 'a1',
    date: at.toISODate()!,
    time: at.toFormat('HH:mm:ss'),
    zone: 'America/Chicago',
    place: '77002',
    version,
  };
  const key = keys.conversation(personId);
  const snap = JSON.parse(huella.crypto.unseal((await redis.hget(key, 'snap'))!)) as {
    context: { appointments: Appointment[] };
  };
  snap.context.appointments = [appointment];
  await redis.hset(key, 'snap', huella.crypto.seal(JSON.stringify(snap)));
  await huella.scheduler.schedule(personId, appointment, testNow(), previous);
  return { appointment, at };
}

const sentTo = (to: string) => fake.messages.filter((m) => m.to === to);

async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('appointment reminders', () => {
  it('schedules reminders and a follow-up when a person registers an appointment by text', async () => {
    const from = '+15550400001';
    await text(from, 'hi');
    await text(from, 'remind me');
    const day = dayAhead(100);
    await text(from, day.at.toFormat('LLLL d yyyy'));
    await text(from, '10am');
    const confirm = await text(from, '77002');
    expect(confirm).toContain(`${day.enWeekday}, ${day.en}`);
    expect(confirm).toContain('at 10:00 AM, ZIP code 77002');
    await text(from, 'yes');
    const personId = huella.crypto.personId(from);
    const appointment = day.at.set({ hour: 10 });
    for (const [slot, at] of [
      ['PT6S', appointment.minus({ seconds: 6 })],
      ['PT3S', appointment.minus({ seconds: 3 })],
      ['followup', appointment.plus({ seconds: 2 })],
    ] as const) {
      const job = await queue.getJob(reminderJobId(personId, 'a1', 1, slot));
      expect(job, slot).toBeDefined();
      // The job's delay is counted on the wall; its due moment, on the test's clock, is the slot's.
      expect(Math.abs(toTestTime(job!.timestamp) + job!.opts.delay! - at.toMillis()), slot).toBeLessThan(
        2_000,
      );
      expect(JSON.stringify(job!.data)).not.toContain('5550400001');
    }
    // The record of job ids (for STOP and DELETE) lasts beyond the furthest job, not forever.
    const ttl = await redis.ttl(keys.jobs(personId));
    const ahead = (appointment.toMillis() - testClock.now().getTime()) / 1000;
    expect(ttl).toBeGreaterThan(ahead);
    expect(ttl).toBeLessThan(ahead + 8 * 24 * 60 * 60);
  });

  it('sends each reminder once at its time, then asks whether the person went', async () => {
    const from = '+15550400002';
    await text(from, 'hi');
    const { at } = await appointmentIn(from, 9);
    const first = await waitFor('first reminder', () => sentTo(from).length >= 3 && sentTo(from));
    expect(first[0]!.body).toContain('Arrive 15 minutes early');
    expect(first[2]!.body).toContain('1-800-375-5283');
    // Never early (how late is the benchmark's business: a busy machine is slower, not wrong).
    expect(toTestTime(first[0]!.receivedAt)).toBeGreaterThanOrEqual(
      at.minus({ seconds: 6 }).toMillis() - EARLY_MS,
    );
    const second = await waitFor('second reminder', () => sentTo(from).length >= 5 && sentTo(from));
    expect(second[3]!.body).toContain('Reminder:');
    expect(toTestTime(second[3]!.receivedAt)).toBeGreaterThanOrEqual(
      at.minus({ seconds: 3 }).toMillis() - EARLY_MS,
    );
    const all = await waitFor('follow-up', () => sentTo(from).length >= 6 && sentTo(from));
    expect(all[5]!.body).toContain('Did you go?');
    expect(toTestTime(all[5]!.receivedAt)).toBeGreaterThanOrEqual(
      at.plus({ seconds: 2 }).toMillis() - EARLY_MS,
    );
    const answer = await text(from, 'yes');
    expect(answer).toContain('Keep the stamped notice in a safe place');
    await new Promise((r) => setTimeout(r, 500));
    expect(sentTo(from)).toHaveLength(6);
  });

  it('moves the reminders of a changed appointment, sending none twice and none of the old time', async () => {
    const from = '+15550400003';
    await text(from, 'hi');
    const { appointment: v1 } = await appointmentIn(from, 30);
    const { at } = await appointmentIn(from, 8, 2, v1);
    const personId = huella.crypto.personId(from);
    expect(await queue.getJob(reminderJobId(personId, 'a1', 1, 'PT6S'))).toBeUndefined();
    await waitFor('both reminders', () => sentTo(from).length >= 5);
    await new Promise((r) => setTimeout(r, 500));
    const sent = sentTo(from);
    expect(sent).toHaveLength(5);
    expect(sent[0]!.body).toContain(at.toFormat('h:mm a'));
  });

  it('removes every pending job on STOP and brings back the future ones on START', async () => {
    const from = '+15550400004';
    await text(from, 'hi');
    await appointmentIn(from, 120);
    const personId = huella.crypto.personId(from);
    const ids = ['PT6S', 'PT3S', 'followup'].map((slot) => reminderJobId(personId, 'a1', 1, slot));
    for (const id of ids) expect(await queue.getJob(id)).toBeDefined();
    await text(from, 'STOP');
    for (const id of ids) expect(await queue.getJob(id)).toBeUndefined();
    expect(await redis.hget(keys.conversation(personId), 'opted_out')).toBe('1');
    await text(from, 'START');
    for (const id of ids) expect(await queue.getJob(id)).toBeDefined();
    await text(from, 'DELETE');
    await text(from, 'yes');
    for (const id of ids) expect(await queue.getJob(id)).toBeUndefined();
    expect(await allKeys(redis, `*${personId}*`)).toEqual([]);
  });

  it('checks in every period while someone waits, until STOP', async () => {
    const from = 'whatsapp:+15550400005';
    await text(from, 'hi');
    await text(from, 'weekly reminder');
    await text(from, 'yes');
    await text(from, '0');
    const checks = await waitFor('two weekly checks', () => sentTo(from).length >= 2 && sentTo(from), 15_000);
    expect(checks[0]!.body).toContain('did your biometrics appointment notice come?');
    const gap = checks[1]!.receivedAt - checks[0]!.receivedAt;
    // Every STATUS_CHECK_EVERY (3 s), not sooner; later only as the machine is busy.
    expect(gap).toBeGreaterThan(2_000);
    expect(await text(from, 'not yet')).toContain('Keep checking each week');
    await text(from, 'STOP');
    const count = sentTo(from).length;
    await new Promise((r) => setTimeout(r, 4_000));
    expect(sentTo(from)).toHaveLength(count);
  });
});
