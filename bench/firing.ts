/**
 * Firing accuracy: N reminders due within one minute, through the reminder worker (its own
 * process), the conversation, the outbound queue and the real twilio SDK to a local
 * Twilio-compatible server. Lateness = when the server received a reminder's first text minus
 * when it was due. Each must arrive exactly once (every part once, none twice).
 * BENCH_REMINDERS (default 10000); BENCH_FIRING_SPREAD seconds the due times span (60).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DateTime } from 'luxon';
import type { Appointment } from '../src/conversation/appointments.js';
import {
  benchPhone,
  conversationSeeder,
  deliveries,
  inPool,
  percentile,
  startBenchHuella,
} from './support.js';

export async function benchFiring(
  opts: { reminders?: number; spreadSeconds?: number; leadSeconds?: number; mps?: number } = {},
) {
  const n = opts.reminders ?? Number(process.env.BENCH_REMINDERS ?? 10_000);
  const spreadMs = 1000 * (opts.spreadSeconds ?? Number(process.env.BENCH_FIRING_SPREAD ?? 60));
  const offsetSeconds = 60;
  const bench = await startBenchHuella({
    REMINDER_OFFSETS: `PT${offsetSeconds}S`,
    FOLLOW_UP_AFTER: 'PT2H',
    OUTBOUND_MPS: String(opts.mps ?? 1000),
  });
  const { huella, fake } = bench;
  try {
    // Reminders due from `lead` seconds on, spread over the window; each appointment is 60 s after its reminder.
    const first = DateTime.now()
      .plus({ seconds: opts.leadSeconds ?? 30 })
      .startOf('second');
    const seeder = conversationSeeder(huella);
    const due = new Map<string, number>();
    const people = Array.from({ length: n }, (_, i) => {
      const reminderAt = first.plus({ milliseconds: Math.floor((i * spreadMs) / n) }).startOf('second');
      const at = reminderAt.plus({ seconds: offsetSeconds }).setZone('America/Chicago');
      const appointment: Appointment = {
        id: 'a1',
        date: at.toISODate()!,
        time: at.toFormat('HH:mm:ss'),
        zone: 'America/Chicago',
        place: '77002',
        version: 1,
      };
      const phone = benchPhone(i);
      due.set(phone, reminderAt.toMillis());
      return {
        phone,
        personId: huella.crypto.personId(phone),
        appointment,
        snapshot: seeder.snapshot('active', { appointments: [appointment] }),
      };
    });
    await seeder.save(bench.admin, people);
    await inPool(people, 64, async ({ personId, appointment }) => {
      await huella.scheduler.schedule(personId, appointment, DateTime.now());
    });
    if (Date.now() > first.toMillis()) throw new Error('setup took longer than the lead time: raise it');
    await bench.startWorkers(1);

    // Until everyone's reminder is out and nothing is left to send, or a minute past the last due time.
    const deadline = first.toMillis() + spreadMs + 60_000;
    while (Date.now() < deadline) {
      await sleep(200);
      const reached = new Set(fake.messages.map((m) => m.to)).size;
      // Each reminder's follow-up is hours ahead: only jobs due within a minute are still to come.
      if (reached >= n && (await bench.pendingJobs(60_000)) === 0) break;
    }
    await sleep(1_000);
    await Promise.all(bench.workers.map((w) => w.stop()));

    const firstAt = new Map<string, number>();
    for (const m of fake.messages)
      firstAt.set(m.to, Math.min(firstAt.get(m.to) ?? m.receivedAt, m.receivedAt));
    const lateness = [...due].flatMap(([phone, dueAt]) => {
      const at = firstAt.get(phone);
      return at === undefined ? [] : [at - dueAt];
    });
    lateness.sort((a, b) => a - b);
    const sent = deliveries(
      fake,
      people.map((p) => p.phone),
    );
    return {
      reminders: n,
      textsSent: fake.messages.length,
      peopleReached: sent.reached,
      peopleWithDuplicates: sent.withDuplicates,
      strays: sent.strays,
      textsPerPerson: sent.textsPerPerson,
      /** The most texts that reached the fake Twilio within any one second. */
      maxTextsInOneSecond: fake.maxSendsWithin(1000),
      latenessP50Ms: percentile(lateness, 50),
      latenessP99Ms: percentile(lateness, 99),
      latenessMaxMs: lateness.at(-1) ?? Number.NaN,
    };
  } finally {
    await bench.close();
  }
}
