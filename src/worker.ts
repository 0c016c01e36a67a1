import { type Job, UnrecoverableError, Worker, type WorkerOptions } from 'bullmq';
import { createHuella } from './app.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Channel, ConversationEvent } from './conversation/machine.js';
import type { HealthReport } from './health-server.js';
import type { Logger } from './logger.js';
import { LocalSender } from './outbound/local-sender.js';
import { MeteredSender } from './outbound/metered-sender.js';
import { createOutboundWorker } from './outbound/outbound-worker.js';
import { OUTBOUND_QUEUES } from './outbound/outbox.js';
import { SendLimiter } from './outbound/rate-limit.js';
import { type Sender, TwilioSender } from './outbound/sender.js';
import { createTwilioClient, TWILIO_TIMEOUT_MS } from './outbound/twilio-client.js';
import { REMINDER_QUEUE, type ScheduledJobData } from './reminders/scheduler.js';
import { resolveSecret } from './secret.js';
import { type Running, refuseUnsafeRedis } from './server.js';
import { compactAfterErasures, REWRITE_CHECK_EVERY_MS } from './store/erasure-compaction.js';
import {
  connectRedis,
  createQueueConnection,
  createRedis,
  queuePrefixFor,
  type RedisTarget,
} from './store/redis.js';

/**
 * How every worker holds its jobs. A job's lock lasts 10 s and is renewed every 5 s while it runs;
 * a worker that dies (kill -9, a lost machine) leaves its jobs locked until then, and the other
 * workers' check every 5 s puts them back to wait. A job may come back that way up to 10 times
 * before it fails: every job here is safe to run again (turn ids, send ids and the send ledger),
 * so a run of crashes must not drop a reminder.
 */
/**
 * Reminder turns are CPU work in this process; sends mostly wait on Twilio. Unbounded, a burst
 * of turns (100,000 weekly checks due at once) takes the event loop from the sends, which then
 * fall behind OUTBOUND_MPS. Turns are started at most this many times the send rate a second
 * (and at least TURN_FLOOR): a little ahead of the sends, so their queue stays fed, and the
 * sends keep their pace.
 */
const TURNS_PER_SEND = 1.2;
const TURN_FLOOR = 50;

const JOB_HOLDING: Pick<WorkerOptions, 'lockDuration' | 'stalledInterval' | 'maxStalledCount'> = {
  lockDuration: 10_000,
  stalledInterval: 5_000,
  maxStalledCount: 10,
};

/**
 * The worker process: sends what Huella texts by itself, through one queue per sending number,
 * each rate-limited to OUTBOUND_MPS across every worker. Holds no state: run as many as needed.
 */
export interface RunningWorker extends Running {
  /** Liveness and readiness, for the health server of a worker process. */
  health(): Promise<HealthReport>;
}

export async function startWorker(
  config: Readonly<Config>,
  logger: Logger,
  target: RedisTarget | string,
  options: { queuePrefix?: string; secret?: string; clock?: Clock } = {},
): Promise<RunningWorker> {
  const redis = createRedis(target);
  redis.on('error', (error) => logger.warn({ err: error.message }, 'redis connection problem'));
  await connectRedis(redis);
  await refuseUnsafeRedis(redis, config, logger);
  // BullMQ workers block on Redis and must wait out an outage instead of failing commands.
  const connection = createQueueConnection(target);
  connection.on('error', (error) => logger.warn({ err: error.message }, 'queue connection problem'));

  const prefix = options.queuePrefix ?? queuePrefixFor(target);
  const huella = createHuella({
    config,
    redis,
    logger,
    secret: options.secret ?? resolveSecret(config),
    queuePrefix: prefix,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const { clock } = huella;
  const twilioOrLocal: Sender = config.twilio
    ? new TwilioSender({
        client: createTwilioClient({
          accountSid: config.twilio.accountSid,
          authToken: config.twilio.authToken,
          ...(config.twilio.apiBaseUrl ? { apiBaseUrl: config.twilio.apiBaseUrl } : {}),
          timeoutMs: TWILIO_TIMEOUT_MS,
        }),
        smsFrom: config.twilio.smsFrom,
        whatsappFrom: config.twilio.whatsappFrom,
        timeoutMs: TWILIO_TIMEOUT_MS,
      })
    : new LocalSender(redis, huella.crypto);
  const sender = new MeteredSender(twilioOrLocal, huella.metrics);
  const deps = {
    redis,
    sender,
    crypto: huella.crypto,
    logger,
    now: () => clock.now().getTime(),
    whatsappTemplates: config.whatsappTemplates,
    whatsappFallback: config.whatsappFallback,
    statusCallbackBase: config.localMode ? undefined : config.publicBaseUrl,
    // Twilio's per-number rate; the simulator's phone (local mode) has none.
    ...(config.localMode ? {} : { limiter: new SendLimiter(redis, config.outboundMps) }),
    onCarrierOptOut: async (personId: string) => {
      await huella.conversations.handleSystemEvent(
        personId,
        `carrier-opt-out-${clock.now().getTime()}`,
        { type: 'CARRIER_OPT_OUT' },
        clock.now(),
      );
    },
  };
  const reminders = new Worker<ScheduledJobData>(
    REMINDER_QUEUE,
    async (job: Job<ScheduledJobData>) => {
      const data = job.data;
      const id = job.id ?? `${data.personId}-${job.name}-${job.timestamp}`;
      // The conversation decides: a changed, cancelled or opted-out case sends nothing.
      const event: ConversationEvent =
        data.type === 'weekly'
          ? { type: 'WEEKLY_DUE', at: data.at, ...(data.preview ? { preview: true as const } : {}) }
          : data.type === 'milestone'
            ? {
                type: 'MILESTONE_DUE',
                kind: data.kind,
                ...(data.filed ? { filed: huella.crypto.unseal(data.filed) } : {}),
              }
            : {
                type: 'REMINDER_DUE',
                appointmentId: data.appointmentId,
                version: data.version,
                kind: data.kind,
              };
      await huella.conversations.handleSystemEvent(data.personId, id, event, clock.now());
    },
    {
      connection,
      concurrency: 50,
      prefix,
      ...JOB_HOLDING,
      // In tenths of a second, so that a due batch does not start a second's worth of turns at once.
      limiter: {
        max: Math.ceil(Math.max(TURN_FLOOR, config.outboundMps * TURNS_PER_SEND) / 10),
        duration: 100,
      },
    },
  );
  reminders.on('error', (error) =>
    logger.error({ err: error.message, queue: REMINDER_QUEUE }, 'worker error'),
  );
  reminders.on('failed', (job, error) =>
    logger.warn({ job: job?.id, err: error.message }, 'reminder failed'),
  );
  reminders.on('stalled', (jobId) =>
    logger.warn({ job: jobId, queue: REMINDER_QUEUE }, 'job stalled (its worker stopped): back to wait'),
  );
  const workers = (Object.keys(OUTBOUND_QUEUES) as Channel[]).map((channel) => {
    const worker = createOutboundWorker(OUTBOUND_QUEUES[channel], deps, {
      connection,
      prefix,
      // Enough sends in flight to keep OUTBOUND_MPS while each waits for its moment and then up
      // to ~300 ms on Twilio; the SendLimiter, not the concurrency, holds the rate.
      concurrency: Math.min(500, Math.max(10, Math.ceil(config.outboundMps / 3))),
      ...JOB_HOLDING,
    });
    worker.on('error', (error) => logger.error({ err: error.message, queue: worker.name }, 'worker error'));
    worker.on('failed', (job, error) => {
      logger.warn({ job: job?.id, queue: worker.name, err: error.message }, 'send failed');
      const final =
        error instanceof UnrecoverableError || (job && job.attemptsMade >= (job.opts.attempts ?? 1));
      huella.metrics.inc('sends', {
        channel,
        outcome: final ? 'failed' : 'retrying',
        reason: failureReason(error),
      });
    });
    worker.on('completed', (_job, result: string) => {
      // "skipped-opted-out" -> skipped (opted_out); "blocked": WhatsApp's window closed, no template.
      const [outcome, reason] = result.startsWith('skipped-')
        ? ['skipped', result.slice('skipped-'.length)]
        : result === 'blocked'
          ? ['blocked', 'whatsapp-window-closed']
          : [result, 'none'];
      huella.metrics.inc('sends', {
        channel,
        outcome: outcome!.replaceAll('-', '_'),
        reason: reason!.replaceAll('-', '_'),
      });
    });
    worker.on('stalled', (jobId) =>
      logger.warn({ job: jobId, queue: worker.name }, 'job stalled (its worker stopped): back to wait'),
    );
    return worker;
  });
  const everyWorker = [reminders, ...workers];
  // Erased people leave the files on disk within minutes, not when the file reaches 64 MB.
  const compaction = setInterval(() => {
    compactAfterErasures(redis).then(
      (done) => {
        if (done !== 'nothing-erased' && done !== 'too-soon')
          logger.info({ done }, 'disk rewrite after erasures');
      },
      (error: Error) => logger.warn({ err: error.message }, 'could not rewrite Redis files after erasures'),
    );
  }, REWRITE_CHECK_EVERY_MS);
  compaction.unref();
  // Connected and taking jobs (and counted by /readyz) before the process says it has started.
  await Promise.all(everyWorker.map((w) => w.waitUntilReady()));
  logger.info(
    { queues: workers.map((w) => w.name), mode: config.localMode ? 'local' : 'twilio' },
    'worker started',
  );
  return {
    url: '',
    async health(): Promise<HealthReport> {
      const connected = redis.status === 'ready' && connection.status === 'ready';
      let answers = false;
      if (connected)
        answers = await withTimeout(redis.ping(), 1000).then(
          (r) => r === 'PONG',
          () => false,
        );
      const running = everyWorker.every((w) => w.isRunning());
      return {
        ready: answers && running,
        // Stuck for good: a queue worker stopped, or a connection that ioredis gave up on.
        live: running && redis.status !== 'end' && connection.status !== 'end',
        details: { redis: answers ? 'ready' : 'down', workers: running ? 'running' : 'stopped' },
      };
    },
    /**
     * Takes no new job, lets each running one finish (a send stops after the part in flight and
     * goes back to wait), then disconnects: nothing is left active for another worker to find stalled.
     */
    async close() {
      clearInterval(compaction);
      const closing = Promise.all([reminders.close(), ...workers.map((w) => w.close())]);
      for (const worker of workers) worker.cancelAllJobs('shutdown');
      await closing;
      await huella.close();
      await connection.quit().catch(() => connection.disconnect());
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** A short, bounded label for why a send failed (no ids, no text): "opted out", "unreachable"… */
function failureReason(error: Error): string {
  return error.message.split('(')[0]!.trim().slice(0, 40) || error.name;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms).unref()),
  ]);
}
