import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import type { Huella } from '../app.js';
import { keys } from '../store/keys.js';

const PAGE = readFileSync(new URL('./page.html', import.meta.url), 'utf8');

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

/** Local mode: a page that plays the phone, and the small API it talks to. */
async function simulatorRoutes(app: FastifyInstance, opts: { redis: Redis; huella: Huella }): Promise<void> {
  const address = (phone: string, channel: string) => (channel === 'whatsapp' ? `whatsapp:${phone}` : phone);

  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE));

  app.post<{ Body: SendBody }>(
    '/simulator/messages',
    {
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
        receivedAt: new Date(),
      });
      return { messages: result.messages };
    },
  );

  /** Sends this phone's reminders now, a few seconds apart, instead of days before the date. */
  app.post<{ Body: { phone: string; channel: 'sms' | 'whatsapp' } }>(
    '/simulator/preview-reminders',
    {
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
      const appointments = await opts.huella.conversations.appointmentsOf(personId);
      let queued = 0;
      for (const appointment of appointments)
        queued += await opts.huella.scheduler.preview(personId, appointment);
      return { appointments: appointments.length, queued };
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

export default fp(simulatorRoutes, { name: 'simulator-routes', fastify: '5.x' });
