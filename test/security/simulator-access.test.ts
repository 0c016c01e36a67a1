import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import {
  buildTestApp,
  inboundParams,
  TEST_ACCOUNT_SID,
  TEST_AUTH_TOKEN,
  TEST_PUBLIC_URL,
  TEST_SECRET,
  type TestApp,
} from '../support/app.js';
import { basic, buildLocalApp, LOCAL_HOST, type LocalApp } from './local-app.js';

/**
 * The auditor's finding: with Twilio configured, anyone could post someone else's number to the
 * simulator and read their appointment, queue their reminders (real texts), stop or erase them.
 */
const VICTIM = '+15557400001';
const PUBLIC_HOST = new URL(TEST_PUBLIC_URL).host;
const PASSWORD = 'simulator-operator-pass';
const json = { 'content-type': 'application/json' };

/** Someone with a saved appointment, told to Huella over real SMS. */
async function victimWithAppointment(t: TestApp): Promise<void> {
  const date = DateTime.fromISO('2031-03-05').toFormat('MMMM d yyyy');
  for (const body of ['remind me', `${date} at 10am`, '77002', 'yes']) {
    const res = await t.sendSigned(inboundParams(VICTIM, body));
    expect(res.statusCode).toBe(200);
  }
}

function postAs(t: { app: TestApp['app'] }, host: string, extra: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/simulator/messages',
    headers: { ...json, host, ...extra },
    payload: { phone: VICTIM, channel: 'sms', text: 'mis citas' },
  });
}

describe('with Twilio credentials and SIMULATOR=auto', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ ADMIN_PASSWORD: PASSWORD });
    await victimWithAppointment(t);
  });
  afterAll(async () => t?.close());

  it('has no simulator at all, even for an operator', async () => {
    for (const host of [PUBLIC_HOST, 'localhost:3000']) {
      expect((await postAs(t, host)).statusCode).toBe(404);
      expect((await postAs(t, host, { authorization: basic('admin', PASSWORD) })).statusCode).toBe(404);
    }
    for (const url of ['/', '/simulator/outbox?phone=%2B15557400001&channel=sms']) {
      const res = await t.app.inject({ method: 'GET', url, headers: { host: PUBLIC_HOST } });
      expect(res.statusCode, url).toBe(404);
    }
    const preview = await t.app.inject({
      method: 'POST',
      url: '/simulator/preview-reminders',
      headers: { ...json, host: PUBLIC_HOST },
      payload: { phone: VICTIM, channel: 'sms' },
    });
    expect(preview.statusCode).toBe(404);
  });
});

describe('with Twilio credentials and SIMULATOR=on', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ SIMULATOR: 'on', ADMIN_PASSWORD: PASSWORD });
    await victimWithAppointment(t);
  });
  afterAll(async () => t?.close());

  it('refuses to start without an operator password', () => {
    const env = {
      TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
      PUBLIC_BASE_URL: TEST_PUBLIC_URL,
      HUELLA_SECRET: TEST_SECRET,
      SIMULATOR: 'on',
    };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/SIMULATOR=on .*ADMIN_PASSWORD/);
    expect(loadConfig({ ...env, ADMIN_PASSWORD: PASSWORD }).simulator).toBe('login');
  });

  it("asks for the operator login before anything, so a stranger reads nobody's appointment", async () => {
    const stranger = await postAs(t, PUBLIC_HOST);
    expect(stranger.statusCode).toBe(401);
    expect(stranger.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect(stranger.body).not.toMatch(/10:00|March|marzo/);
    const wrong = await postAs(t, PUBLIC_HOST, { authorization: basic('admin', 'not-the-password') });
    expect(wrong.statusCode).toBe(401);
    for (const [method, url] of [
      ['GET', '/'],
      ['GET', '/simulator/outbox?phone=%2B15557400001&channel=sms'],
      ['POST', '/simulator/preview-reminders'],
    ] as const) {
      const res = await t.app.inject({
        method,
        url,
        headers: { ...json, host: PUBLIC_HOST },
        ...(method === 'POST' ? { payload: { phone: VICTIM, channel: 'sms' } } : {}),
      });
      expect(res.statusCode, url).toBe(401);
    }
  });

  it('lets the operator in, at the public address, with the scheme name in any case', async () => {
    for (const scheme of ['Basic', 'basic', 'BASIC']) {
      const res = await postAs(t, PUBLIC_HOST, { authorization: basic('admin', PASSWORD, scheme) });
      expect(res.statusCode, scheme).toBe(200);
      expect((res.json() as { messages: string[] }).messages.length).toBeGreaterThan(0);
    }
    const page = await t.app.inject({
      method: 'GET',
      url: '/',
      headers: { host: PUBLIC_HOST, authorization: basic('admin', PASSWORD) },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Huella simulator');
    expect(page.body).toContain('are real texts to it');
    expect(page.body).not.toContain('nothing leaves this machine');
  });

  it('still refuses a foreign Host or Origin to a logged-in operator', async () => {
    const login = { authorization: basic('admin', PASSWORD) };
    expect((await postAs(t, 'evil.example', login)).statusCode).toBe(403);
    const crossSite = await postAs(t, PUBLIC_HOST, { ...login, origin: 'https://evil.example' });
    expect(crossSite.statusCode).toBe(403);
    const sameSite = await postAs(t, PUBLIC_HOST, { ...login, origin: TEST_PUBLIC_URL });
    expect(sameSite.statusCode).toBe(200);
  });
});

describe('in local mode', () => {
  let local: LocalApp;
  beforeAll(async () => {
    local = await buildLocalApp();
  });
  afterAll(async () => local?.close());

  it('is on, without a login, for requests from this machine', async () => {
    expect(local.config.simulator).toBe('local');
    for (const host of [LOCAL_HOST, 'localhost:3917', '[::1]:3917']) {
      const res = await postAs(local, host);
      expect(res.statusCode, host).toBe(200);
    }
    const page = await local.app.inject({ method: 'GET', url: '/', headers: { host: LOCAL_HOST } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('nothing leaves this machine');
    expect(page.body).not.toContain('real texts');
  });

  it('takes JSON only: a form post (what another site can send without asking) gets 415', async () => {
    for (const type of [
      'application/x-www-form-urlencoded',
      'text/plain',
      'multipart/form-data; boundary=x',
    ]) {
      const res = await local.app.inject({
        method: 'POST',
        url: '/simulator/messages',
        headers: { host: LOCAL_HOST, 'content-type': type },
        payload: type.startsWith('application/x-www')
          ? `phone=${encodeURIComponent(VICTIM)}&channel=sms&text=STOP`
          : '{"phone":"+15557400001","channel":"sms","text":"STOP"}',
      });
      expect(res.statusCode, type).toBe(415);
    }
    const charset = await postAs(local, LOCAL_HOST, { 'content-type': 'application/json; charset=utf-8' });
    expect(charset.statusCode).toBe(200);
  });

  it('refuses a foreign Origin (403), and takes its own or none', async () => {
    for (const origin of ['https://evil.example', 'http://127.0.0.1:9999', 'null']) {
      const res = await postAs(local, LOCAL_HOST, { origin });
      expect(res.statusCode, origin).toBe(403);
    }
    expect((await postAs(local, LOCAL_HOST, { origin: `http://${LOCAL_HOST}` })).statusCode).toBe(200);
  });

  it('refuses a Host that is not this machine (DNS rebinding) with 403, on every route', async () => {
    for (const host of ['evil.example:3917', 'evil.example', '127.0.0.1:80', '192.168.1.20:3917']) {
      expect((await postAs(local, host)).statusCode, host).toBe(403);
      const page = await local.app.inject({ method: 'GET', url: '/', headers: { host } });
      expect(page.statusCode, host).toBe(403);
      const outbox = await local.app.inject({
        method: 'GET',
        url: '/simulator/outbox?phone=%2B15557400001&channel=sms',
        headers: { host },
      });
      expect(outbox.statusCode, host).toBe(403);
    }
  });

  it('limits how fast one client asks for reminders', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      const res = await local.app.inject({
        method: 'POST',
        url: '/simulator/preview-reminders',
        headers: { ...json, host: LOCAL_HOST },
        payload: { phone: '+15557400099', channel: 'sms' },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});
