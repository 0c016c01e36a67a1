/**
 * Weekly fan-out: N people whose weekly status check is due at once, through the real path
 * (reminders queue → worker → conversation → outbound queue → deliver → the real twilio SDK → a
 * local Twilio-compatible server), with OUTBOUND_MPS set. The worker runs as its own process
 * (compiled src/worker-main.js, which calls startWorker), so the fake Twilio in this process
 * timestamps what arrives without competing with it. The send rate is counted in every 10-second
 * window from the first text (the last, partial window left out) and compared with the limit;
 * every person must get the check exactly once.
 * BENCH_WEEKLY (default 100000), BENCH_MPS (500), BENCH_WORKERS (worker processes, 1).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DateTime } from 'luxon';
import { benchPhone, conversationSeeder, deliveries, startBenchHuella } from './support.js';

const WINDOW_MS = 10_000;

/** Sends per full 10-second window from the first send, as a rate per second; and the last, partial window's count. */
export function windowRates(times: number[], windowMs = WINDOW_MS): { rates: number[]; partial: number } {
  if (times.length === 0) return { rates: [], partial: 0 };
  const sorted = [...times].sort((a, b) => a - b);
  const first = sorted[0]!;
  const full = Math.floor((sorted.at(-1)! - first) / windowMs);
  const counts = new Array<number>(full + 1).fill(0);
  for (const t of sorted) counts[Math.floor((t - first) / windowMs)]!++;
  return { rates: counts.slice(0, full).map((c) => c / (windowMs / 1000)), partial: counts[full] ?? 0 };
}

export async function benchWeekly(
  opts: { people?: number; mps?: number; workers?: number; quietAfterMs?: number } = {},
) {
  const n = opts.people ?? Number(process.env.BENCH_WEEKLY ?? 100_000);
  const mps = opts.mps ?? Number(process.env.BENCH_MPS ?? 500);
  const workerCount = opts.workers ?? Number(process.env.BENCH_WORKERS ?? 1);
  const bench = await startBenchHuella({ OUTBOUND_MPS: String(mps), STATUS_CHECK_EVERY: 'P7D' });
  const { huella, fake, config } = bench;
  try {
    // N people who asked for weekly checks, each check planned for now: all due at once.
    const seeder = conversationSeeder(huella);
    const snapshot = seeder.snapshot('active', { weekly: { active: true } });
    const people = Array.from({ length: n }, (_, i) => {
      const phone = benchPhone(i);
      return { phone, personId: huella.crypto.personId(phone), snapshot };
    });
    await seeder.save(bench.admin, people);
    const zone = config.defaultTimezone;
    // The check after `after` falls at 10:00 local 7 days on; scheduling "as of" that moment makes it due now.
    const after = DateTime.now().setZone(zone).minus({ days: 7 }).toISO()!;
    const due = DateTime.fromISO(after, { zone })
      .plus({ days: 7 })
      .set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
    for (let i = 0; i < n; i += 1000) {
      await Promise.all(
        people.slice(i, i + 1000).map((p) => huella.scheduler.scheduleWeekly(p.personId, due, after, zone)),
      );
    }
    const checksDue = await bench.pendingJobs();

    const started = Date.now();
    await bench.startWorkers(workerCount);
    // Until nothing is left to run, or nothing new arrives for a while.
    const quietAfterMs = opts.quietAfterMs ?? 30_000;
    let seen = 0;
    let lastChange = Date.now();
    // When the last check had run through its conversation (all sends queued), and how many were still to send.
    let turnsDone: { afterSeconds: number; textsSentBy: number } | undefined;
    while (Date.now() - lastChange < quietAfterMs) {
      await sleep(250);
      if (fake.messages.length !== seen) {
        seen = fake.messages.length;
        lastChange = Date.now();
      }
      const pending = await bench.pendingByKind();
      if (!turnsDone && pending.reminders === 0) {
        turnsDone = { afterSeconds: (Date.now() - started) / 1000, textsSentBy: fake.messages.length };
      }
      if (pending.reminders + pending.outbound === 0) break;
    }
    await sleep(1_000); // anything still in flight
    const seconds = (Date.now() - started) / 1000;
    await Promise.all(bench.workers.map((w) => w.stop()));

    const sent = deliveries(
      fake,
      people.map((p) => p.phone),
    );
    const times = fake.sendTimes();
    const { rates, partial } = windowRates(times);
    const deviation = rates.length ? Math.max(...rates.map((r) => Math.abs(r - mps) / mps)) : Number.NaN;
    const sendSeconds = times.length > 1 ? (Math.max(...times) - Math.min(...times)) / 1000 : 0;
    return {
      people: n,
      mps,
      workers: workerCount,
      checksDue,
      textsSent: fake.messages.length,
      peopleReached: sent.reached,
      peopleWithDuplicates: sent.withDuplicates,
      strays: sent.strays,
      textsPerPerson: sent.textsPerPerson,
      seconds: Math.round(seconds * 10) / 10,
      checksRunAfterSeconds: turnsDone ? Math.round(turnsDone.afterSeconds * 10) / 10 : Number.NaN,
      textsSentByThen: turnsDone?.textsSentBy ?? Number.NaN,
      sendSeconds: Math.round(sendSeconds * 10) / 10,
      overallRate: sendSeconds > 0 ? Math.round((times.length - 1) / sendSeconds) : Number.NaN,
      fullWindows: rates.length,
      minWindowRate: rates.length ? Math.min(...rates) : Number.NaN,
      maxWindowRate: rates.length ? Math.max(...rates) : Number.NaN,
      worstDeviationPct: Math.round(deviation * 1000) / 10,
      lastPartialWindowTexts: partial,
      windowRates: rates,
    };
  } finally {
    await bench.close();
  }
}
