import type { FastifyInstance } from 'fastify';
import { buildApp, type Huella } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createRedis } from '../../src/store/redis.js';
import { TEST_SECRET } from '../support/app.js';
import { testLogger } from '../support/log.js';
import { isolatedRedis } from '../support/redis.js';

/** The port local-mode test apps say they listen on (they are driven with inject). */
export const LOCAL_PORT = 3917;
/** The Host header a browser on this machine sends to a local-mode app. */
export const LOCAL_HOST = `127.0.0.1:${LOCAL_PORT}`;

export interface LocalApp {
  app: FastifyInstance;
  huella: Huella;
  /** The app's database, for a test to look into. */
  redis: Awaited<ReturnType<typeof isolatedRedis>>['redis'];
  config: Readonly<Config>;
  close(): Promise<void>;
}

/** An app in local mode (no Twilio credentials), on a Redis database of its own. */
export async function buildLocalApp(env: Record<string, string> = {}): Promise<LocalApp> {
  const { url, redis } = await isolatedRedis();
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(LOCAL_PORT),
    LOG_LEVEL: 'silent',
    REDIS_ALLOW_UNSAFE: 'true',
    ...env,
  });
  const appRedis = createRedis(url);
  await appRedis.connect();
  const { app, huella } = await buildApp({
    config,
    redis: appRedis,
    logger: testLogger(),
    secret: TEST_SECRET,
    queuePrefix: `sec${process.pid}`,
  });
  await app.ready();
  return {
    app,
    huella,
    redis,
    config,
    async close() {
      await app.close();
      appRedis.disconnect();
      await redis.quit();
    },
  };
}

/** HTTP Basic credentials, with the scheme name spelled as given. */
export function basic(user: string, password: string, scheme = 'Basic'): string {
  return `${scheme} ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
