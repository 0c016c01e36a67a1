import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { enqueueSend, type OutboundJobData, type OutboundRecord } from '../../src/outbound/outbox.js';
import { startWorker } from '../../src/worker.js';
import {
  buildWiredTestApp,
  inboundParams,
  TEST_PUBLIC_URL,
  TEST_SECRET,
  type TestApp,
} from '../support/app.js';
import { testClock } from '../support/clock.js';
import { nodeArgsFor } from '../support/entry.js';
import { type FakeTwilio, startFakeTwilio } from '../support/fake-twilio.js';
import { testLogger } from '../support/log.js';
import { freePort } from '../support/ports.js';

/**
 * The worker as operators see it: its texts and Twilio's answers in /metrics (counted in the
 * worker process, shown by the web process), and its own /livez and /readyz on HEALTH_PORT.
 */
const PASSWORD = 'worker-ops-password';
let fake: FakeTwilio;
let t: TestApp;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeTwilio();
  env = {
    NODE_ENV: 'test',
    PUBLIC_BASE_URL: TEST_PUBLIC_URL,
    HUELLA_SECRET: TEST_SECRET,
    TWILIO_ACCOUNT_SID: fake.accountSid,
    TWILIO_AUTH_TOKEN: fake.authToken,
    TWILIO_API_BASE_URL: fake.url,
    TWILIO_SMS_FROM: '+15005550006',
    STATUS_CHECK_EVERY: 'PT1S',
    QUIET_HOURS: '',
    OUTBOUND_MPS: '50',
    ADMIN_PASSWORD: PASSWORD,
    REDIS_ALLOW_UNSAFE: 'true',
  };
  t = await buildWiredTestApp(env);
}, 30_000);
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

const signed = (from: string, body: string) => {
  const params = { ...inboundParams(from, body), AccountSid: fake.accountSid };
  return t.app.inject({
    method: 'POST',
    url: '/twilio/messages',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(params),
    },
    payload: new URLSearchParams(params).toString(),
  });
};

function twilioSignature(params: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(fake.authToken, `${TEST_PUBLIC_URL}/twilio/messages`, params);
}

async function until<T>(what: string, check: () => T | undefined | false, ms = 15_000): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('worker metrics', () => {
  it('counts scheduled checks, texts sent, Twilio errors and send time, shown by the web process', async () => {
    // The first try of each text fails with Twilio's 500: retried, counted as error 20500.
    fake.failWith((req) => (req.attempt === 1 ? { status: 500, code: 20500 } : undefined));
    const worker = await startWorker(loadConfig(env), testLogger(), t.url, {
      secret: TEST_SECRET,
      clock: testClock,
    });
    try {
      const from = '+15557050001';
      expect((await signed(from, 'weekly reminder')).statusCode).toBe(200);
      expect((await signed(from, 'yes')).statusCode).toBe(200);
      await until('a weekly check at Twilio', () => fake.messages.some((m) => m.to === from));
      // A text for someone erased in the meantime: skipped, and counted with why.
      const [, sms, whatsapp] = t.huella.queues as [unknown, Queue<OutboundJobData>, Queue<OutboundJobData>];
      await enqueueSend(
        { redis: t.redis, sealer: t.huella.crypto },
        { sms, whatsapp },
        'P-erased-person-000000',
        'send-gone',
        {
          channel: 'sms',
          kind: 'reminder',
          lang: 'en',
          parts: ['a reminder'],
        } as OutboundRecord,
      );
      const deadline = performance.now() + 10_000;
      while ((await sms.getJobState('send-gone')) !== 'completed') {
        if (performance.now() > deadline) throw new Error('the send for an erased person did not finish');
        await sleep(100);
      }
    } finally {
      await worker.close(); // flushes the worker's counts
    }
    await t.huella.metrics.flush();
    const res = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}` },
    });
    const text = res.body;
    expect(text).toMatch(/huella_reminders_scheduled_total\{type="weekly"\} [1-9]/);
    expect(text).toMatch(/huella_sends_total\{channel="sms",outcome="sent",reason="none"\} [1-9]/);
    expect(text).toMatch(/huella_sends_total\{channel="sms",outcome="retrying",reason="[^"]+"\} [1-9]/);
    expect(text).toContain('huella_sends_total{channel="sms",outcome="skipped",reason="erased"} 1');
    expect(text).toMatch(/huella_twilio_errors_total\{code="20500"\} [1-9]/);
    expect(text).toMatch(/huella_outbound_latency_seconds_count\{channel="sms"\} [2-9]/);
    expect(text).not.toMatch(/5557050001/);
  });
});

describe('worker health (HEALTH_PORT)', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('serves /livez and /readyz, nothing else, and stops on SIGTERM', async () => {
    const port = await freePort();
    child = spawn(process.execPath, nodeArgsFor('src/worker-main.ts'), {
      env: {
        ...env,
        NODE_ENV: 'production',
        PATH: process.env.PATH ?? '',
        REDIS_URL: t.url,
        HEALTH_PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    const base = `http://127.0.0.1:${port}`;
    const deadline = performance.now() + 20_000;
    let ready: Response | undefined;
    while (!ready?.ok) {
      if (performance.now() > deadline) throw new Error(`worker health did not answer: ${output}`);
      await sleep(100);
      ready = await fetch(`${base}/readyz`).catch(() => undefined);
    }
    expect(await ready.json()).toEqual({ status: 'ok', redis: 'ready', workers: 'running' });
    expect((await fetch(`${base}/livez`)).status).toBe(200);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
