import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import { ContentRenderer, type Flows, loadFlows } from './conversation/content.js';
import { createConversationMachine } from './conversation/machine.js';
import { ConversationService } from './conversation/service.js';
import type { Logger } from './logger.js';
import { recordDelivery } from './outbound/deliver.js';
import healthRoutes from './routes/health.js';
import twilioRoutes from './routes/twilio.js';
import simulatorRoutes from './simulator/routes.js';
import { ConversationStore } from './store/conversation-store.js';
import { PersonCrypto } from './store/crypto.js';
import { Understander } from './understanding/understand.js';

export interface AppDeps {
  config: Readonly<Config>;
  redis: Redis;
  logger: Logger;
  /** The secret for person ids and sealed addresses (HUELLA_SECRET, or the local-mode key file). */
  secret: string;
  flows?: Flows;
}

export interface Huella {
  flows: Flows;
  renderer: ContentRenderer;
  conversations: ConversationService;
  crypto: PersonCrypto;
}

/** Wires the parts of Huella that any process needs, from config and a Redis client. */
export function createHuella(deps: AppDeps): Huella {
  const flows = deps.flows ?? loadFlows();
  const renderer = new ContentRenderer(flows, { org: deps.config.orgName, legalHelp: deps.config.legalHelp });
  const crypto = new PersonCrypto(deps.secret);
  const conversations = new ConversationService({
    flows,
    machine: createConversationMachine(flows),
    understander: new Understander(flows),
    renderer,
    store: new ConversationStore(deps.redis, deps.config.conversationRetentionSeconds),
    crypto,
    logger: deps.logger,
    defaultLanguage: flows.packs.has(deps.config.defaultLanguage)
      ? deps.config.defaultLanguage
      : flows.languages[0]!,
  });
  return { flows, renderer, conversations, crypto };
}

/** Builds the HTTP app. It never listens: server.ts and the tests decide that. */
export async function buildApp(deps: AppDeps): Promise<{ app: FastifyInstance; huella: Huella }> {
  const huella = createHuella(deps);
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    trustProxy: true,
    bodyLimit: 256 * 1024,
  });
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(status).send({ error: 'Internal Server Error' });
    }
    return reply.code(status).send({ error: error.message });
  });
  await app.register(formbody);
  await app.register(healthRoutes, { redis: deps.redis });
  await app.register(twilioRoutes, {
    config: deps.config,
    conversations: huella.conversations,
    troubleReply: () => huella.flows.languages.map((lang) => huella.renderer.pack(lang).system.error_later),
    recordDelivery: (personId, sendId, part, status, errorCode) =>
      recordDelivery(deps.redis, personId, sendId, part, status, errorCode),
  });
  if (deps.config.simulator) {
    await app.register(simulatorRoutes, { redis: deps.redis, huella });
  }
  return { app, huella };
}
