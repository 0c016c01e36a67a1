import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Appointment } from '../../src/conversation/appointments.js';
import { planReminders } from '../../src/reminders/plan.js';
import { ReminderScheduler, reminderJobId, type ScheduledJobData } from '../../src/reminders/scheduler.js';
import { PersonCrypto } from '../../src/store/crypto.js';
import { keys } from '../../src/store/keys.js';
import { TEST_SECRET } from '../support/app.js';
import { testNow } from '../support/clock.js';
import { isolatedRedis } from '../support/redis.js';

/** The scheduler against a real Redis: many calls at once, and plans reused across people. */
const offsets = ['P3D', 'P1D', 'PT3H'];
const quiet = { start: '21:00', end: '08:00' };
let redis: Awaited<ReturnType<typeof isolatedRedis>>['redis'];
let queue: Queue<ScheduledJobData>;
let scheduler: ReminderScheduler;

beforeAll(async () => {
  ({ redis } = await isolatedRedis());
  queue = new Queue<ScheduledJobData>('reminders', {
    connection: redis,
    prefix: `sch${randomUUID().slice(0, 8)}`,
  });
  scheduler = new ReminderScheduler(queue, redis, { offsets, quiet, sealer: new PersonCrypto(TEST_SECRET) });
});
afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  await redis.quit();
});

const appointment = (date: string, time = '10:00', version = 1): Appointment => ({
  id: 'a1',
  date,
  time,
  zone: 'America/Chicago',
  place: '77002',
  version,
});

describe('reminder scheduler', () => {
  it('adds every job of many appointments scheduled at once, each with its record', async () => {
    const now = testNow();
    const date = now.setZone('America/Chicago').plus({ days: 10 }).toISODate()!;
    const people = Array.from({ length: 150 }, (_, i) => `many${i}`);
    const planned = await Promise.all(people.map((p) => scheduler.schedule(p, appointment(date), now)));
    expect(planned.every((sends) => sends.length === 4)).toBe(true);
    for (const personId of people) {
      const ids = offsets.concat('followup').map((slot) => reminderJobId(personId, 'a1', 1, slot));
      expect((await redis.smembers(keys.jobs(personId))).sort()).toEqual([...ids].sort());
      // The record outlives the furthest job (the follow-up, 10 days ahead) by a week.
      const ttl = await redis.ttl(keys.jobs(personId));
      expect(ttl).toBeGreaterThan(16 * 24 * 3600);
      expect(ttl).toBeLessThanOrEqual(18 * 24 * 3600);
      expect(await redis.zscore(keys.index(personId), keys.jobs(personId))).not.toBeNull();
      const jobs = await Promise.all(ids.map((id) => queue.getJob(id)));
      expect(jobs.map((j) => j?.data.personId)).toEqual([personId, personId, personId, personId]);
    }
    expect(await queue.getDelayedCount()).toBe(people.length * 4);
  });

  it('plans a late registration like planReminders does, after the same time was planned early', async () => {
    const early = DateTime.fromISO('2030-03-01T12:00', { zone: 'America/Chicago' });
    const late = DateTime.fromISO('2030-03-09T20:00', { zone: 'America/Chicago' });
    const a = appointment('2030-03-10', '10:00');
    const first = await scheduler.schedule('early', a, early);
    expect(first.map((s) => s.slot)).toEqual(['P3D', 'P1D', 'PT3H', 'followup']);
    const second = await scheduler.schedule('late', a, late);
    const direct = planReminders({
      appointment: DateTime.fromISO('2030-03-10T10:00', { zone: 'America/Chicago' }),
      zone: 'America/Chicago',
      offsets,
      quiet,
      now: late,
    });
    const expected = [...(direct.dueNow ? [direct.dueNow] : []), ...direct.scheduled];
    expect(second.map((s) => [s.slot, s.kind, s.at.toMillis()])).toEqual(
      expected.map((s) => [s.slot, s.kind, s.at.toMillis()]),
    );
    // The first reminder has passed: the one sent at once carries its advice (how to reschedule).
    expect(second[0]).toMatchObject({ slot: 'P1D', kind: 'first' });
    // A reused plan gives the same sends as a fresh one.
    const again = await scheduler.schedule('early2', a, early);
    expect(again.map((s) => [s.slot, s.kind, s.at.toISO()])).toEqual(
      first.map((s) => [s.slot, s.kind, s.at.toISO()]),
    );
  });

  it('removes what a batch added, per person, on cancel and cancelAll', async () => {
    const now = testNow();
    const date = now.setZone('America/Chicago').plus({ days: 20 }).toISODate()!;
    const v1 = appointment(date, '09:00');
    const v2 = appointment(date, '11:00', 2);
    await Promise.all([scheduler.schedule('keep', v1, now), scheduler.schedule('move', v1, now)]);
    await scheduler.schedule('move', v2, now, v1);
    const moved = await redis.smembers(keys.jobs('move'));
    expect(moved.sort()).toEqual(
      offsets
        .concat('followup')
        .map((slot) => reminderJobId('move', 'a1', 2, slot))
        .sort(),
    );
    expect(await queue.getJob(reminderJobId('move', 'a1', 1, 'P3D'))).toBeUndefined();
    await scheduler.cancelAll('keep');
    expect(await redis.smembers(keys.jobs('keep'))).toEqual([]);
    expect(await queue.getJob(reminderJobId('keep', 'a1', 1, 'P1D'))).toBeUndefined();
    expect(await queue.getJob(reminderJobId('move', 'a1', 2, 'P1D'))).toBeDefined();
  });
});
