import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTBOUND_QUEUES } from '../../src/outbound/outbox.js';
import { REMINDER_QUEUE } from '../../src/reminders/scheduler.js';
import { queuePrefixFor } from '../../src/store/redis.js';
import { buildWiredTestApp, inboundParams, type TestApp, twimlMessages } from '../support/app.js';
import { dayAhead, testClock } from '../support/clock.js';
import { plantedBody } from './planted.js';
import { personTraces } from './traces.js';

/**
 * DELETE leaves no key and no job of the person (reminders, weekly and milestone checks, queued
 * sends and their ledgers, replies kept per MessageSid, the flood limit's keys); and every key a
 * person has expires: after the retention period once nothing is pending, or after the last
 * thing pending. Both are checked by scanning the whole database.
 */
let t: TestApp;
let queues: Queue[];
beforeAll(async () => {
  t = await buildWiredTestApp();
  queues = [REMINDER_QUEUE, ...Object.values(OUTBOUND_QUEUES)].map(
    (name) => new Queue(name, { connection: t.redis, prefix: queuePrefixFor(t.redis) }),
  );
});
afterAll(async () => {
  for (const queue of queues) await queue.close();
  await t.close();
});

const RETENTION_SECONDS = 90 * 24 * 60 * 60;
const DAY = 24 * 60 * 60;
/** The appointment, about 100 days after the test's today, and the day the I-589 went, 60 days before it. */
const appointmentDay = dayAhead(100);
const filedDay = dayAhead(-60);

async function say(from: string, body: string): Promise<string[]> {
  const res = await t.sendSigned(inboundParams(from, body));
  expect(res.statusCode).toBe(200);
  return twimlMessages(res.body);
}

const traces = (personId: string) => personTraces(t.redis, queues, personId);

/** A person with everything Huella can hold: appointment reminders, weekly and milestone checks, a queued send. */
async function personWithEverything(from: string): Promise<string> {
  await say(from, plantedBody('hello'));
  await say(from, 'weekly reminder');
  await say(from, 'yes');
  await say(from, filedDay.at.toFormat('LLLL d yyyy'));
  await say(from, 'remind me');
  await say(from, appointmentDay.at.toFormat('LLLL d yyyy'));
  await say(from, '10am');
  expect((await say(from, '77002')).join(' ')).toContain(appointmentDay.en);
  await say(from, 'yes');
  const personId = t.huella.crypto.personId(from);
  const [appointment] = await t.huella.conversations.appointmentsOf(personId);
  expect(appointment).toBeDefined();
  // A reminder comes due: its text is stored and queued for the worker (none runs here).
  await t.huella.conversations.handleSystemEvent(
    personId,
    `rem-test-${personId}`,
    { type: 'REMINDER_DUE', appointmentId: appointment!.id, version: appointment!.version, kind: 'first' },
    testClock.now(),
  );
  return personId;
}

describe('DELETE', () => {
  it('leaves no key of the person and none of their reminder, weekly or milestone jobs', async () => {
    const from = '+15553500004';
    const personId = await personWithEverything(from);
    await say(from, 'DELETE');
    await say(from, 'YES');
    const after = await traces(personId);
    expect(after.keys.filter((key) => key.startsWith('hu:'))).toEqual([]);
    expect(after.jobs.filter((id) => id.startsWith(`${REMINDER_QUEUE}:`))).toEqual([]);
  });

  it('leaves no key and no job of the person, queued sends and queue events included', async () => {
    const from = '+15553500001';
    const personId = await personWithEverything(from);
    const before = await traces(personId);
    console.log(`before DELETE: ${before.keys.length} keys, jobs ${before.jobs.join(', ')}`);
    const kinds = before.jobs.map((id) => id.split(':')[0]);
    expect(kinds).toContain(REMINDER_QUEUE);
    expect(kinds).toContain(OUTBOUND_QUEUES.sms);
    expect(before.keys.some((key) => key.endsWith(':jobs'))).toBe(true);
    expect(before.keys.some((key) => key.includes(':send:'))).toBe(true);

    await say(from, 'DELETE');
    expect((await say(from, 'YES')).join(' ')).toContain(
      t.huella.renderer.pack('en').system.delete_done.slice(0, 20),
    );
    expect(await traces(personId)).toEqual({ keys: [], jobs: [] });
  });
});

describe('retention', () => {
  it('every key of a person with nothing pending expires within the retention period', async () => {
    const from = '+15553500002';
    await say(from, 'hola');
    await say(from, 'what do i bring');
    const { keys } = await traces(t.huella.crypto.personId(from));
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys.filter((k) => !k.endsWith(' (value)'))) {
      const ttl = await t.redis.ttl(key);
      expect(ttl, key).toBeGreaterThan(0);
      expect(ttl, key).toBeLessThanOrEqual(RETENTION_SECONDS);
    }
  });

  it('every key of a person with reminders pending expires, after the last of them plus the retention period', async () => {
    const from = '+15553500003';
    const personId = await personWithEverything(from);
    // The appointment is at 10:00 in Houston: the last thing pending ends before the next midnight UTC.
    const last = appointmentDay.at.plus({ days: 1 }).toMillis();
    const bound = Math.ceil((last - testClock.now().getTime()) / 1000) + RETENTION_SECONDS + DAY;
    const { keys } = await traces(personId);
    // BullMQ's own keys (a queued send) live by the queue's rules (removed when done), not these.
    for (const key of keys.filter((k) => k.startsWith('hu:') && !k.endsWith(' (value)'))) {
      const ttl = await t.redis.ttl(key);
      expect(ttl, key).toBeGreaterThan(0);
      expect(ttl, key).toBeLessThanOrEqual(bound);
    }
    const conversationTtl = await t.redis.ttl(keys.find((k) => k.endsWith(':conv'))!);
    expect(conversationTtl).toBeGreaterThan(
      Math.floor((appointmentDay.at.set({ hour: 10 }).toMillis() - testClock.now().getTime()) / 1000),
    );
  });
});
