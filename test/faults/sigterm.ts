import { setTimeout as sleep } from 'node:timers/promises';
import { SHUTDOWN_BOUND_MS } from '../../src/process.js';
import {
  activeJobs,
  expectEachTextOnce,
  type Fault,
  faultConfig,
  faultCount,
  pendingJobs,
  QueueWatch,
  seedDueReminders,
  tally,
  tallyFigures,
  waitUntil,
} from './support.js';

/**
 * Fault 5: SIGTERM a worker while it holds jobs. Twilio answers each call after 6 s, so a
 * reminder's three texts take 18 s, longer than the shutdown bound in src/process.ts (exit status 1
 * after 15 s). The worker must exit by itself with status 0, the parts in flight answered and the
 * rest of each job put back; leave no job active for another worker to find stalled; and what it
 * held must end up sent once, by it or by the next worker.
 */
const REMINDERS = faultCount('FAULT_SIGTERM_REMINDERS', 80, 600);
const STOPS = 3;
const SLOW_TWILIO_MS = 6_000;
/** Held answers this much later than SLOW_TWILIO_MS: the fake (in the test process) was starved. */
const STARVED_LATE_MS = 3_000;

export const sigterm: Fault = {
  title: `SIGTERM a worker with jobs active, ${STOPS} times: graceful exit, nothing stalled, nothing sent twice`,
  timeoutMs: 10 * 60_000,
  async run(stage, expect) {
    const { fake, redis, side } = stage;
    // A whole reminder takes longer than the bound: only stopping between parts can finish in time.
    expect(3 * SLOW_TWILIO_MS).toBeGreaterThan(SHUTDOWN_BOUND_MS);
    const people = await seedDueReminders(stage, REMINDERS, 16);
    const watch = new QueueWatch(redis.url);
    await watch.ready();
    const env = faultConfig(redis.url, fake, { OUTBOUND_MPS: '50', REDIS_ALLOW_UNSAFE: 'true' });
    const expectedTexts = REMINDERS * 3;
    const stops: {
      activeAtSignal: number;
      exitCode: number | null;
      signal: string | null;
      shutdownMs: number;
      /** From the signal to the last answer Twilio held back (undefined: none came after it). */
      lastTwilioAnswerMs: number | undefined;
      activeAfterExit: number;
      textsSoFar: number;
    }[] = [];

    for (let stop = 0; stop < STOPS; stop++) {
      fake.respondAfter(SLOW_TWILIO_MS);
      const worker = stage.startWorker(env);
      await worker.ready;
      // Let it get busy: sends in flight at Twilio's pace.
      await waitUntil(async () => (await side.redis.llen('bull:outbound-sms:active')) >= 5, 10_000);
      await sleep(1_000);
      const activeAtSignal = await activeJobs(side.redis);
      const signalled = Date.now();
      const exit = await worker.kill('SIGTERM');
      const answered = fake.lastHeldAnswerAt();
      stops.push({
        activeAtSignal,
        exitCode: exit.code,
        signal: exit.signal,
        shutdownMs: Date.now() - signalled,
        lastTwilioAnswerMs: answered !== undefined && answered > signalled ? answered - signalled : undefined,
        activeAfterExit: await activeJobs(side.redis),
        textsSoFar: fake.messages.length,
      });
    }
    fake.respondAfter(50);
    const last = stage.startWorker(env);
    const done = await waitUntil(
      async () => fake.messages.length >= expectedTexts && (await pendingJobs(side.redis)) === 0,
      5 * 60_000,
    );
    await sleep(1_000);
    await last.kill('SIGTERM');
    const result = await tally(side.redis, fake, people);
    const figures = {
      ...tallyFigures(REMINDERS, result),
      twilioAnswerAfterMsWhileStopping: SLOW_TWILIO_MS,
      shutdownBoundMs: SHUTDOWN_BOUND_MS,
      stops,
      stalledJobsPutBack: { ...watch.stalled },
      jobsFailedForGood: { ...watch.failed },
    };
    console.log('fault 5 (SIGTERM with jobs active):', JSON.stringify(figures, null, 2));
    await watch.close();

    expect(done).toBe(true);
    // The bound (exit status 1, jobs left to come back as stalled) is right to cut a stop short
    // only when Twilio itself kept the worker waiting that long. The calls in flight answer after
    // SLOW_TWILIO_MS, but on a starved host the fake (in this process) can answer seconds late;
    // such a stop is judged by what counts below: nothing lost, nothing sent twice.
    // So is a stop whose held answers came well after SLOW_TWILIO_MS: the host was starved (a CI
    // run saw the last answer 12.6 s after the signal and the exit at 15.1 s, the bound's).
    const heldByTwilio = (stop: (typeof stops)[number]) =>
      (stop.lastTwilioAnswerMs ?? 0) > Math.min(SHUTDOWN_BOUND_MS - 1_000, SLOW_TWILIO_MS + STARVED_LATE_MS);
    // Jobs a stop cut short left active stay so until the stall check puts them back: a later
    // stop may find them still active after its own exit, and none of its own.
    let leftActive = 0;
    for (const stop of stops) {
      expect(stop.activeAtSignal).toBeGreaterThan(0);
      if (heldByTwilio(stop)) {
        leftActive += stop.activeAfterExit;
        continue;
      }
      // Status 0: every part closed by itself, before process.ts's bound forces exit status 1.
      expect(stop.exitCode).toBe(0);
      expect(stop.activeAfterExit).toBeLessThanOrEqual(leftActive);
    }
    if (!stops.some(heldByTwilio)) expect(watch.totalStalled).toBe(0);
    expect(watch.failed).toEqual({ reminders: 0, 'outbound-sms': 0 });
    expectEachTextOnce(expect, result, REMINDERS);
  },
};
