import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Cluster } from 'ioredis';
import { createActor } from 'xstate';
import { createHuella, type Huella } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import {
  type ConversationContext,
  type ConversationState,
  createConversationMachine,
  MACHINE_VERSION,
} from '../src/conversation/machine.js';
import { createLogger } from '../src/logger.js';
import { OUTBOUND_QUEUES } from '../src/outbound/outbox.js';
import { REMINDER_QUEUE } from '../src/reminders/scheduler.js';
import { keys } from '../src/store/keys.js';
import {
  createRedis,
  primaries,
  queuePrefixFor,
  type RedisClient,
  type RedisTarget,
} from '../src/store/redis.js';
import { type FakeTwilio, startFakeTwilio } from '../test/support/fake-twilio.js';
import { RedisCluster } from '../test/support/redis-cluster.js';
import { type RedisServer, startRedisServer } from '../test/support/redis-server.js';
import { compileForBench } from './compile.js';
import { type NodeProcess, startNode } from './processes.js';

/** A throwaway redis-server for one benchmark (noeviction, no persistence: we measure the app). */
export async function startRedis(): Promise<RedisServer> {
  return startRedisServer(['--maxmemory-policy', 'noeviction']);
}

/**
 * BENCH_REDIS=cluster (or `npm run bench -- --cluster`): the benchmarks that take a BenchRedis run
 * on a Redis Cluster of 3 primaries and 3 replicas on this machine (test/support/redis-cluster.ts:
 * append-only files as in production) instead of one redis-server.
 */
export const onCluster = (): boolean => process.env.BENCH_REDIS === 'cluster';

/** Where a benchmark keeps its data: one redis-server, or a cluster (see `onCluster`). */
export interface BenchRedis {
  target: RedisTarget;
  /** REDIS_URL or REDIS_CLUSTER_NODES, for the processes a benchmark starts. */
  env: Record<string, string>;
  /** A client for the benchmark itself (no retry limit, like a queue's). */
  client(): RedisClient;
  stop(): Promise<void>;
}

export async function startBenchRedis(): Promise<BenchRedis> {
  const client = (target: RedisTarget) => () => {
    const made = createRedis(target, { maxRetriesPerRequest: null, enableOfflineQueue: true });
    made.on('error', () => {});
    return made;
  };
  if (onCluster()) {
    const cluster = await RedisCluster.start(3);
    return {
      target: cluster.target,
      env: { REDIS_CLUSTER_NODES: cluster.env },
      client: client(cluster.target),
      stop: () => cluster.stop(),
    };
  }
  const redis = await startRedis();
  const target: RedisTarget = { kind: 'single', url: redis.url };
  return { target, env: { REDIS_URL: redis.url }, client: client(target), stop: async () => redis.stop() };
}

/** Bytes Redis holds, over every primary of a cluster. */
export async function usedMemory(redis: RedisClient): Promise<number> {
  let total = 0;
  for (const node of primaries(redis)) {
    total += Number(/used_memory:(\d+)/.exec(await node.info('memory'))?.[1] ?? 0);
  }
  return total;
}

/** Redis's own CPU time so far (user + system), in ms: over every node of a cluster, replicas too. */
export async function redisCpuMs(redis: RedisClient): Promise<number> {
  let total = 0;
  for (const node of redis instanceof Cluster ? redis.nodes('all') : [redis]) {
    const info = await node.info('cpu');
    const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? Number.NaN);
    total += (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
  }
  return total;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `task` over items with at most `limit` in flight. */
export async function inPool<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

/**
 * Conversations as the app saves them, for people who texted before a benchmark starts: the
 * snapshot of a machine state and context, the sealed address, the channel.
 */
export function conversationSeeder(huella: Huella) {
  const machine = createConversationMachine(huella.flows);
  return {
    snapshot(value: ConversationState, context: Partial<ConversationContext>): string {
      const full: ConversationContext = {
        lang: 'en',
        node: 'menu',
        offered: [],
        asking: false,
        misses: 0,
        appointments: [],
        channel: 'sms',
        effects: [],
        ...context,
      };
      const actor = createActor(machine, {
        input: { lang: full.lang },
        snapshot: machine.resolveState({ value, context: full }),
      });
      return JSON.stringify(actor.getPersistedSnapshot());
    },
    /** Writes the conversations, 1,000 at a time (not one pipeline: on a cluster they span slots). */
    async save(
      redis: RedisClient,
      people: { phone: string; personId: string; snapshot: string }[],
    ): Promise<void> {
      for (let i = 0; i < people.length; i += 1000) {
        const writes = people.slice(i, i + 1000).map(({ phone, personId, snapshot }) =>
          redis.hset(keys.conversation(personId), {
            rev: 1,
            v: MACHINE_VERSION,
            snap: snapshot,
            addr: huella.crypto.seal(phone),
            ch: phone.startsWith('whatsapp:') ? 'whatsapp' : 'sms',
            last_in: Date.now(),
            opted_out: '0',
          }),
        );
        await Promise.all(writes);
      }
    },
  };
}

/** The bench's phone numbers: +1555 and seven digits. */
export const benchPhone = (i: number) => `+1555${String(1_000_000 + i).padStart(7, '0')}`;

/** BENCH_CPU_PROF=<dir>: every process a benchmark starts writes its CPU profile there when it ends. */
export function profileArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  const extra = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  return [...(dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []), ...extra];
}

/** HUELLA_SECRET of every benchmark (throwaway data). */
export const BENCH_SECRET = Buffer.alloc(32, 6).toString('base64');

/** The environment of Huella's processes in a benchmark: Twilio mode against the fake Twilio. */
export function twilioEnv(
  fake: FakeTwilio,
  redisEnv: Record<string, string>,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    ...redisEnv,
    REDIS_ALLOW_UNSAFE: 'true',
    TWILIO_ACCOUNT_SID: fake.accountSid,
    TWILIO_AUTH_TOKEN: fake.authToken,
    TWILIO_API_BASE_URL: fake.url,
    TWILIO_SMS_FROM: '+15005550006',
    TWILIO_WHATSAPP_FROM: 'whatsapp:+14155238886',
    PUBLIC_BASE_URL: 'https://huella.example.org',
    HUELLA_SECRET: BENCH_SECRET,
    QUIET_HOURS: '',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/**
 * A Redis, a fake Twilio, Huella's producer side in this process (to seed conversations and
 * schedule), and worker processes started on demand (compiled src/worker-main.js, which runs
 * startWorker), all with the same environment; `benchFiles` are compiled along (see compile.ts).
 * `close()` stops everything.
 */
export async function startBenchHuella(
  extra: Record<string, string> = {},
  benchFiles: string[] = [],
  /** Changes the compiled copy before anything runs (to try a change without editing src/). */
  prepare?: (dir: string) => void,
) {
  const redis = await startBenchRedis();
  const fake = await startFakeTwilio();
  const compiled = compileForBench(benchFiles);
  prepare?.(compiled.dir);
  const env = twilioEnv(fake, redis.env, extra);
  const config = loadConfig(env);
  const client = createRedis(redis.target);
  client.on('error', () => {});
  await client.connect();
  const huella = createHuella({
    config,
    redis: client,
    logger: createLogger('silent', false),
    secret: BENCH_SECRET,
  });
  const admin = redis.client();
  const queues = [REMINDER_QUEUE, ...Object.values(OUTBOUND_QUEUES)].map(
    (name) => new Queue(name, { connection: admin, prefix: queuePrefixFor(redis.target) }),
  );
  const workers: NodeProcess[] = [];
  return {
    redis,
    fake,
    env,
    /** The compiled copy (see compile.ts): `join(dir, 'src/web-main.js')`. */
    dir: compiled.dir,
    config,
    huella,
    admin,
    workers,
    /** Starts `count` worker processes; resolves once each is taking reminder jobs. */
    async startWorkers(count = 1): Promise<void> {
      for (let i = 0; i < count; i++) {
        const expected = workers.length + 1;
        workers.push(
          await startNode(
            join(compiled.dir, 'src/worker-main.js'),
            env,
            { check: async () => (await queues[0]!.getWorkersCount()) >= expected },
            profileArgs(),
          ),
        );
      }
    },
    /** Jobs still to run: waiting or running, and delayed ones due within `withinMs` (see pendingByKind). */
    async pendingJobs(withinMs?: number): Promise<number> {
      const { reminders, outbound } = await this.pendingByKind(withinMs);
      return reminders + outbound;
    },
    /**
     * The same, split: reminder jobs (conversation turns) and outbound sends. Delayed jobs count
     * when due within `withinMs` (all of them by default): one already due may not be promoted yet
     * on a busy machine and is not done, while firing's follow-ups hours ahead would keep it
     * waiting for nothing (it passes a minute).
     */
    async pendingByKind(
      withinMs = Number.POSITIVE_INFINITY,
    ): Promise<{ reminders: number; outbound: number }> {
      // BullMQ scores a delayed job by its time × 4096.
      const dueBy = Number.isFinite(withinMs) ? String((Date.now() + withinMs) * 0x1000) : '+inf';
      const pending = async (queue: Queue) => {
        const counts = await queue.getJobCounts('wait', 'active', 'prioritized');
        const delayed = await admin.zcount(queue.keys.delayed!, '-inf', dueBy);
        return Object.values(counts).reduce((a, b) => a + b, 0) + delayed;
      };
      const [turns, ...sends] = await Promise.all(queues.map(pending));
      return { reminders: turns!, outbound: sends.reduce((a, b) => a + b, 0) };
    },
    /** Jobs that failed for good, per queue (a bench that stops short says whether this is why). */
    async failedJobs(): Promise<number> {
      const counts = await Promise.all(queues.map((q) => q.getFailedCount()));
      return counts.reduce((a, b) => a + b, 0);
    },
    async close(): Promise<void> {
      await Promise.all(workers.map((w) => w.stop()));
      await Promise.all(queues.map((q) => q.close()));
      await huella.close();
      client.disconnect();
      admin.disconnect();
      compiled.remove();
      await fake.close();
      await redis.stop();
    },
  };
}

/** What each phone received: everyone reached once, nobody twice, and how many texts each got. */
export function deliveries(fake: FakeTwilio, phones: string[]) {
  const perPhone = new Map<string, string[]>();
  for (const m of fake.messages) {
    const list = perPhone.get(m.to) ?? [];
    list.push(m.body ?? m.contentSid ?? '');
    perPhone.set(m.to, list);
  }
  const textsPerPerson = new Map<number, number>();
  let withDuplicates = 0;
  for (const bodies of perPhone.values()) {
    textsPerPerson.set(bodies.length, (textsPerPerson.get(bodies.length) ?? 0) + 1);
    if (new Set(bodies).size !== bodies.length) withDuplicates++;
  }
  const expected = new Set(phones);
  return {
    reached: phones.filter((p) => perPhone.has(p)).length,
    withDuplicates,
    /** Texts sent to numbers that were not expected to get any. */
    strays: [...perPhone.keys()].filter((p) => !expected.has(p)).length,
    /** "texts: people" — a multi-part message shows as several texts per person. */
    textsPerPerson: Object.fromEntries([...textsPerPerson].sort((a, b) => a[0] - b[0])),
  };
}
