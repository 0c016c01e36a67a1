import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, type ExpectStatic } from 'vitest';
import type { RedisTarget } from '../../src/store/redis.js';
import { type FakeTwilio, startFakeTwilio } from '../support/fake-twilio.js';
import { testLogger } from '../support/log.js';
import { freePort } from '../support/ports.js';
import { FAILOVER_NODE_TIMEOUT_MS, RedisCluster } from '../support/redis-cluster.js';
import { RedisSentinels } from '../support/redis-sentinel.js';
import {
  expectEachTextOnce,
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
  testHuella,
  textThroughOutage,
  waitUntil,
} from './support.js';

/**
 * Faults 5 and 6: the Redis primary that holds the queues is killed (kill -9) in the middle of a
 * run, on a Redis Cluster (three primaries, three replicas) and under Redis Sentinel (a primary,
 * a replica, three sentinels). Its replica takes over; the web process and two workers, never
 * restarted, carry on. People who had said STOP text START; the answer is the acknowledgement
 * that their reminder, due at once, is scheduled. Replication is asynchronous: what was
 * acknowledged in the last moments before the kill may be lost (README: the window); everything
 * acknowledged earlier, or after, is sent, and nothing is sent twice.
 */
const PEOPLE = faultCount('FAULT_FAILOVER_PEOPLE', 100, 1_000);
/** The window README documents for acknowledged-but-lost writes, with room for a busy machine. */
const WINDOW_MS = 2_000;
const LANE_PACE_MS = 40;
const CRASH_AT = 0.6;

/** A Redis with a replica that takes over: a cluster, or sentinels. */
interface Topology {
  target: RedisTarget;
  /** kill -9 the primary that holds the queues; its port. */
  killPrimary(): Promise<number>;
  /** A replica serves in place of the killed primary. */
  promoted(killed: number): Promise<boolean>;
  stop(): Promise<void>;
}

async function clusterTopology(): Promise<Topology> {
  const cluster = await RedisCluster.start(3, FAILOVER_NODE_TIMEOUT_MS);
  return {
    target: cluster.target,
    async killPrimary() {
      const port = await cluster.primaryOf('{huella}');
      await cluster.kill(port);
      return port;
    },
    promoted: async (killed) => (await cluster.primaryOf('{huella}')) !== killed,
    stop: () => cluster.stop(),
  };
}

async function sentinelTopology(): Promise<Topology> {
  const sentinels = await RedisSentinels.start();
  return {
    target: sentinels.target,
    killPrimary: () => sentinels.killPrimary(),
    promoted: async (killed) => (await sentinels.primaryPort()) !== killed,
    stop: () => sentinels.stop(),
  };
}

interface FailoverStage {
  fake: FakeTwilio;
  topology: Topology;
  side: Awaited<ReturnType<typeof testHuella>>;
  processes: HuellaProcess[];
}

function failoverStage(start: () => Promise<Topology>): FailoverStage {
  const stage = { processes: [] as HuellaProcess[] } as FailoverStage;
  beforeAll(async () => {
    stage.fake = await startFakeTwilio();
    stage.topology = await start();
    stage.side = await testHuella(stage.topology.target, stage.fake, testLogger());
  }, 60_000);
  afterAll(async () => {
    await Promise.all(stage.processes.map((p) => p.kill()));
    await stage.side?.close();
    await stage.fake?.close();
    await stage.topology?.stop();
  });
  return stage;
}

export interface FailoverFault {
  title: string;
  timeoutMs: number;
  stage(): FailoverStage;
  run(stage: FailoverStage, expect: ExpectStatic): Promise<void>;
}

function failoverFault(name: string, start: () => Promise<Topology>): FailoverFault {
  return {
    title: `${name}: the primary is killed mid-run, its replica takes over, web and workers carry on; nothing acknowledged ${WINDOW_MS / 1000} s before is lost, nothing sent twice (${PEOPLE} people)`,
    timeoutMs: 10 * 60_000,
    stage: () => failoverStage(start),
    run: (stage, expect) => runFailover(name, stage, expect),
  };
}

export const clusterFailover = failoverFault('Redis Cluster', clusterTopology);
export const sentinelFailover = failoverFault('Redis Sentinel', sentinelTopology);

async function runFailover(name: string, stage: FailoverStage, expect: ExpectStatic): Promise<void> {
  const { fake, topology, side } = stage;
  const people: Person[] = [];
  await inPool(
    Array.from({ length: PEOPLE }, (_, i) => phoneOf(i)),
    32,
    async (phone) => {
      people.push(await registerPerson(side.huella, side.redis, phone, 'optedOut'));
    },
  );
  await sleep(1_500); // replicated and on disk before anything is measured
  const watch = new QueueWatch(topology.target);
  await watch.ready();
  const port = await freePort();
  const env = faultConfig(topology.target, fake, { OUTBOUND_MPS: '200' });
  const web = HuellaProcess.web({ ...env, PORT: String(port), HOST: '127.0.0.1' });
  const workers = [HuellaProcess.worker(env), HuellaProcess.worker(env)];
  stage.processes.push(web, ...workers);
  await Promise.all([web.ready, ...workers.map((w) => w.ready)]);

  const run = await textThroughOutage(
    people,
    startTexter(port, fake),
    { share: CRASH_AT, paceMs: LANE_PACE_MS },
    async () => {
      const killed = await topology.killPrimary();
      await waitUntil(() => topology.promoted(killed).catch(() => false), 60_000);
    },
  );
  const { acked, refused, retried, downAt: killedAt, backAt: promotedAt } = run;
  const before = run.ackedWhere((at) => at < killedAt - WINDOW_MS);
  const edge = run.ackedWhere((at) => at >= killedAt - WINDOW_MS && at < killedAt);
  const after = run.ackedWhere((at) => at >= killedAt);
  const done = await waitUntil(async () => {
    if ((await pendingJobs(side.redis)) > 0) return false;
    const settled = await tally(side.redis, fake, [...before, ...after]);
    return settled.missing === 0 && settled.withoutRecord === 0;
  }, 3 * 60_000);
  await sleep(2_000); // a late duplicate would show here
  const early = await tally(side.redis, fake, before);
  const late = await tally(side.redis, fake, after);
  const edgeTally = await tally(side.redis, fake, edge);
  // Twilio's view of the outage: the longest pause between two texts, from the kill on.
  const times = fake.messages
    .map((m) => m.receivedAt)
    .filter((at) => at >= killedAt)
    .sort((a, b) => a - b);
  const longestPause = Math.max(
    0,
    ...times.slice(1).map((at, i) => at - times[i]!),
    (times[0] ?? killedAt) - killedAt,
  );
  const figures = {
    people: PEOPLE,
    acknowledged: acked.size,
    refusedDuringFailover: retried,
    neverAcknowledged: refused.length,
    replicaPromotedAfterMs: promotedAt - killedAt,
    longestPauseInTextsMs: longestPause,
    lost: early.missing + early.withoutRecord + late.missing + late.withoutRecord,
    lostInWindow: edgeTally.missing + edgeTally.withoutRecord,
    doubled: early.duplicates + late.duplicates + edgeTally.duplicates,
    ackedBeforeWindow: tallyFigures(before.length, early),
    ackedInWindow: tallyFigures(edge.length, edgeTally),
    ackedAfterKill: tallyFigures(after.length, late),
    stalledJobsPutBack: { ...watch.stalled },
    jobsFailedForGood: { ...watch.failed },
    processesStillRunning: [web, ...workers].every((p) => p.running),
  };
  console.log(`failover (${name}):`, JSON.stringify(figures, null, 2));
  if (watch.failedReasons.size > 0) console.log('failed reasons:', Object.fromEntries(watch.failedReasons));
  await watch.close();

  expect(done).toBe(true);
  expect(promotedAt).toBeGreaterThan(0);
  expect(before.length).toBeGreaterThan(0);
  expect(after.length).toBeGreaterThan(0);
  expect(figures.processesStillRunning).toBe(true);
  expectEachTextOnce(expect, early, before.length);
  expectEachTextOnce(expect, late, after.length);
  expect(figures.doubled).toBe(0);
}
