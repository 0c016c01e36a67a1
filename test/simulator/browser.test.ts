import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Huella } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { keys } from '../../src/store/keys.js';
import { createRedis } from '../../src/store/redis.js';
import { startWorker } from '../../src/worker.js';
import { dayAhead, testClock } from '../support/clock.js';
import { testLogger } from '../support/log.js';
import { freePort } from '../support/ports.js';
import { isolatedRedis } from '../support/redis.js';

/** The simulator page in headless Chromium against a listening server in local mode. */
/** Runs before the page's scripts: keeps what the Content-Security-Policy blocked. */
const RECORD_CSP_VIOLATIONS = `window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`;
let app: FastifyInstance;
let huella: Huella;
let browser: Browser;
let baseUrl: string;
let cleanup: () => Promise<void>;
let testRedis: Awaited<ReturnType<typeof isolatedRedis>>['redis'];

beforeAll(async () => {
  const { url, redis } = await isolatedRedis();
  testRedis = redis;
  const port = await freePort();
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    LOG_LEVEL: 'silent',
    REDIS_ALLOW_UNSAFE: 'true',
  });
  expect(config.localMode).toBe(true);
  const appRedis = createRedis(url);
  await appRedis.connect();
  const secret = Buffer.alloc(32, 3).toString('base64');
  const queuePrefix = `sim${randomUUID().slice(0, 8)}`;
  const logger = testLogger();
  ({ app, huella } = await buildApp({
    config,
    redis: appRedis,
    logger,
    secret,
    queuePrefix,
    clock: testClock,
  }));
  baseUrl = await app.listen({ port, host: '127.0.0.1' });
  const worker = await startWorker(config, logger, url, { queuePrefix, secret, clock: testClock });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  cleanup = async () => {
    await worker.close();
    await browser.close();
    await app.close();
    appRedis.disconnect();
    await redis.quit();
  };
}, 60_000);

afterAll(async () => {
  await cleanup?.();
});

describe('simulator page', () => {
  it('chats as an SMS user, then as a WhatsApp user, and shows texts Huella sends on its own', async () => {
    const page = await browser.newPage();
    await page.addInitScript(RECORD_CSP_VIOLATIONS);
    const response = await page.goto(baseUrl);
    // The page's own inline script runs under a policy that allows it by hash only.
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self' 'sha256-/);
    await page.fill('#phoneNumber', '+15550001111');
    await page.dispatchEvent('#phoneNumber', 'change');

    await page.fill('#text', 'hola, que llevo a la cita?');
    await page.click('#send');
    const intro = huella.renderer.render('es', [{ say: { system: 'intro' } }])[0]!;
    await page
      .locator('.msg.in', { hasText: intro.slice(0, 25) })
      .first()
      .waitFor({ timeout: 10_000 });
    const bring = huella.renderer.pack('es').nodes.bring!.text[0]!;
    await page
      .locator('.msg.in', { hasText: bring.slice(0, 25) })
      .first()
      .waitFor({ timeout: 10_000 });

    await page.selectOption('#channel', 'whatsapp');
    expect(await page.locator('.msg').count()).toBe(0);
    await page.fill('#text', 'STOP');
    await page.click('#send');
    const stop = huella.renderer.pack('en').system.stop_confirm;
    await page.locator('.msg.in', { hasText: stop.slice(0, 25) }).waitFor({ timeout: 10_000 });

    // A text Huella sends by itself lands in the phone's outbox and the page shows it.
    const personId = huella.crypto.personId('whatsapp:+15550001111');
    await testRedis.rpush(
      keys.simulatorOutbox(personId),
      JSON.stringify({ text: 'Reminder test 123', kind: 'reminder' }),
    );
    await page.locator('.msg.in.proactive', { hasText: 'Reminder test 123' }).waitFor({ timeout: 10_000 });
    // Register an appointment, then ask for its reminders now: they arrive through the worker.
    await page.selectOption('#channel', 'sms');
    await page.fill('#phoneNumber', '+15550003333');
    await page.dispatchEvent('#phoneNumber', 'change');
    for (const text of ['remind me', `${dayAhead(100).at.toFormat('LLLL d yyyy')} at 10am 77002`, 'yes']) {
      const before = await page.locator('.msg.in').count();
      await page.fill('#text', text);
      await page.click('#send');
      await page.waitForFunction((n) => document.querySelectorAll('.msg.in').length > n, before, {
        timeout: 10_000,
      });
    }
    await page.click('#preview');
    await page.locator('#previewStatus', { hasText: 'texts coming' }).waitFor({ timeout: 10_000 });
    await page
      .locator('.msg.in.proactive', { hasText: 'Reminder: your biometrics appointment' })
      .first()
      .waitFor({ timeout: 20_000 });
    await page.locator('.msg.in.proactive', { hasText: 'Did you go?' }).waitFor({ timeout: 30_000 });
    expect(await page.evaluate('window.cspViolations')).toEqual([]);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/simulator.png', fullPage: true });
    await page.close();
  });
});
