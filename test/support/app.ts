import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import twilio from 'twilio';
import { type AppDeps, buildApp, type Huella } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createRedis, type RedisTarget } from '../../src/store/redis.js';
import { testClock } from './clock.js';
import { testLogger } from './log.js';
import { isolatedRedis } from './redis.js';

export const TEST_ACCOUNT_SID = `AC${'1'.repeat(32)}`;
export const TEST_AUTH_TOKEN = 'test-auth-token-0123456789abcdef';
export const TEST_PUBLIC_URL = 'https://huella.example.org';
export const TEST_SECRET = Buffer.alloc(32, 7).toString('base64');

export interface TestApp {
  app: FastifyInstance;
  huella: Huella;
  redis: Awaited<ReturnType<typeof isolatedRedis>>['redis'];
  /** The client the app itself uses (to take Redis away from it in a test). */
  appRedis: ReturnType<typeof createRedis>;
  /** The app's database: its URL and number (on a cluster: a description, db 0; see `target`). */
  url: string;
  /** What the app was given: the URL, or the test file's cluster. */
  target: RedisTarget | string;
  db: number;
  /** POSTs a correctly signed Twilio webhook. */
  sendSigned(params: Record<string, string>, path?: string): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

let sidCounter = 0;
/** A fresh, well-formed MessageSid. */
export function newMessageSid(): string {
  sidCounter += 1;
  return `SM${String(Date.now()).padStart(16, '0')}${String(sidCounter).padStart(16, '0')}`;
}

export function inboundParams(
  from: string,
  body: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    MessageSid: newMessageSid(),
    AccountSid: TEST_ACCOUNT_SID,
    From: from,
    To: from.startsWith('whatsapp:') ? 'whatsapp:+14155238886' : '+15005550006',
    Body: body,
    NumMedia: '0',
    ...extra,
  };
}

export function sign(path: string, params: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, `${TEST_PUBLIC_URL}${path}`, params);
}

/** A client on a redis-server of the test's own (one it stops and starts). */
async function ownRedis(url: string) {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => {}); // the test takes this server away on purpose
  await redis.connect();
  return { url, target: url, redis, db: 0 };
}

/** The pieces every test app is made of: its own database, a config in Twilio mode, a client. */
async function testDeps(env: Record<string, string>, redisUrl?: string) {
  const { url, target, redis, db } = redisUrl ? await ownRedis(redisUrl) : await isolatedRedis();
  const config = loadConfig({
    NODE_ENV: 'test',
    TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    PUBLIC_BASE_URL: TEST_PUBLIC_URL,
    HUELLA_SECRET: TEST_SECRET,
    LOG_LEVEL: 'debug',
    ...env,
  });
  const appRedis = createRedis(target);
  appRedis.on('error', () => {}); // tests take Redis away on purpose; the app's answers are what count
  await appRedis.connect();
  const secret = config.secretPrevious ? `${config.secret},${config.secretPrevious}` : config.secret!;
  const deps: AppDeps = { config, redis: appRedis, logger: testLogger(), secret, clock: testClock };
  return { url, target, db, redis, appRedis, deps };
}

function testApp(app: FastifyInstance, huella: Huella, parts: Awaited<ReturnType<typeof testDeps>>): TestApp {
  const { redis, appRedis, url, target, db } = parts;
  return {
    app,
    huella,
    redis,
    appRedis,
    url,
    target,
    db,
    sendSigned(params, path = '/twilio/messages') {
      return app.inject({
        method: 'POST',
        url: path,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': sign(path, params),
        },
        payload: new URLSearchParams(params).toString(),
      });
    },
    async close() {
      await app.close();
      appRedis.disconnect();
      await redis.quit();
    },
  };
}

export async function buildTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const parts = await testDeps(env);
  const { app, huella } = await buildApp(parts.deps);
  await app.ready();
  return testApp(app, huella, parts);
}

/**
 * The app as buildTestApp builds it, with webhook settings of the test's own (flood limits, the
 * answer deadline) and, optionally, a Redis of its own (one a test stops and starts).
 */
export async function buildWiredTestApp(
  env: Record<string, string> = {},
  webhook: AppDeps['webhook'] = {},
  options: { redisUrl?: string } = {},
): Promise<TestApp> {
  const parts = await testDeps(env, options.redisUrl);
  const { app, huella } = await buildApp({ ...parts.deps, webhook });
  await app.ready();
  return testApp(app, huella, parts);
}

/** The texts inside a TwiML answer. */
export function twimlMessages(xml: string): string[] {
  return [...xml.matchAll(/<Message>([\s\S]*?)<\/Message>/g)].map((m) =>
    m[1]!
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&quot;', '"')
      .replaceAll('&apos;', "'")
      .replaceAll('&amp;', '&'),
  );
}
