import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import {
  flattenParams,
  parseInboundMessage,
  toTwiml,
  verifyTwilioSignature,
} from '../channels/twilio-webhook.js';
import type { Config } from '../config.js';
import type { ConversationService } from '../conversation/service.js';

export interface TwilioRoutesOptions {
  config: Readonly<Config>;
  conversations: ConversationService;
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
}

/** Twilio's message bodies are at most 1,600 characters; a form far larger than that is not Twilio. */
const WEBHOOK_BODY_LIMIT = 64 * 1024;

async function twilioRoutes(app: FastifyInstance, opts: TwilioRoutesOptions): Promise<void> {
  const { config, conversations } = opts;

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
      const parsed = parseInboundMessage(params, new Date());
      if (!parsed.ok) {
        request.log.warn({ problem: parsed.problem }, 'webhook not understood');
        return reply.code(400).type('text/plain').send(parsed.problem);
      }
      try {
        const result = await conversations.handleInbound(parsed.message);
        return reply.type('text/xml').send(toTwiml(result.messages));
      } catch (error) {
        // The person still gets an answer: ask them to write again shortly.
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

export default fp(twilioRoutes, { name: 'twilio-routes', fastify: '5.x' });
