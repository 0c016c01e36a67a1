import { buildApp } from './app.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { resolveSecret } from './secret.js';
import { simulatorNotice } from './simulator/access.js';
import {
  connectRedis,
  createRedis,
  type RedisClient,
  type RedisTarget,
  redisSafetyProblems,
} from './store/redis.js';

export interface Running {
  url: string;
  close(): Promise<void>;
}

/** Starts the web process: connects Redis (failing the boot if it is away), then listens. */
export async function startWeb(
  config: Readonly<Config>,
  logger: Logger,
  target: RedisTarget | string,
): Promise<Running> {
  const redis = createRedis(target);
  redis.on('error', (error) => logger.warn({ err: error.message }, 'redis connection problem'));
  await connectRedis(redis);
  await refuseUnsafeRedis(redis, config, logger);
  const { app } = await buildApp({ config, redis, logger, secret: resolveSecret(config) });
  app.addHook('onClose', async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
  const url = await app.listen({ port: config.port, host: config.host });
  const notice = simulatorNotice(config);
  logger[notice.level]({ simulator: config.simulator, host: config.host }, notice.msg);
  return { url, close: () => app.close() };
}

/** Stops the boot on a Redis that could lose reminders, unless REDIS_ALLOW_UNSAFE=true. */
export async function refuseUnsafeRedis(
  redis: RedisClient,
  config: Readonly<Config>,
  logger: Logger,
): Promise<void> {
  const problems = await redisSafetyProblems(redis);
  if (problems.length === 0) return;
  if (config.redisAllowUnsafe) {
    logger.warn({ problems }, 'Redis could lose data; continuing because REDIS_ALLOW_UNSAFE=true');
    return;
  }
  redis.disconnect();
  throw new Error(
    `Redis is not safe for Huella's data:\n  - ${problems.join('\n  - ')}\nFix it, or set REDIS_ALLOW_UNSAFE=true for a throwaway setup.`,
  );
}
