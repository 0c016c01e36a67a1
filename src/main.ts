/**
 * `npm start`: everything in one process for a small deployment. With REDIS_URL unset it also
 * runs a local redis-server (the embedded default). Shutdown order: HTTP, then Redis.
 */
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startWeb } from './server.js';
import { type LocalRedis, startLocalRedis } from './store/local-redis.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(error instanceof ConfigError ? 78 : 1);
  }
  const logger = createLogger(config.logLevel);
  let localRedis: LocalRedis | undefined;
  if (!config.redisUrl) {
    localRedis = await startLocalRedis({ dataDir: config.dataDir, port: config.localRedisPort });
    logger.info({ url: localRedis.url, dataDir: config.dataDir }, 'started a local redis-server');
  }
  const web = await startWeb(config, logger, config.redisUrl ?? localRedis!.url);
  logger.info(
    { url: web.url, mode: config.localMode ? 'local (simulator at /)' : 'twilio' },
    config.localMode ? `Huella is running. Open ${config.publicBaseUrl}/ to chat.` : 'Huella is running.',
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await web.close().catch((error) => logger.error({ err: error }, 'closing HTTP failed'));
    await localRedis?.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: Error) => {
  process.stderr.write(`Huella could not start: ${error.message}\n`);
  process.exit(1);
});
