/**
 * The webhook benchmark's baseline, run as its own process: a bare Fastify route with the same
 * form parsing and Twilio signature check as Huella's, one Redis GET and one SET, and a fixed
 * TwiML answer. Reads the same environment as Huella (PORT, HOST, REDIS_URL or
 * REDIS_CLUSTER_NODES, TWILIO_*, LOG_LEVEL). On a cluster its key is hash-tagged like Huella's.
 */
import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { flattenParams, verifyTwilioSignature } from '../src/channels/twilio-webhook.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { connectRedis, createRedis, redisTarget } from '../src/store/redis.js';

const config = loadConfig();
const target = redisTarget(config);
if (!config.twilio || !target) throw new Error('the baseline needs TWILIO_* and REDIS_URL (or a cluster)');
const { authToken } = config.twilio;
const redis = createRedis(target);
await connectRedis(redis);
const app = Fastify({
  loggerInstance: createLogger(config.logLevel, false) as FastifyBaseLogger,
  trustProxy: true,
  bodyLimit: 256 * 1024,
});
await app.register(formbody);
app.get('/livez', async () => ({ status: 'ok' }));
app.post('/twilio/messages', async (request, reply) => {
  const params = flattenParams(request.body);
  const signature = request.headers['x-twilio-signature'];
  const valid = verifyTwilioSignature({
    authToken,
    publicBaseUrl: config.publicBaseUrl,
    path: request.url,
    signature: typeof signature === 'string' ? signature : undefined,
    params,
  });
  if (!valid) return reply.code(403).type('text/plain').send('Forbidden');
  const key = `bare:{${params.MessageSid ?? ''}}:sid`;
  const seen = await redis.get(key);
  await redis.set(key, seen ?? '1', 'EX', 3600);
  return reply
    .type('text/xml')
    .send('<?xml version="1.0" encoding="UTF-8"?><Response><Message>ok</Message></Response>');
});
await app.listen({ port: config.port, host: config.host });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
