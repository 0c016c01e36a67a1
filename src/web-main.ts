/**
 * `npm run start:web`: the HTTP process only, for deployments that run several; needs REDIS_URL
 * (or REDIS_CLUSTER_NODES, or REDIS_SENTINELS).
 */
import { closeOnSignal, startProcess } from './process.js';
import { startWeb } from './server.js';
import { redisTarget } from './store/redis.js';

startProcess('web', async (config, logger) => {
  const target = redisTarget(config);
  if (!target)
    throw new Error('REDIS_URL (or a cluster or sentinels) is required to run the web process on its own.');
  const web = await startWeb(config, logger, target);
  logger.info({ url: web.url }, 'web process listening');
  closeOnSignal(logger, [['http', web]]);
});
