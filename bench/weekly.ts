/**
 * Weekly fan-out: N people whose weekly status check is due at once, through the real path
 * (reminders queue → worker → conversation → outbound queue → deliver → the real twilio SDK → a
 * local Twilio-compatible server), with OUTBOUND_MPS set. The worker runs as its own process
 * (compiled src/worker-main.js, which calls startWorker), so the fake Twilio in this process
 * timestamps what arrives without competing with it. As deployed, the worker is already running
 * when the checks fall due: they are scheduled as delayed jobs that all come due at one moment
 * a few seconds after the last is scheduled (BullMQ then moves them all from delayed to waiting). The send rate is counted in every 10-second
 * window from the first text (the last, partial window left out) and compared with the limit;
 * every person must get the check exactly once.
 * BENCH_WEEKLY (default 100000), BENCH_MPS (500), BENCH_WORKERS (worker processes, 1).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DateTime } from 'luxon';
import { busiestWindow } from '../test/support/fake-twilio.js';
import { cpuMs } from './processes.js';
import { benchPhone, conversationSeeder, deliveries, redisCpuMs, startBenchHuella } from './support.js';

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
  opts: { people?: number; mps?: number; workers?: number; maxWaitMs?: number; leadMs?: number } = {},
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
    // As deployed, the workers are running (idle) when the checks fall due, not started for them.
    await bench.startWorkers(workerCount);
    const cpuBefore = { redis: await redisCpuMs(bench.admin), self: process.cpuUsage() };
    // Every check falls due at the same moment, once all are scheduled: `dueAt`.
    // Counted before any falls due: on a busy machine scheduling is slower, so tests give more lead.
    const dueAt = Date.now() + (opts.leadMs ?? 2_000 + n * 0.2);
    // The check after `after` falls at 10:00 local 7 days on; scheduling "as of" `planned` minus the
    // time left until `dueAt` makes BullMQ run it at `dueAt`.
    const after = DateTime.now().setZone(zone).minus({ days: 7 }).toISO()!;
    const planned = DateTime.fromISO(after, { zone })
      .plus({ days: 7 })
      .set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
    for (let i = 0; i < n; i += 1000) {
      const asOf = planned.minus({ milliseconds: Math.max(0, dueAt - Date.now()) });
      await Promise.all(
        people.slice(i, i + 1000).map((p) => huella.scheduler.scheduleWeekly(p.personId, asOf, after, zone)),
      );
    }
    const checksDue = (await bench.pendingByKind()).reminders;
    await sleep(Math.max(0, dueAt - Date.now()));
    const started = Date.now();
    /** Sends waiting to go, sampled every 250 ms while texts were going out: a dip below the limit with none waiting means the checks ran behind. */
    const backlog: number[] = [];
    // Until everyone has had their check and nothing is left to send, or the deadline. (Each check
    // plans the next one 7 days on: only jobs due within a minute are still to come.) Stopping
    // when nothing moved for a while instead stopped runs short on a loaded machine, where a
    // worker can stall for many seconds; a run that stalls for good ends at the deadline.
    const maxWaitMs = opts.maxWaitMs ?? Math.max(120_000, (n / mps) * 3_000);
    let stoppedBy: 'done' | 'deadline' = 'deadline';
    let pendingAtStop = { reminders: 0, outbound: 0 };
    // When the last check had run through its conversation (all sends queued), and how many were still to send.
    let turnsDone: { afterSeconds: number; textsSentBy: number } | undefined;
    while (Date.now() - started < maxWaitMs) {
      await sleep(250);
      const pending = await bench.pendingByKind(60_000);
      pendingAtStop = pending;
      if (fake.messages.length > 0) backlog.push(pending.outbound);
      if (!turnsDone && pending.reminders === 0) {
        turnsDone = { afterSeconds: (Date.now() - started) / 1000, textsSentBy: fake.messages.length };
      }
      const reached = new Set(fake.messages.map((m) => m.to)).size;
      if (reached >= n && pending.reminders + pending.outbound === 0) {
        stoppedBy = 'done';
        break;
      }
    }
    const failedJobs = await bench.failedJobs();
    await sleep(1_000); // anything still in flight
    const seconds = (Date.now() - started) / 1000;
    const workerCpu = bench.workers.reduce((sum, w) => sum + cpuMs(w.pid), 0);
    const self = process.cpuUsage(cpuBefore.self);
    const redisCpu = (await redisCpuMs(bench.admin)) - cpuBefore.redis;
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
      /** 'done': everyone reached and nothing left to send; 'deadline': maxWaitMs passed first. */
      stoppedBy,
      pendingAtStop,
      failedJobs,
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
      /**
       * The most texts Twilio saw in any one second (a sliding window). The limiter hands out moments
       * never more than OUTBOUND_MPS a second apart; what arrives can crowd a little more, as each
       * request leaves a little after its moment (event loop, Redis, network).
       */
      busiestSecond: busiestWindow(times, 1_000),
      lastPartialWindowTexts: partial,
      windowRates: rates,
      /** Texts in each of the first 10 seconds from the first one (the start of the first window). */
      firstSeconds: windowRates(times, 1_000).rates.slice(0, 10),
      firstTenths: windowRates(times, 100)
        .rates.slice(0, 20)
        .map((r) => r / 10),
      firstTextAfterMs: times.length ? Math.min(...times) - started : Number.NaN,
      /** CPU per text sent, in ms: the worker processes, Redis, and this process (the fake Twilio). */
      cpuPerTextMs: {
        workers: Math.round((workerCpu / Math.max(1, times.length)) * 1000) / 1000,
        redis: Math.round((redisCpu / Math.max(1, times.length)) * 1000) / 1000,
        fakeTwilio: Math.round(((self.user + self.system) / 1000 / Math.max(1, times.length)) * 1000) / 1000,
      },
      /** Samples (every 250 ms while sending) with fewer than 50 sends queued: the send side was starved. */
      starvedSamples: backlog.filter((b) => b < 50).length,
      samples: backlog.length,
    };
  } finally {
    await bench.close();
  }
}
