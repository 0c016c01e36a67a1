import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueueEvents } from 'bullmq';
import { DateTime } from 'luxon';
import twilio from 'twilio';
import { afterAll, beforeAll, type ExpectStatic, inject } from 'vitest';
import { createActor } from 'xstate';
import { createHuella, type Huella } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import type { Appointment } from '../../src/conversation/appointments.js';
import { createConversationMachine, MACHINE_VERSION } from '../../src/conversation/machine.js';
import type { Logger } from '../../src/logger.js';
import { OUTBOUND_QUEUES, type OutboundRecord } from '../../src/outbound/outbox.js';
import { rateKey } from '../../src/outbound/rate-limit.js';
import { REMINDER_QUEUE, reminderJobId } from '../../src/reminders/scheduler.js';
import { PersonCrypto } from '../../src/store/crypto.js';
import { keys } from '../../src/store/keys.js';
import {
  createQueueConnection,
  createRedis,
  queuePrefixFor,
  type RedisClient,
  type RedisTarget,
} from '../../src/store/redis.js';
import { nodeArgsFor } from '../support/entry.js';
import { busiestWindow, type FakeTwilio, startFakeTwilio } from '../support/fake-twilio.js';
import { testLogger } from '../support/log.js';
import { RestartableRedis } from '../support/redis-server.js';

/**
 * What the fault tests share: a redis-server of their own that can be killed and started again on
 * the same port and folder, worker processes started as `npm run start:worker` starts them, people
 * with an appointment whose reminder is due at once, and the tally of what reached the fake Twilio.
 */

/** `npm run test:faults` sets FAULT_FULL=1 (full counts); `npm test` runs the smaller ones. */
export const FULL = process.env.FAULT_FULL === '1';

/** A count from the environment (FAULT_REMINDERS…), else the full or the CI default. */
export function faultCount(name: string, ci: number, full: number): number {
  const set = Number(process.env[name]);
  return Number.isFinite(set) && set > 0 ? set : FULL ? full : ci;
}

export const SECRET = Buffer.alloc(32, 11).toString('base64');
/** Opens the send records (sealed) that `tally` reads. */
const opener = new PersonCrypto(SECRET);
export const SMS_FROM = '+15005550006';
const ZONE = 'America/Chicago';

/** The environment that points a Huella process at this Redis: a URL, a cluster or sentinels. */
export function redisEnv(target: RedisTarget | string): Record<string, string> {
  if (typeof target === 'string') return { REDIS_URL: target };
  if (target.kind === 'single') return { REDIS_URL: target.url };
  const list = (nodes: { host: string; port: number }[]) => nodes.map((n) => `${n.host}:${n.port}`).join(',');
  return target.kind === 'cluster'
    ? { REDIS_CLUSTER_NODES: list(target.nodes) }
    : { REDIS_SENTINELS: list(target.sentinels), REDIS_SENTINEL_NAME: target.name };
}

export function faultConfig(redis: RedisTarget | string, fake: FakeTwilio, env: Record<string, string> = {}) {
  return {
    NODE_ENV: 'test',
    ...redisEnv(redis),
    TWILIO_ACCOUNT_SID: fake.accountSid,
    TWILIO_AUTH_TOKEN: fake.authToken,
    TWILIO_API_BASE_URL: fake.url,
    TWILIO_SMS_FROM: SMS_FROM,
    PUBLIC_BASE_URL: 'https://huella.example.org',
    HUELLA_SECRET: SECRET,
    // One reminder an hour before: an appointment half an hour ahead has it due at once.
    REMINDER_OFFSETS: 'PT1H',
    FOLLOW_UP_AFTER: 'PT2H',
    QUIET_HOURS: '',
    DEFAULT_TIMEZONE: ZONE,
    LOG_LEVEL: 'info',
    ...env,
  } satisfies Record<string, string>;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A Huella process started as `npm run start:worker` (or `start:web`) starts it; its log lines go
 * to the run's log folder (the privacy scan reads them) and are counted by message.
 */
export class HuellaProcess {
  readonly ready: Promise<void>;
  readonly exited: Promise<ExitStatus>;
  readonly messages = new Map<string, number>();
  readonly startedAt = Date.now();

  private constructor(
    readonly child: ChildProcess,
    readyMessage: string,
  ) {
    const log = createWriteStream(join(inject('logDir'), `process-${child.pid}.jsonl`));
    let markReady: () => void;
    let failReady: (error: Error) => void;
    this.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    this.ready.catch(() => {}); // a worker killed before it was ready is not an error here
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        failReady(new Error(`worker exited before it was ready (${code ?? signal})`));
        log.end();
        resolve({ code, signal });
      }),
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2_000);
    });
    child.once('exit', (code) => {
      if (code !== null && code !== 0)
        process.stderr.write(`worker ${child.pid} exited ${code}: ${stderr}\n`);
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      log.write(`${line}\n`);
      let msg: string | undefined;
      try {
        msg = (JSON.parse(line) as { msg?: string }).msg;
      } catch {
        return;
      }
      if (!msg) return;
      this.messages.set(msg, (this.messages.get(msg) ?? 0) + 1);
      if (msg === readyMessage) markReady();
    });
  }

  /** `src/worker-main.ts`, ready when it logs "worker started". */
  static worker(env: Record<string, string>): HuellaProcess {
    return HuellaProcess.spawn('src/worker-main.ts', 'worker started', env);
  }

  /** `src/web-main.ts`, ready when it listens. */
  static web(env: Record<string, string>): HuellaProcess {
    return HuellaProcess.spawn('src/web-main.ts', 'web process listening', env);
  }

  private static spawn(entry: string, readyMessage: string, env: Record<string, string>): HuellaProcess {
    const child = spawn(process.execPath, nodeArgsFor(entry), {
      cwd: join(import.meta.dirname, '../..'),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: tmpdir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new HuellaProcess(child, readyMessage);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  count(message: string): number {
    return this.messages.get(message) ?? 0;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<ExitStatus> {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }
}

/** Sums a log message over workers. */
export function logged(workers: HuellaProcess[], message: string): number {
  return workers.reduce((sum, w) => sum + w.count(message), 0);
}

export interface Person {
  phone: string;
  personId: string;
}

/** The test side of Huella: the same wiring a web process has, to set people up and schedule. */
export async function testHuella(target: RedisTarget | string, fake: FakeTwilio, logger: Logger) {
  const config: Readonly<Config> = loadConfig(faultConfig(target, fake, { REDIS_ALLOW_UNSAFE: 'true' }));
  // Waits out a failover instead of failing at once (the test side counts, it answers no webhook).
  const redis = createRedis(target, {
    enableOfflineQueue: true,
    maxRetriesPerRequest: 20,
    commandTimeout: 10_000,
  });
  redis.on('error', () => {}); // a fault test takes Redis away on purpose
  await redis.connect();
  const huella = createHuella({ config, redis, logger, secret: SECRET });
  return {
    config,
    redis,
    huella,
    async close() {
      await huella.close().catch(() => {});
      redis.disconnect();
    },
  };
}

export function phoneOf(n: number): string {
  return `+1555${String(2_000_000 + n).padStart(7, '0')}`;
}

/**
 * Writes a conversation that already holds an appointment (as after "yes" to the read-back), or,
 * `optedOut`, one that said STOP since: START then schedules its reminders.
 */
export async function registerPerson(
  huella: Huella,
  redis: RedisClient,
  phone: string,
  state: 'active' | 'optedOut' = 'active',
): Promise<Person> {
  const personId = huella.crypto.personId(phone);
  const machine = createConversationMachine(huella.flows);
  const at = DateTime.now().setZone(ZONE).plus({ minutes: 30 }).startOf('second');
  const appointment = appointmentAt(at);
  const actor = createActor(machine, {
    input: { lang: 'en' },
    snapshot: machine.resolveState({
      value: state,
      context: {
        lang: 'en',
        node: 'menu',
        offered: [],
        asking: false,
        misses: 0,
        appointments: [appointment],
        channel: 'sms',
        effects: [],
      },
    }),
  });
  await redis.hset(keys.conversation(personId), {
    rev: 1,
    v: MACHINE_VERSION,
    snap: JSON.stringify(actor.getPersistedSnapshot()),
    addr: huella.crypto.seal(phone),
    ch: 'sms',
    last_in: Date.now(),
    opted_out: state === 'optedOut' ? '1' : '0',
  });
  return { phone, personId };
}

function appointmentAt(at: DateTime): Appointment {
  return {
    id: 'a1',
    date: at.toISODate()!,
    time: at.toFormat('HH:mm:ss'),
    zone: ZONE,
    place: '77002',
    version: 1,
  };
}

/** Schedules the person's appointment reminders through the real scheduler: the first is due now. */
export async function scheduleReminder(huella: Huella, person: Person): Promise<void> {
  const at = DateTime.now().setZone(ZONE).plus({ minutes: 30 }).startOf('second');
  await huella.scheduler.schedule(person.personId, appointmentAt(at), DateTime.now());
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

export interface Tally {
  /** Texts the send records hold, summed over people. */
  expected: number;
  /** Texts the fake accepted for these people. */
  delivered: number;
  /** People with every part exactly once. */
  exactlyOnce: number;
  /** Parts never accepted. */
  missing: number;
  /** Accepted texts beyond the first of the same part. */
  duplicates: number;
  /** People with no send record at all (their reminder never ran). */
  withoutRecord: number;
}

/**
 * What each person should have received (the parts of their reminder's send record in Redis)
 * against what the fake Twilio accepted for their number, part by part.
 */
export async function tally(redis: RedisClient, fake: FakeTwilio, people: Person[]): Promise<Tally> {
  const byPhone = new Map<string, string[]>();
  for (const m of fake.messages) {
    const list = byPhone.get(m.to);
    if (list) list.push(m.body ?? '');
    else byPhone.set(m.to, [m.body ?? '']);
  }
  const result: Tally = {
    expected: 0,
    delivered: 0,
    exactlyOnce: 0,
    missing: 0,
    duplicates: 0,
    withoutRecord: 0,
  };
  await inPool(people, 32, async (person) => {
    const record = await redis.hget(reminderSendKey(person), 'record');
    const expected = record ? (JSON.parse(opener.unseal(record)) as OutboundRecord).parts : [];
    if (expected.length === 0) result.withoutRecord += 1;
    const got = byPhone.get(person.phone) ?? [];
    result.expected += expected.length;
    result.delivered += got.length;
    let clean = true;
    for (const part of new Set(expected)) {
      const want = expected.filter((p) => p === part).length;
      const have = got.filter((b) => b === part).length;
      if (have < want) result.missing += want - have;
      if (have > want) result.duplicates += have - want;
      if (have !== want) clean = false;
    }
    if (got.some((b) => !expected.includes(b))) clean = false;
    if (clean && expected.length > 0) result.exactlyOnce += 1;
  });
  return result;
}

/** The send record of the person's due reminder: the reminder job's turn, then the kind of text. */
export function reminderSendKey(person: Person): string {
  return keys.send(person.personId, `${reminderJobId(person.personId, 'a1', 1, 'PT1H')}-first`);
}

/** Counts what BullMQ reports on the reminder and SMS queues: stalled jobs put back, jobs failed for good. */
export class QueueWatch {
  readonly stalled: Record<string, number> = {};
  readonly failed: Record<string, number> = {};
  readonly failedReasons = new Map<string, number>();
  private readonly events: QueueEvents[];

  constructor(target: RedisTarget | string) {
    this.events = [REMINDER_QUEUE, OUTBOUND_QUEUES.sms].map((name) => {
      const connection = createQueueConnection(target);
      connection.on('error', () => {}); // reconnects by itself when Redis comes back
      const events = new QueueEvents(name, { connection, prefix: queuePrefixFor(target) });
      this.stalled[name] = 0;
      this.failed[name] = 0;
      events.on('error', () => {});
      events.on('stalled', () => {
        this.stalled[name]! += 1;
      });
      events.on('failed', ({ failedReason }) => {
        this.failed[name]! += 1;
        this.failedReasons.set(failedReason, (this.failedReasons.get(failedReason) ?? 0) + 1);
      });
      return events;
    });
  }

  async ready(): Promise<void> {
    await Promise.all(this.events.map((e) => e.waitUntilReady()));
  }

  get totalStalled(): number {
    return Object.values(this.stalled).reduce((a, b) => a + b, 0);
  }

  async close(): Promise<void> {
    await Promise.all(this.events.map((e) => e.close()));
  }
}

/** Polls until `done` holds or `timeoutMs` passes; says which. */
export async function waitUntil(done: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await done()) return true;
    await sleep(250);
  }
  return done();
}

/** Jobs a worker holds right now on the reminder and SMS queues. */
export async function activeJobs(huellaRedis: RedisClient): Promise<number> {
  const [sends, reminders] = await Promise.all([
    huellaRedis.llen(`${queuePrefixFor(huellaRedis)}:${OUTBOUND_QUEUES.sms}:active`),
    huellaRedis.llen(`${queuePrefixFor(huellaRedis)}:${REMINDER_QUEUE}:active`),
  ]);
  return sends + reminders;
}

/** Jobs still waiting, delayed or active on the reminder and SMS queues. */
export async function pendingJobs(huellaRedis: RedisClient): Promise<number> {
  let pending = 0;
  for (const name of [REMINDER_QUEUE, OUTBOUND_QUEUES.sms]) {
    const prefix = `${queuePrefixFor(huellaRedis)}:${name}`;
    const [wait, active, delayed, prioritized] = await Promise.all([
      huellaRedis.llen(`${prefix}:wait`),
      huellaRedis.llen(`${prefix}:active`),
      // BullMQ scores a delayed job by its time × 4096 (plus a counter); follow-ups hours ahead are left out.
      huellaRedis.zcount(`${prefix}:delayed`, '-inf', String((Date.now() + 60_000) * 0x1000)),
      huellaRedis.zcard(`${prefix}:prioritized`),
    ]);
    pending += wait + active + delayed + prioritized;
  }
  return pending;
}

/** One fault test: faults.test.ts gives it a stage of its own and runs it. */
export interface Fault {
  title: string;
  /** Added to the redis-server's command line. */
  redisArgs?: string[];
  timeoutMs: number;
  /** `expect` is the test's own (the faults run concurrently in `npm test`). */
  run(stage: FaultStage, expect: ExpectStatic): Promise<void>;
}

export interface FaultStage {
  fake: FakeTwilio;
  redis: RestartableRedis;
  side: Awaited<ReturnType<typeof testHuella>>;
  /** Every worker process started, so the end of the file can stop any still running. */
  workers: HuellaProcess[];
  /** Starts a worker process and keeps it in `workers`. */
  startWorker(env: Record<string, string>): HuellaProcess;
}

/**
 * Sets a test file up with a fake Twilio, a redis-server of its own (`redisArgs` added) and the
 * test side of Huella, and takes them down after it. The fields are there once beforeAll ran.
 */
export function faultStage(redisArgs: string[] = ['--maxmemory-policy', 'noeviction']): FaultStage {
  const stage = { workers: [] as HuellaProcess[] } as unknown as FaultStage;
  stage.startWorker = (env) => {
    const worker = HuellaProcess.worker(env);
    stage.workers.push(worker);
    return worker;
  };
  beforeAll(async () => {
    stage.fake = await startFakeTwilio();
    stage.redis = await RestartableRedis.start(redisArgs);
    stage.side = await testHuella(stage.redis.url, stage.fake, testLogger());
  });
  afterAll(async () => {
    await Promise.all(stage.workers.map((w) => w.kill()));
    await stage.side?.close();
    await stage.fake?.close();
    await stage.redis?.stop();
  });
  return stage;
}

/** `count` people, each with an appointment whose reminder is due now (scheduled, not yet run). */
export async function seedDueReminders(stage: FaultStage, count: number, inFlight = 32): Promise<Person[]> {
  const people: Person[] = [];
  await inPool(
    Array.from({ length: count }, (_, i) => phoneOf(i)),
    inFlight,
    async (phone) => {
      const person = await registerPerson(stage.side.huella, stage.side.redis, phone);
      await scheduleReminder(stage.side.huella, person);
      people.push(person);
    },
  );
  return people;
}

/** Every one of `reminders` people got each of their three texts exactly once, and nothing else. */
export function expectEachTextOnce(expect: ExpectStatic, result: Tally, reminders: number): void {
  expect(result.withoutRecord).toBe(0);
  expect(result.expected).toBe(reminders * 3);
  expect(result.missing).toBe(0);
  expect(result.duplicates).toBe(0);
  expect(result.exactlyOnce).toBe(reminders);
  expect(result.delivered).toBe(reminders * 3);
}

/** The figures every fault test prints. */
export function tallyFigures(reminders: number, result: Tally) {
  return {
    reminders,
    textsExpected: result.expected,
    textsAccepted: result.delivered,
    remindersExactlyOnce: result.exactlyOnce,
    missing: result.missing,
    duplicates: result.duplicates,
  };
}

/**
 * Every send slot the rate limiter hands out, by Redis' clock: its sorted set keeps each slot for
 * a full window (1.05 s), so reading it every 100 ms sees them all unless this process is held
 * back for most of a second.
 */
export class SlotWatch {
  private readonly slots = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly redis: RedisClient) {
    this.timer = setInterval(() => {
      this.read().catch(() => {}); // Redis away for a moment: the set outlives the gap
    }, 100);
  }

  private async read(): Promise<void> {
    const pairs = await this.redis.zrange(rateKey('sms'), '0', '-1', 'WITHSCORES');
    for (let i = 0; i + 1 < pairs.length; i += 2) this.slots.set(pairs[i]!, Number(pairs[i + 1]));
  }

  get count(): number {
    return this.slots.size;
  }

  /** The most slots handed out within any `windowMs`. */
  maxWithin(windowMs: number): number {
    return busiestWindow([...this.slots.values()], windowMs);
  }

  /** Stops watching, after a last read (the latest slots may be younger than one interval). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.read();
  }
}

/** The public address the fault tests' web processes check signatures against. */
export const FAULT_PUBLIC_URL = 'https://huella.example.org';

/** POSTs START for a person to the web process on `port`; true when Huella answered that it is back on. */
export function startTexter(port: number, fake: FakeTwilio): (person: Person) => Promise<boolean> {
  let sid = 0;
  return async (person) => {
    sid += 1;
    const params = {
      MessageSid: `SM${String(sid).padStart(32, '0')}`,
      AccountSid: fake.accountSid,
      From: person.phone,
      To: SMS_FROM,
      Body: 'START',
      NumMedia: '0',
    };
    const url = `${FAULT_PUBLIC_URL}/twilio/messages`;
    const signature = twilio.getExpectedTwilioSignature(fake.authToken, url, params);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/twilio/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(5_000),
      });
      return res.status === 200 && (await res.text()).includes('Welcome back to Huella!');
    } catch {
      return false;
    }
  };
}

/** When each person's START was acknowledged, and when Redis went away and came back. */
export interface OutageRun {
  acked: Map<Person, number>;
  /** Never acknowledged, even when texted again after the outage. */
  refused: Person[];
  /** Refused during the outage and texted again after it. */
  retried: number;
  downAt: number;
  backAt: number;
  /** The people acknowledged at a moment `when` accepts. */
  ackedWhere(when: (at: number) => boolean): Person[];
}

/**
 * People text START two at a time, each lane one every `paceMs` at most; once `share` of them are
 * acknowledged, `outage` takes Redis away and resolves when it serves again. Those refused
 * meanwhile text again afterwards, as a person would.
 */
export async function textThroughOutage(
  people: Person[],
  start: (person: Person) => Promise<boolean>,
  opts: { share: number; paceMs: number },
  outage: () => Promise<void>,
): Promise<OutageRun> {
  const acked = new Map<Person, number>();
  const refused: Person[] = [];
  let downAt = 0;
  let backAt = 0;
  let running: Promise<void> | undefined;
  await inPool(people, 2, async (person) => {
    const sent = Date.now();
    if (await start(person)) acked.set(person, Date.now());
    else refused.push(person);
    if (!running && acked.size >= people.length * opts.share) {
      downAt = Date.now();
      running = outage().then(() => {
        backAt = Date.now();
      });
    }
    await sleep(Math.max(0, opts.paceMs - (Date.now() - sent)));
  });
  await running;
  const retried = refused.length;
  await inPool(refused.splice(0), 2, async (person) => {
    if (await start(person)) acked.set(person, Date.now());
    else refused.push(person);
  });
  const ackedWhere = (when: (at: number) => boolean) =>
    [...acked].filter(([, at]) => when(at)).map(([p]) => p);
  return { acked, refused, retried, downAt, backAt, ackedWhere };
}
