import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { createActor, type Snapshot } from 'xstate';
import { type Appointment, saysName } from '../../src/conversation/appointments.js';
import { ContentRenderer, loadFlows, type SystemKey } from '../../src/conversation/content.js';
import { createConversationMachine, type Effect, modeOf } from '../../src/conversation/machine.js';
import { findAppointmentDetails } from '../../src/understanding/appointment-details.js';
import { nameAfterFamilyWord, nameWords } from '../../src/understanding/names.js';
import { readMessage } from '../../src/understanding/reading.js';
import { Understander } from '../../src/understanding/understand.js';
import {
  dayAhead,
  dayOf,
  enLong,
  enOrdinal,
  esDayWord,
  esLong,
  firstDay,
  nextWeekday,
  re,
  TEST_NOW,
  type TestDay,
  twoReadings,
} from '../support/clock.js';

const flows = loadFlows();
const machine = createConversationMachine(flows);
const understander = new Understander(flows);
const renderer = new ContentRenderer(flows);
const zone = 'America/Chicago';
/** The tests' instant (test/support/clock.ts), as the service passes it to the machine. */
const NOW = TEST_NOW.toUTC().toISO();

// The days these conversations tell, as many days after the test's today as the dates they were
// written with were after Sunday 22 November 2026 (10:00 in Chicago): d3 is what was December 3,
// mar5 what was March 5 (a Friday then; its weekday now is whatever it is).
const d1 = dayAhead(9);
const d3 = dayAhead(11);
const d5 = dayAhead(13);
const d8 = dayAhead(16);
const d9 = dayAhead(17);
const d10 = dayAhead(18);
const d15 = dayAhead(23);
const d16 = dayAhead(24);
const d17 = dayAhead(25);
const d18 = dayAhead(26);
const jan6 = dayAhead(45);
const jan8 = dayAhead(47);
const mar5 = dayAhead(103);
const mar12 = dayAhead(110);
const apr2 = dayAhead(131);
const apr9 = dayAhead(138);
/** "march 5", as people type a month in words. */
const low = (d: TestDay) => d.en.toLowerCase();
/** "quince de diciembre": the day of the month in words. */
const inWords = (d: TestDay) => d.es.replace(/^\d+/, esDayWord(d.day));
/** The instant of a wall-clock time on a day in Chicago, as the machine stores it ("utc"). */
const utcOf = (d: TestDay, time: string) => DateTime.fromISO(`${d.iso}T${time}`, { zone }).toUTC().toISO();
/** A moment `days` after the tests' instant, as the reminder jobs pass it. */
const inDays = (days: number) => TEST_NOW.plus({ days }).toUTC().toISO();

interface Turn {
  state: string;
  effects: Effect[];
  replies: string[];
  appointments: unknown[];
  persisted: Snapshot<unknown>;
}

function say(previous: Turn | undefined, text: string, now = NOW): Turn {
  const restored = previous ? JSON.parse(JSON.stringify(previous.persisted)) : undefined;
  const actor = createActor(machine, { input: { lang: 'en' }, ...(restored ? { snapshot: restored } : {}) });
  actor.start();
  const lang = actor.getSnapshot().context.lang;
  const found = findAppointmentDetails(text, DateTime.fromISO(now, { zone }), flows, lang);
  actor.send({
    type: 'INBOUND',
    understood: understander.understand(text),
    channel: 'sms',
    now,
    defaultZone: zone,
    found,
    text,
    // As inbound-event.ts reads it.
    reading: readMessage(flows, lang, text, now.slice(0, 10)),
  });
  const snap = actor.getSnapshot();
  const parts = snap.context.effects.flatMap((e) => (e.type === 'reply' ? e.parts : []));
  return {
    state: modeOf(snap.value),
    effects: snap.context.effects,
    replies: renderer.render(snap.context.lang, parts),
    appointments: snap.context.appointments,
    persisted: actor.getPersistedSnapshot(),
  };
}
/** One conversation, its messages told at `now`. */
const talkAt = (now: string, ...messages: string[]) =>
  messages.reduce<Turn | undefined>((t, m) => say(t, m, now), undefined)!;
const talk = (...messages: string[]) => talkAt(NOW, ...messages);
/** The number the last reply's list gives a topic ("2 Spouse and children"): the order is the pick's. */
const numberOf = (turn: Turn, lang: string, node: string): string => {
  const label = renderer.pack(lang).nodes[node]!.label;
  const line = turn.replies
    .at(-1)!
    .split('\n')
    .find((l) => l.endsWith(` ${label}`));
  if (!line) throw new Error(`"${label}" is not offered: ${turn.replies.at(-1)}`);
  return line.split(' ')[0]!;
};
const text = (
  lang: string,
  key: Parameters<ContentRenderer['pack']>[0] extends string
    ? 'appt_ask_time' | 'appt_ask_place' | 'appt_no_place' | 'appt_fix_ask' | 'appt_give_up' | 'appt_no_date'
    : never,
) => renderer.pack(lang).system[key];

describe('telling Huella about an appointment', () => {
  it('collects the date, the time and the place one question at a time, reads them back, and schedules', () => {
    let turn = talk('hi', 'remind me of my appointment');
    expect(turn.state).toBe('capturing');
    turn = say(turn, low(mar5));
    expect(turn.replies[0]).toContain(enLong(mar5));
    turn = say(turn, '10am');
    expect(turn.replies[0]).toBe(text('en', 'appt_ask_place'));
    turn = say(turn, '77002');
    expect(turn.replies[0]).toBe(
      `Your appointment: ${enLong(mar5)} at 10:00 AM, ZIP code 77002. Is that right?\n1 Yes, save it\n2 No, change it`,
    );
    turn = say(turn, 'yes');
    expect(turn.state).toBe('active');
    expect(turn.appointments).toEqual([
      {
        id: 'a1',
        date: mar5.iso,
        time: '10:00',
        zone: 'America/Chicago',
        utc: utcOf(mar5, '10:00'),
        place: '77002',
        version: 1,
      },
    ]);
    expect(turn.effects.map((e) => e.type)).toEqual(['schedule', 'reply']);
    expect(turn.replies[0]).toContain(`${enLong(mar5)} at 10:00 AM`);
  });

  it('says what it needs, with an example, when an answer to the place question holds no place', () => {
    let turn = talk('hola', `tengo cita el ${mar5.es} a las 10 en el centro`);
    expect(turn.replies.at(-1)).toBe(renderer.pack('es').system.appt_ask_place);
    turn = say(turn, 'si porfavor');
    expect(turn.state).toBe('capturing');
    expect(turn.replies).toEqual([renderer.pack('es').system.appt_no_place]);
    turn = say(turn, 'Texas');
    expect(turn.replies[0]).toContain(`${esLong(mar5)} a las 10:00`);
  });

  it('keeps the date given before when the time comes with "de la mañana", and reads a city as the place', () => {
    let turn = talk('hola', 'quiero que me recuerde mi cita de huellas', `el ${d15.es}`);
    expect(turn.replies.at(-1)).toContain(esLong(d15));
    turn = say(turn, '8 y media de la mañana');
    expect(turn.replies.at(-1)).toBe(renderer.pack('es').system.appt_ask_place);
    turn = say(turn, 'en la oficina de uscis de memphis');
    expect(turn.replies.at(-1)).toBe(
      `Su cita: ${esLong(d15)} a las 8:30 a. m., Memphis, TN. ¿Es correcto?\n1 Sí, guardarla\n2 No, cambiar`,
    );
    const saved = say(turn, '1');
    expect(saved.appointments).toMatchObject([{ date: d15.iso, time: '08:30', zone: 'America/Chicago' }]);
  });

  it('names the state in full, and does not take "me" or "ok" for Maine or Oklahoma', () => {
    let turn = talk('hi', 'remind me', 'me');
    expect(turn.replies.at(-1)).toBe(renderer.pack('en').system.appt_no_date);
    // A day of the month alone, whose next one is d15.
    turn = say(turn, `the ${enOrdinal(d15.day)} at 7:30am`);
    expect(turn.replies.at(-1)).toBe(renderer.pack('en').system.appt_ask_place);
    turn = say(turn, 'ok');
    expect(turn.replies.at(-1)).toBe(renderer.pack('en').system.appt_no_place);
    turn = say(turn, 'el paso');
    expect(turn.replies.at(-1)).toContain(`${enLong(d15)} at 7:30 AM, El Paso, TX.`);
    turn = say(turn, 'tx');
    expect(turn.replies.at(-1)).toContain(`${enLong(d15)} at 7:30 AM, Texas.`);
  });

  it('takes everything from one Spanish message', () => {
    const turn = talk('hola', `tengo cita el ${mar5.es} a las 10 en el codigo 77002`);
    expect(turn.state).toBe('capturing');
    expect(turn.replies.at(-1)).toBe(
      `Su cita: ${esLong(mar5)} a las 10:00 a. m., código postal 77002. ¿Es correcto?\n1 Sí, guardarla\n2 No, cambiar`,
    );
    const saved = say(turn, 'si');
    expect(saved.appointments).toHaveLength(1);
    expect(saved.replies[0]).toContain('Le escribiré 3 días, 1 día y 3 horas antes de la cita (');
  });

  it('asks which date a numeric date means, instead of guessing', () => {
    // "3/5" some 100 days ahead: March 5 or May 3, both ahead.
    const { us, world, numeric } = twoReadings(100);
    let turn = talk('hi', 'remind me', numeric);
    expect(turn.replies[0]).toBe(
      // With how US dates are written (blind try 21: "c le 1 mai ou le 5 janvier?? jcomprend pas le format americain").
      `Is the date ${enLong(us)} or ${enLong(world)}? In the US, the month usually comes first (month/day/year). Reply 1 for ${enLong(us)}, or 2 for ${enLong(world)}.`,
    );
    turn = say(turn, '2');
    expect(turn.replies[0]).toContain(enLong(world));
    expect(turn.replies[0]).toBe(
      renderer.render('en', [{ say: { system: 'appt_ask_time' }, params: { date: world.iso } }])[0],
    );
  });

  it('says when a date has passed and asks again', () => {
    const turn = talk('hi', 'remind me', `${low(dayAhead(-2))} ${dayAhead(-2).at.year} at 9am`);
    expect(turn.state).toBe('capturing');
    expect(turn.replies[0]).toContain('has already passed');
  });

  it('says that a day told with its year has passed, however it is written, never that no date was given', () => {
    // Round 13 (found at 2027-01-01): "december 30 2026 at 9am" got "And what is the date on your
    // notice?": a day of last year was taken for a misreading. Last year's, this year's earlier
    // months, in words and in numbers (a day past the 12th reads one way only), in both languages.
    const lastYear = dayOf(dayAhead(0).at.minus({ years: 1 }).set({ month: 12, day: 30 }));
    const monthsAgo = firstDay(-120, (d) => d.day > 12);
    const written = [
      `${low(lastYear)} ${lastYear.at.year} at 9am`,
      `${lastYear.at.toFormat('M/d/yyyy')} 9am`,
      `${low(monthsAgo)} ${monthsAgo.at.year}`,
      monthsAgo.at.toFormat('MM/dd/yyyy'),
      monthsAgo.at.toFormat('M/d/yy'),
    ];
    for (const message of written) {
      const turn = talk('hi', 'remind me', message);
      expect(turn.state, message).toBe('capturing');
      expect(turn.replies[0], message).toContain('has already passed');
    }
    const es = talk('hola', 'recordarme', `el ${lastYear.es} de ${lastYear.at.year} a las 9`);
    expect(es.replies[0]).toContain('ya pasó');
  });

  it('reads "tomorrow" from the place\'s own date', () => {
    const turn = talk('hi', 'remind me', 'tomorrow at 8:30', 'TX');
    expect(turn.replies[0]).toContain(`${enLong(dayAhead(1))} at 8:30 AM`);
  });

  it('asks only what to fix on "no" at the read-back, keeping the rest', () => {
    const turn = talk('hi', 'remind me', `${low(mar5)} 10am 77002`, 'no');
    expect(turn.replies[0]).toBe(text('en', 'appt_fix_ask'));
    expect(turn.state).toBe('capturing');
    // The right time alone: the date and the ZIP code stay, and it reads back again.
    const fixed = new RegExp(`${re(mar5.en)}(, \\d{4})? at 9:30 AM, ZIP code 77002\\. Is that right\\?`);
    expect(say(turn, '9:30').replies[0]).toMatch(fixed);
    // "no, it's 9:30" fixes it at once.
    const atOnce = talk('hi', 'remind me', `${low(mar5)} 10am 77002`, "no it's 9:30");
    expect(atOnce.replies[0]).toMatch(fixed);
    // The place, in Spanish.
    const es = talk('hola', 'recordarme', `${d3.es} a las 9`, '11201', 'no', 'es en el zip 11211');
    expect(es.replies[0]).toMatch(
      new RegExp(`^Su cita: ${re(esLong(d3))} a las 9:00 a\\. m\\., código postal 11211\\.`),
    );
  });

  it('gives up kindly after three messages with nothing usable, and offers the menu', () => {
    const turn = talk('hi', 'remind me', 'hmm', 'idk', 'qwerty');
    expect(turn.state).toBe('active');
    expect(turn.replies[0]).toContain(text('en', 'appt_give_up'));
    expect(turn.replies[0]).toContain('1 About the appointment');
  });

  it('lets the person leave to ask something else, or with MENU or STOP', () => {
    expect(talk('hi', 'remind me', 'what do i need to bring').state).toBe('active');
    expect(talk('hi', 'remind me', 'menu').state).toBe('active');
    expect(talk('hi', 'remind me', 'stop').state).toBe('optedOut');
  });

  it('texts a reminder only for the current version of an appointment', () => {
    const turn = talk('hi', 'remind me', `${low(mar5)} 10am 77002`, 'yes');
    const actor = createActor(machine, {
      input: { lang: 'en' },
      snapshot: JSON.parse(JSON.stringify(turn.persisted)),
    });
    actor.start();
    actor.send({ type: 'REMINDER_DUE', appointmentId: 'a1', version: 0, kind: 'reminder' });
    expect(actor.getSnapshot().context.effects).toEqual([]);
    actor.send({ type: 'REMINDER_DUE', appointmentId: 'a1', version: 1, kind: 'first' });
    const [send] = actor.getSnapshot().context.effects;
    expect(send?.type).toBe('send');
    const texts = renderer.render('en', send?.type === 'send' ? send.parts : []);
    expect(texts[0]).toBe(
      `Reminder: your biometrics appointment is ${enLong(mar5)} at 10:00 AM (ZIP code 77002). Arrive 15 minutes early.`,
    );
    expect(texts[1]).toContain('passport');
    expect(texts[2]).toContain('1-800-375-5283');
  });

  it('lists saved appointments, and cancels one with its reminders', () => {
    let turn = talk(
      'hi',
      'remind me',
      `${low(mar5)} 10am 77002`,
      'yes',
      'remind me',
      'me',
      `${low(apr2)} 9:30am 77002`,
      'yes',
    );
    expect(turn.appointments).toHaveLength(2);
    turn = say(turn, 'my appointments');
    expect(turn.state).toBe('managing');
    expect(turn.replies[0]).toBe(
      `Your appointments:\n1 ${enLong(mar5)} at 10:00 AM, ZIP code 77002\n2 ${enLong(apr2)} at 9:30 AM, ZIP code 77002\n` +
        'Reply with its number to change it or turn off its reminders, or 0 for the menu.',
    );
    turn = say(turn, '1');
    expect(turn.replies[0]).toContain('1 Change the date or time');
    turn = say(turn, '2');
    expect(turn.state).toBe('active');
    expect(turn.effects.map((e) => e.type)).toEqual(['cancel', 'reply']);
    expect(turn.appointments).toMatchObject([{ id: 'a2' }]);
  });

  it('changes an appointment: a new version, whose scheduling replaces the old reminders', () => {
    let turn = talk('hi', 'remind me', `${low(mar5)} 10am 77002`, 'yes', 'mis citas', '1', '1');
    expect(turn.state).toBe('capturing');
    turn = say(turn, `${low(mar12)} 2pm 77002`);
    turn = say(turn, 'yes');
    expect(turn.appointments).toMatchObject([{ id: 'a1', date: mar12.iso, time: '14:00', version: 2 }]);
    const schedule = turn.effects.find((e) => e.type === 'schedule');
    expect(schedule).toMatchObject({
      appointment: { version: 2 },
      previous: { version: 1, date: mar5.iso },
    });
  });

  it('says so when there is nothing saved', () => {
    const turn = talk('hi', 'my appointments');
    expect(turn.state).toBe('active');
    expect(turn.replies[0]).toContain(renderer.pack('en').system.appt_none);
  });

  it('turns on weekly checks, takes the filing date for the 3-month and 150-day texts, and stops when the notice came', () => {
    let turn = talk('hi', 'weekly reminder');
    expect(turn.replies[0]).toContain('every week');
    turn = say(turn, 'yes');
    expect(turn.state).toBe('askingFiled');
    expect(turn.effects.map((e) => e.type)).toEqual(['weekly', 'reply']);
    // Filed 73 days ago ("september 10" on November 22): both texts still ahead.
    const filed = dayAhead(-73);
    turn = say(turn, low(filed));
    expect(turn.state).toBe('active');
    expect(turn.effects).toContainEqual({ type: 'milestones', filed: filed.iso });
    expect(turn.replies[0]).toBe(
      `Thanks. I will text you at 3 months and at 150 days after ${enLong(filed)}.`,
    );

    const due = (t: Turn, event: Parameters<ReturnType<typeof createActor<typeof machine>>['send']>[0]) => {
      const actor = createActor(machine, {
        input: { lang: 'en' },
        snapshot: JSON.parse(JSON.stringify(t.persisted)),
      });
      actor.start();
      actor.send(event);
      const snap = actor.getSnapshot();
      return {
        ...t,
        state: modeOf(snap.value),
        effects: snap.context.effects,
        persisted: actor.getPersistedSnapshot(),
      };
    };
    turn = due(turn, { type: 'WEEKLY_DUE', at: inDays(7) });
    expect(turn.effects.map((e) => e.type)).toEqual(['send', 'weekly']);
    expect(turn.effects[1]).toEqual({ type: 'weekly', after: inDays(7) });
    expect(say(turn, 'not yet').replies[0]).toContain('Keep checking each week');
    const milestone = due(turn, { type: 'MILESTONE_DUE', kind: '150d', filed: filed.iso });
    expect(
      renderer.render('en', milestone.effects[0]?.type === 'send' ? milestone.effects[0].parts : [])[0],
    ).toContain('work permit');
    // Planned from another filing date (one given before this one): nothing.
    expect(due(turn, { type: 'MILESTONE_DUE', kind: '150d', filed: dayAhead(-53).iso }).effects).toEqual([]);

    turn = say(turn, 'yes');
    expect(turn.state).toBe('capturing');
    turn = say(say(turn, `${low(mar5)} 10am 77002`), 'yes');
    expect(turn.effects.map((e) => e.type)).toEqual(['stopWeekly', 'schedule', 'reply']);
    // Said, not only done ("so u stop the weekly now?" got "You have no weekly texts on").
    expect(turn.replies).toContain(renderer.pack('en').system.weekly_ended_saved);
    expect(due(turn, { type: 'WEEKLY_DUE', at: inDays(14) }).effects).toEqual([]);
  });

  it('takes a filing date said roughly as the latest day it can be, and the exact day after it', () => {
    // Round 9: "como en junio", "about 5 months ago" and "junio 10" all got "I did not understand".
    // "junio" on November 22: a month five months back, taken at its last day.
    const today = dayAhead(0).at;
    const month = today.minus({ months: 5 });
    const monthEs = month.setLocale('es').toFormat('LLLL');
    const end = dayOf(month.endOf('month'));
    let turn = talk('quiero q me avisen cada semana', '1', `como en ${monthEs}`);
    expect(turn.effects).toContainEqual({ type: 'milestones', filed: end.iso });
    expect(turn.replies[0]).toMatch(new RegExp(`^Tomé el ${re(esLong(end))}, el día más tarde posible`));
    turn = say(turn, `${monthEs} 10`);
    expect(turn.effects).toContainEqual({ type: 'milestones', filed: month.set({ day: 10 }).toISODate() });
    expect(turn.state).toBe('active');
    const ago = talk('can u check for me every week', 'yes', 'i applied like 5 months ago');
    expect(ago.effects).toContainEqual({ type: 'milestones', filed: today.minus({ months: 5 }).toISODate() });
    expect(talk('hola', 'aviso semanal', 'si', 'hace como 2 meses').effects).toContainEqual({
      type: 'milestones',
      filed: today.minus({ months: 2 }).toISODate(),
    });
    // Neither a date nor a question: asked once more, then the menu's answer.
    const idk = talk('weekly reminder', 'yes', 'hmm idk');
    expect(idk.state).toBe('askingFiled');
    expect(idk.replies).toEqual([renderer.pack('en').system.weekly_filed_again]);
    expect(say(idk, 'hmm').state).toBe('active');
  });

  it('reads round 9 words: the letter came, stop the weekly, back to the menu, data sold, same-day text', () => {
    const es = (key: SystemKey) => renderer.pack('es').system[key];
    // "ya" in "ya me llego la carta" is no "yes" to the weekly offer: it collects the appointment.
    expect(talk('hola', 'quiero q me avisen cada semana', 'ya me llego la carta de huellas').state).toBe(
      'capturing',
    );
    expect(talk('hi', 'the letter came!!').state).toBe('capturing');
    expect(talk('hola', 'parar el aviso semanal').replies).toEqual([es('weekly_not_on')]);
    expect(talk('hola', 'quiero regresar al menu').replies[0]).toMatch(/^¿Qué necesita\?/);
    expect(talk('hi', 'go back').replies[0]).toMatch(/^What do you need\?/);
    expect(talk('hi', 'do u sell my data or give it to immigration').replies[0]).toBe(
      renderer.pack('en').system.privacy_reply,
    );
    expect(talk('hola', 'me va a mandar mensaje el mismo dia?').replies[0]).toMatch(/^Le escribo 3 días/);
  });

  it('reads today\'s weekday, said alone, as the one a week on; "today" stays today', () => {
    const today = dayAhead(0);
    const weekOn = dayAhead(7);
    const en = (message: string) => talk('hi', 'remind me', message, '77002').replies.at(-1);
    expect(en(`on ${today.enWeekday.toLowerCase()} at 8am`)).toMatch(
      new RegExp(`^Your appointment: ${re(enLong(weekOn))} at 8:00 AM`),
    );
    expect(en(`${today.enWeekday} 4pm`)).toMatch(
      new RegExp(`^Your appointment: ${re(enLong(weekOn))} at 4:00 PM`),
    );
    expect(en('today at 4pm')).toMatch(new RegExp(`^Your appointment: ${re(enLong(today))} at 4:00 PM`));
    const es = talk('hola', 'recordarme', `el ${today.esWeekday} a las 8 de la mañana`, '77002');
    expect(es.replies.at(-1)).toMatch(new RegExp(`^Su cita: ${re(esLong(weekOn))} a las 8:00 a\\. m\\.`));
  });

  it('asks what to fix when a correction reads as the same appointment, and reads "9 no 9:30"', () => {
    // "el lunes" is the coming Monday: said on a Monday, the one a week on (round 13, found at
    // 2027-12-27 and 2028-02-28, Mondays at 10:00, where it read as that same day, "ya pasó").
    const monday = nextWeekday(1, 1);
    const otherMonday = dayOf(monday.at.plus({ days: 7 }));
    let turn = talk('kiero q me recuerde mi cita', 'el lunes a las 8 de la mañana', 'nueva york 11201');
    expect(turn.replies.at(-1)).toMatch(new RegExp(`^Su cita: ${re(esLong(monday))} a las 8:00 a\\. m\\.`));
    turn = say(turn, 'no es el lunes q viene es el otro lunes');
    expect(turn.replies).toEqual([renderer.pack('es').system.appt_fix_ask]);
    expect(say(turn, `el ${otherMonday.day}`).replies[0]).toMatch(
      new RegExp(`^Su cita: ${re(esLong(otherMonday))} a las 8:00 a\\. m\\.`),
    );
    const time = say(
      talk(`MI SITA ES EL ${d5.es.toUpperCase()} A LAS 9:30 EN EL PASO TX`),
      'no perdon es a las 9 no 9:30',
    );
    expect(time.replies[0]).toMatch(
      new RegExp(`^Su cita: ${re(esLong(d5))} a las 9:00 a\\. m\\., El Paso, TX\\.`),
    );
  });

  it('gives only the phone to change an appointment saved for the next 12 hours', () => {
    // Round 9: "1 By phone 2 Online" three hours before; the seed says online does not work then.
    // Three and a half hours ahead: today, or tomorrow when said late in the evening.
    const here = DateTime.fromISO(NOW, { zone });
    const soon = here.plus({ hours: 3, minutes: 30 }).startOf('minute');
    const soonSaid = `${soon.hasSame(here, 'day') ? 'today' : 'tomorrow'} at ${soon
      .set({ minute: soon.minute < 30 ? 0 : 30 })
      .toFormat('h:mma')
      .toLowerCase()}`;
    const today = say(talk('hi', 'remind me', soonSaid, 'chicago', 'yes'), 'i need to reschedule');
    const text = today.replies.join('\n');
    expect(text).toContain('Call USCIS at 1-800-375-5283');
    expect(text).not.toContain('Online');
    const later = say(
      talk('hi', 'remind me', `${d3.enShort} at 1:30pm`, 'chicago', 'yes'),
      'i need to reschedule',
    );
    expect(later.replies.join('\n')).toContain('2 Online');
  });

  it('turns the weekly texts on from "si" to their question asked while telling an appointment', () => {
    // Round 9: the weekly question and "¿Y qué fecha…?" came together, and "si" found no date.
    let turn = talk('recordarme', `el ${d3.es}`, 'dale mandame el aviso cada semana');
    expect(turn.replies.join('\n')).toMatch(/cada semana.*\n1 Sí\n2 No/s);
    expect(turn.replies.join('\n')).not.toContain('¿A qué hora');
    turn = say(turn, 'si');
    expect(turn.state).toBe('askingFiled');
    expect(turn.effects.map((e) => e.type)).toContain('weekly');
  });

  it('says "not saved yet" when asked at the read-back whether it is saved', () => {
    const turn = say(talk('hi', 'remind me', `${d3.enShort} 9am`, 'houston'), 'did u save my appt?');
    expect(turn.replies[0]).toBe(renderer.pack('en').system.appt_not_yet);
    expect(turn.replies.at(-1)).toMatch(
      new RegExp(`^Your appointment: ${re(enLong(d3))} at 9:00 AM, Houston, TX\\.`),
    );
    expect(say(turn, '1').appointments).toHaveLength(1);
  });

  it("shows the list again for a number beyond it, instead of the main menu's", () => {
    const turn = say(
      say(talk('hi', 'remind me', `${d3.enShort} 9am`, 'houston', 'yes'), 'my appointments'),
      '2',
    );
    expect(turn.state).toBe('managing');
    expect(turn.replies[0]).toMatch(new RegExp(`^Your appointments:\\n1 ${re(enLong(d3))}`));
  });

  it('does not drop the appointment being told for "the son one is cancel"', () => {
    // Round 10: the father's own December 8 was dropped ("OK, I did not save it").
    const turn = say(
      talk('hi', 'remind me', `${d8.enShort} at 9am`),
      'the son one is cancel, they said he dont need bc he is 12',
    );
    expect(turn.state).toBe('capturing');
    expect(say(turn, '77002').replies[0]).toMatch(
      new RegExp(`^Your appointment: ${re(enLong(d8))} at 9:00 AM`),
    );
    // "can u show me the list" shows the list, saying what was not saved.
    const list = say(turn, 'can u show me the list');
    expect(list.replies[0]).toBe(
      `I did not save ${enLong(d8)} at 9:00 AM. To get reminders for it, text: remind me`,
    );
  });

  it('never replaces or cancels a saved appointment for one told or named for someone else (round 10)', () => {
    const saved9 = () => talk(`remind me ${d8.enShort} 9am miami`, 'yes');
    // "for maria …" right after saving: Maria's, read back with her name; the 9:00 stays.
    // ("mar 28", when d8 falls in March, was read as "marido", the family topic: round 13.)
    const maria = say(saved9(), `for maria ${d8.enShort} 10am miami`);
    expect(maria.replies.at(-1)).toMatch(new RegExp(`^Maria's appointment: ${re(enLong(d8))} at 10:00 AM`));
    expect(maria.appointments).toEqual([expect.objectContaining({ time: '09:00' })]);
    // A whole other day with no word of a correction: whose is asked.
    const jose = say(saved9(), `jose ${d10.enShort} 1pm miami`);
    expect(jose.replies.at(-1)).toBe(renderer.pack('en').system.appt_ask_another);
    // "wait its dec 9" is a correction.
    expect(say(saved9(), `wait its ${d9.enShort}`).replies.at(-1)).toMatch(
      new RegExp(`^Your appointment: ${re(enLong(d9))}`),
    );
    // "cancel jose", Jose never saved: the list, nothing cancelled, from the menu or the list.
    for (const turn of [say(saved9(), 'cancel jose'), say(say(saved9(), 'my appointments'), 'cancel jose')]) {
      expect(turn.state).toBe('managing');
      expect(turn.appointments).toHaveLength(1);
      expect(turn.effects.map((e) => e.type)).not.toContain('cancel');
    }
    // Cancelling says that the USCIS appointment stays.
    const cancelled = say(say(saved9(), 'my appointments'), 'cancel it');
    expect(cancelled.replies[0]).toContain('your appointment with USCIS stays as it is');
    // "cancel luis" with Luis's saved: his, named, the person's own kept.
    const luis = say(say(say(saved9(), `for luis ${d10.enShort} 1pm miami`), 'yes'), 'cancel luis');
    expect(luis.replies[0]).toMatch(
      new RegExp(`^For Luis:\\nDone\\. I took ${re(enLong(d10))} at 1:00 PM off my list`),
    );
    expect(luis.appointments).toEqual([expect.objectContaining({ time: '09:00' })]);
    // "cancel mine but keep luis" (blind try 18, where Luis's was cancelled): a name after a spare
    // word is the one kept; the one left is cancelled (in Spanish too).
    const withLuis = () => say(say(saved9(), `for luis ${d10.enShort} 1pm miami`), 'yes');
    for (const words of [
      'cancel mine but keep luis',
      'cancela la mia pero deja la de luis',
      'cancel mine except luis',
      // After the name, in Spanish (blind try 20, where Kevin's was cancelled).
      'borra la otra porfa, la de luis dejala',
    ]) {
      const kept = say(withLuis(), words);
      expect(kept.appointments, words).toEqual([expect.objectContaining({ name: 'Luis', time: '13:00' })]);
    }
    // One's own named by the words for it alone, with Luis's saved too: that one (blind try 19).
    for (const words of ['cancel mine', 'cancela la mia porfa']) {
      const mine = say(withLuis(), words);
      expect(mine.appointments, words).toEqual([expect.objectContaining({ name: 'Luis', time: '13:00' })]);
    }
    // Luis named and one's own marked, a cancel word said of one of them (blind try 19, where
    // Luis's was cancelled): the list, to choose, nothing cancelled.
    for (const words of [
      'luis is at 2pm not 1pm. and mine you can cancel it',
      'la de luis es a las 2. y la mia cancelala',
    ]) {
      const both = say(withLuis(), words);
      expect(both.appointments, words).toHaveLength(2);
      expect(
        both.effects.filter((e) => e.type === 'cancel'),
        words,
      ).toHaveLength(0);
      // The list, or Luis's new time read back first: either way, nothing taken off.
      expect(['managing', 'capturing'], words).toContain(both.state);
    }
  });

  it('takes the ZIP code of a pasted notice, not the five-digit street number before it', () => {
    // About two weeks ahead, a day that reads one way only in numbers, with its year: its other
    // reading (12/08/2026 as August 12) has passed, or is no date.
    const today = dayAhead(0).at;
    const day = firstDay(
      16,
      (d) => d.day > 12 || d.day === d.at.month || d.at.set({ month: d.day, day: d.at.month }) < today,
    );
    const found = findAppointmentDetails(
      `ASC APPOINTMENT NOTICE\nUSCIS HOUSTON\n16630 IMPERIAL VALLEY DR\nHOUSTON TX 77060\nDate: ${day.at.toFormat('MM/dd/yyyy')} Time: 10:00 AM`,
      DateTime.fromISO(NOW, { zone: 'America/Chicago' }),
      flows,
      'en',
    );
    expect(found).toEqual({
      date: day.iso,
      time: '10:00',
      place: { label: '77060', zone: 'America/Chicago' },
    });
  });

  it('asks the first name when "wife" answers "whose is it?", instead of the family topic', () => {
    const turn = say(say(talk(`remind me ${d8.enShort} 9am miami`, 'yes'), 'remind me'), 'wife');
    // "wife" said whose it is: only her first name is asked, not whose again.
    expect(turn.replies).toEqual([renderer.pack('en').system.appt_ask_first_name]);
    expect(say(turn, 'Maria').state).toBe('capturing');
  });

  it('reads round 10 words: missed days ago, sick, "quite la de daniela"', () => {
    expect(talk('hola', 'falte a mi cita', 'fue hace 5 dias nomas').replies[0]).toContain(
      'puede intentar ir a la oficina',
    );
    expect(talk('hola', 'puedo ir enfermo o la cambio').replies.join('\n')).toContain(
      'Es mejor cambiarla ANTES',
    );
    expect(
      talk('hi', 'i applied asylum but no fingerprint letter yet, can u check on me every week').replies.join(
        '\n',
      ),
    ).toContain('Do you want a text every week');
    // ("23 mar", when d3 falls in March, was read as "marido": round 13.)
    const savedEs = () => talk(`recordarme ${d3.esShort} 9am miami`, 'si');
    // "borren todos mis datos" is DELETE (it removed one appointment), asked to confirm first.
    expect(say(savedEs(), 'borren todos mis datos').replies[0]).toBe(renderer.pack('es').system.delete_ask);
    const daniela = say(savedEs(), 'quite la de daniela');
    expect(daniela.state).toBe('managing');
    expect(daniela.effects.map((e) => e.type)).not.toContain('cancel');
  });

  it('answers a question holding a "no" at the read-back, instead of asking what to fix', () => {
    // Round 10: "…la niña tiene 12 años no tiene pasaporte" got "¿Qué corrijo?", unanswered.
    const turn = say(
      talk('recordarme', `el ${d3.es} a las 8 de la mañana`, 'hialeah'),
      'q tengo q llevar para la niña tiene 12 años no tiene pasaporte',
    );
    expect(turn.replies[0]).toMatch(/^¿No tiene una identificación válida/);
    expect(turn.replies.at(-1)).toMatch(
      new RegExp(`^Su cita: ${re(esLong(d3))} a las 8:00 a\\. m\\., Hialeah, FL\\.`),
    );
    expect(say(turn, 'no, es a las 9').replies[0]).toMatch(/a las 9:00 a\. m\./);
  });

  it('asks the new date on "i called uscis and they change my appt", with one saved', () => {
    // Round 10: it gave the calling steps, and "new one is dec 17 11am" asked whose it was.
    let turn = say(
      talk(`remind me appt ${d1.enShort} at 10am dallas`, 'yes'),
      'i called uscis and they change my appt',
    );
    expect(turn.replies).toEqual([renderer.pack('en').system.appt_edit_ask]);
    turn = say(say(turn, `new one is ${d17.enShort} 11am`), 'yes');
    expect(turn.appointments).toEqual([expect.objectContaining({ date: d17.iso, time: '11:00' })]);
    // A question after a correction word is still answered.
    expect(
      say(talk(`remind me appt ${d1.enShort} at 10am dallas`, 'yes'), 'actually what do i bring?').replies[0],
    ).toMatch(/^Bring 2 things/);
  });

  it('says where the address is, and the call within 12 hours, to someone lost on the day', () => {
    // Round 10: "i am lost i cant find the building" got "Sorry, I did not understand".
    expect(talk('hi', 'i am lost i cant find the building').replies[0]).toMatch(
      /^The office address is on your appointment notice.*1-800-375-5283/s,
    );
    expect(talk('hola', 'estoy perdida no encuentro la oficina').replies[0]).toMatch(
      /^La dirección está en su aviso de cita/,
    );
  });

  it('sends nothing scheduled to someone who said STOP', () => {
    const turn = talk('hi', 'weekly reminder', 'yes', '0', 'STOP');
    const actor = createActor(machine, {
      input: { lang: 'en' },
      snapshot: JSON.parse(JSON.stringify(turn.persisted)),
    });
    actor.start();
    actor.send({ type: 'WEEKLY_DUE', at: inDays(7) });
    expect(actor.getSnapshot().context.effects).toEqual([]);
    expect(actor.getSnapshot().value).toBe('optedOut');
  });

  it('asks whose appointment a second one is, and names it in the list, the reminders and the follow-up', () => {
    let turn = talk('hi', 'remind me', `${low(mar5)} 10am 77002`, 'yes', 'remind me');
    expect(turn.replies[0]).toBe(renderer.pack('en').system.appt_ask_another);
    turn = say(turn, 'ana maria');
    turn = say(say(turn, `${low(mar5)} 11am 77002`), 'yes');
    expect(turn.appointments).toMatchObject([{ id: 'a1' }, { id: 'a2', name: 'Ana Maria', time: '11:00' }]);
    const listed = say(turn, 'my appointments').replies.join('\n');
    expect(listed, listed).toContain(`2 Ana Maria: ${enLong(mar5)} at 11:00 AM`);
    const own = say(say(say(turn, 'remind me'), 'ME'), `${low(apr9)} 9am 77002`);
    expect(say(own, 'yes').appointments.at(-1)).not.toHaveProperty('name');

    const actor = createActor(machine, {
      input: { lang: 'en' },
      snapshot: JSON.parse(JSON.stringify(turn.persisted)),
    });
    actor.start();
    actor.send({ type: 'REMINDER_DUE', appointmentId: 'a2', version: 1, kind: 'reminder' });
    const [send] = actor.getSnapshot().context.effects;
    expect(renderer.render('en', send?.type === 'send' ? send.parts : [])[0]).toBe(
      `Reminder for Ana Maria: the biometrics appointment is ${enLong(mar5)} at 11:00 AM (ZIP code 77002). Arrive 15 minutes early.`,
    );
    actor.send({ type: 'REMINDER_DUE', appointmentId: 'a2', version: 1, kind: 'followup' });
    const [follow] = actor.getSnapshot().context.effects;
    expect(renderer.render('en', follow?.type === 'send' ? follow.parts : [])[0]).toMatch(
      new RegExp(`^For Ana Maria:\\nYour biometrics appointment was ${re(enLong(mar5))}`),
    );
  });
});

describe('what people typed while telling, changing and asking about an appointment', () => {
  const system = (lang: string, key: SystemKey) => renderer.pack(lang).system[key];
  const saved = () => talk('hi', 'remind me', `${d15.enShort} at 9am`, '77002', '1');
  const schedules = (turn: Turn) => turn.effects.filter((e) => e.type === 'schedule');

  it('corrects what was just saved from a time in the next message, keeping the rest', () => {
    let turn = saved();
    expect(turn.appointments).toHaveLength(1);
    turn = say(turn, 'wait no its 8:30 not 9');
    expect(turn.state).toBe('capturing');
    expect(turn.replies.at(-1)).toContain(`${enLong(d15)} at 8:30 AM, ZIP code 77002. Is that right?`);
    turn = say(turn, '1');
    expect(turn.appointments).toMatchObject([{ date: d15.iso, time: '08:30', version: 2 }]);
    expect(schedules(turn)).toMatchObject([{ previous: { time: '09:00' } }]);
  });

  it('changes or cancels the one saved appointment from words in "My appointments"', () => {
    let turn = say(saved(), 'my appointments');
    turn = say(turn, 'change it, now its at 10am');
    expect(turn.replies.at(-1)).toContain(`${enLong(d15)} at 10:00 AM, ZIP code 77002.`);
    turn = say(turn, 'yes');
    expect(turn.appointments).toMatchObject([{ time: '10:00', version: 2 }]);
    turn = say(say(turn, 'my appointments'), 'delete it');
    expect(turn.appointments).toEqual([]);
    expect(turn.effects.filter((e) => e.type === 'cancel')).toHaveLength(1);
  });

  it('cancels when told "they changed it, I do not know the new date yet, remove it" (blind try 18)', () => {
    const saved15 = () => talk('hola', 'recordarme', `${d15.es} a las 9`, '77002', 'si');
    for (const words of [
      'quitala ya no voy a esa me la cambiaron y todavia no se la nueva fecha',
      'borrala porfa, la cambiaron y no se cuando es la nueva',
    ]) {
      const turn = say(say(say(saved15(), 'mis citas'), '1'), words);
      expect(turn.appointments, words).toEqual([]);
      expect(
        turn.effects.filter((e) => e.type === 'cancel'),
        words,
      ).toHaveLength(1);
    }
    // With the new day told, it is a change.
    const changed = say(say(say(saved15(), 'mis citas'), '1'), `me la cambiaron para el ${d18.es} a las 10`);
    expect(changed.appointments).toHaveLength(1);
    expect(changed.effects.filter((e) => e.type === 'cancel')).toHaveLength(0);
  });

  it('at "Is that right?", "its not an appointment" saves nothing and says what reminders are for (blind try 18)', () => {
    for (const [start, ask, place, words] of [
      [
        'hi',
        `remind me ${d15.enShort} at 8am`,
        '77002',
        'no its not an appointment, just remind me to CALL uscis at 8',
      ],
      [
        'hola',
        `recuerdame el ${d15.es} a las 8`,
        '77002',
        'no es una cita, solo quiero que me recuerdes llamar',
      ],
    ] as const) {
      const turn = say(talk(start, ask, place), words);
      expect(turn.appointments, words).toEqual([]);
      expect(turn.state, words).toBe('active');
      expect(turn.replies[0], words).toMatch(
        start === 'hi' ? /only remind you of an appointment/ : /Solo puedo recordarle una cita/,
      );
    }
  });

  it('"cancel everything" while another is told: that one is not kept, and the saved ones are listed to turn off (blind try 18)', () => {
    const telling = () => say(say(saved(), `also my son luis ${d18.enShort} at 10am`), '77002');
    const all = say(telling(), 'forget it, cancel everything, his dad will do it');
    expect(all.appointments).toHaveLength(1);
    expect(all.state).toBe('managing');
    expect(all.replies.at(-1)).toMatch(/^Your appointments:\n1 /);
    // A plain "never mind" stops only the one told, with the menu.
    const one = say(telling(), 'never mind');
    expect(one.appointments).toHaveLength(1);
    expect(one.state).toBe('active');
  });

  it('a yes at "Is that right?" with another person\'s appointment by name alone saves this one and reads theirs back (blind try 18)', () => {
    const telling = talk('hi', 'remind me', `${d15.enShort} at 9am`, '77002');
    const turn = say(telling, `yes. and put marcus ${d18.enShort} 2pm miami too pls`);
    expect(turn.appointments).toHaveLength(1);
    expect(turn.replies.at(-1)).toMatch(/^Marcus's appointment: /);
    expect(say(turn, 'yes').appointments).toEqual([
      expect.objectContaining({ time: '09:00' }),
      expect.objectContaining({ name: 'Marcus', time: '14:00' }),
    ]);
  });

  it('asks what changed, keeping the rest, and reads "its 10 not 9"', () => {
    let turn = say(say(saved(), 'my appointments'), 'change it');
    expect(turn.replies).toEqual([system('en', 'appt_edit_ask')]);
    turn = say(turn, '10am');
    expect(turn.replies.at(-1)).toContain(`${enLong(d15)} at 10:00 AM, ZIP code 77002.`);
    turn = say(say(saved(), 'list'), 'i need to change the time its 10 not 9');
    expect(turn.replies.at(-1)).toContain(`${enLong(d15)} at 10:00 AM, ZIP code 77002.`);
    // After a nod, a correction still changes what was just saved.
    turn = say(say(saved(), 'ok'), 'wait its 8:30 not 9');
    expect(turn.replies.at(-1)).toContain(`${enLong(d15)} at 8:30 AM, ZIP code 77002.`);
  });

  it('changes the one saved appointment from "me la cambiaron para las 10", with one period after the time', () => {
    let turn = talk('hola', 'recordarme', `${d15.es} a las 9`, '77002', 'si');
    expect(turn.replies.at(-1)).toContain('a las 9:00 a. m.). Para cambiarlos');
    turn = say(say(turn, 'gracias'), 'me la cambiaron para las 10');
    expect(turn.replies.at(-1)).toContain(`${esLong(d15)} a las 10:00 a. m., código postal 77002.`);
    // A wish to change it is about changing it with USCIS, not news for the reminder.
    const wish = say(say(say(turn, '1'), 'gracias'), `quiero cambiar la cita para el ${d18.es}`);
    expect(wish.state).toBe('active');
    expect(wish.replies.join('\n')).not.toContain(d18.es);
  });

  it('collects another appointment from "y la mía es…" or "also my husband has one…", not a change to the last one', () => {
    let turn = talk('hola', 'recordarme', `${d15.es} a las 9`, '77002', 'si');
    turn = say(turn, `y la mia es el ${d16.es} a las 3:30`);
    expect(turn.replies.at(-1)).toBe(system('es', 'appt_ask_place'));
    turn = say(say(turn, '77002'), 'si');
    expect(turn.appointments).toMatchObject([{ date: d15.iso }, { date: d16.iso, time: '15:30' }]);
    turn = say(saved(), `also my husband has one ${jan8.enShort} at 10am`);
    expect(turn.replies.at(-1)).toBe(system('en', 'appt_ask_first_name'));
    turn = say(say(say(turn, 'Jose'), '77002'), 'yes');
    expect(turn.appointments).toMatchObject([
      { date: d15.iso, time: '09:00' },
      { name: 'Jose', date: jan8.iso, time: '10:00' },
    ]);
  });

  it('adds a wife\'s appointment told while "my appointments" is shown, keeping the person\'s own', () => {
    let turn = say(say(saved(), 'my appointments'), `my wife has hers ${d16.enShort} at 10am 77002 too`);
    expect(turn.replies.at(-1)).toBe(system('en', 'appt_ask_first_name'));
    turn = say(turn, 'Ana');
    // The read-back names whose it is.
    expect(turn.replies.at(-1)).toMatch(new RegExp(`^Ana's appointment: ${re(enLong(d16))} at 10:00 AM`));
    turn = say(turn, 'yes');
    expect(turn.appointments).toMatchObject([
      { date: d15.iso, time: '09:00' },
      { name: 'Ana', date: d16.iso, time: '10:00' },
    ]);
  });

  it('collects an appointment asked for in everyday words, written by ear', () => {
    let turn = talk('la sita es mañana temprano ayudeme a acordarme');
    expect(turn.state).toBe('capturing');
    turn = say(say(turn, 'a las 7 y media'), 'harlingen texas');
    expect(turn.replies.at(-1)).toMatch(
      new RegExp(`^Su cita: ${re(esLong(dayAhead(1)))} a las 7:30 a\\. m\\., Harlingen, TX\\.`),
    );
  });

  it('ends only the weekly texts on "stop the weekly messages", keeping the appointment reminders', () => {
    let turn = talk('hi', 'can you text me every week to check', 'yes');
    expect(turn.effects.map((e) => e.type)).toContain('weekly');
    turn = say(turn, 'stop the weekly messages');
    expect(turn.state).not.toBe('optedOut');
    expect(turn.replies).toEqual([system('en', 'weekly_stopped')]);
    expect(turn.effects.map((e) => e.type)).toContain('stopWeekly');
    // With none on, it says so, and how to stop everything.
    expect(say(turn, 'stop weekly').replies).toEqual([system('en', 'weekly_not_on')]);
    const es = talk('hola', 'me puede avisar cada semana', 'si', 'ya no quiero los mensajes de cada semana');
    expect(es.replies).toEqual([system('es', 'weekly_stopped')]);
  });

  it('says what Huella keeps, and how to erase it, when asked whether it is safe or tells ICE', () => {
    expect(talk('hi', 'is my info safe with u? will you tell ice').replies).toEqual([
      system('en', 'privacy_reply'),
    ]);
    expect(talk('hola', 'mis datos estan seguros?').replies.at(-1)).toBe(system('es', 'privacy_reply'));
  });

  it('says how to fix only the saved date, with the steps to move it with USCIS, when one is saved', () => {
    const turn = say(saved(), 'change the time to 10:45');
    expect(turn.replies[0]).toBe(system('en', 'appt_fix_hint'));
    expect(turn.replies.join('\n')).toContain('Reschedule biometrics appointment');
    // Nothing saved: no such line.
    expect(talk('hi', 'how do i reschedule by phone').replies.join('\n')).not.toContain(
      system('en', 'appt_fix_hint'),
    );
  });

  it('cancels from the list with "yes" when one is listed, and with "cancelar el recordatorio" at what to do', () => {
    const listed = say(saved(), 'cancel the reminder');
    const picked = say(listed, 'yes');
    expect(picked.replies[0]).toMatch(
      new RegExp(`^${re(enLong(d15))} at 9:00 AM\\. What do you want to do\\?`),
    );
    expect(say(picked, '2').appointments).toHaveLength(0);
    const es = talk(
      'hola',
      'recordarme',
      `${d3.es} a las 9`,
      '77002',
      'si',
      'mis citas',
      '1',
      'cancelar el recordatorio',
    );
    expect(es.appointments).toHaveLength(0);
    expect(es.replies[0]).toMatch(/^Listo\. Quité el /);
  });

  it('reads "what\'s the phone number" as the call and "no tengo compu" as the phone, in the online steps', () => {
    const online = talk('hi', 'how do i reschedule', '2');
    expect(say(online, 'whats the phone number').replies[0]).toContain('Call USCIS at 1-800-375-5283');
    // The call is listed once, though two kinds of answer lead to it.
    expect(online.replies.join('\n').match(/No account, or can't do it online/g)).toHaveLength(1);
    const es = talk('hola', 'como cambio mi cita por internet');
    expect(say(es, 'no tengo compu').replies[0]).toMatch(/^En el celular:/);
  });

  it('takes a filing date with its month, and says which of the 3-month and 150-day texts are left', () => {
    const weekly = () => talk('hi', 'can you text me every week to check', 'yes');
    // Filed 84, 144 and 253 days ago ("august 30", "july 1", "march 14" on November 22).
    const [both, one, none] = [dayAhead(-84), dayAhead(-144), dayAhead(-253)];
    expect(say(weekly(), low(both)).replies[0]).toBe(
      `Thanks. I will text you at 3 months and at 150 days after ${enLong(both)}.`,
    );
    expect(say(weekly(), low(one)).replies[0]).toMatch(
      new RegExp(
        `^Thanks\\. 3 months after ${re(enLong(one))} have passed already; I will text you at 150 days\\.`,
      ),
    );
    expect(say(weekly(), low(none)).replies[0]).toMatch(
      new RegExp(`^Thanks\\. 150 days after ${re(enLong(none))} have passed already\\.`),
    );
    // "los lunes" is no filing date: asked again, and the next message can give it.
    const es = talk('hola', 'me puede avisar cada semana', 'si', 'los lunes');
    expect(es.replies).toEqual([system('es', 'weekly_filed_again')]);
    const june = dayAhead(-172);
    expect(say(es, june.es).replies[0]).toMatch(
      new RegExp(`^Gracias\\. Ya pasaron 150 días desde el ${re(esLong(june))}\\.`),
    );
  });

  it('keeps the time and place given while asking which date "12/3" is, and takes the month in words', () => {
    // "12/3" on November 22: December 3 or March 12, both ahead.
    const { us, world, numeric } = twoReadings(11);
    let turn = talk('hi', 'remind me', numeric, '2pm');
    expect(turn.replies[0]).toMatch(
      new RegExp(`^I still need the date\\. Reply 1 for ${re(enLong(us))}, or 2 for ${re(enLong(world))}\\.`),
    );
    turn = say(say(turn, '10001'), us.at.setLocale('en-US').toFormat('LLLL').toLowerCase());
    expect(turn.replies[0]).toMatch(
      new RegExp(`^Your appointment: ${re(enLong(us))} at 2:00 PM, ZIP code 10001\\.`),
    );
    const worldFirst = `${world.at.month}/${world.day}`;
    const worldMonth = world.at.setLocale('es').toFormat('LLLL');
    expect(say(talk('hola', 'recordarme', worldFirst), `es en ${worldMonth}`).replies[0]).toMatch(
      new RegExp(`^¿A qué hora es la cita del ${re(esLong(world))}`),
    );
  });

  it('takes the name said with the family word, and "same office" or "el mismo día" from the one saved', () => {
    const en = say(saved(), `now my wife Rosa, ${d10.en} at 1:30pm same office`);
    expect(en.replies[0]).toMatch(
      new RegExp(`^Rosa's appointment: ${re(enLong(d10))} at 1:30 PM, ZIP code 77002\\.`),
    );
    let es = talk(
      'hola',
      'recordarme',
      `${d9.day} de ${d9.esShort.split(' ')[1]} a las 9`,
      'dallas',
      'si',
      'mi hijo mateo tiene cita el mismo dia a las 10',
    );
    es = say(es, 'misma oficina');
    expect(es.replies[0]).toMatch(
      new RegExp(`^La cita de Mateo: ${re(esLong(d9))} a las 10:00 a\\. m\\., Dallas, TX\\.`),
    );
    // "my wife has one" names nobody: her first name is asked.
    expect(say(saved(), `my wife has one ${d16.enShort} at 10am`).replies.at(-1)).toBe(
      system('en', 'appt_ask_first_name'),
    );
  });

  it('answers "is this free?" about Huella, and "is the appointment free?" about the appointment', () => {
    expect(talk('hi', 'is this free').replies).toEqual([system('en', 'free_reply')]);
    expect(talk('hola', 'es gratis esto?').replies.at(-1)).toBe(system('es', 'free_reply'));
    expect(talk('hi', 'is the appointment free').replies[0]).toContain(
      'USCIS schedules the biometrics appointment itself',
    );
  });

  it('does not take "y si…" for a yes, nor "late like 20 min" for a time, nor a question after saving for another appointment', () => {
    const offered = talk('hola', 'me puede avisar cada semana');
    expect(say(offered, 'Y SI NO TENGO PRUEBA DEL DOCTOR').effects.map((e) => e.type)).not.toContain(
      'weekly',
    );
    const asked = say(saved(), 'also my husband has no car and my ride cancelled. can i get uber');
    expect(asked.state).not.toBe('capturing');
    expect(say(saved(), 'what if im late like 20 min').replies.join('\n')).toContain('arrive late');
  });

  it('answers "this is useless" with an apology and a person to ask, not "I did not understand"', () => {
    const filled = (lang: string) => renderer.render(lang, [{ say: { system: 'frustrated_reply' } }]);
    expect(talk('hi', 'this is useless').replies).toEqual(filled('en'));
    expect(talk('hola', 'esto no sirve para nada').replies.slice(-filled('es').length)).toEqual(filled('es'));
  });

  it('says a change read back but not confirmed was not saved, when "mis citas" comes instead of a yes', () => {
    const turn = talk(
      'recordarme',
      `${d8.es} a las 10:30`,
      '77002',
      'si',
      'mis citas',
      '1',
      '1',
      'a las 11',
      'mis citas',
    );
    // The change to 11:00 was not saved: the 10:30 one stays, and it says so.
    expect(turn.replies[0]).toBe(`No la cambié: sigo teniendo el ${esLong(d8)} a las 10:30 a. m.`);
    expect(turn.appointments).toMatchObject([{ time: '10:30' }]);
  });

  it("says that every reminder comes to this phone when asked whose phone gets a child's", () => {
    const listed = talk(
      'recordarme',
      `${d9.es} a las 2pm`,
      '77002',
      'si',
      'y la de mi hijo Kevin el mismo dia a las 3pm',
      'misma oficina',
      'si',
      'mis citas',
    );
    const asked = say(listed, 'el de kevin me llega a mi o a el?');
    expect(asked.replies).toEqual([system('es', 'reminders_where_reply')]);
    expect(asked.appointments).toHaveLength(2);
    expect(talk('hi', 'will my son get the texts on his phone?').replies.at(-1)).toBe(
      system('en', 'reminders_where_reply'),
    );
  });

  it('says when the reminders go out, when asked, instead of starting another appointment', () => {
    const when = 'I text you 3 days, 1 day and 3 hours before each appointment';
    expect(say(saved(), 'when will you remind me').replies[0]).toContain(when);
    expect(say(saved(), 'can you remind me the day before too').replies[0]).toContain(when);
    expect(say(saved(), 'can you remind me the day before too').appointments).toHaveLength(1);
    expect(talk('hola', 'cuando me vas a avisar').replies.at(-1)).toContain(
      'Le escribo 3 días, 1 día y 3 horas antes',
    );
    // And the "Saved" line says it too: only the reminders still ahead.
    expect(saved().replies[0]).toContain(
      `I will text you 3 days, 1 day and 3 hours before the appointment (${enLong(d15)}`,
    );
    // Two days ahead at 9: the one 3 days before has passed: it goes now, and the line says so.
    const soon = dayAhead(2);
    expect(talk('hi', 'remind me', `${soon.enShort} at 9am`, '77002', 'yes').replies[0]).toContain(
      `I will text you now, and 1 day and 3 hours before the appointment (${enLong(soon)}`,
    );
  });

  it('does not take "yes" or a place for a name at "whose is it?"', () => {
    let turn = say(saved(), `my son also has one ${d8.enShort} at 9:30am`);
    turn = say(turn, 'its in boston too');
    expect(turn.replies.at(-1)).toBe(system('en', 'appt_ask_first_name'));
    turn = say(turn, 'Luis');
    expect(turn.replies.at(-1)).toMatch(
      new RegExp(`^Luis's appointment: ${re(enLong(d8))} at 9:30 AM, Boston, MA\\.`),
    );
    const yes = say(say(saved(), `my son also has one ${d8.enShort} at 9:30am`), 'yes');
    expect(yes.replies.at(-1)).toBe(system('en', 'appt_ask_first_name'));
    // Luis's: the office is still to come.
    expect(say(yes, 'Luis').replies.at(-1)).toBe(system('en', 'appt_ask_place'));
    expect(say(say(yes, 'Luis'), '02108').replies.at(-1)).toMatch(/^Luis's appointment/);
  });

  it('starts the next one on "ahora la de mi esposo" right after saving', () => {
    let turn = talk('hola', 'recordarme', `${d15.es} a las 9`, '77002', 'si');
    turn = say(turn, 'ahora la de mi esposo');
    expect(turn.replies.at(-1)).toBe(system('es', 'appt_ask_first_name'));
    turn = say(turn, 'Juan');
    expect(turn.replies.at(-1)).toBe(system('es', 'appt_ask_date'));
  });

  it('answers a question at "Is that right?" and asks again, keeping the appointment', () => {
    let turn = talk('hi', 'remind me', `${d15.enShort} at 9am`, '77002');
    turn = say(turn, 'what do I bring?');
    expect(turn.state).toBe('capturing');
    expect(turn.replies.at(-1)).toContain(`${enLong(d15)} at 9:00 AM, ZIP code 77002. Is that right?`);
    expect(say(turn, '1').appointments).toHaveLength(1);
    // Not sure which topic ("bring" or "children"?): the guesses, numbered; the pick is answered,
    // then the read-back comes again.
    turn = say(talk('hi', 'remind me', `${d15.enShort} at 9am`, '77002'), 'do I need to bring my kids?');
    expect(turn.state).toBe('capturing');
    expect(turn.replies.at(-1)).not.toContain('Is that right?');
    turn = say(turn, numberOf(turn, 'en', 'bring_someone'));
    expect(turn.replies[0]).toContain('whether you can bring a baby, a child');
    expect(turn.replies.at(-1)).toContain(`${enLong(d15)} at 9:00 AM, ZIP code 77002. Is that right?`);
    expect(turn.appointments).toHaveLength(0);
    expect(say(turn, '1').appointments).toHaveLength(1);
    // "cuando me vas a avisar?" at the read-back: when, then the read-back again.
    const es = say(talk('hola', 'recordarme', `${d3.es} a las 10`, 'miami'), 'cuando me vas a avisar');
    expect(es.replies[0]).toContain('Le escribo 3 días, 1 día y 3 horas antes');
    expect(es.replies.at(-1)).toMatch(
      new RegExp(`^Su cita: ${re(esLong(d3))} a las 10:00 a\\. m\\., Miami, FL\\.`),
    );
    expect(say(es, 'si').appointments).toHaveLength(1);
  });

  it('answers a question asked halfway through and asks again, keeping what was told', () => {
    // Round 9: "what do i bring?" at "What is the ZIP code?" dropped December 3 at 9:00 without a word.
    let turn = talk('hi', 'remind me', `${d3.enShort} at 9am`);
    turn = say(turn, 'what do i bring?');
    expect(turn.state).toBe('capturing');
    expect(turn.replies[0]).toMatch(/^Bring 2 things/);
    // Only the question asked again: the answer's own numbered choices would clash with it.
    expect(turn.replies[0]).not.toMatch(/\n1 /);
    expect(turn.replies.at(-1)).toBe(system('en', 'appt_ask_place'));
    turn = say(turn, 'houston');
    expect(turn.replies.at(-1)).toMatch(
      new RegExp(`^Your appointment: ${re(enLong(d3))} at 9:00 AM, Houston, TX\\.`),
    );
    // At the read-back too, "1" is Yes, not the answer's first choice.
    turn = say(turn, 'what do i bring?');
    expect(turn.replies.at(-1)).toMatch(new RegExp(`^Your appointment: ${re(enLong(d3))}`));
    expect(say(turn, '1').appointments).toHaveLength(1);
    // Not sure which topic: the numbered guesses, the date kept; a number answers that topic and
    // asks the time again.
    let es = talk(
      'hola',
      'recuérdame mi cita',
      `${d3.day} de ${d3.esShort.split(' ')[1]}`,
      'tengo que llevar a mis hijos?',
    );
    expect(es.state).toBe('capturing');
    expect(es.replies.at(-1)).toMatch(/\n1 .*\n2 /s);
    es = say(es, numberOf(es, 'es', 'bio_family'));
    expect(es.replies[0]).toContain('esposo(a) o sus hijos');
    expect(es.replies.at(-1)).toMatch(new RegExp(`^¿A qué hora es la cita del ${re(esLong(d3))}\\?`));
    es = say(say(es, '9am'), '77001');
    expect(es.replies.at(-1)).toMatch(new RegExp(`^Su cita: ${re(esLong(d3))} a las 9:00 a\\. m\\.`));
    // "0", shown as "0 Menu", leaves as MENU does, and says the read-back was not saved.
    const menu = say(es, '0');
    expect(menu.state).toBe('active');
    expect(menu.replies[0]).toContain(`No guardé el ${esLong(d3)}`);
    // Left before the office was told: the date and time given are said not to be saved.
    const left = say(talk('hi', 'remind me', `${d3.enShort} at 9am`), '0');
    expect(left.state).toBe('active');
    expect(left.replies[0]).toBe(
      `I did not save ${enLong(d3)} at 9:00 AM. To get reminders for it, text: remind me`,
    );
    expect(say(left, 'remind me').state).toBe('capturing');
  });

  it('does not take a verb after "mi esposo" for a name ("mi esposo tenia cita")', () => {
    // Round 9: "La cita de Tenia", and a reminder "for Tenia".
    const es = nameWords(flows, 'es');
    const en = nameWords(flows, 'en');
    expect(nameAfterFamilyWord(es, `mi esposo tenia cita el ${dayAhead(-2).es} y no fue`)).toBeUndefined();
    expect(nameAfterFamilyWord(en, 'my wife missed hers')).toBeUndefined();
    expect(nameAfterFamilyWord(en, `my wife Rosa has one ${d10.enShort}`)).toBe('Rosa');
    expect(nameAfterFamilyWord(es, `mi hija sofia tiene el ${d3.day}`)).toBe('Sofia');
  });

  it('does not stop, erase, switch language or collect on ordinary sentences that hold those words', () => {
    // Asking to keep the reminders is not a STOP (it offers to set one up).
    expect(talk('hi', "please don't stop sending me reminders").state).not.toBe('optedOut');
    expect(talk('hi', 'stop sending me the menu every time pls').state).toBe('active');
    const spanish = talk('hi', 'is the website in spanish?');
    expect(spanish.replies.join('\n')).not.toContain(system('es', 'language_set'));
    expect(talk('hola', 'van a borrar mis datos despues de la cita?').state).toBe('active');
    expect(talk('hi', 'my husband works nights until 8 am, can he drive me').state).toBe('active');
  });

  it('does not start collecting a passed appointment told with common words ("y la cita ... de")', () => {
    const turn = talk(
      `hola me llego la carta de huellas tarde y la cita ya paso, era el ${dayAhead(-4).es}. q hago`,
    );
    expect(turn.state).toBe('active');
    expect(turn.replies.join('\n')).toContain('1-800-375-5283');
  });

  it('does not cancel or change the saved one when the message names another place, or asks', () => {
    const atlanta = talk('hola', 'recordarme', `${jan6.es} a las 10`, 'atlanta', 'si');
    const wrong = say(say(atlanta, 'mis citas'), 'borra la de houston');
    expect(wrong.appointments).toHaveLength(1);
    expect(wrong.effects.filter((e) => e.type === 'cancel')).toEqual([]);
    const asks = say(atlanta, 'puedo ir a una oficina aqui en houston en vez de atlanta?');
    expect(asks.state).toBe('active');
    expect(asks.replies.join('\n')).not.toContain('¿Es correcto?');
  });

  it('does not take a place given at "whose is it?" for a name', () => {
    let turn = say(saved(), 'remind me');
    expect(turn.replies.at(-1)).toBe(system('en', 'appt_ask_another'));
    turn = say(turn, 'Florida');
    expect(turn.replies.at(-1)).toBe(system('en', 'appt_ask_name_again'));
    turn = say(say(say(turn, 'Kevin'), jan8.enShort), '9am');
    expect(turn.replies.at(-1)).toContain(`${enLong(jan8)} at 9:00 AM, Florida.`);
  });

  it('answers a question asked while collecting instead of taking it for a missing place', () => {
    let turn = talk('hola', 'recordarme', `${d15.es} a las 9`);
    expect(turn.replies.at(-1)).toBe(system('es', 'appt_ask_place'));
    turn = say(turn, 'y si lo hago por telefono q digo');
    expect(turn.replies.join('\n')).toContain('Reschedule biometrics appointment');
    // Then the place again: December 15 at 9 is kept.
    expect(turn.state).toBe('capturing');
    expect(turn.replies.at(-1)).toBe(system('es', 'appt_ask_place'));
  });

  it('lists the saved appointments on "cancel the one for dec 3", instead of saving a new one', () => {
    let turn = say(saved(), 'remind me');
    expect(turn.state).toBe('capturing');
    turn = say(say(turn, 'me'), `cancel the one for ${d15.enShort}`);
    expect(turn.state).toBe('managing');
    expect(schedules(turn)).toEqual([]);
    expect(turn.replies.join('\n')).toContain(`${enLong(d15)} at 9:00 AM`);
  });

  it('asks only "and the date?" when a time came first', () => {
    const turn = talk('hi', 'remind me', 'its at 9am');
    expect(turn.replies.at(-1)).toBe(system('en', 'appt_need_date'));
  });

  it('says the saved appointment first when asked when it is', () => {
    const turn = say(saved(), 'when is my appointment');
    expect(turn.replies[0]).toContain(
      `You told me your appointment is ${enLong(d15)} at 9:00 AM, ZIP code 77002.`,
    );
  });

  it('takes "ok", "si", a thumbs-up and a greeting as a nod, not as a misunderstanding', () => {
    const answered = talk('hola', 'que llevo a la cita');
    for (const nod of ['ok', 'si', '👍', 'vale gracias']) {
      const turn = say(answered, nod);
      expect(turn.replies.join('\n')).not.toContain(system('es', 'not_understood'));
    }
    expect(say(answered, 'ok').replies).toEqual([system('es', 'ack_reply')]);
    expect(say(answered, '🙏').replies).toEqual([system('es', 'ack_reply')]);
    expect(say(answered, 'hola').replies[0]).toContain(system('es', 'greet_again'));
    // After a topic whose own phrases hold "ok" ("is my ead ok"), "ok" is still a nod, and the
    // topic's choices still answer their numbers.
    const noId = talk('hola', 'y que tengo que llevar no tengo pasaporte solo mi acta de nacimiento');
    expect(say(noId, 'ok').replies).toEqual([system('es', 'ack_reply')]);
    expect(say(say(noId, 'ok'), '1').replies.join('\n')).toContain('15 minutos');
    // A number beyond the topic's choices is the main menu's: "9" is "Remind me".
    const family = talk('hola', 'y mis hijos tienen que ir');
    expect(say(family, '9').replies.join('\n')).toContain(system('es', 'appt_ask_date').slice(0, 20));
    // While a question is pending, "ok" still asks for one of its answers.
    const asked = talk('hi', 'i never got my notice');
    expect(say(asked, 'ok').replies.join('\n')).not.toBe(system('en', 'ack_reply'));
  });

  it('answers one Spanish word in Spanish, and switches language when asked in a sentence', () => {
    expect(talk('cita').replies[0]).toContain('¡Hola! Soy Huella');
    expect(talk('recordarme').replies.join('\n')).toContain(system('es', 'appt_ask_date').slice(0, 20));
    expect(talk('hi', 'no hablo ingles').replies.join('\n')).toContain(system('es', 'language_set'));
    expect(talk('hola', 'english please').replies.join('\n')).toContain(system('en', 'language_set'));
    // Round 11: asked as a question, or in a longer message, it switches too.
    expect(talk('hi', 'sorry my english is not good, puedo hablar en español?').replies.join('\n')).toContain(
      system('es', 'language_set'),
    );
    expect(talk('hi', 'ES', 'ok mejor en español otra vez porfa').replies.join('\n')).toContain(
      system('es', 'language_set'),
    );
    expect(
      talk('hola', 'can you speak english? my english is better for reading').replies.join('\n'),
    ).toContain(system('en', 'language_set'));
  });

  it('comes back after PARAR on "quiero volver a recibir mensajes", and not on "no quiero recibir mensajes"', () => {
    const stopped = talk('hola', 'parar');
    expect(say(stopped, 'no quiero recibir mensajes').replies).toEqual([]);
    expect(say(stopped, 'quiero volver a recibir mensajes').replies[0]).toContain(
      system('es', 'start_confirm'),
    );
  });

  it('takes "ok" at the read-back as a yes, and says the year of a date far ahead', () => {
    const confirm = talk('hi', 'remind me', `${d15.enShort} at 9am`, '77002');
    expect(say(confirm, 'ok').appointments).toHaveLength(1);
    // "sep 2", said on November 22, is next year's: the read-back shows it.
    const far = dayAhead(284);
    expect(talk('hi', 'remind me', `${far.enShort} at 9am`, '77002').replies.at(-1)).toContain(
      `${enLong(far)}, ${far.at.year} at 9:00 AM`,
    );
    // "nov 2", twenty days ago, has passed: not next year's.
    const past = dayAhead(-20);
    expect(talk('hi', 'remind me', past.enShort).replies.at(-1)).toMatch(
      new RegExp(`^${re(enLong(past))} has already passed\\.`),
    );
    expect(talk('hola', `hola kiero recordatorios mi cita es el ${past.es}`).replies.at(-1)).toMatch(
      new RegExp(`^El ${re(esLong(past))} ya pasó\\.`),
    );
  });

  it('answers a sad face with comfort, and a second miss in a row with one short line', () => {
    const sad = say(talk('hola'), '😢');
    expect(sad.replies).toEqual([system('es', 'comfort_reply')]);
    const once = talk('hi', 'xqzt blorf');
    expect(once.replies[0]).toContain(system('en', 'not_understood'));
    const twice = say(once, 'flimb zorp');
    expect(twice.replies).toHaveLength(1);
    expect(twice.replies[0]).toContain(system('en', 'not_understood_again').slice(0, 30));
    // The menu shown before still answers its numbers.
    expect(say(twice, '3').replies.join('\n')).toContain(renderer.pack('en').nodes.bring!.text[0]!);
  });

  it('stops collecting on "mejor no", and does not take "no entiendo" for a nod', () => {
    const turn = say(talk('hola', 'recordarme', d15.es), 'no espera mejor no, cancela');
    expect(turn.state).toBe('active');
    expect(turn.replies[0]).toContain(system('es', 'appt_quit'));
    expect(turn.effects.filter((e) => e.type === 'schedule')).toEqual([]);
    const lost = say(talk('hola', 'que llevo a la cita'), 'no entiendo');
    expect(lost.replies).not.toEqual([system('es', 'ack_reply')]);
  });

  it('does not switch language on "no hablo ingles" inside a longer question', () => {
    const turn = talk('hola', 'no hablo ingles en el telefono me van a entender?');
    expect(turn.replies.join('\n')).not.toContain(system('es', 'language_set'));
  });

  it('erases on "borra mis datos por favor" then BORRAR, and on a delete after STOP', () => {
    let turn = talk('hola', 'borra mis datos por favor');
    expect(turn.replies).toEqual([system('es', 'delete_ask')]);
    turn = say(turn, 'BORRAR');
    expect(turn.effects.map((e) => e.type)).toContain('erase');
    const stopped = talk('hi', 'stop', 'delete my data');
    expect(stopped.effects.map((e) => e.type)).toContain('erase');
  });
  it('says "a la 1:00 p. m." in Spanish (one o\'clock is singular)', () => {
    const turn = talk('hola', 'recordarme', `${d15.es} a la 1 de la tarde`, '77002');
    expect(turn.replies.at(-1)).toContain(`${esLong(d15)} a la 1:00 p. m., código postal 77002`);
    expect(talk('hola', 'recordarme', `${d15.es} a las 11`, '77002').replies.at(-1)).toContain(
      'a las 11:00 a. m.',
    );
  });

  it('reads a change said in words, and leaving it unconfirmed says the saved one stays (round 11)', () => {
    const saved = talk('hola', 'recordarme', `${d15.es} a la 1 de la tarde`, '77002', '1');
    expect(saved.appointments).toHaveLength(1);
    const changed = say(saved, `me cambiaron la cita ahora es el ${inWords(d15)} a las nueve`);
    expect(changed.replies.at(-1)).toContain(`${esLong(d15)} a las 9:00 a. m.`);
    // "mis citas" before confirming: the saved one stays, and it says so (it said "No guardé").
    const listed = say(changed, 'mis citas');
    expect(listed.replies[0]).toBe(`No la cambié: sigo teniendo el ${esLong(d15)} a la 1:00 p. m.`);
    expect(listed.replies.join('\n')).toContain(`1 ${esLong(d15)} a la 1:00 p. m.`);
    // Nothing told for it yet ("me la cambiaron" alone): no note at all.
    const asked = say(saved, 'me la cambiaron');
    expect(say(asked, 'mis citas').replies[0]).toMatch(/^Sus citas:/);
  });

  it('keeps to what was asked and told (round 12)', () => {
    // "hace 3 semanas" to "How long ago was it?" got the weekly-texts offer.
    const missed = talk('hola', '5', 'hace 3 semanas');
    expect(missed.replies.join('\n')).toContain('1-800-375-5283');
    expect(missed.replies.join('\n')).not.toContain('cada semana');
    // "NO NO ME LLEGO NINGUN RECIBO" to "Did the receipt notice come?" started over.
    // (A message both the phrases and the classifier read as "no notice yet": "no me llega la carta"
    // alone now asks which letter, and the receipt answer is what this checks.)
    const receipt = talk('hola', 'no me ha llegado la carta de la cita', '1', 'NO NO ME LLEGO NINGUN RECIBO');
    expect(receipt.replies[0]).toMatch(/^¿Han pasado más de 3 meses/);
    // A correction right after saving, with words that also name a topic ("me confundi").
    const saved = talk('hola', 'recordarme', `${d15.es} a las 2 de la tarde`, '77002', '1');
    const fix = `espere no es el ${esDayWord(d15.day)} es el ${esDayWord(d16.day)}, me confundi`;
    expect(say(saved, fix).replies.at(-1)).toMatch(
      new RegExp(`^Su cita: ${re(esLong(d16))} a las 2:00 p\\. m\\.`),
    );
    // A child's appointment with a date that reads two ways ("12/1": December 1 or January 12):
    // collected, the date asked.
    const { us, world, numeric } = twoReadings(9);
    const kevin = talk('hola', `tambien la de mi hijo Kevin es el ${numeric} a las 3 de la tarde en houston`);
    expect(kevin.state).toBe('capturing');
    expect(kevin.replies.at(-1)).toMatch(
      new RegExp(`^¿La fecha es ${re(esLong(us))} o ${re(esLong(world))}\\?`),
    );
  });

  it('does not delete the moved appointment on "delete the old one", and answers reminder-time questions (round 12)', () => {
    const moved = talk(
      'hi',
      `remind me ${d8.enShort} at 9am 77060`,
      '1',
      `they moved it to ${d15.enShort} at 1pm`,
      '1',
      'my appointments',
    );
    const old = say(moved, 'delete the old one');
    expect(old.appointments).toHaveLength(1);
    expect(old.effects.map((e) => e.type)).not.toContain('cancel');
    expect(old.replies[0]).toBe(system('en', 'appt_old_gone'));
    // "2" then turns it off, as asked.
    expect(say(old, '2').appointments).toEqual([]);
    // "also remind me an hour before" read "an hour before" as a time that had passed.
    const saved = talk('hi', `remind me ${d9.enShort} at 9am houston tx`, '1');
    const hour = say(saved, 'also remind me an hour before');
    expect(hour.replies[0]).toMatch(/^I text you 3 days, 1 day and 3 hours before each appointment/);
    expect(hour.appointments).toHaveLength(1);
    expect(say(saved, 'what time of day will the reminder come').replies[0]).toMatch(/^I text you/);
    // The same topic again: its text again, said to be all there is (not "I know no more" alone).
    const late = talk('hi', 'what if im late');
    const again = say(late, 'im gonna be late');
    expect(again.replies[0]).toMatch(/^This is all my information says about it:\n/);
    expect(again.replies.join('\n')).toContain(renderer.pack('en').nodes.bio_late!.text[0]!.slice(0, 30));
  });

  it('takes "uscis moved my appointment to…" as news that it changed, and waits for a date not known yet (round 12)', () => {
    const saved = talk('hi', `remind me ${d3.enShort} at 9:30am houston`, '1');
    expect(say(saved, `uscis moved my appointment to ${low(d10)} same time`).replies.at(-1)).toMatch(
      new RegExp(`^Your appointment: ${re(enLong(d10))} at 9:30 AM, Houston, TX\\.`),
    );
    const moved = say(saved, 'they moved it');
    const later = say(moved, 'i dont know the new date yet the letter didnt come');
    expect(later.state).toBe('active');
    expect(later.replies[0]).toMatch(
      new RegExp(
        `^OK\\. When the new notice comes, text me its date and time\\. Until then I keep ${re(enLong(d3))}`,
      ),
    );
    expect(later.appointments).toHaveLength(1);
  });

  it('turns off reminders when asked in words, and keeps the chat (round 11)', () => {
    const saved = talk('hi', `remind me ${d9.enShort} at 9am houston tx`, '1');
    expect(saved.appointments).toHaveLength(1);
    // "stop reminders but keep the chat" started another appointment's questions.
    const off = say(saved, 'stop reminders pls but keep the chat i still have questions');
    expect(off.state).toBe('active');
    expect(off.appointments).toEqual([]);
    expect(off.effects.map((e) => e.type)).toContain('cancel');
    expect(off.replies[0]).toMatch(new RegExp(`^Done\\. I took ${re(enLong(d9))} at 9:00 AM off my list`));
    expect(say(off, 'no more reminders').replies).toEqual([system('en', 'appt_none')]);
    // A blind try: "stop the reminders…" holds "the reminders", words of MY APPOINTMENTS; it
    // listed them instead of turning the only one off.
    const theReminders = say(saved, 'stop the reminders but keep the chat');
    expect(theReminders.appointments).toEqual([]);
    expect(theReminders.effects.map((e) => e.type)).toContain('cancel');
    // Spanish, and someone named whose reminders are not saved: the list, nothing cancelled.
    const mine = talk('hola', `recuerdame mi cita el ${d9.es} a las 9 en houston tx`, '1');
    expect(mine.appointments).toHaveLength(1);
    const maria = say(mine, 'parar recordatorios de maria');
    expect(maria.appointments).toHaveLength(1);
    expect(maria.effects.map((e) => e.type)).not.toContain('cancel');
    expect(maria.replies.join('\n')).toContain(`1 ${esLong(d9)}`);
    const ya = say(mine, 'ya no me mandes recordatorios pero quiero seguir preguntando cosas');
    expect(ya.appointments).toEqual([]);
    expect(ya.replies[0]).toMatch(/^Listo\. Quité el /);
    // "ya no necesito lo de cada semana" is the weekly checks' stop.
    expect(understander.understand('ya no necesito lo de cada semana').means.weekly_stop).toBeGreaterThan(0);
  });

  it('lists what it saved on "what did u save", and takes "borrar" in the list as turning one off (round 11)', () => {
    const saved = talk('hola', `recuerdame mi cita el ${d9.es} a las 9 en houston tx`, '1');
    const list = say(saved, 'q guardaste');
    expect(list.replies.join('\n')).toContain(`1 ${esLong(d9)} a las 9:00 a. m., Houston, TX`);
    expect(
      say(talk('hi', `remind me ${d9.enShort} at 9am houston tx`, '1'), 'what did u save').replies.join('\n'),
    ).toContain(`1 ${enLong(d9)} at 9:00 AM, Houston, TX`);
    // In the list, "borrar" (under "2 Quitar sus recordatorios") turned into "erase everything?".
    const picked = say(list, '1');
    const gone = say(picked, 'borrar');
    expect(gone.replies.join('\n')).not.toContain(system('es', 'delete_ask'));
    expect(gone.appointments).toEqual([]);
    // Outside the list, and in the list before one is chosen, BORRAR still asks to erase everything.
    expect(say(saved, 'borrar').replies).toEqual([system('es', 'delete_ask')]);
    expect(say(list, 'BORRAR').replies).toEqual([system('es', 'delete_ask')]);
  });
});

describe('a "no" or a question in the middle of an action, and a name put right (issue 15, part 7)', () => {
  const system = (lang: string, key: SystemKey) => renderer.pack(lang).system[key];
  const keys = (turn: Turn) => turn.effects.filter((e) => e.type !== 'reply').map((e) => e.type);
  const savedEn = () => talk('hi', 'remind me', `${d15.enShort} at 9am`, '77002', '1');
  const savedEs = () => talk('hola', 'recordarme', `el ${d15.es} a las 9`, '77002', 'si');

  it('turns reminders off only on a plain choice: a no, "not that", "wait" or a question does nothing', () => {
    const refusals: [() => Turn, string, string][] = [
      [savedEn, 'my appointments', 'no'],
      [savedEn, 'my appointments', 'no no'],
      [savedEn, 'cancel the reminder', 'no dont cancel'],
      [savedEn, 'cancel the reminder', 'please dont delete it'],
      [savedEn, 'my appointments', 'never mind'],
      [savedEs, 'mis citas', 'no era eso'],
      [savedEs, 'cancelar recordatorio', 'no, no la canceles'],
      [savedEs, 'mis citas', 'dejalo'],
      [savedEs, 'cancelar recordatorio', 'eso no'],
    ];
    for (const [saved, list, text] of refusals) {
      for (const chosen of [say(saved(), list), say(say(saved(), list), '1')]) {
        const turn = say(chosen, text);
        expect(keys(turn), text).toEqual([]);
        expect(turn.appointments, text).toHaveLength(1);
        expect(turn.state, text).toBe('active');
      }
    }
    const pauses: [() => Turn, string, string, string][] = [
      [savedEn, 'cancel the reminder', 'wait', 'en'],
      [savedEn, 'cancel the reminder', 'cancel? what is this text', 'en'],
      [savedEn, 'my appointments', 'hold on what does turn off mean', 'en'],
      [savedEs, 'cancelar recordatorio', 'espera, que es esto?', 'es'],
      [savedEs, 'mis citas', 'un momento', 'es'],
      [savedEs, 'cancelar recordatorio', 'no se, cancelar que?', 'es'],
    ];
    for (const [saved, list, text, lang] of pauses) {
      const turn = say(say(say(saved(), list), '1'), text);
      expect(keys(turn), text).toEqual([]);
      expect(turn.replies[0], text).toContain(system(lang, 'appt_nothing_yet'));
      // The choice stays open: "2" now turns them off.
      expect(keys(say(turn, '2')), text).toEqual(['cancel']);
    }
    // A plain request still does it.
    for (const text of ['cancel it', 'no more reminders', 'delete it']) {
      expect(keys(say(say(savedEn(), 'my appointments'), text)), text).toEqual(['cancel']);
    }
    expect(keys(say(say(savedEs(), 'mis citas'), 'cancelala'))).toEqual(['cancel']);
  });

  it('says all stay saved when several are listed and none was chosen', () => {
    let turn = say(savedEn(), `also my husband has one ${d16.enShort} at 10am`);
    turn = say(say(say(turn, 'Jose'), '77002'), 'yes');
    expect(turn.appointments).toHaveLength(2);
    turn = say(say(turn, 'my appointments'), 'no not that');
    expect(turn.replies).toEqual([system('en', 'appt_kept_all')]);
    expect(turn.appointments).toHaveLength(2);
  });

  it('puts back what was just turned off, right after, as a new version with its reminders', () => {
    for (const [saved, list, undo] of [
      [savedEn, 'my appointments', 'put it back'],
      [savedEn, 'my appointments', 'oops undo that'],
      [savedEn, 'my appointments', 'i didnt mean to cancel, turn them back on'],
      [savedEs, 'mis citas', 'vuelvela a poner'],
      [savedEs, 'mis citas', 'no queria borrarla, ponla de nuevo'],
    ] as const) {
      const cancelled = say(say(say(saved(), list), '1'), '2');
      expect(cancelled.appointments, undo).toHaveLength(0);
      const back = say(cancelled, undo);
      expect(back.appointments, undo).toMatchObject([{ date: d15.iso, time: '09:00', version: 2 }]);
      expect(keys(back), undo).toEqual(['schedule']);
      // Only right after: a message in between, and it is gone for good.
      const later = say(say(cancelled, 'thanks'), undo);
      expect(later.appointments, undo).toHaveLength(0);
    }
    // Put back, it survives a JSON round trip and is listed again.
    const back = say(say(say(say(savedEn(), 'my appointments'), '1'), '2'), 'put it back');
    expect(say(back, 'my appointments').replies[0]).toContain(enLong(d15));
  });

  it('reads the name after "her name is", "se llama", "it\'s for", and puts a wrong one right', () => {
    const names: [string, string][] = [
      ['her name is Maria', 'Maria'],
      ["her name's maria jose", 'Maria Jose'],
      ["it's for Ana", 'Ana'],
      ['the name is Rosa', 'Rosa'],
      ['se llama José Luis', 'José Luis'],
      ['el nombre es Maria', 'Maria'],
      ['es para Sofia', 'Sofia'],
    ];
    for (const [text, name] of names) {
      const whose = say(talk('hi', 'remind me of my wifes appointment'), text);
      const done = say(say(say(whose, `${d15.enShort} at 9am`), '77002'), 'yes');
      expect(done.appointments, text).toMatchObject([{ name, date: d15.iso }]);
      // Right after saving, a wrong name is put right, and its reminders planned again.
      const renamed = say(
        talk('hi', 'remind me of my wifes appointment', 'Lupe', `${d15.enShort} at 9am 77002`, 'yes'),
        text,
      );
      expect(renamed.appointments, text).toMatchObject([{ name, version: 2 }]);
      expect(keys(renamed), text).toEqual(['schedule']);
    }
    // "is for my wife", "es de diciembre", "es para el 21" hold no name.
    for (const text of ['is for my wife', 'es de diciembre', 'es para el 21']) {
      expect(readMessage(flows, 'es', text, NOW.slice(0, 10)).nameIntroduced, text).toBeUndefined();
    }
  });

  it('asks only the first name once "my wife" or "mi hijo" was said, never whose it is again', () => {
    for (const [first, again, lang] of [
      ['remind me of my wifes appointment', 'my wife', 'en'],
      [`my son has an appointment ${d15.enShort} at 9am`, 'my son', 'en'],
      ['recuerdame la cita de mi esposa', 'mi esposa', 'es'],
      [`mi hijo tiene cita el ${d15.es} a las 9`, 'es mi hijo', 'es'],
    ] as const) {
      const asked = talk(lang === 'en' ? 'hi' : 'hola', first);
      expect(asked.replies.at(-1), first).toBe(system(lang, 'appt_ask_first_name'));
      expect(say(asked, again).replies.at(-1), again).toBe(system(lang, 'appt_ask_first_name'));
    }
  });
});

describe('a saved appointment named by its first name', () => {
  const ana = { name: 'Ana' } as Appointment;
  it('is a whole word of the message, not a part of one ("mañana" holds no "ana")', () => {
    expect(saysName('cancela la de ana porfa', ana)).toBe(true);
    expect(saysName("ana's is at 10", ana)).toBe(true);
    expect(saysName('cancela la mia de mañana porfa', ana)).toBe(false);
    expect(saysName('banana', ana)).toBe(false);
  });
});
