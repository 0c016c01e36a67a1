import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type FloodDecision, type FloodLimits, FloodThrottle } from '../channels/throttle.js';
import {
  flattenParams,
  parseInboundMessage,
  toTwiml,
  verifyTwilioSignature,
} from '../channels/twilio-webhook.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { ConversationService, InboundMessage } from '../conversation/service.js';
import type { PersonCrypto } from '../store/crypto.js';
import { keys } from '../store/keys.js';
import type { RedisClient } from '../store/redis.js';

export interface TwilioRoutesOptions {
  config: Readonly<Config>;
  conversations: ConversationService;
  /** When a message counts as received (the app's one clock). */
  clock: Clock;
  /** The bilingual "try again in a few minutes" text, for when the store is unreachable. */
  troubleReply: () => string[];
  /** Writes a delivery report to the ledger of a send. */
  recordDelivery: (
    personId: string,
    sendId: string,
    part: number,
    status: string,
    errorCode: string | undefined,
  ) => Promise<void>;
  /**
   * The app's Redis client and person crypto. With both, the webhook limits each number's flood
   * of messages, finds people kept under the previous secret during a key rotation, and waits out
   * a short Redis outage within its answer time. Without them it does none of these.
   */
  redis?: RedisClient;
  crypto?: PersonCrypto;
  /** Moves a person found under the previous secret to the current one (store/person-move.ts). */
  movePerson?: (fromId: string, toId: string) => Promise<boolean>;
  floodLimits?: Partial<FloodLimits>;
  /** The bilingual "you sent too many messages, write again in a minute" text (flows/: slow_down). */
  slowDownReply: () => string[];
  /** The webhook answers within this many milliseconds, whatever Redis does (default 4 s). */
  answerWithinMs?: number;
}

/**
 * Twilio waits up to 15 s for the answer; the person should not wait that long for "try again",
 * and a slow answer ties up Twilio's connection. Within this time the turn is tried, a Redis that
 * went away is waited for once, and otherwise the bilingual "write again shortly" text goes out.
 */
export const ANSWER_WITHIN_MS = 4_000;
/** Time kept for answering after the last try, and the pause between tries. */
const RETRY_MARGIN_MS = 250;
const RETRY_PAUSE_MS = 50;

type Outcome =
  | { kind: 'answered'; personId: string; messages: string[]; duplicate: boolean }
  | { kind: 'limited'; personId: string; decision: Exclude<FloodDecision, 'admit'> };

/** Twilio's message bodies are at most 1,600 characters; a form far larger than that is not Twilio. */
const WEBHOOK_BODY_LIMIT = 64 * 1024;

async function twilioRoutes(app: FastifyInstance, opts: TwilioRoutesOptions): Promise<void> {
  const { config, conversations, redis, crypto } = opts;
  const throttle = redis ? new FloodThrottle(redis, opts.floodLimits) : undefined;
  const slowDown = opts.slowDownReply;
  const answerWithin = opts.answerWithinMs ?? ANSWER_WITHIN_MS;

  /** Looks the person up (key rotation), counts the message against the flood limit, runs the turn. */
  const handle = async (message: InboundMessage, log: FastifyBaseLogger): Promise<Outcome> => {
    let personId: string | undefined;
    if (redis && crypto) {
      personId = await crypto.resolvePersonId(
        message.from,
        async (id) => (await redis.exists(keys.conversation(id))) === 1,
        opts.movePerson,
      );
    }
    // The flood check runs in the same round trip as the read of the conversation.
    const flood = personId !== undefined ? throttle!.check(personId, message.messageSid) : undefined;
    const result = await conversations.handleInbound(message, { flood });
    if (result.limited) {
      log.warn({ conversation: result.personId, decision: result.limited }, 'flood limit: message not read');
      return { kind: 'limited', personId: result.personId, decision: result.limited };
    }
    return { kind: 'answered', ...result };
  };

  /**
   * Runs `handle` within the answer time. When Redis went away (refused, reset, reconnecting), it
   * waits for the client to be ready again and tries again, until the deadline; a Redis that
   * holds the connection but does not answer (command timeout) is not waited for.
   */
  const handleInTime = async (message: InboundMessage, log: FastifyBaseLogger) => {
    const deadline = Date.now() + answerWithin;
    const attempts = (async (): Promise<Outcome> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await handle(message, log);
        } catch (error) {
          const left = deadline - Date.now() - RETRY_MARGIN_MS;
          if (!redis || redis.status === 'end' || left <= 0 || isTimeout(error)) throw error;
          if (attempt === 1) log.warn({ err: error }, 'Redis is away: waiting for it within the answer time');
          await sleep(RETRY_PAUSE_MS);
          if (!(await readyWithin(redis, left - RETRY_PAUSE_MS))) throw error;
        }
      }
    })();
    return await beforeDeadline(attempts, deadline);
  };

  app.post(
    '/twilio/messages',
    { bodyLimit: WEBHOOK_BODY_LIMIT },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const params = flattenParams(request.body);
      const rejection = checkTwilioRequest(config, request, params);
      if (rejection) {
        request.log.warn({ reason: rejection }, 'webhook rejected');
        return reply.code(403).type('text/plain').send('Forbidden');
      }
      const parsed = parseInboundMessage(params, opts.clock.now());
      if (!parsed.ok) {
        request.log.warn({ problem: parsed.problem }, 'webhook not understood');
        return reply.code(400).type('text/plain').send(parsed.problem);
      }
      try {
        const outcome = await handleInTime(parsed.message, request.log);
        if (outcome.kind === 'limited') {
          return reply.type('text/xml').send(toTwiml(outcome.decision === 'notice' ? slowDown() : []));
        }
        request.log.debug(
          { conversation: outcome.personId, parts: outcome.messages.length, duplicate: outcome.duplicate },
          'answered',
        );
        return reply.type('text/xml').send(toTwiml(outcome.messages));
      } catch (error) {
        // The person still gets an answer at once: ask them to write again shortly (see README).
        request.log.error({ err: error }, 'could not run the conversation');
        return reply.type('text/xml').send(toTwiml(opts.troubleReply()));
      }
    },
  );

  /**
   * Delivery reports for texts Huella sent by itself. The query names the send by opaque ids;
   * the report is written to that send's ledger, part by part.
   */
  app.post<{ Querystring: { p?: string; s?: string; i?: string } }>(
    '/twilio/status',
    { bodyLimit: WEBHOOK_BODY_LIMIT },
    async (request, reply) => {
      const params = flattenParams(request.body);
      const rejection = checkTwilioRequest(config, request, params);
      if (rejection) {
        request.log.warn({ reason: rejection }, 'status callback rejected');
        return reply.code(403).type('text/plain').send('Forbidden');
      }
      const { p: personId, s: sendId, i: part } = request.query;
      const status = params.MessageStatus ?? params.SmsStatus;
      if (!personId || !sendId || !part || !/^\d+$/.test(part) || !status) {
        return reply.code(400).type('text/plain').send('missing p, s, i or MessageStatus');
      }
      try {
        await opts.recordDelivery(personId, sendId, Number(part), status, params.ErrorCode);
      } catch (error) {
        // 5xx makes Twilio retry the report later.
        request.log.error({ err: error }, 'could not record a delivery report');
        return reply.code(503).send();
      }
      return reply.code(204).send();
    },
  );
}

/** Why a request is not from our Twilio account, or undefined when it is. */
export function checkTwilioRequest(
  config: Readonly<Config>,
  request: FastifyRequest,
  params: Record<string, string>,
): string | undefined {
  if (!config.twilio) return 'no Twilio credentials configured (local mode)';
  const signature = request.headers['x-twilio-signature'];
  const valid = verifyTwilioSignature({
    authToken: config.twilio.authToken,
    publicBaseUrl: config.publicBaseUrl,
    path: request.url,
    signature: typeof signature === 'string' ? signature : undefined,
    params,
  });
  if (!valid) return 'signature does not verify';
  if (params.AccountSid !== config.twilio.accountSid) return 'AccountSid is not ours';
  return undefined;
}

/** ioredis's "the command was sent and Redis did not answer in time". */
function isTimeout(error: unknown): boolean {
  return error instanceof Error && /timed out/i.test(error.message);
}

/** Resolves true as soon as the client is ready again, false after `ms`. */
function readyWithin(redis: RedisClient, ms: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  if (ms <= 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, ms);
    redis.once('ready', onReady);
  });
}

/** The promise's value, or an error at the deadline (the work itself goes on and is not awaited). */
function beforeDeadline<T>(work: Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error('no answer within the webhook answer time')),
      Math.max(0, deadline - Date.now()),
    );
  });
  work.catch(() => {}); // a late failure has been answered already
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export default fp(twilioRoutes, { name: 'twilio-routes', fastify: '5.x' });
