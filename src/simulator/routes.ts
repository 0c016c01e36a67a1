import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Huella } from '../app.js';
import type { Config } from '../config.js';
import { requireOperatorLogin } from '../routes/operator-login.js';
import { cspAllowingScript } from '../routes/security-headers.js';
import { keys } from '../store/keys.js';
import type { RedisClient } from '../store/redis.js';
import { allowedHosts, guardSimulator } from './access.js';

const PAGE = readFileSync(new URL('./page.html', import.meta.url), 'utf8');
/** The page's one inline script, allowed by its hash so that the policy needs no 'unsafe-inline'. */
const PAGE_SCRIPT = `'sha256-${createHash('sha256')
  .update(/<script>([\s\S]*?)<\/script>/.exec(PAGE)![1]!)
  .digest('base64')}'`;

/** Per client and minute: enough for a person typing, not for a script walking numbers. */
const FLOOD = {
  messages: { max: 60, timeWindow: 60_000 },
  preview: { max: 10, timeWindow: 60_000 },
} as const;

/** The page with the note of its mode only: local mode texts nobody, the login mode texts for real. */
function pageFor(mode: 'local' | 'login'): string {
  return PAGE.replace(/\s*<p class="note" data-mode="(\w+)">[\s\S]*?<\/p>/g, (note, noteMode: string) =>
    noteMode === mode ? note : '',
  );
}

export interface SimulatorOptions {
  config: Readonly<Config>;
  redis: RedisClient;
  huella: Huella;
}

/** Which simulated phone: a number and a channel. */
const PHONE = {
  phone: { type: 'string', pattern: '^\\+[0-9]{6,15}$' },
  channel: { type: 'string', enum: ['sms', 'whatsapp'] },
} as const;

interface SendBody {
  phone: string;
  channel: 'sms' | 'whatsapp';
  text?: string;
  media?: number;
}

/**
 * A page that plays the phone, and the small API it talks to. Whoever uses it can act for any
 * number, so it answers only its own site (Host, Origin, JSON only), and with Twilio configured
 * only operators who log in (config.simulator says which).
 */
export default async function simulatorRoutes(app: FastifyInstance, opts: SimulatorOptions): Promise<void> {
  app.addHook('onRequest', guardSimulator(allowedHosts(opts.config)));
  if (opts.config.simulator === 'login') {
    await requireOperatorLogin(app, { credentials: opts.config.admin!, redis: opts.redis });
  }
  await app.register(rateLimit, { global: false, redis: opts.redis, nameSpace: 'hu:simulator-flood:' });
  const address = (phone: string, channel: string) => (channel === 'whatsapp' ? `whatsapp:${phone}` : phone);

  const page = pageFor(opts.config.simulator === 'login' ? 'login' : 'local');
  app.get(
    '/',
    { config: { securityHeaders: { contentSecurityPolicy: cspAllowingScript(PAGE_SCRIPT) } } },
    async (_request, reply) => reply.type('text/html; charset=utf-8').send(page),
  );

  app.post<{ Body: SendBody }>(
    '/simulator/messages',
    {
      config: { rateLimit: FLOOD.messages },
      schema: {
        body: {
          type: 'object',
          required: ['phone', 'channel'],
          properties: {
            ...PHONE,
            text: { type: 'string', maxLength: 20000 },
            media: { type: 'integer', minimum: 0, maximum: 10 },
          },
        },
      },
    },
    async (request) => {
      const { phone, channel, text = '', media = 0 } = request.body;
      const result = await opts.huella.conversations.handleInbound({
        messageSid: `SM${randomBytes(16).toString('hex')}`,
        from: address(phone, channel),
        channel,
        body: text,
        numMedia: media,
        receivedAt: opts.huella.clock.now(),
      });
      return { messages: result.messages };
    },
  );

  /** Sends this phone's reminders now, a few seconds apart, instead of days before the date. */
  app.post<{ Body: { phone: string; channel: 'sms' | 'whatsapp' } }>(
    '/simulator/preview-reminders',
    {
      config: { rateLimit: FLOOD.preview },
      schema: {
        body: {
          type: 'object',
          required: ['phone', 'channel'],
          properties: PHONE,
        },
      },
    },
    async (request) => {
      const personId = opts.huella.crypto.personId(address(request.body.phone, request.body.channel));
      const { appointments, weekly } = await opts.huella.conversations.remindersOf(personId);
      let queued = 0;
      for (const appointment of appointments)
        queued += await opts.huella.scheduler.preview(personId, appointment);
      // With weekly checks on, one now too (after the appointments' texts).
      if (weekly)
        queued += await opts.huella.scheduler.previewWeekly(
          personId,
          opts.huella.clock.now(),
          (queued + 1) * 4_000,
        );
      return { appointments: appointments.length, weekly, queued };
    },
  );

  app.get<{ Querystring: { phone: string; channel: string; after?: string } }>(
    '/simulator/outbox',
    {
      schema: {
        querystring: {
          type: 'object',
          required: ['phone', 'channel'],
          properties: { ...PHONE, after: { type: 'string', pattern: '^[0-9]+$' } },
        },
      },
    },
    async (request) => {
      const { phone, channel, after = '0' } = request.query;
      const personId = opts.huella.crypto.personId(address(phone, channel));
      const items = await opts.redis.lrange(keys.simulatorOutbox(personId), Number(after), -1);
      return {
        next: Number(after) + items.length,
        messages: items.map((item) => JSON.parse(opts.huella.crypto.unseal(item)) as unknown),
      };
    },
  );
}
