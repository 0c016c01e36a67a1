import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { LOGIN_FAILURES } from '../../src/routes/operator-login.js';
import {
  buildTestApp,
  TEST_ACCOUNT_SID,
  TEST_AUTH_TOKEN,
  TEST_PUBLIC_URL,
  TEST_SECRET,
  type TestApp,
} from '../support/app.js';
import { testLogger } from '../support/log.js';
import { basic } from './local-app.js';

/** Guessing the operator password: wrong logins are counted per client, in Redis. */
const PASSWORD = 'brute-force-test-password';
const RIGHT = basic('admin', PASSWORD);
const PUBLIC_HOST = new URL(TEST_PUBLIC_URL).host;

let t: TestApp;
/** A second web replica on the same Redis (as `docker compose --scale web=2` runs). */
let replica: FastifyInstance;

beforeAll(async () => {
  t = await buildTestApp({ ADMIN_PASSWORD: PASSWORD, SIMULATOR: 'on' });
  const config = loadConfig({
    NODE_ENV: 'test',
    TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    PUBLIC_BASE_URL: TEST_PUBLIC_URL,
    HUELLA_SECRET: TEST_SECRET,
    ADMIN_PASSWORD: PASSWORD,
    SIMULATOR: 'on',
  });
  ({ app: replica } = await buildApp({
    config,
    redis: t.appRedis,
    logger: testLogger(),
    secret: TEST_SECRET,
  }));
  await replica.ready();
});
afterAll(async () => {
  await replica?.close();
  await t?.close();
});

function getAdmin(app: FastifyInstance, remoteAddress: string, authorization?: string) {
  return app.inject({
    method: 'GET',
    url: '/admin',
    remoteAddress,
    headers: authorization ? { authorization } : {},
  });
}

describe('wrong operator logins', () => {
  it(`refuse a client with 429 after ${LOGIN_FAILURES.max}, even with the right password`, async () => {
    const client = '198.51.100.7';
    expect((await getAdmin(t.app, client, RIGHT)).statusCode).toBe(200);
    for (let i = 0; i < LOGIN_FAILURES.max; i += 1) {
      const res = await getAdmin(t.app, client, basic('admin', `guess-${i}`));
      expect(res.statusCode, `guess ${i}`).toBe(401);
    }
    const blocked = await getAdmin(t.app, client, RIGHT);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.body).not.toContain('Huella operators');
    expect((await getAdmin(t.app, client, basic('admin', 'guess-again'))).statusCode).toBe(429);
    expect((await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: client })).statusCode).toBe(
      429,
    );
  });

  it('are counted across web replicas and for the simulator login too', async () => {
    const client = '198.51.100.8';
    for (let i = 0; i < LOGIN_FAILURES.max / 2; i += 1) {
      expect((await getAdmin(t.app, client, basic('admin', `a-${i}`))).statusCode).toBe(401);
      expect((await getAdmin(replica, client, basic('admin', `b-${i}`))).statusCode).toBe(401);
    }
    expect((await getAdmin(replica, client, RIGHT)).statusCode).toBe(429);
    const simulator = await t.app.inject({
      method: 'GET',
      url: '/',
      remoteAddress: client,
      headers: { host: PUBLIC_HOST, authorization: RIGHT },
    });
    expect(simulator.statusCode).toBe(429);
  });

  it('leave other clients alone', async () => {
    expect((await getAdmin(t.app, '198.51.100.9', RIGHT)).statusCode).toBe(200);
    expect((await getAdmin(replica, '198.51.100.9', RIGHT)).statusCode).toBe(200);
  });

  it("do not include a browser's first request, which carries no login", async () => {
    const client = '198.51.100.10';
    for (let i = 0; i < LOGIN_FAILURES.max + 5; i += 1) {
      expect((await getAdmin(t.app, client)).statusCode).toBe(401);
    }
    expect((await getAdmin(t.app, client, RIGHT)).statusCode).toBe(200);
  });
});

describe('the Basic scheme name', () => {
  it('is accepted in any case (RFC 7617), and other schemes are not', async () => {
    const client = '198.51.100.11';
    for (const scheme of ['Basic', 'basic', 'BASIC', 'bAsIc']) {
      const res = await getAdmin(t.app, client, basic('admin', PASSWORD, scheme));
      expect(res.statusCode, scheme).toBe(200);
    }
    const bearer = await getAdmin(t.app, client, basic('admin', PASSWORD, 'Bearer'));
    expect(bearer.statusCode).toBe(401);
    const noSpace = await getAdmin(t.app, client, basic('admin', PASSWORD, 'Basic').replace(' ', ''));
    expect(noSpace.statusCode).toBe(401);
  });
});
