import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';

async function healthRoutes(app: FastifyInstance, opts: { redis: Redis }): Promise<void> {
  /** Liveness and readiness in one: 200 when Redis answers, 503 when it does not. */
  app.get('/healthz', async (_request, reply) => {
    let redis: 'ready' | 'down' = 'down';
    try {
      if (opts.redis.status === 'ready' && (await opts.redis.ping()) === 'PONG') redis = 'ready';
    } catch {
      redis = 'down';
    }
    return reply
      .code(redis === 'ready' ? 200 : 503)
      .send({ status: redis === 'ready' ? 'ok' : 'unavailable', redis });
  });
}

export default fp(healthRoutes, { name: 'health-routes', fastify: '5.x' });
