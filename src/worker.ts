import { type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createHuella } from './app.js';
import type { Config } from './config.js';
import type { Channel, ConversationEvent } from './conversation/machine.js';
import type { Logger } from './logger.js';
import { deliver } from './outbound/deliver.js';
import { LocalSender } from './outbound/local-sender.js';
import { OUTBOUND_QUEUES, type OutboundJobData } from './outbound/outbox.js';
import { type Sender, TwilioSender } from './outbound/sender.js';
import { createTwilioClient } from './outbound/twilio-client.js';
import { REMINDER_QUEUE, type ScheduledJobData } from './reminders/scheduler.js';
import { resolveSecret } from './secret.js';
import { type Running, refuseUnsafeRedis } from './server.js';
import { connectRedis, createRedis } from './store/redis.js';

/**
 * The worker process: sends what Huella texts by itself, through one queue per sending number,
 * each rate-limited to OUTBOUND_MPS across every worker. Holds no state: run as many as needed.
 */
export async function startWorker(
  config: Readonly<Config>,
  logger: Logger,
  redisUrl: string,
  options: { queuePrefix?: string; secret?: string } = {},
): Promise<Running> {
  const redis = createRedis(redisUrl);
  redis.on('error', (error) => logger.warn({ err: error.message }, 'redis connection problem'));
  await connectRedis(redis);
  await refuseUnsafeRedis(redis, config, logger);
  // BullMQ workers block on Redis and must wait out an outage instead of failing commands.
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', (error) => logger.warn({ err: error.message }, 'queue connection problem'));

  const prefix = options.queuePrefix ?? 'bull';
  const huella = createHuella({
    config,
    redis,
    logger,
    secret: options.secret ?? resolveSecret(config),
    queuePrefix: prefix,
  });
  const sender: Sender = config.twilio
    ? new TwilioSender({
        client: createTwilioClient({
          accountSid: config.twilio.accountSid,
          authToken: config.twilio.authToken,
          ...(config.twilio.apiBaseUrl ? { apiBaseUrl: config.twilio.apiBaseUrl } : {}),
        }),
        smsFrom: config.twilio.smsFrom,
        whatsappFrom: config.twilio.whatsappFrom,
      })
    : new LocalSender(redis);
  const deps = {
    redis,
    sender,
    crypto: huella.crypto,
    logger,
    whatsappTemplates: config.whatsappTemplates,
    whatsappFallback: config.whatsappFallback,
    statusCallbackBase: config.localMode ? undefined : config.publicBaseUrl,
    onCarrierOptOut: async (personId: string) => {
      await huella.conversations.handleSystemEvent(
        personId,
        `carrier-opt-out-${Date.now()}`,
        { type: 'CARRIER_OPT_OUT' },
        new Date(),
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
          ? { type: 'WEEKLY_DUE', at: data.at }
          : data.type === 'milestone'
            ? { type: 'MILESTONE_DUE', kind: data.kind }
            : {
                type: 'REMINDER_DUE',
                appointmentId: data.appointmentId,
                version: data.version,
                kind: data.kind,
              };
      await huella.conversations.handleSystemEvent(data.personId, id, event, new Date());
    },
    { connection, concurrency: 50, prefix },
  );
  reminders.on('error', (error) =>
    logger.error({ err: error.message, queue: REMINDER_QUEUE }, 'worker error'),
  );
  reminders.on('failed', (job, error) =>
    logger.warn({ job: job?.id, err: error.message }, 'reminder failed'),
  );
  const workers = (Object.keys(OUTBOUND_QUEUES) as Channel[]).map((channel) => {
    const worker = new Worker<OutboundJobData>(
      OUTBOUND_QUEUES[channel],
      (job: Job<OutboundJobData>) => deliver(deps, job.data),
      {
        connection,
        prefix,
        concurrency: 10,
        limiter: { max: Math.max(1, Math.round(config.outboundMps)), duration: 1000 },
      },
    );
    worker.on('error', (error) => logger.error({ err: error.message, queue: worker.name }, 'worker error'));
    worker.on('failed', (job, error) =>
      logger.warn({ job: job?.id, queue: worker.name, err: error.message }, 'send failed'),
    );
    return worker;
  });
  logger.info(
    { queues: workers.map((w) => w.name), mode: config.localMode ? 'local' : 'twilio' },
    'worker started',
  );
  return {
    url: '',
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await huella.close();
      await connection.quit().catch(() => connection.disconnect());
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
