import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTwilioClient, rebaseUri } from '../../src/outbound/twilio-client.js';
import { testClock } from '../support/clock.js';
import { type FakeTwilio, startFakeTwilio } from '../support/fake-twilio.js';

const FROM = '+15005550006';
const WHATSAPP_FROM = 'whatsapp:+14155238886';
const CONTENT_SID = `HX${'a1'.repeat(16)}`;

let fake: FakeTwilio;
/** Default timeout: a loaded CI box must not turn an ordinary send into a timeout. */
let client: twilio.Twilio;
/** Short timeout, for the 'hang' test only. */
let impatientClient: twilio.Twilio;

beforeAll(async () => {
  // Twilio's dates by the tests' clock: what the tests compare them with.
  fake = await startFakeTwilio({ clock: testClock });
  const credentials = { accountSid: fake.accountSid, authToken: fake.authToken, apiBaseUrl: fake.url };
  client = createTwilioClient(credentials);
  impatientClient = createTwilioClient({ ...credentials, timeoutMs: 500 });
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

async function restException(promise: Promise<unknown>): Promise<twilio.RestException> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(twilio.RestException);
  return error as twilio.RestException;
}

describe('rebaseUri', () => {
  it('keeps the path and query and appends them to the base path', () => {
    expect(
      rebaseUri(
        'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?PageSize=5',
        new URL('http://127.0.0.1:9/'),
      ),
    ).toBe('http://127.0.0.1:9/2010-04-01/Accounts/AC1/Messages.json?PageSize=5');
    expect(rebaseUri('https://content.twilio.com/v1/Content', new URL('http://localhost:8080/twilio/'))).toBe(
      'http://localhost:8080/twilio/v1/Content',
    );
  });
});

describe('createTwilioClient against the fake Twilio', () => {
  it('sends an SMS that the fake records, answering with a Twilio-shaped message', async () => {
    // Twilio dates to the second: the message is dated between the second before and after the call.
    const before = Math.floor(testClock.now().getTime() / 1000) * 1000;
    const message = await client.messages.create({
      to: '+15551230001',
      from: FROM,
      body: 'Tu cita de biometría es el 3 de junio',
      statusCallback: 'https://huella.example.org/twilio/status',
    });

    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message.accountSid).toBe(fake.accountSid);
    expect(message.status).toBe('queued');
    expect(message.to).toBe('+15551230001');
    expect(message.from).toBe(FROM);
    expect(message.numSegments).toBe('1');
    expect(message.errorCode).toBeNull();
    expect(message.direction).toBe('outbound-api');
    expect(message.dateCreated).toBeInstanceOf(Date);
    expect(message.dateCreated.getTime()).toBeGreaterThanOrEqual(before);
    expect(message.dateCreated.getTime()).toBeLessThanOrEqual(testClock.now().getTime());
    expect(message.uri).toBe(`/2010-04-01/Accounts/${fake.accountSid}/Messages/${message.sid}.json`);

    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]).toMatchObject({
      sid: message.sid,
      to: '+15551230001',
      from: FROM,
      body: 'Tu cita de biometría es el 3 de junio',
      contentSid: undefined,
      statusCallback: 'https://huella.example.org/twilio/status',
    });
    expect(fake.attempts).toEqual([
      expect.objectContaining({ seq: 1, outcome: 'accepted', status: 201, sid: message.sid }),
    ]);
  });

  it('counts segments the way Twilio bills them', async () => {
    // ñ is GSM-7 (160 fit in one segment); á is not, so 71 of them need two UCS-2 segments.
    const gsm = await client.messages.create({ to: '+15551230001', from: FROM, body: 'ñ'.repeat(160) });
    const ucs2 = await client.messages.create({ to: '+15551230001', from: FROM, body: 'á'.repeat(71) });
    expect([gsm.numSegments, ucs2.numSegments]).toEqual(['1', '2']);
  });

  it('sends a WhatsApp content template with its variables', async () => {
    const variables = { 1: '3 de junio', 2: '10:30' };
    const message = await client.messages.create({
      to: 'whatsapp:+15551230002',
      from: WHATSAPP_FROM,
      contentSid: CONTENT_SID,
      contentVariables: JSON.stringify(variables),
    });

    expect(message.to).toBe('whatsapp:+15551230002');
    const recorded = fake.messages[0];
    expect(recorded?.sid).toBe(message.sid);
    expect(recorded?.to).toBe('whatsapp:+15551230002');
    expect(recorded?.from).toBe(WHATSAPP_FROM);
    expect(recorded?.body).toBeUndefined();
    expect(recorded?.contentSid).toBe(CONTENT_SID);
    expect(JSON.parse(recorded?.contentVariables ?? 'null')).toEqual(variables);
  });

  it('accepts a MessagingServiceSid instead of From', async () => {
    const serviceSid = `MG${'0'.repeat(32)}`;
    const message = await client.messages.create({
      to: '+15551230003',
      messagingServiceSid: serviceSid,
      body: 'hi',
    });
    expect(message.status).toBe('accepted');
    expect(message.messagingServiceSid).toBe(serviceSid);
    expect(fake.messages[0]).toMatchObject({ from: undefined, messagingServiceSid: serviceSid });
  });

  it('rejects wrong credentials with 401 / 20003 and records the attempt', async () => {
    const intruder = createTwilioClient({
      accountSid: fake.accountSid,
      authToken: 'not-the-token',
      apiBaseUrl: fake.url,
      timeoutMs: 500,
    });
    const error = await restException(
      intruder.messages.create({ to: '+15551230004', from: FROM, body: 'x' }),
    );
    expect(error.status).toBe(401);
    expect(error.code).toBe(20003);
    expect(error.moreInfo).toBe('https://www.twilio.com/docs/errors/20003');
    expect(fake.messages).toHaveLength(0);
    expect(fake.attempts).toEqual([
      expect.objectContaining({ outcome: 'failed', status: 401, code: 20003, sid: null }),
    ]);
  });

  it('validates like Twilio: no body → 21602, no From → 21603', async () => {
    const noBody = await restException(client.messages.create({ to: '+15551230005', from: FROM }));
    expect([noBody.status, noBody.code]).toEqual([400, 21602]);
    const noFrom = await restException(client.messages.create({ to: '+15551230005', body: 'x' }));
    expect([noFrom.status, noFrom.code]).toEqual([400, 21603]);
    expect(fake.messages).toHaveLength(0);
    expect(fake.attempts.map((a) => a.code)).toEqual([21602, 21603]);
  });

  it.each([
    { failure: { status: 429, code: 20429 }, status: 429, code: 20429 },
    { failure: { status: 500 }, status: 500, code: 20500 },
    {
      failure: { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' },
      status: 400,
      code: 21610,
    },
  ])('surfaces a programmed $status as a RestException, without retrying inside the SDK', async (row) => {
    fake.failWith(() => row.failure);
    const error = await restException(client.messages.create({ to: '+15551230006', from: FROM, body: 'x' }));
    expect(error.status).toBe(row.status);
    expect(error.code).toBe(row.code);
    expect(fake.attempts).toHaveLength(1);
    expect(fake.messages).toHaveLength(0);
  });

  it('passes the per-message attempt number to the failure policy', async () => {
    const seen: number[] = [];
    fake.failWith((req) => {
      seen.push(req.attempt);
      return req.to === '+15551230007' && req.attempt <= 2 ? { status: 503, code: 20503 } : undefined;
    });
    const send = () => client.messages.create({ to: '+15551230007', from: FROM, body: 'recordatorio' });

    expect((await restException(send())).status).toBe(503);
    expect((await restException(send())).status).toBe(503);
    const message = await send();
    await client.messages.create({ to: '+15551230008', from: FROM, body: 'recordatorio' });

    expect(seen).toEqual([1, 2, 3, 1]);
    expect(fake.messages.map((m) => m.sid)).toContain(message.sid);
    expect(fake.attempts.map((a) => a.outcome)).toEqual(['failed', 'failed', 'accepted', 'accepted']);
  });

  it("turns 'hang' into a client timeout within timeoutMs", async () => {
    fake.failWith(() => 'hang');
    // A duration, on the monotonic clock.
    const started = performance.now();
    const error = await rejectionOf(
      impatientClient.messages.create({ to: '+15551230009', from: FROM, body: 'x' }),
    );
    const elapsed = performance.now() - started;

    expect(error).not.toBeInstanceOf(twilio.RestException);
    expect(error).toMatchObject({
      code: 'ECONNABORTED',
      message: expect.stringMatching(/timeout of 500ms exceeded/),
    });
    // It waited for its timeout (a busy machine only makes the wait longer, so no upper bound).
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(fake.attempts).toEqual([expect.objectContaining({ outcome: 'hang', status: null })]);

    // The same client still works once the fake answers again.
    fake.failWith(undefined);
    await expect(
      client.messages.create({ to: '+15551230009', from: FROM, body: 'x' }),
    ).resolves.toMatchObject({
      status: 'queued',
    });
  });

  it("turns 'lost' into a message Twilio keeps while the client hears nothing", async () => {
    fake.failWith(() => 'lost');
    const error = await rejectionOf(
      impatientClient.messages.create({ to: '+15551230010', from: FROM, body: 'lost answer' }),
    );
    expect(error).not.toBeInstanceOf(twilio.RestException);
    expect(fake.messages).toMatchObject([{ to: '+15551230010', body: 'lost answer', status: 'queued' }]);
    expect(fake.attempts).toEqual([
      expect.objectContaining({ outcome: 'lost', status: null, sid: fake.messages[0]!.sid }),
    ]);
  });

  it('lists messages like Twilio: newest first, filtered by To and From, one page at a time', async () => {
    await client.messages.create({ to: '+15551230011', from: FROM, body: 'first' });
    await client.messages.create({ to: '+15551230011', from: WHATSAPP_FROM, body: 'other sender' });
    await client.messages.create({ to: '+15551230012', from: FROM, body: 'other person' });
    const last = await client.messages.create({ to: '+15551230011', from: FROM, body: 'second' });

    const page = await client.messages.page({ to: '+15551230011', from: FROM, pageSize: 1 });
    expect(page.instances.map((m) => [m.sid, m.body, m.direction])).toEqual([
      [last.sid, 'second', 'outbound-api'],
    ]);
    const all = await client.messages.list({ to: '+15551230011', from: FROM, pageSize: 1 });
    expect(all.map((m) => m.body)).toEqual(['second', 'first']);
    expect(all[0]!.dateCreated).toBeInstanceOf(Date);
    expect(all[0]!.dateSent).toBeNull();
    // A queued message has no date_sent yet, so a DateSent filter leaves it out until it is sent.
    const today = testClock.now();
    expect(await client.messages.list({ to: '+15551230011', dateSent: today })).toEqual([]);
    await fake.deliverStatus(last.sid, 'sent', 'http://127.0.0.1:9/unreachable').catch(() => {});
    expect(fake.messages.find((m) => m.sid === last.sid)?.sentAt).toBeTypeOf('number');
    const sentToday = await client.messages.list({ to: '+15551230011', dateSent: today });
    expect(sentToday.map((m) => m.sid)).toEqual([last.sid]);
    expect(fake.lookups.map((l) => l.outcome)).toEqual([
      'answered',
      'answered',
      'answered',
      'answered',
      'answered',
    ]);
  });

  it('fails list reads too when failRate is asked to', async () => {
    fake.failRate(1, [500], { lookups: true });
    const error = await restException(client.messages.list({ to: '+15551230013', limit: 1 }));
    expect(error.status).toBe(500);
    expect(fake.lookups).toEqual([expect.objectContaining({ outcome: 'failed', returned: 0 })]);
  });

  it('holds every answer for respondAfter milliseconds', async () => {
    fake.respondAfter(300);
    let answered = false;
    const sending = client.messages.create({ to: '+15551230014', from: FROM, body: 'slow' }).then((m) => {
      answered = true;
      return m;
    });
    await new Promise((r) => setTimeout(r, 100));
    // Twilio has the message; its answer is still on the way.
    expect(fake.messages).toHaveLength(1);
    expect(answered).toBe(false);
    expect((await sending).sid).toBe(fake.messages[0]!.sid);
  });

  it('fails about the requested share of sends with failRate, reproducibly with a seed', async () => {
    const run = async (): Promise<number[]> => {
      fake.reset();
      fake.failRate(0.3, [429, 500], { seed: 42 });
      const statuses: number[] = [];
      for (let i = 0; i < 200; i += 1) {
        try {
          await client.messages.create({
            to: `+1555000${String(i).padStart(4, '0')}`,
            from: FROM,
            body: 'x',
          });
          statuses.push(201);
        } catch (error) {
          statuses.push((error as twilio.RestException).status);
        }
      }
      return statuses;
    };
    const first = await run();
    const failures = first.filter((s) => s !== 201);
    expect(failures.length).toBeGreaterThan(30);
    expect(failures.length).toBeLessThan(90);
    expect(new Set(failures)).toEqual(new Set([429, 500]));
    expect(fake.messages).toHaveLength(200 - failures.length);
    expect(fake.attempts).toHaveLength(200);
    expect(await run()).toEqual(first);
  });

  it('handles a burst of concurrent sends and observes the send rate', async () => {
    const total = 2_000;
    const concurrency = 50;
    let next = 0;
    // The fake stamps each send by the tests' clock.
    const started = testClock.now().getTime();
    const worker = async (): Promise<void> => {
      while (next < total) {
        const i = next;
        next += 1;
        await client.messages.create({
          to: `+1555100${String(i).padStart(4, '0')}`,
          from: FROM,
          body: `n${i}`,
        });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const elapsed = testClock.now().getTime() - started;

    expect(fake.messages).toHaveLength(total);
    expect(new Set(fake.messages.map((m) => m.sid)).size).toBe(total);
    const times = fake.sendTimes();
    expect(times).toHaveLength(total);
    expect(times.every((t) => t >= started && t <= started + elapsed)).toBe(true);
    expect(fake.maxSendsWithin(elapsed + 1)).toBe(total);
    expect(fake.maxSendsWithin(1_000)).toBeGreaterThan(0);
  });

  it('measures the busiest window of accepted sends', async () => {
    for (let i = 0; i < 3; i += 1)
      await client.messages.create({ to: '+15551230010', from: FROM, body: `a${i}` });
    await new Promise((resolve) => setTimeout(resolve, 400));
    await client.messages.create({ to: '+15551230010', from: FROM, body: 'later' });

    const times = fake.sendTimes();
    expect(times).toHaveLength(4);
    expect((times[3] ?? 0) - (times[2] ?? 0)).toBeGreaterThanOrEqual(400);
    // Check the sliding window against the obvious quadratic count.
    const naive = (windowMs: number) =>
      Math.max(...times.map((start) => times.filter((t) => t >= start && t - start < windowMs).length));
    for (const windowMs of [1, 50, 250, 400, 60_000])
      expect(fake.maxSendsWithin(windowMs)).toBe(naive(windowMs));
    expect(fake.maxSendsWithin(400)).toBeLessThanOrEqual(3);
    expect(fake.maxSendsWithin(60_000)).toBe(4);
  });
});

describe('deliverStatus', () => {
  interface Received {
    url: string;
    signature: string | undefined;
    params: Record<string, string>;
  }
  let receiverUrl: string;
  const received: Received[] = [];
  const receiver = createServer((req: IncomingMessage, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      raw += chunk;
    });
    req.on('end', () => {
      const signature = req.headers['x-twilio-signature'];
      received.push({
        url: `${receiverUrl}${req.url ?? ''}`,
        signature: typeof signature === 'string' ? signature : undefined,
        params: Object.fromEntries(new URLSearchParams(raw)),
      });
      res.writeHead(204).end();
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    received.length = 0;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => {
      receiver.close(() => resolve());
      receiver.closeAllConnections();
    });
  });

  it("POSTs a callback to the message's StatusCallback that twilio.validateRequest accepts", async () => {
    const statusCallback = `${receiverUrl}/twilio/status?channel=sms`;
    const message = await client.messages.create({
      to: '+15551230011',
      from: FROM,
      body: 'x',
      statusCallback,
    });

    const delivery = await fake.deliverStatus(message.sid, 'delivered');

    expect(delivery.status).toBe(204);
    expect(received).toHaveLength(1);
    const callback = received[0]!;
    expect(callback.url).toBe(statusCallback);
    expect(callback.params).toMatchObject({
      MessageSid: message.sid,
      MessageStatus: 'delivered',
      AccountSid: fake.accountSid,
      To: '+15551230011',
      From: FROM,
    });
    expect(callback.params.ErrorCode).toBeUndefined();
    expect(callback.signature).toBeDefined();
    expect(
      twilio.validateRequest(fake.authToken, callback.signature ?? '', callback.url, callback.params),
    ).toBe(true);
    expect(
      twilio.validateRequest('another-token', callback.signature ?? '', callback.url, callback.params),
    ).toBe(false);
    expect(fake.messages[0]?.status).toBe('delivered');
  });

  it('sends to an explicit URL with extra fields such as ErrorCode, still signed', async () => {
    const message = await client.messages.create({
      to: 'whatsapp:+15551230012',
      from: WHATSAPP_FROM,
      body: 'x',
    });
    const url = `${receiverUrl}/elsewhere`;

    await fake.deliverStatus(message.sid, 'undelivered', url, { ErrorCode: '63016' });

    const callback = received[0]!;
    expect(callback.url).toBe(url);
    expect(callback.params).toMatchObject({
      MessageStatus: 'undelivered',
      ErrorCode: '63016',
      To: 'whatsapp:+15551230012',
    });
    expect(twilio.validateRequest(fake.authToken, callback.signature ?? '', url, callback.params)).toBe(true);
  });

  it('refuses a message it never accepted, or one without a callback URL', async () => {
    await expect(fake.deliverStatus(`SM${'0'.repeat(32)}`, 'delivered', receiverUrl)).rejects.toThrow(
      /never accepted/,
    );
    const message = await client.messages.create({ to: '+15551230013', from: FROM, body: 'x' });
    await expect(fake.deliverStatus(message.sid, 'delivered')).rejects.toThrow(/no StatusCallback/);
    expect(received).toHaveLength(0);
  });
});
