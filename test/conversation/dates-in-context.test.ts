import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseInboundMessage } from '../../src/channels/twilio-webhook.js';
import { ContentRenderer, loadFlows, type SystemKey } from '../../src/conversation/content.js';
import { inboundEvent } from '../../src/conversation/inbound-event.js';
import {
  type ConversationSnapshot,
  createConversationMachine,
  createStepper,
} from '../../src/conversation/machine.js';
import { findAppointmentDetails } from '../../src/understanding/appointment-details.js';
import { Understander } from '../../src/understanding/understand.js';
import { dayOf, TEST_NOW } from '../support/clock.js';

/**
 * Dates judged in context (issue 15, part 7): the zone before the place is told, a numeric day of
 * the last weeks, and what was said already. Every instant is a wall-clock time of the tests' day.
 */
const flows = loadFlows();
const stepper = createStepper(createConversationMachine(flows));
const understander = new Understander(flows);
const renderer = new ContentRenderer(flows);
/** The service's default zone when neither the place nor the number tells one. */
const DEFAULT_ZONE = 'America/New_York';

interface Sent {
  at: DateTime;
  fromState?: string;
  channel?: 'sms' | 'whatsapp';
}

function send(before: ConversationSnapshot, body: string, sent: Sent): ConversationSnapshot {
  const readers = {
    flows,
    zone: DEFAULT_ZONE,
    findDetails: (text: string, now: Date, zone: string, lang: string) =>
      findAppointmentDetails(text, DateTime.fromJSDate(now, { zone }), flows, lang),
  };
  const message = {
    body,
    channel: sent.channel ?? ('sms' as const),
    receivedAt: sent.at.toJSDate(),
    ...(sent.fromState ? { fromState: sent.fromState } : {}),
  };
  const context = before.context;
  const understood = understander.understand(body, 0, context.lang);
  const state = typeof before.value === 'string' ? before.value : Object.keys(before.value)[0]!;
  return stepper.step(before, inboundEvent(readers, message, state, context, understood));
}

function talk(sent: Sent, ...messages: string[]): { snapshot: ConversationSnapshot; replies: string[] } {
  let snapshot = stepper.initial({ lang: 'en' });
  for (const text of messages) snapshot = send(snapshot, text, sent);
  const parts = snapshot.context.effects.flatMap((e) => (e.type === 'reply' ? e.parts : []));
  return { snapshot, replies: renderer.render(snapshot.context.lang, parts) };
}

/** The tests' day at a wall-clock time in `zone`. */
const todayAt = (hour: number, minute: number, zone: string) =>
  TEST_NOW.setZone(zone).set({ hour, minute, second: 0, millisecond: 0 });
const system = (lang: string, key: SystemKey) => renderer.pack(lang).system[key];
const leads = (replies: string[], lang: string, key: SystemKey) =>
  replies.some((r) => r.startsWith(system(lang, key).split('{')[0]!.slice(0, 20)));

describe('the zone before the place is told (issue 15, part 7)', () => {
  // 3:40 pm in Texas: 4:40 pm in New York, the default zone, where 3:50 pm has passed.
  const texas = todayAt(15, 40, 'America/Chicago');
  const told = [
    ['en', 'remind me of my appointment', 'today at 3:50 pm', 'its today at 3:50pm'],
    ['es', 'quiero recordatorio de mi cita', 'hoy a las 3:50 de la tarde', 'es hoy 3:50 pm'],
  ] as const;

  it('never says a time has passed before the place is told, unless it has passed in every US zone', () => {
    for (const [lang, ask, ...times] of told) {
      for (const time of times) {
        for (const sent of [
          { at: texas, channel: 'whatsapp' as const },
          { at: texas, fromState: 'TX' },
        ]) {
          const asked = talk(sent, lang === 'en' ? 'hi' : 'hola', ask, time);
          expect(asked.replies.at(-1), `${time} ${JSON.stringify(sent)}`).toBe(
            system(lang, 'appt_ask_place'),
          );
          // The place puts it in Texas: ten minutes ahead, read back for a yes.
          const read = send(asked.snapshot, '77002', sent);
          expect(read.context.draft?.step, time).toBe('confirm');
          expect(read.context.draft?.date).toBe(dayOf(texas).iso);
          // In New York it has passed: said once the place tells it.
          const ny = send(asked.snapshot, '10001', sent);
          expect(ny.context.draft?.step, time).toBe('date');
        }
      }
    }
    // 9 in the morning has passed everywhere in the US by 3:40 pm in Texas: said at once.
    const passed = talk({ at: texas }, 'hi', 'remind me', 'today at 9am');
    expect(passed.snapshot.context.draft?.step).toBe('date');
    expect(leads(passed.replies, 'en', 'appt_date_past')).toBe(true);
    const pasado = talk({ at: texas }, 'hola', 'quiero recordatorio de mi cita', 'hoy a las 9 de la mañana');
    expect(pasado.snapshot.context.draft?.step).toBe('date');
  });

  it("reads today in the zone of the number's state (FromState), until the place is told", () => {
    // 11:30 pm in Texas is already tomorrow in New York: "today" is Texas's day for a Texas number.
    const late = todayAt(23, 30, 'America/Chicago');
    for (const [lang, greeting, ask, time] of [
      ['en', 'hi', 'remind me', 'today at 11:45 pm'],
      ['es', 'hola', 'quiero recordatorio de mi cita', 'hoy a las 11:45 de la noche'],
    ] as const) {
      const asked = talk({ at: late, fromState: 'TX' }, greeting, ask, time);
      expect(asked.replies.at(-1), time).toBe(system(lang, 'appt_ask_place'));
      expect(asked.snapshot.context.draft?.date, time).toBe(dayOf(late).iso);
      // The state is read for this message only: nothing of it is kept in the conversation.
      const kept = JSON.stringify(asked.snapshot.context);
      expect(kept).not.toContain('America/Chicago');
      expect(kept).not.toContain('"TX"');
    }
  });

  it("takes Twilio's FromState as a state code only, and none from WhatsApp", () => {
    const base = { MessageSid: 'SM0123456789abcdef', Body: 'hi' };
    const parse = (params: Record<string, string>) => parseInboundMessage(params, TEST_NOW.toJSDate());
    const sms = parse({ ...base, From: '+15551234567', FromState: 'TX', FromZip: '77002' });
    expect(sms.ok && sms.message.fromState).toBe('TX');
    for (const state of ['', 'Texas', 'T', '<x>']) {
      const odd = parse({ ...base, From: '+15551234567', FromState: state });
      expect(odd.ok && odd.message.fromState, state).toBeUndefined();
    }
    const whatsapp = parse({ ...base, From: 'whatsapp:+15551234567' });
    expect(whatsapp.ok && whatsapp.message.fromState).toBeUndefined();
  });
});

describe('a numeric date of the last weeks (issue 15, part 7)', () => {
  it('says a numeric day a few days or weeks back has passed, instead of offering it next year', () => {
    const at = todayAt(10, 0, 'America/New_York');
    for (const back of [1, 4, 20]) {
      const day = dayOf(at.minus({ days: back }));
      for (const [lang, greeting, ask, written] of [
        ['en', 'hi', 'remind me', day.at.toFormat('M/d')],
        ['es', 'hola', 'quiero recordatorio de mi cita', day.at.toFormat('d/M')],
      ] as const) {
        const told = talk({ at, fromState: 'NY' }, greeting, ask, written);
        expect(told.snapshot.context.draft?.step, `${written} ${back} days back`).toBe('date');
        expect(leads(told.replies, lang, 'appt_day_past'), written).toBe(true);
        expect(told.replies.join(' ')).not.toContain(String(day.at.year + 1));
      }
    }
  });

  it('shows the year wherever a numeric date read as next year is read back', () => {
    const at = todayAt(10, 0, 'America/New_York');
    // A day 2 to 6 months back whose numbers read two ways, both ahead: it next year (more than
    // six months ahead, so said with its year), or the other.
    let tried = 0;
    for (let back = 60; back < 220; back++) {
      const day = at.minus({ days: back });
      const thisYear = DateTime.fromObject(
        { year: at.year, month: day.day, day: day.month },
        { zone: at.zone },
      );
      const other = thisYear < at.startOf('day') ? thisYear.plus({ years: 1 }) : thisYear;
      if (
        day.day > 12 ||
        day.day === day.month ||
        !other.isValid ||
        other < at ||
        other > at.plus({ months: 6 }) ||
        day.plus({ years: 1 }) <= at.plus({ months: 6 })
      )
        continue;
      const told = talk({ at }, 'hi', 'remind me', day.toFormat('M/d'));
      expect(told.snapshot.context.draft?.step).toBe('which_date');
      expect(told.replies.at(-1)).toContain(String(day.year + 1));
      tried++;
    }
    expect(tried).toBeGreaterThan(0);
  });
});

describe('what was already said is not asked again (issue 15, part 7)', () => {
  it('does not ask the filing date again when the weekly texts are turned on again', () => {
    const at = todayAt(10, 0, 'America/New_York');
    const filed = dayOf(at.minus({ days: 40 }));
    for (const [lang, start, yes, stop, date] of [
      ['en', 'weekly reminder', 'yes', 'stop weekly', `i sent it ${filed.en}`],
      ['es', 'recordatorio semanal', 'si', 'parar semanal', `la mandé el ${filed.es}`],
    ] as const) {
      const on = talk({ at }, lang === 'en' ? 'hi' : 'hola', start, yes, date, stop, start, yes);
      expect(on.snapshot.context.weekly, lang).toEqual({ active: true, filed: filed.iso });
      expect(on.snapshot.context.askingFiled, lang).toBe(false);
      expect(on.replies.join(' ')).not.toContain(renderer.pack(lang).nodes.weekly_on!.text[1]!.slice(0, 30));
    }
  });
});
