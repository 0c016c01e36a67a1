import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countSegments, MAX_SEGMENTS_PER_MESSAGE } from '../../src/channels/sms-segments.js';
import { loadConfig } from '../../src/config.js';
import type { AppointmentParams } from '../../src/conversation/appointments.js';
import { ContentRenderer, loadFlows, type ReplyPart } from '../../src/conversation/content.js';
import { buildTestApp, newMessageSid, type TestApp } from '../support/app.js';
import { testClock, testNow } from '../support/clock.js';

const flows = loadFlows();
const zone = 'America/New_York';
const quietHours = { start: '21:00', end: '08:00' };
// Rendering only: a fixed moment is fine (nothing here reads today's date).
const SAID = DateTime.fromISO('2027-03-01T12:00', { zone });

function saved(
  renderer: ContentRenderer,
  lang: string,
  at: DateTime,
  extra: Partial<AppointmentParams> = {},
): string[] {
  const part: ReplyPart = {
    say: { system: 'appt_saved' },
    params: {
      date: at.toISODate()!,
      time: at.toFormat('HH:mm'),
      zone,
      place: '10001',
      from: SAID.toUTC().toISO()!,
      ...extra,
    },
  };
  return renderer.render(lang, [part], { split: false });
}

describe('the "Saved" line says when the texts really come', () => {
  const renderer = new ContentRenderer(flows, { quietHours });

  it('names the reminder moved out of quiet hours by its real day and time', () => {
    const at = SAID.plus({ days: 10 }).set({ hour: 8, minute: 30 });
    expect(saved(renderer, 'en', at)).toEqual([
      `Saved. I will text you 3 days and 1 day before the appointment (${at.toFormat('cccc, LLLL d')} at 8:30 AM), and the evening before at 8:55 PM. To change them or turn them off, text: my appointments`,
    ]);
    expect(saved(renderer, 'es', at)[0]).toContain(
      '3 días y 1 día antes de la cita (jueves 11 de marzo a las 8:30 a. m.) y a las 8:55 p. m. de la noche antes. Para',
    );
  });

  it('is the plain line when nothing is moved', () => {
    const at = SAID.plus({ days: 10 }).set({ hour: 14, minute: 0 });
    expect(saved(renderer, 'en', at)[0]).toMatch(
      /^Saved\. I will text you 3 days, 1 day and 3 hours before the appointment \(\w+, March 11 at 2:00 PM\)\. To change/,
    );
  });

  it('says a reminder goes now when one has passed, and anchors moved ones to the date', () => {
    // Said at noon, the appointment the next morning at 8:30: 1 day before has passed (now), and
    // 3 hours before (5:30) comes this evening.
    const at = SAID.plus({ days: 1 }).set({ hour: 8, minute: 30 });
    expect(saved(renderer, 'en', at)[0]).toMatch(
      /^Saved\. I will text you now, and the evening before at 8:55 PM, for \w+, March 2 at 8:30 AM\./,
    );
    expect(saved(renderer, 'es', at)[0]).toMatch(
      /^Listo\. Le escribiré ahora y a las 8:55 p\. m\. de la noche antes, para la cita del martes 2 de marzo a las 8:30 a\. m\. Para/,
    );
  });

  it('answers "when will you remind me?" with the quiet-hours rule', () => {
    const [en] = renderer.render('en', [{ say: { system: 'reminders_when' } }], { split: false });
    expect(en).toContain('Never from 9:00 PM to 8:00 AM: one due then comes earlier, before 9:00 PM.');
    const [es] = renderer.render('es', [{ say: { system: 'reminders_when' } }], { split: false });
    expect(es).toContain('Nunca de 9:00 p. m. a 8:00 a. m.');
    for (const text of [en!, es!])
      expect(countSegments(text).segments).toBeLessThanOrEqual(MAX_SEGMENTS_PER_MESSAGE);
  });
});

describe('on WhatsApp, the "Saved" line tells what the 24-hour window holds back', () => {
  const none = new ContentRenderer(flows, { quietHours, whatsapp: { templates: {}, fallback: 'none' } });
  const sms = new ContentRenderer(flows, { quietHours, whatsapp: { templates: {}, fallback: 'sms' } });
  const template = new ContentRenderer(flows, {
    quietHours,
    whatsapp: { templates: { 'reminder.en': 'HX0' }, fallback: 'none' },
  });
  const at = SAID.plus({ days: 10 }).set({ hour: 14, minute: 0 });

  it('with no template and no SMS fallback, says which reminders need a message first', () => {
    const texts = saved(none, 'en', at, { channel: 'whatsapp' });
    expect(texts).toHaveLength(2);
    expect(texts[0]).toMatch(/^Saved\. I will text you 3 days, 1 day and 3 hours before/);
    expect(texts[1]).toBe(
      'WhatsApp lets me write to you only within 24 hours of your last message. To get the reminders 3 days, 1 day and 3 hours before, send me any message (like hi) in the 24 hours before each one.',
    );
    const es = saved(none, 'es', at, { channel: 'whatsapp' });
    expect(es[1]).toContain('Para recibir los avisos de 3 días, 1 día y 3 horas antes, escríbame algo');
    for (const text of [...texts, ...es])
      expect(countSegments(text).segments, text).toBeLessThanOrEqual(MAX_SEGMENTS_PER_MESSAGE);
  });

  it('names only those past the window: a reminder within 24 hours of saving comes anyway', () => {
    // Said at noon; 8:00 PM the next day: 1 day before (8:00 PM today) is within the window.
    const soon = SAID.plus({ days: 1 }).set({ hour: 20, minute: 0 });
    const texts = saved(none, 'en', soon, { channel: 'whatsapp' });
    expect(texts[1]).toContain('To get the reminders 3 hours before, send me');
  });

  it('is the plain line with the SMS fallback, with a template, and on SMS', () => {
    const plain = saved(sms, 'en', at);
    expect(plain).toHaveLength(1);
    expect(saved(sms, 'en', at, { channel: 'whatsapp' })).toEqual(plain);
    expect(saved(template, 'en', at, { channel: 'whatsapp' })).toEqual(plain);
    expect(saved(none, 'en', at)).toEqual(plain);
  });
});

describe('WHATSAPP_FALLBACK', () => {
  const twilio = {
    TWILIO_ACCOUNT_SID: 'AC0',
    TWILIO_AUTH_TOKEN: 'token',
    PUBLIC_BASE_URL: 'https://huella.example.org',
    HUELLA_SECRET: Buffer.alloc(32, 1).toString('base64'),
  };
  it('falls back to SMS by default when there is an SMS number, or in local mode; else not', () => {
    expect(loadConfig({ ...twilio, TWILIO_SMS_FROM: '+15005550006' }).whatsappFallback).toBe('sms');
    expect(loadConfig(twilio).whatsappFallback).toBe('none');
    expect(loadConfig({}).whatsappFallback).toBe('sms');
    expect(
      loadConfig({ ...twilio, TWILIO_SMS_FROM: '+15005550006', WHATSAPP_FALLBACK: 'none' }).whatsappFallback,
    ).toBe('none');
  });
});

describe('a WhatsApp person saving an appointment, through the service', () => {
  let none: TestApp;
  let auto: TestApp;
  beforeAll(async () => {
    none = await buildTestApp({ WHATSAPP_FALLBACK: 'none' });
    auto = await buildTestApp({ TWILIO_SMS_FROM: '+15005550006' });
  });
  afterAll(async () => {
    await none?.close();
    await auto?.close();
  });

  async function save(t: TestApp, from: string): Promise<string[]> {
    // Ten days after the test's today.
    const day = testNow().setZone('America/Chicago').plus({ days: 10 });
    const send = (body: string) =>
      t.huella.conversations.handleInbound({
        messageSid: newMessageSid(),
        from,
        channel: 'whatsapp',
        body,
        numMedia: 0,
        receivedAt: testClock.now(),
      });
    await send(`remind me of my appointment ${day.toFormat('LLLL d yyyy')} at 2pm in 77002`);
    return (await send('yes')).messages;
  }

  it('is told the truth with no template and WHATSAPP_FALLBACK=none', async () => {
    const messages = await save(none, 'whatsapp:+15550700001');
    expect(messages[0]).toMatch(/^Saved\. I will text you 3 days, 1 day and 3 hours before/);
    expect(messages).toContain(
      'WhatsApp lets me write to you only within 24 hours of your last message. To get the reminders 3 days, 1 day and 3 hours before, send me any message (like hi) in the 24 hours before each one.',
    );
  });

  it('gets the plain line by default with an SMS number (reminders past the window come by SMS)', async () => {
    const messages = await save(auto, 'whatsapp:+15550700002');
    expect(messages[0]).toMatch(/^Saved\. I will text you 3 days, 1 day and 3 hours before/);
    expect(messages.join('\n')).not.toContain('WhatsApp lets me');
  });
});
