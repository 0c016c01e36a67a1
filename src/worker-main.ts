/**
 * `npm run start:worker`: the queue worker only, for deployments that run several; needs REDIS_URL
 * (or REDIS_CLUSTER_NODES, or REDIS_SENTINELS).
 */
import { startHealthServer } from './health-server.js';
import { closeOnSignal, startProcess } from './process.js';
import { redisTarget } from './store/redis.js';
import { startWorker } from './worker.js';

startProcess('worker', async (config, logger) => {
  const target = redisTarget(config);
  if (!target)
    throw new Error('REDIS_URL (or a cluster or sentinels) is required to run the worker on its own.');
  const worker = await startWorker(config, logger, target);
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
