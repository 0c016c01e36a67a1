import { afterAll, describe, expect, it } from 'vitest';
import { rotationStatus } from '../../src/store/conversation-store.js';
import { generateSecret } from '../../src/store/crypto.js';
import { keys } from '../../src/store/keys.js';
import { buildWiredTestApp, inboundParams, type TestApp, twimlMessages } from '../support/app.js';

/**
 * Rotating HUELLA_SECRET with HUELLA_SECRET_PREVIOUS: people who started before the rotation go
 * on where they were; at their next message they move to their id under the new secret (their
 * conversation, replies and pending reminders, every value sealed again with the new key), and new
 * people get new ids. rotationStatus says when the previous secret can go, and without it they
 * are still found.
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
    await say(before, from, 'march 5 2027');
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
    expect(listed).toContain('March 5');
    // ...under the new id, every value sealed with the new key, the old id's keys and jobs gone.
    const [newId] = during.huella.crypto.personIds(from);
    expect(during.huella.crypto.personId(from)).toBe(newId);
    expect(await during.redis.exists(keys.conversation(oldId))).toBe(0);
    expect(Number(await during.redis.hget(keys.conversation(newId!), 'rev'))).toBe(revBefore + 1);
    const [addr, snap] = (await during.redis.hmget(keys.conversation(newId!), 'addr', 'snap')) as string[];
    expect(during.huella.crypto.isCurrent(addr!)).toBe(true);
    expect(during.huella.crypto.isCurrent(snap!)).toBe(true);
    expect(during.huella.crypto.open(addr!)).toBe(from);
    const movedJobs = (await during.redis.smembers(keys.jobs(newId!))).sort();
    expect(movedJobs).toEqual(jobs.map((id) => id.replace(oldId, newId!)).sort());
    expect(await during.redis.exists(keys.jobs(oldId))).toBe(0);
    const [reminders] = during.huella.queues;
    for (const id of jobs) expect(await reminders!.getJob(id), id).toBeUndefined();
    for (const id of movedJobs) expect(await reminders!.getJobState(id), id).toBe('delayed');
    // A reminder due now reads the conversation under the new id and queues its text.
    const [appointment] = await during.huella.conversations.appointmentsOf(newId!);
    const due = await during.huella.conversations.handleSystemEvent(
      newId!,
      `rem-${newId}-rotation`,
      { type: 'REMINDER_DUE', appointmentId: appointment!.id, version: appointment!.version, kind: 'first' },
      new Date(),
    );
    expect(due?.effects).toContain('send');
    // Someone new gets an id under the new secret.
    const newcomer = '+15553600002';
    await say(during, newcomer, 'hello');
    expect(await during.redis.exists(keys.conversation(during.huella.crypto.personIds(newcomer)[0]!))).toBe(
      1,
    );
    // Nobody is left under the previous secret: it can go.
    expect(await rotationStatus(during.redis, during.huella.crypto)).toEqual({
      current: 2,
      previous: 0,
      sealedWithPrevious: 0,
      unreadable: 0,
    });
    const after = await buildWiredTestApp({ HUELLA_SECRET: NEW }, {}, { redisUrl: before.url });
    apps.push(after);
    expect(await say(after, from, 'my appointments')).toContain('March 5');
  });
});
