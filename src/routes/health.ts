import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { RedisClient } from '../store/redis.js';

export interface HealthOptions {
  redis: RedisClient;
  /** The queues workers take jobs from: their worker count tells whether reminders go out. */
  queues: Queue[];
}

/** How long a readiness check waits for Redis before saying it is not ready. */
const REDIS_CHECK_MS = 1000;

/**
 * - `/livez`: the process runs and answers (restart it when this fails).
 * - `/readyz`: Redis answers, so messages can be handled (send traffic only when this is 200).
 *   The body also counts the workers connected to the queues: 0 means reminders are not going
 *   out, which is worth an alert, but the web process can still answer people, so it stays ready.
 * - `/healthz`: the same as `/readyz` (older name).
 */
async function healthRoutes(app: FastifyInstance, opts: HealthOptions): Promise<void> {
  app.get('/livez', async (_request, reply) => reply.send({ status: 'ok' }));

  const ready = async () => {
    const redis = await withTimeout(
      (async () => opts.redis.status === 'ready' && (await opts.redis.ping()) === 'PONG')(),
      REDIS_CHECK_MS,
    ).catch(() => false);
    let workers: number | undefined;
    if (redis) {
      workers = await withTimeout(
        Promise.all(opts.queues.map((q) => q.getWorkersCount())).then((counts) => Math.min(...counts)),
        REDIS_CHECK_MS,
      ).catch(() => undefined);
    }
    return { redis, workers };
  };

  const readiness = async (_request: unknown, reply: import('fastify').FastifyReply) => {
    const { redis, workers } = await ready();
    return reply.code(redis ? 200 : 503).send({
      status: redis ? 'ok' : 'unavailable',
      redis: redis ? 'ready' : 'down',
      ...(workers !== undefined
        ? { workers, reminders: workers > 0 ? 'sending' : 'no worker connected' }
        : {}),
    });
  };
  app.get('/readyz', readiness);
  app.get('/healthz', readiness);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

export default fp(healthRoutes, { name: 'health-routes', fastify: '5.x' });
