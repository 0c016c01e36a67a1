import { buildApp } from './app.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { resolveSecret } from './secret.js';
import { connectRedis, createRedis } from './store/redis.js';

export interface Running {
  url: string;
  close(): Promise<void>;
}

/** Starts the web process: connects Redis (failing the boot if it is away), then listens. */
export async function startWeb(config: Readonly<Config>, logger: Logger, redisUrl: string): Promise<Running> {
  const redis = createRedis(redisUrl);
  redis.on('error', (error) => logger.warn({ err: error.message }, 'redis connection problem'));
  await connectRedis(redis);
  const { app } = await buildApp({ config, redis, logger, secret: resolveSecret(config) });
  app.addHook('onClose', async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
  const url = await app.listen({ port: config.port, host: config.host });
  return { url, close: () => app.close() };
}
