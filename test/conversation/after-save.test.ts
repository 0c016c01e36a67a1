import { describe, expect, it } from 'vitest';
import type { ConversationSnapshot } from '../../src/conversation/machine.js';
import { dayAhead } from '../support/clock.js';
import { reader, said, stepper, talkIn } from '../support/dialogue.js';

/**
 * Right after a save, and in long messages that hold several things: what was told is kept.
 * Messages go through inbound-event.ts and the machine, as the service sends them.
 */
const d20 = dayAhead(20);

function talk(...messages: string[]): ConversationSnapshot {
  return talkIn('en', ...messages);
}

describe('a question, an appointment and a wish for reminders in one message', () => {
  const asked = [
    `hi my biometrics appointment is ${d20.en} at 10 am in houston 77002 what do i need to bring and can you remind me`,
    `my appt is ${d20.en} at 10am in 77002, what documents do i bring? pls remind me`,
    `tengo cita el ${d20.es} a las 10 en 77002. que documentos llevo? me la puede recordar`,
  ];
  for (const message of asked)
    it(`answers, then reads back what it told: "${message}"`, () => {
      const snap = talk('hi', message);
      expect(said(snap)).toEqual(['node:bring', 'appt_confirm']);
      expect(snap.context.draft).toMatchObject({ date: d20.iso, time: '10:00', place: '77002' });
      // The answer's own numbered choices are left out: "1" saves it.
      const parts = snap.context.effects.flatMap((e) => (e.type === 'reply' ? e.parts : []));
      expect(parts[0]!.choices).toBeUndefined();
      const saved = reader.send(snap, '1').context.appointments;
      expect(saved).toMatchObject([{ date: d20.iso, time: '10:00', place: '77002' }]);
    });

  const thenAsked: [string, string][] = [
    [`my appointment is ${d20.en} at 10 am in houston 77002 what do i need to bring`, 'so did you save it?'],
    [`my appointment is ${d20.en} at 10 am in 77002, what do i bring?`, 'did u save it'],
    [`tengo cita el ${d20.es} a las 10 en 77002. que documentos llevo?`, 'ya la guardaste?'],
    [`tengo cita el ${d20.es} a las 10 en 77002, que llevo?`, 'entonces la guardaste?'],
  ];
  for (const [told, question] of thenAsked)
    it(`"${question}" after the offer: not yet, and the one told read back, never "none saved"`, () => {
      const snap = talk('hi', told, question);
      expect(said(snap)).toEqual(['appt_not_yet', 'appt_confirm']);
      expect(snap.context.draft).toMatchObject({ date: d20.iso, time: '10:00', place: '77002' });
      expect(snap.context.appointments).toEqual([]);
    });
});

describe('the next person after a save', () => {
  const saveOwn = ['hi', 'remind me', `${d20.en} at 9am 77002`, 'yes'];
  const next: [string, Record<string, string>, string][] = [
    ['y la de mi hija sofia? es a las 7 y cuarto', { name: 'Sofia', time: '07:15' }, 'appt_ask_date'],
    [
      'y la de mi hija sofia? es el mismo dia a las 7 y cuarto',
      { name: 'Sofia', time: '07:15', date: d20.iso },
      'appt_ask_place',
    ],
    ['and my daughter sofia? hers is at 7:15', { name: 'Sofia', time: '07:15' }, 'appt_ask_date'],
    [
      'now Rosa, same day 9:30 same office',
      { time: '09:30', date: d20.iso, place: '77002' },
      'appt_ask_another',
    ],
    [
      'ahora Rosa, el mismo dia a las 9:30 en la misma oficina',
      { time: '09:30', date: d20.iso, place: '77002' },
      'appt_ask_another',
    ],
  ];
  for (const [message, kept, asks] of next)
    it(`collects the next one, keeping what "${message}" told`, () => {
      const snap = talk(...saveOwn, message);
      expect(said(snap)).toEqual([asks]);
      expect(snap.context.draft).toMatchObject(kept);
      expect(snap.context.appointments).toHaveLength(1);
    });

  it('"wait, same day but 9:30" still corrects the one just saved', () => {
    const snap = talk(...saveOwn, 'wait same day but 9:30');
    expect(snap.context.draft).toMatchObject({ editing: snap.context.appointments[0]!.id, time: '09:30' });
  });
});

describe("several people's times in one message", () => {
  const d12 = dayAhead(12);
  const frDay = `${d12.day} ${d12.at.setLocale('fr').toFormat('LLLL')}`;
  /** The steps a message of several people's times is followed by: each told one is asked about in turn. */
  const cases: {
    lang: string;
    talk: string[];
    own: Record<string, string>;
    next: Record<string, unknown>;
  }[] = [
    {
      // The date told first; then both times, hers and his, in one message.
      lang: 'es',
      talk: [
        'hola',
        `tengo cita de huellas yo y mi esposo el ${d12.es}`,
        'la mia a las 9 y la de el a las 9 y 20',
      ],
      own: { date: d12.iso, time: '09:00' },
      next: { date: d12.iso, time: '09:20', someoneElse: true },
    },
    {
      lang: 'en',
      talk: ['hi', `my biometrics appt is ${d12.en}, mine at 8am and my wifes at 8:30, both in houston`],
      own: { date: d12.iso, time: '08:00', place: 'Houston, TX' },
      next: { date: d12.iso, time: '08:30', place: { label: 'Houston, TX' }, someoneElse: true },
    },
    {
      lang: 'fr',
      talk: ['bonjour', `on a rdv biometrie le ${frDay}, le mien a 9h et celui de mon mari a 9h30 a Miami`],
      own: { date: d12.iso, time: '09:00', place: 'Miami, FL' },
      next: { date: d12.iso, time: '09:30', place: { label: 'Miami, FL' }, someoneElse: true },
    },
    {
      // Their own told second: it is still the one collected first.
      lang: 'en',
      talk: ['hi', `fingerprints ${d12.en} in 77002: my son at 10:30 and mine at 10`],
      own: { date: d12.iso, time: '10:00' },
      next: { date: d12.iso, time: '10:30', someoneElse: true },
    },
  ];
  for (const c of cases)
    it(`${c.lang}: "${c.talk.at(-1)}": their own now, the other kept and asked about once it is saved`, () => {
      const snap = c.talk.reduce((s, m) => reader.send(s, m), stepper.initial({ lang: c.lang }));
      expect(said(snap)).toContain('appt_others_kept');
      expect(said(snap)).not.toContain('appt_one_at_a_time');
      expect(snap.context.draft).toMatchObject(c.own);
      // Theirs: nobody's name is asked for it.
      expect(snap.context.draft?.name).toBeUndefined();
      expect(snap.context.queued).toMatchObject([c.next]);
      // Told the place if it was not, then saved: the next one starts, its first name asked.
      const placed = snap.context.draft?.place ? snap : reader.send(snap, '77002');
      const saved = reader.send(placed, '1');
      expect(saved.context.appointments).toMatchObject([c.own]);
      expect(said(saved)).toEqual(['appt_saved', 'appt_next_told', 'appt_ask_first_name']);
      expect(saved.context.draft).toMatchObject({ date: c.next.date, time: c.next.time, family: true });
      expect(saved.context.queued).toBeUndefined();
      const named = reader.send(saved, 'Rosa');
      expect(named.context.draft).toMatchObject({ name: 'Rosa', time: c.next.time });
    });

  it('drops the ones kept when collecting stops ("olvidalo")', () => {
    const snap = cases[0]!.talk.reduce((s, m) => reader.send(s, m), stepper.initial({ lang: 'es' }));
    expect(snap.context.queued).toHaveLength(1);
    const quit = reader.send(snap, 'olvidalo');
    expect(quit.context.draft).toBeUndefined();
    expect(quit.context.queued).toBeUndefined();
  });

  const notSeveral = [
    // One person, named twice over ("la de" + "mi hija"); one time with another that is no one's.
    'y la de mi hija sofia es el mismo dia a las 7 y cuarto',
    'my wife and i, mine is at 9am',
    'la de mi esposo es a las 9 no a las 9:30',
  ];
  for (const message of notSeveral)
    it(`keeps nothing for later from "${message}"`, () => {
      const snap = talk('hi', 'remind me', `${d20.en} at 9am 77002`, 'yes', message);
      expect(snap.context.queued).toBeUndefined();
      expect(said(snap)).not.toContain('appt_others_kept');
    });
});
