/**
 * Firing accuracy: N reminders due within one minute, through the reminder worker, the
 * conversation, the outbound queue and the real twilio SDK to a local Twilio-compatible server.
 * Lateness = when the server received the first text of a reminder minus when it was due.
 * BENCH_REMINDERS (default 10000).
 */
import { Redis } from 'ioredis';
import { DateTime } from 'luxon';
import { createActor } from 'xstate';
import { createHuella } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { Appointment } from '../src/conversation/appointments.js';
import { MACHINE_VERSION } from '../src/conversation/machine.js';
import { createLogger } from '../src/logger.js';
import { keys } from '../src/store/keys.js';
import { createRedis } from '../src/store/redis.js';
import { startWorker } from '../src/worker.js';
import { startFakeTwilio } from '../test/support/fake-twilio.js';
import { inPool, percentile, startRedis } from './support.js';

export async function benchFiring(n = Number(process.env.BENCH_REMINDERS ?? 10_000)) {
  const redis = await startRedis();
  const fake = await startFakeTwilio();
  const secret = Buffer.alloc(32, 5).toString('base64');
  const config = loadConfig({
    TWILIO_ACCOUNT_SID: fake.accountSid,
    TWILIO_AUTH_TOKEN: fake.authToken,
    TWILIO_API_BASE_URL: fake.url,
    TWILIO_SMS_FROM: '+15005550006',
    PUBLIC_BASE_URL: 'https://huella.example.org',
    HUELLA_SECRET: secret,
    REMINDER_OFFSETS: 'PT60S',
    FOLLOW_UP_AFTER: 'PT2H',
    QUIET_HOURS: '',
    OUTBOUND_MPS: '1000',
    LOG_LEVEL: 'silent',
    REDIS_ALLOW_UNSAFE: 'true',
  });
  const logger = createLogger('silent', false);
  const client = createRedis(redis.url);
  await client.connect();
  const huella = createHuella({ config, redis: client, logger, secret, queuePrefix: 'bench' });
  const admin = new Redis(redis.url);
  admin.on('error', () => {});
  client.on('error', () => {});
  try {
    // N people, each with one appointment; appointments spread over one minute, starting in 30 s.
    const start = DateTime.now().plus({ seconds: 90 }).startOf('second');
    const due = new Map<string, number>();
    const machine = (await import('../src/conversation/machine.js')).createConversationMachine(huella.flows);
    const people = Array.from({ length: n }, (_, i) => {
      const phone = `+1555${String(1_000_000 + i).padStart(7, '0')}`;
      const at = start
        .plus({ milliseconds: Math.floor((i * 60_000) / n) })
        .startOf('second')
        .setZone('America/Chicago');
      return { phone, personId: huella.crypto.personId(phone), at };
    });
    await inPool(people, 32, async ({ phone, personId, at }) => {
      const appointment: Appointment = {
        id: 'a1',
        date: at.toISODate()!,
        time: at.toFormat('HH:mm:ss'),
        zone: 'America/Chicago',
        place: '77002',
        version: 1,
      };
      const actor = createActor(machine, {
        input: { lang: 'en' },
        snapshot: machine.resolveState({
          value: 'active',
          context: {
            lang: 'en',
            node: 'menu',
            offered: [],
            asking: false,
            misses: 0,
            appointments: [appointment],
            channel: 'sms',
            effects: [],
          },
        }),
      });
      await admin.hset(keys.conversation(personId), {
        rev: 1,
        v: MACHINE_VERSION,
        snap: JSON.stringify(actor.getPersistedSnapshot()),
        addr: huella.crypto.seal(phone),
        ch: 'sms',
        last_in: Date.now(),
        opted_out: '0',
      });
      await huella.scheduler.schedule(personId, appointment, DateTime.now());
      due.set(phone, at.minus({ seconds: 60 }).toMillis());
    });
    const worker = await startWorker(config, logger, redis.url, { queuePrefix: 'bench', secret });
    const deadline = start.toMillis() + 60_000 + 60_000;
    while (fake.messages.length < n * 3 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 1_000));
    await worker.close();

    const perPhone = new Map<string, number[]>();
    for (const m of fake.messages) perPhone.set(m.to, [...(perPhone.get(m.to) ?? []), m.receivedAt]);
    const lateness: number[] = [];
    let exactlyOnce = 0;
    for (const [phone, dueAt] of due) {
      const times = perPhone.get(phone) ?? [];
      if (times.length === 3) exactlyOnce++;
      if (times.length > 0) lateness.push(Math.min(...times) - dueAt);
    }
    lateness.sort((a, b) => a - b);
    return {
      reminders: n,
      textsSent: fake.messages.length,
      remindersSentExactlyOnce: exactlyOnce,
      latenessP50Ms: percentile(lateness, 50),
      latenessP99Ms: percentile(lateness, 99),
      latenessMaxMs: lateness.at(-1) ?? Number.NaN,
    };
  } finally {
    await huella.close();
    client.disconnect();
    admin.disconnect();
    await fake.close();
    redis.stop();
  }
}
