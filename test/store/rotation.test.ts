import { afterAll, describe, expect, it } from 'vitest';
import { rotationStatus } from '../../src/store/conversation-store.js';
import { generateSecret } from '../../src/store/crypto.js';
import { keys } from '../../src/store/keys.js';
import { buildWiredTestApp, inboundParams, type TestApp, twimlMessages } from '../support/app.js';
import { dayAhead, testClock } from '../support/clock.js';

/** The appointment these people tell, about 100 days after the test's today. */
const appointmentDay = dayAhead(100);

/**
 * Rotating HUELLA_SECRET with HUELLA_SECRET_PREVIOUS: people who started before the rotation go
 * on where they were (their reminders, kept under their old id, still find them), their number is
 * sealed again with the new key at their next message, and new people get new ids. rotationStatus
 * says when the previous secret can go.
 */
const OLD = generateSecret();
const NEW = generateSecret();
const apps: TestApp[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

async function say(t: TestApp, from: string, body: string): Promise<string> {
  const res = await t.sendSigned(inboundParams(from, body));
  expect(res.statusCode).toBe(200);
  return twimlMessages(res.body).join('\n');
}

describe('key rotation', () => {
  it('keeps existing conversations and reminders across the rotation, then reports when the old secret can go', async () => {
    const before = await buildWiredTestApp({ HUELLA_SECRET: OLD });
    apps.push(before);
    const from = '+15553600001';
    await say(before, from, 'hello');
    await say(before, from, 'remind me');
    await say(before, from, appointmentDay.at.toFormat('LLLL d yyyy'));
    await say(before, from, '10am');
    await say(before, from, '77002');
    await say(before, from, 'yes');
    const oldId = before.huella.crypto.personId(from);
    const jobs = await before.redis.smembers(keys.jobs(oldId));
    expect(jobs.length).toBeGreaterThan(0);

    const during = await buildWiredTestApp(
      { HUELLA_SECRET: NEW, HUELLA_SECRET_PREVIOUS: OLD },
      {},
      { redisUrl: before.url },
    );
    apps.push(during);
    expect(await rotationStatus(during.redis, during.huella.crypto)).toEqual({
      current: 0,
      previous: 1,
      sealedWithPrevious: 1,
      unreadable: 0,
    });
    const revBefore = Number(await during.redis.hget(keys.conversation(oldId), 'rev'));
    // The conversation goes on: the appointment is still there, no new introduction.
    const listed = await say(during, from, 'my appointments');
    expect(listed).toContain(appointmentDay.en);
    expect(Number(await during.redis.hget(keys.conversation(oldId), 'rev'))).toBe(revBefore + 1);
    const [newId] = during.huella.crypto.personIds(from);
    expect(await during.redis.exists(keys.conversation(newId!))).toBe(0);
    // Sealed again with the new key; the reminders (under the old id) are untouched.
    const addr = (await during.redis.hget(keys.conversation(oldId), 'addr'))!;
    expect(during.huella.crypto.isCurrent(addr)).toBe(true);
    expect(during.huella.crypto.open(addr)).toBe(from);
    expect((await during.redis.smembers(keys.jobs(oldId))).sort()).toEqual(jobs.sort());
    // A reminder due now reads the conversation under the old id and queues its text.
    const [appointment] = await during.huella.conversations.appointmentsOf(oldId);
    const due = await during.huella.conversations.handleSystemEvent(
      oldId,
      `rem-${oldId}-rotation`,
      { type: 'REMINDER_DUE', appointmentId: appointment!.id, version: appointment!.version, kind: 'first' },
      testClock.now(),
    );
    expect(due?.effects).toContain('send');
    // Someone new gets an id under the new secret.
    const newcomer = '+15553600002';
    await say(during, newcomer, 'hello');
    expect(await during.redis.exists(keys.conversation(during.huella.crypto.personIds(newcomer)[0]!))).toBe(
      1,
    );
    expect(await rotationStatus(during.redis, during.huella.crypto)).toEqual({
      current: 1,
      previous: 1,
      sealedWithPrevious: 0,
      unreadable: 0,
    });

    // Once that conversation is gone (expired, or erased), nothing needs the old secret.
    await say(during, from, 'DELETE');
    await say(during, from, 'YES');
    expect((await rotationStatus(during.redis, during.huella.crypto)).previous).toBe(0);
    // Back after that: a fresh start under the new id.
    await say(during, from, 'hello');
    expect(await during.redis.exists(keys.conversation(newId!))).toBe(1);
  });
});
