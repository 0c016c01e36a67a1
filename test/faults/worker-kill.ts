import { setTimeout as sleep } from 'node:timers/promises';
import {
  activeJobs,
  expectEachTextOnce,
  type Fault,
  faultConfig,
  faultCount,
  logged,
  pendingJobs,
  QueueWatch,
  SlotWatch,
  seedDueReminders,
  tally,
  tallyFigures,
  waitUntil,
} from './support.js';

/**
 * Fault 1: kill -9 the worker process again and again while the reminders fire. Every person has
 * one reminder due at once (three texts); a worker lives 1–2 s after it is ready, then dies with
 * SIGKILL and a new one starts. At the end every text reached the (fake) Twilio exactly once.
 */
const REMINDERS = faultCount('FAULT_REMINDERS', 150, 10_000);
/** Texts per second: low enough that the firing lasts long enough for many kills. */
const MPS = faultCount('FAULT_MPS', 100, 300);

export const workerKill: Fault = {
  title: `kill -9 the worker every 1–2 s while ${REMINDERS} reminders fire: none lost, none sent twice`,
  timeoutMs: 30 * 60_000,
  async run(stage, expect) {
    const { fake, redis, side } = stage;
    const started = Date.now();
    const people = await seedDueReminders(stage, REMINDERS);
    const scheduledMs = Date.now() - started;
    const watch = new QueueWatch(redis.url);
    await watch.ready();
    const slots = new SlotWatch(side.redis);
    const env = faultConfig(redis.url, fake, { OUTBOUND_MPS: String(MPS), REDIS_ALLOW_UNSAFE: 'true' });
    const expectedTexts = REMINDERS * 3;

    // Kill while texts are still going out; the last worker lives on to take back what the dead left.
    const firing = Date.now();
    let kills = 0;
    let killedWithJobsActive = 0;
    const startupMs: number[] = [];
    let worker = stage.startWorker(env);
    while (fake.messages.length < expectedTexts && Date.now() - firing < 15 * 60_000) {
      await worker.ready;
      startupMs.push(Date.now() - worker.startedAt);
      await sleep(1_000 + Math.random() * 1_000);
      if (fake.messages.length >= expectedTexts) break;
      if ((await activeJobs(side.redis)) > 0) killedWithJobsActive += 1;
      await worker.kill('SIGKILL');
      kills += 1;
      worker = stage.startWorker(env);
    }
    const done = await waitUntil(
      async () => fake.messages.length >= expectedTexts && (await pendingJobs(side.redis)) === 0,
      5 * 60_000,
    );
    const firedMs = Date.now() - firing;
    await slots.stop();
    await sleep(2_000); // a late duplicate would show here
    const result = await tally(side.redis, fake, people);
    const figures = {
      ...tallyFigures(REMINDERS, result),
      kills,
      killedWithJobsActive,
      workerStartupMsMedian: startupMs.sort((a, b) => a - b)[Math.floor(startupMs.length / 2)],
      stalledJobsPutBack: { ...watch.stalled },
      jobsFailedForGood: { ...watch.failed },
      twilioListReads: fake.lookups.length,
      cutShortFoundAtTwilio: logged(
        stage.workers,
        'part cut short had been accepted: recorded, not sent again',
      ),
      cutShortResent: logged(stage.workers, 'part cut short had not been accepted: sending it'),
      mps: MPS,
      maxSlotsInAnySecondByRedisClock: slots.maxWithin(1_000),
      maxTextsInAnySecondAtTwilio: fake.maxSendsWithin(1_000),
      maxTextsInAny10SecondsAtTwilio: fake.maxSendsWithin(10_000),
      schedulingSeconds: scheduledMs / 1000,
      firingSeconds: firedMs / 1000,
    };
    console.log('fault 1 (kill -9 the worker):', JSON.stringify(figures, null, 2));
    if (watch.failedReasons.size > 0) console.log('failed reasons:', Object.fromEntries(watch.failedReasons));
    await watch.close();

    expect(done).toBe(true);
    expect(kills).toBeGreaterThan(0);
    expectEachTextOnce(expect, result, REMINDERS);
    expect(fake.messages.length).toBe(expectedTexts);
    expect(watch.failed).toEqual({ reminders: 0, 'outbound-sms': 0 });
    // No second of Redis' clock handed out more than MPS send slots. Arrival times at the fake carry
    // each process's delays (see twilio-errors.ts): over 10 s at most one second's worth bunched in.
    expect(figures.maxSlotsInAnySecondByRedisClock).toBeLessThanOrEqual(MPS);
    expect(figures.maxTextsInAny10SecondsAtTwilio).toBeLessThanOrEqual(11 * MPS);
  },
};
