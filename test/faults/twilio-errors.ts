import { TWILIO_TIMEOUT_MS } from '../../src/outbound/twilio-client.js';
import {
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
 * Fault 4: Twilio answers 429, 500, or nothing at all, for 30% of calls (sends and the list reads
 * that check a send cut short). "Nothing" comes two ways: the request never got through ('hang'),
 * or Twilio took the message and the answer was lost ('lost'); both end at the client's timeout.
 * Two worker processes share one sending number at OUTBOUND_MPS.
 */
const REMINDERS = faultCount('FAULT_TWILIO_REMINDERS', 15, 300);
const MPS = 10;
const SEED = Number(process.env.FAULT_SEED ?? 4);

export const twilioErrors: Fault = {
  title: `Twilio failing 30% of calls with 429, 500 or no answer: ${REMINDERS} reminders, none lost, none twice, never above ${MPS}/s`,
  timeoutMs: 20 * 60_000,
  async run(stage, expect) {
    const { fake, redis, side } = stage;
    const people = await seedDueReminders(stage, REMINDERS, 16);
    fake.failRate(0.3, [429, 500, 'hang', 'lost'], { seed: SEED, lookups: true });
    const watch = new QueueWatch(redis.url);
    await watch.ready();
    const slots = new SlotWatch(side.redis);
    const env = faultConfig(redis.url, fake, { OUTBOUND_MPS: String(MPS), REDIS_ALLOW_UNSAFE: 'true' });
    const started = Date.now();
    const workers = [stage.startWorker(env), stage.startWorker(env)];
    await Promise.all(workers.map((w) => w.ready));
    const done = await waitUntil(
      async () => fake.messages.length >= REMINDERS * 3 && (await pendingJobs(side.redis)) === 0,
      10 * 60_000,
    );
    const seconds = (Date.now() - started) / 1000;
    await slots.stop();
    const result = await tally(side.redis, fake, people);
    const outcomes = (kind: string) => fake.attempts.filter((a) => a.outcome === kind).length;
    const figures = {
      ...tallyFigures(REMINDERS, result),
      sendCalls: fake.attempts.length,
      answered429: fake.attempts.filter((a) => a.status === 429).length,
      answered500: fake.attempts.filter((a) => a.status === 500).length,
      noAnswerNotTaken: outcomes('hang'),
      noAnswerButTaken: outcomes('lost'),
      listReads: fake.lookups.length,
      listReadsFailed: fake.lookups.filter((l) => l.outcome !== 'answered').length,
      cutShortFoundAtTwilio: logged(workers, 'part cut short had been accepted: recorded, not sent again'),
      cutShortResent: logged(workers, 'part cut short had not been accepted: sending it'),
      clientTimeoutMs: TWILIO_TIMEOUT_MS,
      mps: MPS,
      slotsTaken: slots.count,
      maxSlotsInAnySecondByRedisClock: slots.maxWithin(1_000),
      maxSendCallsInAnySecondAtTwilio: fake.maxAttemptsWithin(1_000),
      maxSendCallsInAny10SecondsAtTwilio: fake.maxAttemptsWithin(10_000),
      jobsFailedForGood: { ...watch.failed },
      seconds,
      seed: SEED,
    };
    console.log('fault 4 (Twilio 429 / 500 / no answer, 30%):', JSON.stringify(figures, null, 2));
    await watch.close();

    expect(done).toBe(true);
    expectEachTextOnce(expect, result, REMINDERS);
    // Every kind of failure happened, including a message taken by Twilio whose answer was lost.
    expect(figures.answered429).toBeGreaterThan(0);
    expect(figures.answered500).toBeGreaterThan(0);
    expect(figures.noAnswerNotTaken).toBeGreaterThan(0);
    expect(figures.noAnswerButTaken).toBeGreaterThan(0);
    expect(figures.cutShortFoundAtTwilio).toBeGreaterThan(0);
    expect(watch.failed).toEqual({ reminders: 0, 'outbound-sms': 0 });
    // The limiter's promise, by Redis' clock: no second held more than MPS slots. Every call takes a
    // slot; the watch reads them every 100 ms and may miss one when this process is held back for
    // a second, so it must have seen at least 99% of them.
    expect(figures.slotsTaken).toBeGreaterThanOrEqual(Math.floor(0.99 * figures.sendCalls));
    expect(figures.maxSlotsInAnySecondByRedisClock).toBeLessThanOrEqual(MPS);
    // At the fake a call is dated when this process gets to it, a few ms after its slot (the window
    // is 1 s plus a 50 ms guard for that), or a few hundred when a loaded machine holds a process
    // back and calls bunch up: the 1 s figure is printed, and over 10 s at most one second's worth
    // may have bunched in.
    expect(figures.maxSendCallsInAny10SecondsAtTwilio).toBeLessThanOrEqual(11 * MPS);
  },
};
