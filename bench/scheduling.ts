/**
 * Scheduling: reminders for N registered appointments through ReminderScheduler, against bare
 * BullMQ addBulk of the same jobs (same ids, data, delays and options, 1,000 per call) in the same
 * run; and Redis memory per reminder. Appointments are spread the way ASC slots are: 60 days,
 * 08:00 to 15:30 every half hour, six zones (5,760 distinct times). BENCH_APPOINTMENTS (default 100000).
 */
import { Queue } from 'bullmq';
import { DateTime } from 'luxon';
import { type Appointment, appointmentInstant } from '../src/conversation/appointments.js';
import { planReminders } from '../src/reminders/plan.js';
import {
  ReminderScheduler,
  reminderJobId,
  SCHEDULED_JOB_OPTIONS,
  type ScheduledJobData,
} from '../src/reminders/scheduler.js';
import { generateSecret, PersonCrypto } from '../src/store/crypto.js';
import { inPool, onCluster, startBenchRedis, usedMemory } from './support.js';

const ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Puerto_Rico',
];
const OFFSETS = ['P3D', 'P1D', 'PT3H'];
const QUIET = { start: '21:00', end: '08:00' };

/** The i-th appointment: 8 to 67 days ahead, a half-hour slot between 08:00 and 15:30, one of six zones. */
function appointmentFor(i: number, today: DateTime): Appointment {
  const slot = Math.floor(i / 60) % 16;
  const zone = ZONES[Math.floor(i / 960) % ZONES.length]!;
  return {
    id: 'a1',
    date: today.plus({ days: 8 + (i % 60) }).toISODate()!,
    time: `${String(8 + Math.floor(slot / 2)).padStart(2, '0')}:${slot % 2 ? '30' : '00'}`,
    zone,
    place: '77002',
    version: 1,
  };
}

export async function benchScheduling(n = Number(process.env.BENCH_APPOINTMENTS ?? 100_000)) {
  const redis = await startBenchRedis();
  const client = redis.client();
  // A cluster keeps each queue in one slot: BullMQ needs a hash-tagged prefix there.
  const prefix = onCluster() ? '{bench}' : 'bench';
  try {
    const now = DateTime.now();
    const today = now.setZone('America/Chicago').startOf('day');
    const people = Array.from({ length: n }, (_, i) => ({
      personId: `person${String(i).padStart(16, '0')}`,
      appointment: appointmentFor(i, today),
    }));

    // Baseline: the very jobs the scheduler adds (planned before the clock starts), by bare addBulk.
    const jobs = people.flatMap(({ personId, appointment }) =>
      planReminders({
        appointment: appointmentInstant(appointment)!,
        zone: appointment.zone,
        offsets: OFFSETS,
        quiet: QUIET,
        now,
      }).scheduled.map((send) => ({
        name: send.kind,
        data: { personId, appointmentId: 'a1', version: 1, slot: send.slot, kind: send.kind },
        opts: {
          ...SCHEDULED_JOB_OPTIONS,
          jobId: reminderJobId(personId, 'a1', 1, send.slot),
          delay: send.at.toMillis() - now.toMillis(),
        },
      })),
    );
    const total = jobs.length;
    const bare = new Queue('reminders-bare', { connection: client, prefix });
    const memBefore = await usedMemory(client);
    let t0 = performance.now();
    for (let i = 0; i < total; i += 1000) await bare.addBulk(jobs.slice(i, i + 1000));
    const bareSeconds = (performance.now() - t0) / 1000;
    const bareMemPerJob = ((await usedMemory(client)) - memBefore) / total;
    await bare.obliterate({ force: true });
    await bare.close();

    const queue = new Queue<ScheduledJobData>('reminders', { connection: client, prefix });
    const scheduler = new ReminderScheduler(queue, client, {
      offsets: OFFSETS,
      quiet: QUIET,
      sealer: new PersonCrypto(generateSecret()),
    });
    const memStart = await usedMemory(client);
    let added = 0;
    t0 = performance.now();
    // Like webhooks confirming appointments: many schedule() calls in flight at once.
    await inPool(people, 64, async ({ personId, appointment }) => {
      const sends = await scheduler.schedule(personId, appointment, now);
      added += sends.length;
    });
    const ourSeconds = (performance.now() - t0) / 1000;
    const memPerReminder = ((await usedMemory(client)) - memStart) / total;
    const jobsInRedis = await queue.getDelayedCount();
    await queue.close();
    return {
      appointments: n,
      reminders: total,
      scheduled: added,
      jobsInRedis,
      bareJobsPerSecond: Math.round(total / bareSeconds),
      ourJobsPerSecond: Math.round(total / ourSeconds),
      ratio: Number((bareSeconds / ourSeconds).toFixed(2)),
      bareBytesPerJob: Math.round(bareMemPerJob),
      ourBytesPerReminder: Math.round(memPerReminder),
    };
  } finally {
    client.disconnect();
    await redis.stop();
  }
}
