import { mkdirSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, inboundParams, type TestApp } from '../support/app.js';
import { testNow } from '../support/clock.js';
import { freePort } from '../support/ports.js';

/** The queue dashboard and the summary, as an operator sees them in a browser. */
const PASSWORD = 'dashboard-test-password';
/** Runs before the page's scripts: keeps what the Content-Security-Policy blocked. */
const RECORD_CSP_VIOLATIONS = `window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`;
/** Bull Board asks a third party for its web font; the policy leaves it out on purpose. */
const THIRD_PARTY_FONT = /^style-src-elem https:\/\/fonts\.googleapis\.com\//;
let t: TestApp;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  t = await buildTestApp({ ADMIN_PASSWORD: PASSWORD });
  const port = await freePort();
  baseUrl = await t.app.listen({ port, host: '127.0.0.1' });
  // Something to see: an appointment with reminders waiting in the queue.
  const date = testNow().plus({ days: 20 }).toFormat('MMMM d yyyy');
  for (const body of ['remind me', `${date} at 10am`, '77002', 'yes']) {
    expect((await t.sendSigned(inboundParams('+15557030001', body))).statusCode).toBe(200);
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('operator pages in a browser', () => {
  it('refuses without a login', async () => {
    const context = await browser.newContext();
    const res = await context.request.get(`${baseUrl}/admin/queues`);
    expect(res.status()).toBe(401);
    await context.close();
  });

  it('shows the queues and the scheduled reminders, with opaque ids only', async () => {
    const context = await browser.newContext({ httpCredentials: { username: 'admin', password: PASSWORD } });
    const page = await context.newPage();
    await page.addInitScript(RECORD_CSP_VIOLATIONS);
    const response = await page.goto(`${baseUrl}/admin/queues`);
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await page.getByText('outbound-whatsapp').first().waitFor({ timeout: 20_000 });
    const blocked = (await page.evaluate('window.cspViolations')) as string[];
    expect(blocked.filter((v) => !THIRD_PARTY_FONT.test(v))).toEqual([]);
    await page.goto(`${baseUrl}/admin/queues/queue/reminders?status=delayed`);
    await page
      .getByText(/^#?rem-/)
      .first()
      .waitFor({ timeout: 20_000 });
    const blockedOnQueue = (await page.evaluate('window.cspViolations')) as string[];
    expect(blockedOnQueue.filter((v) => !THIRD_PARTY_FONT.test(v))).toEqual([]);
    const text = await page.locator('body').innerText();
    expect(text).not.toMatch(/5557030001|77002/);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/queues.png', fullPage: true });

    await page.goto(`${baseUrl}/admin/summary`);
    await page.getByText('Appointments after that').waitFor({ timeout: 10_000 });
    expect(await page.locator('body').innerText()).not.toMatch(/5557030001|77002/);
    await context.close();
  });
});
