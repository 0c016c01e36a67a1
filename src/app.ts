import formbody from '@fastify/formbody';
import { Queue } from 'bullmq';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { DateTime } from 'luxon';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { ContentRenderer, type Flows, loadFlows } from './conversation/content.js';
import { createConversationMachine } from './conversation/machine.js';
import { ConversationService } from './conversation/service.js';
import type { Logger } from './logger.js';
import { Metrics } from './metrics.js';
import { recordDelivery } from './outbound/deliver.js';
import { OUTBOUND_QUEUES, type OutboundJobData } from './outbound/outbox.js';
import { EffectRunner } from './reminders/effects.js';
import { REMINDER_QUEUE, ReminderScheduler, type ScheduledJobData } from './reminders/scheduler.js';
import adminRoutes from './routes/admin.js';
import healthRoutes from './routes/health.js';
import securityHeaders from './routes/security-headers.js';
import twilioRoutes, { type TwilioRoutesOptions } from './routes/twilio.js';
import simulatorRoutes from './simulator/routes.js';
import { ConversationStore } from './store/conversation-store.js';
import { PersonCrypto } from './store/crypto.js';
import { PersonMover } from './store/person-move.js';
import { queuePrefixFor, type RedisClient } from './store/redis.js';
import { findAppointmentDetails } from './understanding/appointment-details.js';
import { Understander } from './understanding/understand.js';

export interface AppDeps {
  config: Readonly<Config>;
  redis: RedisClient;
  logger: Logger;
  /** The secret for person ids and sealed addresses (HUELLA_SECRET, or the local-mode key file). */
  secret: string;
  flows?: Flows;
  /** BullMQ key prefix (tests use their own); default `bull`, `{huella}` on a cluster. */
  queuePrefix?: string;
  /** Webhook settings tests change: the flood limit, the answer deadline. */
  webhook?: Pick<TwilioRoutesOptions, 'floodLimits' | 'answerWithinMs'>;
  /** Where "now" comes from (tests run the app at an instant of their choosing); default the wall. */
  clock?: Clock;
}

export interface Huella {
  flows: Flows;
  renderer: ContentRenderer;
  /** The one clock every part of this process reads "now" from. */
  clock: Clock;
  conversations: ConversationService;
  crypto: PersonCrypto;
  scheduler: ReminderScheduler;
  /** The reminder queue and the outbound queues (for the dashboard, metrics and health). */
  queues: Queue[];
  /** Counts for /metrics, shared across processes through Redis. */
  metrics: Metrics;
  /** Key rotation: moves a person from the previous secret's id to the current one. */
  movePerson(fromId: string, toId: string): Promise<boolean>;
  /** Closes the queue producers this created. */
  close(): Promise<void>;
}

/** Wires the parts of Huella that any process needs, from config and a Redis client. */
export function createHuella(deps: AppDeps): Huella {
  const flows = deps.flows ?? loadFlows();
  const renderer = new ContentRenderer(flows, {
    org: deps.config.orgName,
    legalHelp: deps.config.legalHelp,
    reminderOffsets: deps.config.reminderOffsets,
    quietHours: deps.config.quietHours,
    whatsapp: { templates: deps.config.whatsappTemplates, fallback: deps.config.whatsappFallback },
  });
  const crypto = new PersonCrypto(deps.secret);
  const prefix = deps.queuePrefix ?? queuePrefixFor(deps.redis);
  const metrics = new Metrics(deps.redis).start();
  const reminderQueue = new Queue<ScheduledJobData>(REMINDER_QUEUE, { connection: deps.redis, prefix });
  const outbound = {
    sms: new Queue<OutboundJobData>(OUTBOUND_QUEUES.sms, { connection: deps.redis, prefix }),
    whatsapp: new Queue<OutboundJobData>(OUTBOUND_QUEUES.whatsapp, { connection: deps.redis, prefix }),
  };
  for (const queue of [reminderQueue, outbound.sms, outbound.whatsapp]) {
    queue.on('error', (error) => deps.logger.warn({ err: error.message, queue: queue.name }, 'queue error'));
  }
  const scheduler = new ReminderScheduler(reminderQueue, deps.redis, {
    offsets: deps.config.reminderOffsets,
    quiet: deps.config.quietHours,
    followUpAfter: deps.config.followUpAfter,
    statusCheckEvery: deps.config.statusCheckEvery,
    defaultZone: deps.config.defaultTimezone,
    sealer: crypto,
    onScheduled: (names) => {
      for (const type of names) metrics.inc('remindersScheduled', { type });
    },
  });
  const defaultLanguage = flows.packs.has(deps.config.defaultLanguage)
    ? deps.config.defaultLanguage
    : flows.languages[0]!;
  const conversations = new ConversationService({
    flows,
    machine: createConversationMachine(flows),
    understander: new Understander(flows),
    renderer,
    // Given the queues, DELETE also removes the person's queued sends.
    store: new ConversationStore(deps.redis, deps.config.conversationRetentionSeconds, {
      sealer: crypto,
      queues: [reminderQueue, outbound.sms, outbound.whatsapp],
    }),
    crypto,
    logger: deps.logger,
    metrics,
    defaultLanguage,
    defaultTimezone: deps.config.defaultTimezone,
    findDetails: (text, now, zone, lang) =>
      findAppointmentDetails(text, DateTime.fromJSDate(now, { zone }), flows, lang),
    effects: new EffectRunner({
      redis: deps.redis,
      sealer: crypto,
      scheduler,
      outbound,
      renderer,
      logger: deps.logger,
    }),
  });
  const mover = new PersonMover(deps.redis, crypto, scheduler);
  return {
    flows,
    renderer,
    clock: deps.clock ?? systemClock,
    conversations,
    crypto,
    scheduler,
    movePerson: (fromId, toId) => mover.move(fromId, toId),
    queues: [reminderQueue, outbound.sms, outbound.whatsapp],
    metrics,
    async close() {
      await metrics.close();
      await Promise.all([reminderQueue.close(), outbound.sms.close(), outbound.whatsapp.close()]);
    },
  };
}

/**
 * One log line per request, when it is answered, with the method, path, status and time: Fastify's
 * own "incoming request" line is left out (two lines cost a webhook more than a third of its logging).
 */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
    if (error) {
      reply.log.error(
        { req: request, res: reply, err: error, responseTime: reply.elapsedTime },
        'request errored',
      );
    } else {
      reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
    }
  }
}

/** Builds the HTTP app. It never listens: server.ts and the tests decide that. */
export async function buildApp(deps: AppDeps): Promise<{ app: FastifyInstance; huella: Huella }> {
  const huella = createHuella(deps);
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    trustProxy: true,
    bodyLimit: 256 * 1024,
    logController: new OneLinePerRequest(),
  });
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(status).send({ error: 'Internal Server Error' });
    }
    return reply.code(status).send({ error: error.message });
  });
  app.addHook('onClose', async () => huella.close());
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    if (!route?.startsWith('/twilio/')) return;
    huella.metrics.observe('webhookDuration', { route, status: reply.statusCode }, reply.elapsedTime / 1000);
  });
  await app.register(securityHeaders);
  await app.register(formbody);
  await app.register(healthRoutes, { redis: deps.redis, queues: huella.queues });
  if (deps.config.admin) {
    await app.register(adminRoutes, {
      credentials: deps.config.admin,
      redis: deps.redis,
      queues: huella.queues,
      orgName: deps.config.orgName,
      clock: huella.clock,
      unseal: (stored: string) => huella.crypto.unseal(stored),
    });
  }
  await app.register(twilioRoutes, {
    config: deps.config,
    conversations: huella.conversations,
    clock: huella.clock,
    troubleReply: () => huella.flows.languages.map((lang) => huella.renderer.pack(lang).system.error_later),
    recordDelivery: (personId, sendId, part, status, errorCode) =>
      recordDelivery(deps.redis, personId, sendId, part, status, errorCode),
    redis: deps.redis,
    crypto: huella.crypto,
    movePerson: huella.movePerson,
    slowDownReply: () => huella.flows.languages.map((lang) => huella.renderer.pack(lang).system.slow_down),
    ...deps.webhook,
  });
  if (deps.config.simulator !== 'off') {
    await app.register(simulatorRoutes, { config: deps.config, redis: deps.redis, huella });
  }
  return { app, huella };
}
