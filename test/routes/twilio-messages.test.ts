import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/store/keys.js';
import {
  buildTestApp,
  inboundParams,
  sign,
  TEST_ACCOUNT_SID,
  type TestApp,
  twimlMessages,
} from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

let phoneCounter = 0;
const newPhone = () => `+1555${String(2000000 + ++phoneCounter).padStart(7, '0')}`;
const system = (lang: string, key: 'intro' | 'media' | 'no_words' | 'error_later') =>
  t.huella.renderer.pack(lang).system[key];

async function revOf(from: string): Promise<number> {
  return Number((await t.redis.hget(keys.conversation(t.huella.crypto.personId(from)), 'rev')) ?? 0);
}

describe('POST /twilio/messages', () => {
  it('answers an SMS with TwiML that introduces Huella and answers the question', async () => {
    const from = newPhone();
    const res = await t.sendSigned(inboundParams(from, 'que documentos llevo a mi cita de huellas?'));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/xml/);
    const messages = twimlMessages(res.body);
    expect(messages[0]).toBe(t.huella.renderer.render('es', [{ say: { system: 'intro' } }])[0]);
    expect(messages.length).toBeGreaterThanOrEqual(2);
    expect(await revOf(from)).toBe(1);
  });

  it('tells WhatsApp apart by the whatsapp: prefix and keeps it a separate conversation', async () => {
    const phone = newPhone();
    await t.sendSigned(inboundParams(phone, 'hi'));
    const res = await t.sendSigned(inboundParams(`whatsapp:${phone}`, 'hello'));
    expect(twimlMessages(res.body)[0]).toContain(system('en', 'intro').slice(0, 20));
    const stored = await t.redis.hgetall(keys.conversation(t.huella.crypto.personId(`whatsapp:${phone}`)));
    expect(stored.ch).toBe('whatsapp');
    expect(stored.addr).not.toContain(phone.slice(1));
    expect(t.huella.crypto.open(stored.addr!)).toBe(`whatsapp:${phone}`);
  });

  it('rejects a forged, missing or tampered signature with 403 and changes nothing', async () => {
    const from = newPhone();
    const params = inboundParams(from, 'hi');
    const forged = await t.app.inject({
      method: 'POST',
      url: '/twilio/messages',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': 'bm90IGEgc2lnbmF0dXJl',
      },
      payload: new URLSearchParams(params).toString(),
    });
    const missing = await t.app.inject({
      method: 'POST',
      url: '/twilio/messages',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(params).toString(),
    });
    const signature = sign('/twilio/messages', params);
    const tampered = await t.app.inject({
      method: 'POST',
      url: '/twilio/messages',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      payload: new URLSearchParams({ ...params, Body: 'STOP' }).toString(),
    });
    const wrongUrl = await t.app.inject({
      method: 'POST',
      url: '/twilio/messages?x=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      payload: new URLSearchParams(params).toString(),
    });
    for (const res of [forged, missing, tampered, wrongUrl]) expect(res.statusCode).toBe(403);
    expect(await t.redis.keys(`*${t.huella.crypto.personId(from)}*`)).toEqual([]);
  });

  it('rejects a correctly signed request from another Twilio account', async () => {
    const from = newPhone();
    const res = await t.sendSigned(inboundParams(from, 'hi', { AccountSid: `AC${'2'.repeat(32)}` }));
    expect(res.statusCode).toBe(403);
    expect(await revOf(from)).toBe(0);
  });

  it('answers a repeated MessageSid with the same TwiML and no state change', async () => {
    const from = newPhone();
    const params = inboundParams(from, 'hi');
    const first = await t.sendSigned(params);
    const again = await Promise.all(Array.from({ length: 20 }, () => t.sendSigned(params)));
    for (const res of again) {
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe(first.body);
    }
    expect(await revOf(from)).toBe(1);
  });

  it('applies simultaneous messages from one person one after the other, losing none', async () => {
    const from = newPhone();
    await t.sendSigned(inboundParams(from, 'hi'));
    // 14 at once: with the first, within the flood allowance of 15 (test/abuse/flood.test.ts).
    const results = await Promise.all(
      Array.from({ length: 14 }, (_, i) =>
        t.sendSigned(inboundParams(from, i % 2 === 0 ? 'what do i bring' : '1')),
      ),
    );
    for (const res of results) expect(res.statusCode).toBe(200);
    expect(await revOf(from)).toBe(15);
  });

  it('answers a photo of the notice kindly: only text can be read', async () => {
    const res = await t.sendSigned(
      inboundParams(newPhone(), '', {
        NumMedia: '1',
        MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME',
        MediaContentType0: 'image/jpeg',
      }),
    );
    expect(res.statusCode).toBe(200);
    expect(twimlMessages(res.body).join('\n')).toContain(system('en', 'media'));
  });

  it('answers empty, emoji-only, 10 KB, control-character and right-to-left bodies with help, never 5xx', async () => {
    const bodies = [
      '',
      '   ',
      '😀😀😀',
      'x'.repeat(10_240),
      '\u0000\u0007\u001b[31m',
      'مرحبا كيف حالك',
      '\u202e123',
      '<Message>hi</Message>&amp;',
    ];
    for (const body of bodies) {
      const res = await t.sendSigned(inboundParams(newPhone(), body));
      expect(res.statusCode, JSON.stringify(body.slice(0, 20))).toBe(200);
      expect(twimlMessages(res.body).length).toBeGreaterThan(0);
    }
  });

  it('says what is missing (400) for a signed request without From or MessageSid', async () => {
    const noFrom = inboundParams(newPhone(), 'hi');
    delete (noFrom as Record<string, string | undefined>).From;
    expect((await t.sendSigned(noFrom)).statusCode).toBe(400);
    const noSid = { AccountSid: TEST_ACCOUNT_SID, From: newPhone(), Body: 'hi' };
    expect((await t.sendSigned(noSid)).statusCode).toBe(400);
  });

  it('after STOP answers with one confirmation, then empty TwiML until START, recording and counting each message', async () => {
    const from = newPhone();
    const unanswered = async () =>
      (
        await t.huella.metrics.registry.getSingleMetric('huella_unanswered_messages_total')?.get()
      )?.values.find((v) => v.labels.reason === 'opted_out')?.value ?? 0;
    const counted = await unanswered();
    await t.sendSigned(inboundParams(from, 'hi'));
    const stop = await t.sendSigned(inboundParams(from, 'STOP'));
    expect(twimlMessages(stop.body)).toEqual([t.huella.renderer.pack('en').system.stop_confirm]);
    for (const [i, body] of ['what do i bring', 'hello?', 'STOP'].entries()) {
      const res = await t.sendSigned(inboundParams(from, body));
      expect(res.statusCode, body).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/xml/);
      expect(twimlMessages(res.body), body).toEqual([]);
      // Not lost: each one is a saved turn, and counted as unanswered.
      expect(await revOf(from), body).toBe(3 + i);
      expect(await unanswered(), body).toBe(counted + i + 1);
    }
    expect(await t.redis.hget(keys.conversation(t.huella.crypto.personId(from)), 'opted_out')).toBe('1');
    // YES, as Twilio reads it, turns texts back on.
    const yes = await t.sendSigned(inboundParams(from, 'YES'));
    expect(twimlMessages(yes.body)[0]).toContain(t.huella.renderer.pack('en').system.start_confirm);
    expect(await t.redis.hget(keys.conversation(t.huella.crypto.personId(from)), 'opted_out')).toBe('0');
  });

  it('erases everything on DELETE after STOP, with no answer', async () => {
    const from = newPhone();
    await t.sendSigned(inboundParams(from, 'hola'));
    await t.sendSigned(inboundParams(from, 'PARAR'));
    const res = await t.sendSigned(inboundParams(from, 'BORRAR'));
    expect(res.statusCode).toBe(200);
    expect(twimlMessages(res.body)).toEqual([]);
    expect(await t.redis.keys(`*${t.huella.crypto.personId(from)}*`)).toEqual([]);
  });

  it('keeps each answer within the SMS size limit, even when the body is huge', async () => {
    const res = await t.sendSigned(inboundParams(newPhone(), `${'necesito ayuda con mi cita '.repeat(300)}`));
    for (const text of twimlMessages(res.body)) expect([...text].length).toBeLessThanOrEqual(459);
  });
});

describe('GET /healthz', () => {
  it('reports ready while Redis answers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', redis: 'ready' });
  });
});

describe('when Redis is unreachable', () => {
  it('answers at once with "write again shortly" in every language it reads, and /healthz says not ready', async () => {
    const down = await buildTestApp();
    try {
      down.appRedis.disconnect();
      const res = await down.sendSigned(inboundParams(newPhone(), 'hi'));
      expect(res.statusCode).toBe(200);
      expect(twimlMessages(res.body)).toEqual(
        down.huella.flows.languages.map((lang) => system(lang, 'error_later')),
      );
      const health = await down.app.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({ status: 'unavailable', redis: 'down' });
    } finally {
      await down.close();
    }
  });
});
