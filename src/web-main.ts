/** `npm run start:web`: the HTTP process only, for deployments that run several; needs REDIS_URL. */
import { closeOnSignal, startProcess } from './process.js';
import { startWeb } from './server.js';

startProcess('web', async (config, logger) => {
  if (!config.redisUrl) throw new Error('REDIS_URL is required to run the web process on its own.');
  const web = await startWeb(config, logger, config.redisUrl);
  logger.info({ url: web.url }, 'web process listening');
  closeOnSignal(logger, [['http', web]]);
});
