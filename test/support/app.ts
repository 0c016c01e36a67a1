import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import twilio from 'twilio';
import { buildApp, type Huella } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createRedis } from '../../src/store/redis.js';
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

export async function buildTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const { url, redis } = await isolatedRedis();
  const config = loadConfig({
    NODE_ENV: 'test',
    TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    PUBLIC_BASE_URL: TEST_PUBLIC_URL,
    HUELLA_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const appRedis = createRedis(url);
  await appRedis.connect();
  const { app, huella } = await buildApp({
    config,
    redis: appRedis,
    logger: createLogger('silent', false),
    secret: TEST_SECRET,
  });
  await app.ready();
  return {
    app,
    huella,
    redis,
    appRedis,
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
