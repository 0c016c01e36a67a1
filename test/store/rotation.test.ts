import { afterAll, describe, expect, it } from 'vitest';
import { rotationStatus } from '../../src/store/conversation-store.js';
import { generateSecret } from '../../src/store/crypto.js';
import { keys } from '../../src/store/keys.js';
import { moveEveryone, PersonMover } from '../../src/store/person-move.js';
import { PLANTED_DAYS } from '../privacy/planted.js';
import { buildWiredTestApp, inboundParams, type TestApp, twimlMessages } from '../support/app.js';
import { testClock } from '../support/clock.js';

/** The appointment these people tell, about 100 days after the test's today. */
const appointmentDay = PLANTED_DAYS.appointment;

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
      testClock.now(),
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
    expect(await say(after, from, 'my appointments')).toContain(appointmentDay.en);
  });

  it('loses nothing when a move is cut short, and waits while a send is queued', async () => {
    const before = await buildWiredTestApp({ HUELLA_SECRET: OLD });
    apps.push(before);
    const from = '+15553600003';
    for (const body of [
      'weekly reminder',
      'yes',
      PLANTED_DAYS.filed.at.toFormat('LLLL d yyyy'),
      'remind me',
      PLANTED_DAYS.appointment.at.toFormat('LLLL d yyyy'),
      '10am',
      '77002',
    ]) {
      await say(before, from, body);
    }
    expect(await say(before, from, 'yes')).toContain(PLANTED_DAYS.appointment.en);
    const oldId = before.huella.crypto.personId(from);
    const jobs = await before.redis.smembers(keys.jobs(oldId));
    expect(jobs.some((id) => id.startsWith('ms-'))).toBe(true);

    const during = await buildWiredTestApp(
      { HUELLA_SECRET: NEW, HUELLA_SECRET_PREVIOUS: OLD },
      {},
      { redisUrl: before.url },
    );
    apps.push(during);
    const crypto = during.huella.crypto;
    const [newId] = crypto.personIds(from) as [string];
    const { scheduler } = during.huella;
    const crash = () => {
      throw new Error('process killed');
    };

    // A send of theirs is still queued: they stay where they are for now.
    const sendKey = keys.send(oldId, 'queued-send');
    await during.redis.hset(sendKey, 'status', 'queued');
    await during.redis.zadd(keys.index(oldId), testClock.now().getTime(), sendKey);
    await say(during, from, 'my appointments');
    expect(await during.redis.exists(keys.conversation(newId))).toBe(0);
    await during.redis.hset(sendKey, 'status', 'sent');

    // Cut short after the jobs were copied, before the conversation: still under the old id.
    const beforeWrite = new PersonMover(during.redis, crypto, {
      moveJobs: async (a, b) => {
        await scheduler.moveJobs(a, b);
        crash();
      },
      cancelAll: (id) => scheduler.cancelAll(id),
      anyRunning: (id) => scheduler.anyRunning(id),
    });
    await expect(beforeWrite.move(oldId, newId)).rejects.toThrow('process killed');
    expect(await during.redis.exists(keys.conversation(newId))).toBe(0);
    expect(await during.redis.exists(keys.conversation(oldId))).toBe(1);

    // Cut short after the conversation was written, before the old keys went: both there.
    const afterWrite = new PersonMover(during.redis, crypto, {
      moveJobs: (a, b) => scheduler.moveJobs(a, b),
      cancelAll: async () => crash(),
      anyRunning: (id) => scheduler.anyRunning(id),
    });
    await expect(afterWrite.move(oldId, newId)).rejects.toThrow('process killed');
    expect(await during.redis.exists(keys.conversation(newId), keys.conversation(oldId))).toBe(2);

    // The next message goes on under the new id and clears what was left under the old one.
    expect(await say(during, from, 'my appointments')).toContain(PLANTED_DAYS.appointment.en);
    expect(await during.redis.exists(keys.conversation(oldId), keys.jobs(oldId), keys.index(oldId))).toBe(0);
    const [reminders] = during.huella.queues;
    for (const id of jobs) expect(await reminders!.getJob(id), id).toBeUndefined();
    // Every job once, under the new id; the milestones' filing date sealed with the new key.
    const moved = (await during.redis.smembers(keys.jobs(newId))).sort();
    expect(moved).toHaveLength(jobs.length);
    for (const id of moved) {
      expect(id).toContain(newId);
      const job = await reminders!.getJob(id);
      expect(job?.data.personId).toBe(newId);
      if (job?.data.type === 'milestone') {
        expect(crypto.isCurrent(job.data.filed!)).toBe(true);
        expect(crypto.open(job.data.filed!)).toBe(PLANTED_DAYS.filed.iso);
        expect(id).toBe(`ms-${newId}-${job.data.kind}-${crypto.tag(PLANTED_DAYS.filed.iso)}`);
      }
    }
    expect((await rotationStatus(during.redis, crypto)).previous).toBe(0);
  });

  it('moves everyone still under the previous secret at once, for the operator (summary --rotation --move)', async () => {
    const before = await buildWiredTestApp({ HUELLA_SECRET: OLD });
    apps.push(before);
    const quiet = ['+15553600004', '+15553600005'];
    for (const from of quiet) {
      for (const body of [
        'remind me',
        PLANTED_DAYS.appointment.at.toFormat('LLLL d yyyy'),
        '10am',
        '77002',
        'yes',
      ])
        await say(before, from, body);
    }
    const during = await buildWiredTestApp(
      { HUELLA_SECRET: NEW, HUELLA_SECRET_PREVIOUS: OLD },
      {},
      { redisUrl: before.url },
    );
    apps.push(during);
    const { crypto } = during.huella;
    expect((await rotationStatus(during.redis, crypto)).previous).toBe(2);
    expect(await moveEveryone(during.redis, crypto, during.huella.movePerson)).toEqual({ moved: 2, left: 0 });
    expect(await rotationStatus(during.redis, crypto)).toMatchObject({ previous: 0, sealedWithPrevious: 0 });
    // Without the previous secret, they go on where they were.
    const after = await buildWiredTestApp({ HUELLA_SECRET: NEW }, {}, { redisUrl: before.url });
    apps.push(after);
    for (const from of quiet) expect(await say(after, from, 'my appointments')).toContain(appointmentDay.en);
  });
});
