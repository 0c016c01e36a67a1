/** `npm run start:worker`: the queue worker only, for deployments that run several; needs REDIS_URL. */
import { closeOnSignal, startProcess } from './process.js';
import { startWorker } from './worker.js';

startProcess('worker', async (config, logger) => {
  if (!config.redisUrl) throw new Error('REDIS_URL is required to run the worker on its own.');
  const worker = await startWorker(config, logger, config.redisUrl);
  closeOnSignal(logger, [['worker', worker]]);
});
