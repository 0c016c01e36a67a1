import { Redis } from 'ioredis';
import type { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metrics, renderMetrics } from '../../src/metrics.js';
import { buildTestApp, inboundParams, type TestApp, twimlMessages } from '../support/app.js';
import { testNow } from '../support/clock.js';

const PASSWORD = 'correct horse battery';
const auth = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const OPERATOR = { authorization: auth('admin', PASSWORD) };

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ ADMIN_PASSWORD: PASSWORD, ORG_NAME: 'Clinica Test' });
}, 30_000);
afterAll(async () => t?.close());

async function say(from: string, body: string): Promise<string[]> {
  const res = await t.sendSigned(inboundParams(from, body));
  expect(res.statusCode).toBe(200);
  return twimlMessages(res.body);
}

describe('operator pages without credentials configured', () => {
  it('do not exist', async () => {
    const off = await buildTestApp();
    try {
      for (const url of ['/admin', '/admin/summary', '/admin/queues', '/metrics']) {
        const res = await off.app.inject({ method: 'GET', url, headers: OPERATOR });
        expect(res.statusCode, url).toBe(404);
      }
    } finally {
      await off.close();
    }
  });

  it('refuse a password shorter than 12 characters at boot', async () => {
    await expect(buildTestApp({ ADMIN_PASSWORD: 'short' })).rejects.toThrow(/ADMIN_PASSWORD/);
  });
});

describe('operator login', () => {
  it('asks for a login, refuses a wrong one, lets the right one in', async () => {
    const urls = ['/admin', '/admin/summary', '/admin/queues', '/admin/queues/api/queues', '/metrics'];
    for (const [i, url] of urls.entries()) {
      // A client of its own per page: wrong logins count per client (see security/login-limit).
      const remoteAddress = `192.0.2.${10 + i}`;
      const none = await t.app.inject({ method: 'GET', url, remoteAddress });
      expect(none.statusCode, url).toBe(401);
      expect(none.headers['www-authenticate']).toMatch(/^Basic realm=/);
      const wrong = await t.app.inject({
        method: 'GET',
        url,
        remoteAddress,
        headers: { authorization: auth('admin', 'nope') },
      });
      expect(wrong.statusCode, url).toBe(401);
      const otherUser = await t.app.inject({
        method: 'GET',
        url,
        remoteAddress,
        headers: { authorization: auth('root', PASSWORD) },
      });
      expect(otherUser.statusCode, url).toBe(401);
      const ok = await t.app.inject({ method: 'GET', url, remoteAddress, headers: OPERATOR });
      expect(ok.statusCode, url).toBe(200);
      expect(ok.headers['cache-control']).toBe('no-store');
    }
  });
});

describe('metrics', () => {
  it('counts messages by channel, replies, understanding and webhook time, without personal data', async () => {
    const sms = '+15557010001';
    const wa = 'whatsapp:+15557010002';
    await say(sms, 'what do I bring');
    await say(sms, 'blorft zzkq');
    await say(wa, 'MENU');
    await say(wa, '2');
    await t.huella.metrics.flush();
    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: OPERATOR });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(text).toContain('huella_inbound_messages_total{channel="sms"} 2');
    expect(text).toContain('huella_inbound_messages_total{channel="whatsapp"} 2');
    expect(text).toMatch(/huella_replies_total\{channel="sms"\} [2-9]/);
    expect(text).toContain('huella_understanding_total{result="matched"} 1');
    expect(text).toContain('huella_understanding_total{result="not_understood"} 1');
    expect(text).toContain('huella_understanding_total{result="command"} 1');
    expect(text).toContain('huella_understanding_total{result="number"} 1');
    expect(text).toContain('huella_intents_matched_total{intent="bring"} 1');
    expect(text).toContain('huella_webhook_duration_seconds_count{route="/twilio/messages",status="200"} 4');
    expect(text).toMatch(
      /huella_webhook_duration_seconds_bucket\{le="\+Inf",route="\/twilio\/messages",status="200"\} 4/,
    );
    expect(text).toMatch(/huella_queue_jobs\{queue="reminders",state="delayed"\} \d+/);
    expect(text).not.toMatch(/555701000|blorft|whatsapp:/);
  });

  it('adds up the counts of every process sharing the Redis', async () => {
    const redis = new Redis({ ...t.appRedis.options, lazyConnect: true });
    await redis.connect();
    const a = new Metrics(redis);
    const b = new Metrics(redis);
    try {
      a.inc('sends', { channel: 'sms', outcome: 'sent', reason: 'none' }, 3);
      b.inc('sends', { channel: 'sms', outcome: 'sent', reason: 'none' }, 4);
      a.observe('outboundLatency', { channel: 'sms' }, 0.02);
      b.observe('outboundLatency', { channel: 'sms' }, 3);
      await Promise.all([a.flush(), b.flush()]);
      a.inc('sends', { channel: 'sms', outcome: 'sent', reason: 'none' }, 1);
      await a.flush();
      await a.flush(); // nothing new: nothing added twice
      const { text } = await renderMetrics(redis, []);
      expect(text).toContain('huella_sends_total{channel="sms",outcome="sent",reason="none"} 8');
      expect(text).toContain('huella_outbound_latency_seconds_count{channel="sms"} 2');
      expect(text).toContain('huella_outbound_latency_seconds_bucket{channel="sms",le="0.025"} 1');
      expect(text).toContain('huella_outbound_latency_seconds_bucket{channel="sms",le="5"} 2');
      expect(text).toMatch(/huella_outbound_latency_seconds_sum\{channel="sms"\} 3\.02/);
      // Buckets come in ascending order within the series, as Prometheus expects.
      const les = [
        ...text.matchAll(/huella_outbound_latency_seconds_bucket\{channel="sms",le="([^"]+)"/g),
      ].map((m) => m[1]);
      expect(les.at(-1)).toBe('+Inf');
      const finite = les.slice(0, -1).map(Number);
      expect(finite).toEqual([...finite].sort((x, y) => x - y));
    } finally {
      await a.close();
      await b.close();
      redis.disconnect();
    }
  });
});

describe('summary', () => {
  it('counts people waiting, appointments this week, opt-outs, with no personal data', async () => {
    const soon = testNow().setZone('America/Chicago').plus({ days: 3 });
    const later = testNow().setZone('America/Chicago').plus({ days: 30 });
    const withAppointment = async (from: string, at: DateTime) => {
      await say(from, 'remind me of my appointment');
      await say(from, `${at.toFormat('MMMM d yyyy')} at 10am`);
      await say(from, '77002');
      const confirm = await say(from, 'yes');
      expect(confirm.join(' ')).toMatch(/^Saved\. I will text you/);
    };
    await withAppointment('+15557020001', soon);
    await withAppointment('+15557020002', later);
    await say('+15557020003', 'weekly reminder');
    await say('+15557020003', 'yes');
    await say('+15557020004', 'hola');
    await say('+15557020004', 'PARAR');

    const res = await t.app.inject({ method: 'GET', url: '/admin/summary?format=json', headers: OPERATOR });
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.appointmentsNext7Days).toBe(1);
    expect(s.peopleWithAppointmentNext7Days).toBe(1);
    expect(s.appointmentsLater).toBe(1);
    expect(s.waitingForNotice).toBe(1);
    expect(s.optedOut).toBe(1);
    expect(s.byLanguage.es).toBeGreaterThanOrEqual(1);
    expect(s.queues.reminders.delayed).toBeGreaterThanOrEqual(5);

    const page = await t.app.inject({ method: 'GET', url: '/admin/summary', headers: OPERATOR });
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Appointments in the next 7 days');
    expect(page.body).not.toMatch(/5557020|77002|whatsapp:/);
  });
});

describe('queue dashboard', () => {
  it('lists the queues read-only, and the jobs carry opaque ids only', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/admin/queues/api/queues?activeQueue=reminders&status=delayed',
      headers: OPERATOR,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      queues: { name: string; readOnlyMode: boolean; jobs: { data: unknown }[] }[];
    };
    const names = body.queues.map((q) => q.name).sort();
    expect(names).toEqual(['outbound-sms', 'outbound-whatsapp', 'reminders']);
    expect(body.queues.every((q) => q.readOnlyMode)).toBe(true);
    const reminders = body.queues.find((q) => q.name === 'reminders')!;
    expect(reminders.jobs.length).toBeGreaterThan(0);
    expect(JSON.stringify(body)).not.toMatch(/\+1555|whatsapp:\+|77002/);
    const clean = await t.app.inject({
      method: 'PUT',
      url: '/admin/queues/api/queues/reminders/clean/delayed',
      headers: OPERATOR,
    });
    expect(clean.statusCode).toBe(405);
  });
});

describe('health', () => {
  it('tells liveness from readiness, and counts connected workers', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ redis: 'ready', workers: 0, reminders: 'no worker connected' });
  });
});
