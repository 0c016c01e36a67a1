/**
 * Scheduling: reminders for N registered appointments through ReminderScheduler, against bare
 * BullMQ addBulk of the same number of jobs, in the same run; and Redis memory per reminder.
 * BENCH_APPOINTMENTS (default 100000).
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DateTime } from 'luxon';
import type { Appointment } from '../src/conversation/appointments.js';
import { ReminderScheduler, type ScheduledJobData } from '../src/reminders/scheduler.js';
import { inPool, startRedis, usedMemory } from './support.js';

export async function benchScheduling(n = Number(process.env.BENCH_APPOINTMENTS ?? 100_000)) {
  const redis = await startRedis();
  const client = new Redis(redis.url, { maxRetriesPerRequest: null });
  client.on('error', () => {});
  try {
    const now = DateTime.now();
    const offsets = ['P3D', 'P1D', 'PT3H'];
    const jobsPerAppointment = offsets.length + 1; // and the follow-up
    const at = now.plus({ days: 20 }).setZone('America/Chicago');

    // Baseline: bare addBulk of the same number of delayed jobs, batches of 1000.
    const bare = new Queue('bare', { connection: client, prefix: 'bench' });
    const total = n * jobsPerAppointment;
    const memBefore = await usedMemory(client);
    let t0 = performance.now();
    for (let i = 0; i < total; i += 1000) {
      await bare.addBulk(
        Array.from({ length: Math.min(1000, total - i) }, (_, j) => ({
          name: 'r',
          data: { personId: `p${i + j}`, appointmentId: 'a1', version: 1, slot: 'P1D', kind: 'reminder' },
          opts: { jobId: `bare-${i + j}`, delay: 86_400_000, removeOnComplete: true },
        })),
      );
    }
    const bareSeconds = (performance.now() - t0) / 1000;
    const bareMemPerJob = ((await usedMemory(client)) - memBefore) / total;
    await bare.obliterate({ force: true });
    await bare.close();

    const queue = new Queue<ScheduledJobData>('reminders', { connection: client, prefix: 'bench' });
    const scheduler = new ReminderScheduler(queue, client, {
      offsets,
      quiet: { start: '21:00', end: '08:00' },
    });
    const people = Array.from({ length: n }, (_, i) => `person${String(i).padStart(16, '0')}`);
    const appointment: Appointment = {
      id: 'a1',
      date: at.toISODate()!,
      time: '10:00',
      zone: 'America/Chicago',
      place: '77002',
      version: 1,
    };
    const memStart = await usedMemory(client);
    t0 = performance.now();
    await inPool(people, 64, async (personId) => {
      await scheduler.schedule(personId, appointment, now);
    });
    const ourSeconds = (performance.now() - t0) / 1000;
    const memPerReminder = ((await usedMemory(client)) - memStart) / total;
    await queue.close();
    return {
      appointments: n,
      reminders: total,
      bareJobsPerSecond: Math.round(total / bareSeconds),
      ourJobsPerSecond: Math.round(total / ourSeconds),
      ratio: Number((bareSeconds / ourSeconds).toFixed(2)),
      bareBytesPerJob: Math.round(bareMemPerJob),
      ourBytesPerReminder: Math.round(memPerReminder),
    };
  } finally {
    client.disconnect();
    redis.stop();
  }
}
