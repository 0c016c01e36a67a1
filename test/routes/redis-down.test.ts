import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/store/keys.js';
import { buildWiredTestApp, inboundParams, type TestApp, twimlMessages } from '../support/app.js';
import { RestartableRedis } from '../support/redis-server.js';

/**
 * The webhook with its redis-server taken away (killed, or frozen with SIGSTOP) and brought back.
 * This file runs its own redis-server (a fixed port, an append-only file), so it can be
 * killed and started again with its data. Times are printed, not asserted: what is asserted is
 * what the person and Twilio get.
 */
let server: RestartableRedis;
let t: TestApp;

const trouble = () => t.huella.flows.languages.map((lang) => t.huella.renderer.pack(lang).system.error_later);
const health = async () => (await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode;
const rev = async (from: string) =>
  Number((await t.redis.hget(keys.conversation(t.huella.crypto.personId(from)), 'rev')) ?? 0);
async function appReady(): Promise<void> {
  for (let i = 0; i < 400 && t.appRedis.status !== 'ready'; i++) await sleep(25);
  for (let i = 0; i < 400 && t.redis.status !== 'ready'; i++) await sleep(25);
}
async function timed<T>(work: Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work;
  return [value, Math.round(performance.now() - started)];
}

beforeAll(async () => {
  server = await RestartableRedis.start(['--appendonly', 'yes', '--appendfsync', 'always']);
  t = await buildWiredTestApp({}, {}, { redisUrl: server.url });
});
afterAll(async () => {
  server?.signal('SIGCONT');
  await t?.close();
  await server?.stop();
});

describe('Redis taken away and brought back', () => {
  it('killed: answers at once with the "write again" in every language, /healthz 503; back: the same MessageSid is answered', async () => {
    const from = '+15553400001';
    expect(twimlMessages((await t.sendSigned(inboundParams(from, 'hola'))).body).length).toBeGreaterThan(0);
    expect(await health()).toBe(200);

    await server.kill();
    const params = inboundParams(from, 'what do i bring');
    const [down, ms] = await timed(t.sendSigned(params));
    expect(down.statusCode).toBe(200);
    expect(twimlMessages(down.body)).toEqual(trouble());
    expect(await health()).toBe(503);

    await server.start();
    await appReady();
    expect(await health()).toBe(200);
    // Nothing of the unanswered message was kept: if Twilio brings it back (a retry or a
    // fallback to this app), it is answered like new, once.
    const back = await t.sendSigned(params);
    expect(twimlMessages(back.body)).not.toEqual(trouble());
    expect(twimlMessages(back.body).length).toBeGreaterThan(0);
    expect(await rev(from)).toBe(2);
    console.log(
      `redis killed: webhook answered in ${ms} ms (200, "write again" in every language); after restart the same MessageSid was answered normally`,
    );
  });

  it('killed and back within the answer time: the message is answered normally, not lost', async () => {
    const from = '+15553400002';
    await server.kill();
    const answer = timed(t.sendSigned(inboundParams(from, 'hola')));
    await server.start();
    const [res, ms] = await answer;
    expect(res.statusCode).toBe(200);
    expect(twimlMessages(res.body)).not.toEqual(trouble());
    expect(await rev(from)).toBe(1);
    console.log(`redis away for a moment: the webhook waited for it and answered normally in ${ms} ms`);
  });

  it('frozen (SIGSTOP, connections open but no answers): answers "write again" without waiting for Redis', async () => {
    await appReady();
    const from = '+15553400003';
    server.signal('SIGSTOP');
    try {
      const [res, ms] = await timed(t.sendSigned(inboundParams(from, 'hola')));
      expect(res.statusCode).toBe(200);
      expect(twimlMessages(res.body)).toEqual(trouble());
      console.log(`redis frozen: webhook answered in ${ms} ms (200, "write again" in every language)`);
    } finally {
      server.signal('SIGCONT');
    }
    await appReady();
    const after = await t.sendSigned(inboundParams(from, 'what do i bring'));
    expect(twimlMessages(after.body)).not.toEqual(trouble());
  });
});
