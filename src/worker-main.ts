/** `npm run start:worker`: the queue worker only, for deployments that run several; needs REDIS_URL. */
import { startHealthServer } from './health-server.js';
import { closeOnSignal, startProcess } from './process.js';
import { startWorker } from './worker.js';

startProcess('worker', async (config, logger) => {
  if (!config.redisUrl) throw new Error('REDIS_URL is required to run the worker on its own.');
  const worker = await startWorker(config, logger, config.redisUrl);
  // /livez and /readyz for Docker's HEALTHCHECK and orchestrators; closed first on shutdown.
  const health =
    config.healthPort !== undefined
      ? await startHealthServer(config.healthPort, config.host, () => worker.health())
      : undefined;
  if (health) logger.info({ url: health.url }, 'worker health on /livez and /readyz');
  closeOnSignal(logger, [
    ...(health ? [['health', health] as ['health', typeof health]] : []),
    ['worker', worker],
  ]);
});
