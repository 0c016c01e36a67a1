import { readFileSync } from 'node:fs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, inboundParams, type TestApp } from '../support/app.js';
import { basic, buildLocalApp, LOCAL_HOST, type LocalApp } from './local-app.js';

/** Security headers on every answer: the webhook's, the operator pages', the health check's. */
const PASSWORD = 'headers-test-password';

function expectSecurityHeaders(res: LightMyRequestResponse, what: string): string {
  const csp = String(res.headers['content-security-policy'] ?? '');
  expect(csp, what).toContain("default-src 'self'");
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("object-src 'none'");
  expect(csp, what).not.toContain("'unsafe-eval'");
  expect(res.headers['x-content-type-options'], what).toBe('nosniff');
  expect(res.headers['x-frame-options'], what).toBe('DENY');
  expect(res.headers['referrer-policy'], what).toBe('no-referrer');
  // HSTS comes from the HTTPS proxy (deploy/Caddyfile): the app may run on plain HTTP locally.
  expect(res.headers['strict-transport-security'], what).toBeUndefined();
  return csp;
}

describe('with Twilio', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ ADMIN_PASSWORD: PASSWORD });
  });
  afterAll(async () => t?.close());

  it('are on /healthz, the webhook answers (good and refused) and a 404', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expectSecurityHeaders(health, '/healthz');

    const answer = await t.sendSigned(inboundParams('+15557500001', 'hola'));
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toContain('text/xml');
    expectSecurityHeaders(answer, '/twilio/messages 200');

    const forged = await t.app.inject({
      method: 'POST',
      url: '/twilio/messages',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'forged' },
      payload: new URLSearchParams(inboundParams('+15557500001', 'hola')).toString(),
    });
    expect(forged.statusCode).toBe(403);
    expectSecurityHeaders(forged, '/twilio/messages 403');

    expectSecurityHeaders(await t.app.inject({ method: 'GET', url: '/nothing-here' }), '404');
  });

  it('are on /admin, asked for and shown, and on the queue dashboard', async () => {
    const ask = await t.app.inject({ method: 'GET', url: '/admin' });
    expect(ask.statusCode).toBe(401);
    expectSecurityHeaders(ask, '/admin 401');
    for (const url of ['/admin', '/admin/queues', '/metrics']) {
      const res = await t.app.inject({
        method: 'GET',
        url,
        headers: { authorization: basic('admin', PASSWORD) },
      });
      expect(res.statusCode, url).toBe(200);
      const csp = expectSecurityHeaders(res, url);
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    }
  });
});

describe('in local mode', () => {
  let local: LocalApp;
  beforeAll(async () => {
    local = await buildLocalApp();
  });
  afterAll(async () => local?.close());

  it("allow the simulator page's own inline script by its hash, and no other", async () => {
    const page = await local.app.inject({ method: 'GET', url: '/', headers: { host: LOCAL_HOST } });
    expect(page.statusCode).toBe(200);
    const csp = expectSecurityHeaders(page, 'simulator page');
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    const refused = await local.app.inject({ method: 'GET', url: '/', headers: { host: 'evil.example' } });
    expect(refused.statusCode).toBe(403);
    expectSecurityHeaders(refused, 'simulator 403');
  });
});

describe('the HTTPS proxy', () => {
  it('sends Strict-Transport-Security (deploy/Caddyfile)', () => {
    const caddyfile = readFileSync(new URL('../../deploy/Caddyfile', import.meta.url), 'utf8');
    expect(caddyfile).toMatch(
      /^\s*header\s+Strict-Transport-Security\s+"max-age=\d{8,}; includeSubDomains"/m,
    );
  });
});
