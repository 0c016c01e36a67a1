import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../support/ports.js';
import {
  expectEachTextOnce,
  type Fault,
  faultConfig,
  faultCount,
  HuellaProcess,
  inPool,
  type Person,
  pendingJobs,
  phoneOf,
  QueueWatch,
  registerPerson,
  startTexter,
  tally,
  tallyFigures,
  textThroughOutage,
  waitUntil,
} from './support.js';

/**
 * Fault 2: Redis (append-only file, fsync every second) is killed with SIGKILL in the middle of a
 * run and started again on the same port and data. People who had said STOP text START to a web
 * process (src/web-main.ts); its answer is the acknowledgement that their reminder, due at once,
 * is scheduled. Two worker processes send. Neither the web nor the workers are restarted: they
 * must find Redis again by themselves. Every reminder acknowledged more than 2 s before the crash
 * (and every one after the restart) goes out, each text once.
 */
const PEOPLE = faultCount('FAULT_RESTART_PEOPLE', 150, 2_000);
const DOWN_MS = 5_000;
/** Two people text START at a time, each lane one every this many ms at most. */
const LANE_PACE_MS = 40;
/** Redis dies once this share of the people are acknowledged. */
const CRASH_AT = 0.6;

export const redisRestart: Fault = {
  title: `Redis killed and restarted mid-run: web and workers resume, every reminder acknowledged 2 s before the crash sent once (${PEOPLE} people)`,
  redisArgs: ['--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction'],
  timeoutMs: 10 * 60_000,
  async run(stage, expect) {
    const { fake, redis, side } = stage;
    const people: Person[] = [];
    await inPool(
      Array.from({ length: PEOPLE }, (_, i) => phoneOf(i)),
      32,
      async (phone) => {
        people.push(await registerPerson(side.huella, side.redis, phone, 'optedOut'));
      },
    );
    // Every write so far is on disk before anything is measured.
    await sleep(1_500);
    const watch = new QueueWatch(redis.url);
    await watch.ready();
    const port = await freePort();
    const env = faultConfig(redis.url, fake, { OUTBOUND_MPS: '200' });
    const web = HuellaProcess.web({ ...env, PORT: String(port), HOST: '127.0.0.1' });
    stage.workers.push(web);
    const workers = [stage.startWorker(env), stage.startWorker(env)];
    await Promise.all([web.ready, ...workers.map((w) => w.ready)]);

    // Texts START at a steady pace; Redis dies once CRASH_AT are acknowledged, back DOWN_MS later.
    const run = await textThroughOutage(
      people,
      startTexter(port, fake),
      { share: CRASH_AT, paceMs: LANE_PACE_MS },
      async () => {
        await redis.kill();
        await sleep(DOWN_MS);
        await redis.start();
      },
    );
    const { acked, refused, retried, downAt: crashAt, backAt: restartedAt } = run;

    const before = run.ackedWhere((at) => at < crashAt - 2_000);
    const lastTwoSeconds = run.ackedWhere((at) => at >= crashAt - 2_000 && at < crashAt);
    const afterRestart = run.ackedWhere((at) => at >= restartedAt);
    const sentBeforeCrash = fake.messages.filter((m) => m.receivedAt < crashAt).length;
    const done = await waitUntil(async () => {
      if ((await pendingJobs(side.redis)) > 0) return false;
      const settled = await tally(side.redis, fake, [...before, ...afterRestart]);
      return settled.missing === 0 && settled.withoutRecord === 0;
    }, 3 * 60_000);
    await sleep(2_000); // a late duplicate would show here
    const early = await tally(side.redis, fake, before);
    const late = await tally(side.redis, fake, afterRestart);
    const edge = await tally(side.redis, fake, lastTwoSeconds);
    const figures = {
      people: PEOPLE,
      acknowledged: acked.size,
      refusedWhileDown: retried,
      neverAcknowledged: refused.length,
      redisDownMs: restartedAt - crashAt,
      ackedMoreThan2sBeforeCrash: tallyFigures(before.length, early),
      ackedInLast2sBeforeCrash: tallyFigures(lastTwoSeconds.length, edge),
      ackedAfterRestart: tallyFigures(afterRestart.length, late),
      textsBeforeCrash: sentBeforeCrash,
      textsAfterRestart: fake.messages.filter((m) => m.receivedAt >= restartedAt).length,
      twilioListReads: fake.lookups.length,
      stalledJobsPutBack: { ...watch.stalled },
      jobsFailedForGood: { ...watch.failed },
      processesStillRunning: [web, ...workers].every((p) => p.running),
    };
    console.log('fault 2 (Redis killed and restarted):', JSON.stringify(figures, null, 2));
    if (watch.failedReasons.size > 0) console.log('failed reasons:', Object.fromEntries(watch.failedReasons));
    await watch.close();

    expect(done).toBe(true);
    expect(crashAt).toBeGreaterThan(0);
    expect(before.length).toBeGreaterThan(0);
    expect(afterRestart.length).toBeGreaterThan(0);
    // The same processes, never restarted, answered and sent after Redis came back.
    expect(figures.processesStillRunning).toBe(true);
    expect(figures.textsAfterRestart).toBeGreaterThan(0);
    expectEachTextOnce(expect, early, before.length);
    expectEachTextOnce(expect, late, afterRestart.length);
    // The last two seconds may be lost with the append-only file; what is sent is sent once.
    expect(edge.duplicates).toBe(0);
  },
};
