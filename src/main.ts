/**
 * `npm start`: everything in one process for a small deployment. With REDIS_URL unset it also
 * runs a local redis-server (the embedded default). Shutdown order: HTTP, workers, Redis.
 */
import { closeOnSignal, startProcess } from './process.js';
import { startWeb } from './server.js';
import { type LocalRedis, startLocalRedis } from './store/local-redis.js';
import { redisTarget } from './store/redis.js';
import { startWorker } from './worker.js';

startProcess('', async (config, logger) => {
  let localRedis: LocalRedis | undefined;
  const configured = redisTarget(config);
  if (!configured) {
    localRedis = await startLocalRedis({ dataDir: config.dataDir, port: config.localRedisPort });
    logger.info({ url: localRedis.url, dataDir: config.dataDir }, 'started a local redis-server');
  }
  const target = configured ?? localRedis!.url;
  let web: Awaited<ReturnType<typeof startWeb>> | undefined;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  try {
    web = await startWeb(config, logger, target);
    worker = await startWorker(config, logger, target);
  } catch (error) {
    // A port already taken, or another start that fails: the redis-server started here stops
    // too, so that no stray one is left holding the data folder and its port for the next try.
    await web?.close().catch(() => undefined);
    await localRedis?.stop().catch(() => undefined);
    throw error;
  }
  logger.info(
    { url: web.url, mode: config.localMode ? 'local' : 'twilio' },
    config.simulator === 'local'
      ? `Huella is running. Open ${config.publicBaseUrl}/ to chat.`
      : 'Huella is running.',
  );
  closeOnSignal(logger, [
    ['http', web],
    ['worker', worker],
    ...(localRedis
      ? [['redis', { close: () => localRedis.stop() }] as [string, { close(): Promise<void> }]]
      : []),
  ]);
});
