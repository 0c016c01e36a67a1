import { readFileSync } from 'node:fs';
import * as chrono from 'chrono-node';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadFlows } from '../../src/conversation/content.js';
import { dateLanguage } from '../../src/understanding/date-language.js';
import { findWhen as findWhenIn, mayHoldDate as mayHoldDateIn } from '../../src/understanding/when.js';

/** Read as the language of the conversation says (its pack, then the other): WHEN_LANG, else es. */
const language = dateLanguage(loadFlows(), process.env.WHEN_LANG ?? 'es');
const findWhen = (text: string, at: DateTime) => findWhenIn(text, at, language);
const mayHoldDate = (text: string) => mayHoldDateIn(text, language);

const now = DateTime.fromISO('2026-11-22T09:30:00', { zone: 'America/New_York' });

/** What chrono itself finds that findWhen uses: a certain day or weekday, or a certain hour. */
function chronoFinds(text: string): boolean {
  const reference = { instant: now.toJSDate(), timezone: now.offset };
  return [
    ...chrono.en.casual.parse(text, reference, { forwardDate: true }),
    ...chrono.es.casual.parse(text, reference, { forwardDate: true }),
  ].some((r) => r.start.isCertain('day') || r.start.isCertain('weekday') || r.start.isCertain('hour'));
}

/** People's messages: the paraphrase fixtures, every text in flows/ (both languages), and hand-picked date talk. */
function corpus(): string[] {
  const fixtures = ['paraphrases.yaml', 'paraphrases-fresh.yaml'].flatMap((file) => {
    const sets = parse(readFileSync(new URL(`../fixtures/${file}`, import.meta.url), 'utf8')) as Record<
      string,
      { text: string }[]
    >;
    return Object.values(sets).flatMap((set) => set.map((item) => item.text));
  });
  const flows = loadFlows();
  const content = [...flows.packs.values()].flatMap((pack) => [
    ...Object.values(pack.nodes).flatMap((node) => [node.label, ...node.text]),
    ...Object.values(pack.system),
    ...Object.values(pack.intents).flat(),
    ...Object.values(pack.answers).flat(),
  ]);
  const dateTalk = [
    'tomorrow at noon',
    'tmrw morning',
    'tonight',
    'next friday',
    'this weekend',
    'in three days',
    'in a few days',
    'a week from now',
    'two weeks later',
    'the first of march',
    'dec 3rd',
    'Sept twelfth',
    'pasado mañana',
    'el lunes que viene',
    'el próximo martes en la tarde',
    'esta noche',
    'a las diez de la mañana',
    'al mediodía',
    'dentro de dos semanas',
    'el primero de diciembre',
    'sabado temprano',
    'mi cita es el jueves',
    'ayer fui',
    'hoy no puedo',
    'its on wed',
    'thurs',
    'yes',
    'no',
    'cancel',
    'what?',
    'no se',
    'i dont know',
    'cuando me toca',
    'when is it',
  ];
  return [...new Set([...fixtures, ...content, ...dateTalk])];
}

describe('reading a date or a time', () => {
  it('skips chrono only for texts in which chrono finds no day, weekday or hour', () => {
    const texts = corpus();
    const skipped = texts.filter((t) => !mayHoldDate(t));
    // The skip must matter (most questions hold no date) and must never lose a date chrono would find.
    expect(skipped.length).toBeGreaterThan(texts.length / 3);
    const lost = skipped.filter(chronoFinds);
    expect(lost).toEqual([]);
    // And the texts it keeps include every hand-picked date phrase.
    for (const phrase of [
      'tomorrow at noon',
      'pasado mañana',
      'the first of march',
      'dentro de dos semanas',
    ]) {
      expect(mayHoldDate(phrase)).toBe(true);
      expect(chronoFinds(phrase)).toBe(true);
    }
  });

  it('still reads dates and times in both languages', () => {
    expect(findWhen('march 5 at 10am', now)).toEqual({
      date: { year: 2027, month: 3, day: 5 },
      time: { hour: 10, minute: 0 },
    });
    expect(findWhen('el 3 de diciembre a las 2', now)).toEqual({
      date: { year: 2026, month: 12, day: 3 },
      time: { hour: 14, minute: 0 },
    });
    expect(findWhen('mañana al mediodía', now).date).toEqual({ year: 2026, month: 11, day: 23 });
    expect(findWhen('what do i bring', now)).toEqual({});
  });

  it('reads times said in words around the hour, as people answer "at what time?"', () => {
    const time = (text: string) => findWhen(text, now).time;
    expect(time('a las 8 y media')).toEqual({ hour: 8, minute: 30 });
    expect(time('8 y media')).toEqual({ hour: 8, minute: 30 });
    expect(time('a las 10 y cuarto')).toEqual({ hour: 10, minute: 15 });
    expect(time('a las 9 menos cuarto')).toEqual({ hour: 8, minute: 45 });
    expect(time('la 1 menos cuarto')).toEqual({ hour: 12, minute: 45 });
    expect(time('a las 8 y 20')).toEqual({ hour: 8, minute: 20 });
    // No am/pm and 1 to 6: the afternoon, minutes kept.
    expect(time('a las 2 y media')).toEqual({ hour: 14, minute: 30 });
    expect(time('half past 8')).toEqual({ hour: 8, minute: 30 });
    expect(time('quarter past 10')).toEqual({ hour: 10, minute: 15 });
    expect(time('a quarter to 9')).toEqual({ hour: 8, minute: 45 });
    expect(findWhen('el 5 de marzo a las 9 y media', now)).toEqual({
      date: { year: 2027, month: 3, day: 5 },
      time: { hour: 9, minute: 30 },
    });
  });

  it('reads "de la mañana" after an hour as the morning, not as tomorrow', () => {
    // Asked "at what time?" after giving December 15, "8 y media de la mañana" once saved November 23.
    expect(findWhen('8 y media de la mañana', now)).toEqual({ time: { hour: 8, minute: 30 } });
    expect(findWhen('a las 8 de la mañana', now)).toEqual({ time: { hour: 8, minute: 0 } });
    expect(findWhen('9 de la manana', now)).toEqual({ time: { hour: 9, minute: 0 } });
    expect(findWhen('a las 7 de la tarde', now)).toEqual({ time: { hour: 19, minute: 0 } });
    expect(findWhen('7 de la noche', now)).toEqual({ time: { hour: 19, minute: 0 } });
    expect(findWhen('las 10 de la mañana del martes', now)).toEqual({
      date: { year: 2026, month: 11, day: 24 },
      time: { hour: 10, minute: 0 },
    });
    // "mañana" on its own is still tomorrow.
    expect(findWhen('mañana a las 8 de la mañana', now)).toEqual({
      date: { year: 2026, month: 11, day: 23 },
      time: { hour: 8, minute: 0 },
    });
  });

  it('reads no hour in ages, counts or "la del 1", and no day said to be wrong (round 10)', () => {
    expect(findWhen('q tengo q llevar para la niña tiene 12 años no tiene pasaporte', now)).toEqual({});
    expect(findWhen('mi hijo tiene 8 años', now)).toEqual({});
    expect(findWhen('y las 3 son en la misma oficina en 5880 NW 183rd St Hialeah', now)).toEqual({});
    expect(findWhen('la del 1 ya no existe', now)).toEqual({});
    // "the day before" is when to remind, not yesterday.
    expect(findWhen('can u txt me the day before so i dont forget', now)).toEqual({});
    expect(findWhen('mi hijo tiene 8 años y su cita es a las 10', now).time).toEqual({ hour: 10, minute: 0 });
    expect(findWhen('no perdon no es hoy es el 2 de diciembre a las 7', now)).toEqual({
      date: { year: 2026, month: 12, day: 2 },
      time: { hour: 7, minute: 0 },
    });
    expect(findWhen('ay no perdon es el martes no el lunes', now).date).toEqual({
      year: 2026,
      month: 11,
      day: 24,
    });
  });

  it('leaves out the value said to be wrong: "a las 9 no 9:30", unless it is the only one', () => {
    // Round 9: "la hora esta mal es a las 9 no 9:30" read back 9:30, and "si" saved it.
    expect(findWhen('la hora esta mal es a las 9 no 9:30', now).time).toEqual({ hour: 9, minute: 0 });
    expect(findWhen('es a las 9 no a las 9:30', now).time).toEqual({ hour: 9, minute: 0 });
    expect(findWhen('la de mi abuela es a las 8 y media no 9 y media', now).time).toEqual({
      hour: 8,
      minute: 30,
    });
    expect(findWhen('its 10 not 9', now).time).toEqual({ hour: 10, minute: 0 });
    // "no 10am" at "Is that right?" is "No: 10am".
    expect(findWhen('no 10am', now).time).toEqual({ hour: 10, minute: 0 });
    expect(findWhen('no tengo cita el 9 de diciembre', now).date).toEqual({ year: 2026, month: 12, day: 9 });
  });

  it('reads "last tuesday" and "el martes pasado" back, not forward, and "un día antes" as no day', () => {
    // Sunday 22 November 2026: last Tuesday was the 17th; "next Tuesday" is still the 24th.
    expect(findWhen('el martes pasado', now).date).toEqual({ year: 2026, month: 11, day: 17 });
    expect(findWhen('tenia la cita el martes pasado a las 9', now).date).toEqual({
      year: 2026,
      month: 11,
      day: 17,
    });
    expect(findWhen('last tuesday', now).date).toEqual({ year: 2026, month: 11, day: 17 });
    expect(findWhen('next tuesday', now).date).toEqual({ year: 2026, month: 11, day: 24 });
    expect(findWhen('y me van a mandar mensaje un dia antes?', now)).toEqual({});
    expect(findWhen('its 10 not 9', now).time).toEqual({ hour: 10, minute: 0 });
    expect(findWhen('al mediodia', now).time).toEqual({ hour: 12, minute: 0 });
    // Said in the past, a day of the last weeks is this year's; a future one stays ahead.
    expect(findWhen('la cita ya paso, era el 18 de noviembre', now).date).toEqual({
      year: 2026,
      month: 11,
      day: 18,
    });
    expect(findWhen('the appointment was nov 16', now).date).toEqual({ year: 2026, month: 11, day: 16 });
    expect(findWhen('it was changed to dec 5', now).date).toEqual({ year: 2026, month: 12, day: 5 });
    // "1st st" is a street; a date told with "no fui" is in the past.
    expect(findWhen('the one in san jose on 1st st', now)).toEqual({});
    expect(findWhen('la cita era el 10 de noviembre y yo no fui', now).date).toEqual({
      year: 2026,
      month: 11,
      day: 10,
    });
    // A numeric date with its year that has passed one way is the other: March 12, 2026 is gone.
    expect(findWhen('12/03/2026', now)).toEqual({ date: { year: 2026, month: 12, day: 3 } });
  });

  it('reads no appointment day in a date after "since", "desde", "depuis": when something else began (fresh20)', () => {
    const flows = loadFlows();
    const inLanguage = (code: string) => (text: string) => findWhenIn(text, now, dateLanguage(flows, code));
    const en = inLanguage('en');
    expect(en('my baby is in the hospital since last night').date).toBeUndefined();
    expect(en('she has a fever since monday, her appointment is tuesday at 9').date).toEqual({
      year: 2026,
      month: 11,
      day: 24,
    });
    // The same date without "since" is read: the rule takes the word, not the day.
    expect(en('my appointment was last monday').date).toEqual({ year: 2026, month: 11, day: 16 });
    expect(inLanguage('es')('mi niña esta enferma desde el lunes').date).toBeUndefined();
    expect(inLanguage('es')('mi niña esta enferma desde el lunes y la cita es el jueves').date).toEqual({
      year: 2026,
      month: 11,
      day: 26,
    });
    expect(inLanguage('fr')("il est à l'hôpital depuis hier soir").date).toBeUndefined();
  });

  it('reads the date put in place of another ("par", "por", "with"), and a date with no other after the word as itself (blind try 29)', () => {
    const flows = loadFlows();
    const inLanguage = (code: string) => (text: string) => findWhenIn(text, now, dateLanguage(flows, code));
    expect(inLanguage('fr')('remplace le 14 decembre par le 5 janvier a 10h30')).toEqual({
      date: { year: 2027, month: 1, day: 5 },
      time: { hour: 10, minute: 30 },
    });
    expect(inLanguage('es')('cambia el 14 de diciembre por el 5 de enero').date).toEqual({
      year: 2027,
      month: 1,
      day: 5,
    });
    expect(inLanguage('en')('replace the december 14 with january 5').date).toEqual({
      year: 2027,
      month: 1,
      day: 5,
    });
    // No date after the word: the one told stays.
    expect(inLanguage('fr')('mon rdv est le 14 decembre par la poste').date).toEqual({
      year: 2026,
      month: 12,
      day: 14,
    });
  });

  it('reads the date told after a change ("they moved it to", "me la movieron pal", "reporté au") in place of the old one before it, and a moved range as its second date', () => {
    const flows = loadFlows();
    const inLanguage = (code: string) => (text: string) => findWhenIn(text, now, dateLanguage(flows, code));
    const jan22At8 = { date: { year: 2027, month: 1, day: 22 }, time: { hour: 8, minute: 0 } };
    expect(inLanguage('en')('my appt was jan 10 but i called and they moved it to jan 22 at 8am')).toEqual(
      jan22At8,
    );
    expect(inLanguage('en')('it was jan 10, the new date is jan 22 at 8am')).toEqual(jan22At8);
    expect(inLanguage('en')('they moved it from jan 10 to jan 22 at 8am')).toEqual(jan22At8);
    expect(
      inLanguage('es')('tenia mi cita el 10 de enero pero llame y me la movieron pal 22 de enero a las 8'),
    ).toEqual(jan22At8);
    expect(inLanguage('es')('era el 10 de enero y la nueva es para el 22 de enero a las 8')).toEqual(
      jan22At8,
    );
    expect(inLanguage('fr')('mon rdv du 10 janvier a été reporté au 22 janvier à 8h')).toEqual(jan22At8);
    expect(inLanguage('fr')('ils l ont déplacé du 10 au 22 janvier a 8h')).toEqual(jan22At8);
    // The day of a call they will make is no appointment's day (dates.other_act).
    expect(inLanguage('en')('ok we call tmrw, can you remind my mom').date).toBeUndefined();
    expect(inLanguage('es')('llamo mañana a uscis').date).toBeUndefined();
    expect(inLanguage('fr')("j'appelle demain").date).toBeUndefined();
    expect(inLanguage('en')('my appointment is tomorrow, i call you later').date).toBeDefined();
    // "the hour" is no time (chrono reads it as this hour: blind try 34 saved 4:51 PM); "9 in
    // morning" after a weekday is the hour, not the 9th.
    expect(inLanguage('en')('1 tuesday. 9 is the hour').time).toBeUndefined();
    expect(inLanguage('en')('my wife has her appointment tuesday 9 in morning').time).toEqual({
      hour: 9,
      minute: 0,
    });
    expect(inLanguage('en')('my wife has her appointment tuesday 9 in morning').ambiguous).toBeUndefined();
    // No change told: the first date stays, and a range that is no move keeps its first day.
    expect(inLanguage('en')('my appt is jan 10 at 8am, my court is jan 22').date).toEqual({
      year: 2027,
      month: 1,
      day: 10,
    });
    expect(inLanguage('en')('i work from jan 10 to jan 22').date).toEqual({ year: 2027, month: 1, day: 10 });
  });

  it('reads Spanish months written by ear ("17 de disiembre", "nobiembre", "setienbre") as those months (blind try 29)', () => {
    const es = (text: string) => findWhenIn(text, now, dateLanguage(loadFlows(), 'es'));
    expect(es('17 de disiembre alas 2 de la tarde')).toEqual({
      date: { year: 2026, month: 12, day: 17 },
      time: { hour: 14, minute: 0 },
    });
    expect(es('17 disiembre').date).toEqual({ year: 2026, month: 12, day: 17 });
    expect(es('el 30 de nobiembre').date).toEqual({ year: 2026, month: 11, day: 30 });
    expect(es('15 de setienbre a las 9').date).toEqual({ year: 2027, month: 9, day: 15 });
    // Once asked again as misspelled: a spelling by ear names one month only.
    expect(es('el 5 de marso a las 9').date).toEqual({ year: 2027, month: 3, day: 5 });
  });

  it('reads a day of the month alone, and a Spanish month before the day', () => {
    const date = (text: string) => findWhen(text, now).date;
    // Today is Sunday 22 November 2026: the 15th has passed, the 30th has not.
    expect(date('el 15')).toEqual({ year: 2026, month: 12, day: 15 });
    expect(date('el dia 30')).toEqual({ year: 2026, month: 11, day: 30 });
    expect(date('the 15th')).toEqual({ year: 2026, month: 12, day: 15 });
    expect(date('on the 3rd')).toEqual({ year: 2026, month: 12, day: 3 });
    expect(findWhen('el 15 a las 9', now)).toEqual({
      date: { year: 2026, month: 12, day: 15 },
      time: { hour: 9, minute: 0 },
    });
    expect(date('dic 15')).toEqual({ year: 2026, month: 12, day: 15 });
    expect(date('diciembre 3')).toEqual({ year: 2026, month: 12, day: 3 });
    expect(date('ene. 8')).toEqual({ year: 2027, month: 1, day: 8 });
    // Not days: hours, counts, ages.
    expect(date('a las 15')).toBeUndefined();
    expect(date('the 3 kids')).toBeUndefined();
    expect(date('el 15 de la tarde')).toBeUndefined();
    expect(date('tengo el 2 años esperando')).toBeUndefined();
  });

  it('reads the hour after "a las" when the day comes just before it ("dic 9 a las 8" is 8, not 9 a.m.)', () => {
    const at8 = { date: { year: 2026, month: 12, day: 9 }, time: { hour: 8, minute: 0 } };
    expect(findWhen('dic 9 a las 8 houston', now)).toEqual(at8);
    expect(findWhen('dec 9 a las 8', now)).toEqual(at8);
    expect(findWhen('diciembre 10 a las 7 en dallas', now)).toEqual({
      date: { year: 2026, month: 12, day: 10 },
      time: { hour: 7, minute: 0 },
    });
    expect(findWhen('december 3 a las 10', now).time).toEqual({ hour: 10, minute: 0 });
    expect(findWhen('el 15 a la 1', now)).toEqual({
      date: { year: 2026, month: 12, day: 15 },
      time: { hour: 13, minute: 0 },
    });
    // An English "9 a m" is still 9 in the morning.
    expect(findWhen('dec 9 9 a m', now).time).toEqual({ hour: 9, minute: 0 });
  });

  it('reads a day of the month told in the past as the last one, not the next (fresh16)', () => {
    const read = (lang: string, text: string) => findWhenIn(text, now, dateLanguage(loadFlows(), lang)).date;
    const day = (month: number, d: number) => ({ year: 2026, month, day: d });
    // Said on November 22: the 3rd is this month's, the 30th last month's.
    expect(read('es', 'dice que su cita de huellas fue el 3 de este mes')).toEqual(day(11, 3));
    expect(read('es', 'era el 25')).toEqual(day(10, 25));
    expect(read('en', 'it was on the 3rd')).toEqual(day(11, 3));
    expect(read('en', 'i missed it on the 30th')).toEqual(day(10, 30));
    expect(read('fr', "c'était le 3")).toEqual(day(11, 3));
    // Not told in the past, or the past word further off ("was moved to"): the next one.
    expect(read('es', 'mi cita es el 3')).toEqual(day(12, 3));
    expect(read('en', 'it was moved to the 30th')).toEqual(day(11, 30));
    expect(read('fr', 'le 3')).toEqual(day(12, 3));
  });

  it('guesses no day when the month after it is misspelled or has no such day (a blind try, 2026-12-06)', () => {
    const read = (lang: string, text: string) => findWhenIn(text, now, dateLanguage(loadFlows(), lang));
    // Read before as the next 12th, 5th, 31st…: "12 de febreo" came back as December 12th.
    for (const [lang, text] of [
      ['es', '12 de febreo'],
      ['es', '31 de febrero'],
      ['es', 'el 31 de abril'],
      ['fr', '20 janvie'],
      ['fr', 'le 30 fevrier'],
      ['en', 'the 12th of febuary'],
    ] as const)
      expect(read(lang, text).date, `${lang}: ${text}`).toBeUndefined();
    // A day alone, or with words that are no month, is still the next such day.
    expect(read('es', 'el 15 de mi cita').date).toEqual({ year: 2026, month: 12, day: 15 });
    expect(read('es', 'el 12 de este mes a las 9').date).toEqual({ year: 2026, month: 12, day: 12 });
    expect(read('es', 'el 5 de mayo').date).toEqual({ year: 2027, month: 5, day: 5 });
    expect(read('fr', 'le 12').date).toEqual({ year: 2026, month: 12, day: 12 });
  });

  it('reads "le 5 à 14h" as the 5th at 2 p.m., not chrono\'s "from 5 to 14 h" (2026-12-06)', () => {
    const french = dateLanguage(loadFlows(), 'fr');
    const read = (text: string) => findWhenIn(text, now, french);
    // Read before as 17:00, 05:00 and 22:00: the day of the month taken for the start of a span.
    expect(read('mon rdv est le 5 à 14h')).toEqual({
      date: { year: 2026, month: 12, day: 5 },
      time: { hour: 14, minute: 0 },
    });
    expect(read('le 5 a 14h30')).toEqual({
      date: { year: 2026, month: 12, day: 5 },
      time: { hour: 14, minute: 30 },
    });
    expect(read('rdv empreintes le 22 à 11h')).toEqual({
      date: { year: 2026, month: 11, day: 22 },
      time: { hour: 11, minute: 0 },
    });
    expect(read('le 28 a 8h du matin')).toEqual({
      date: { year: 2026, month: 11, day: 28 },
      time: { hour: 8, minute: 0 },
    });
  });

  it('reads an hour written with a dot as the clock, not a month and a day (a blind try, 2026-12-06)', () => {
    const read = (lang: string, text: string) => findWhenIn(text, now, dateLanguage(loadFlows(), lang));
    // "8.30" was August 30 and replaced the day told beside it: "el 22 de diciembre a las 8.30"
    // came back as Monday, August 30, 2027, ready to save with one "sí".
    const dec22 = { year: 2026, month: 12, day: 22 };
    for (const [lang, text, hour, minute] of [
      ['es', 'tengo cita el 22 de diciembre a las 8.30 en el 90011', 8, 30],
      ['en', 'my appt is dec 22 at 8.30 am', 8, 30],
      ['fr', 'mon rdv c le 22 decembre a 9.15 a newark', 9, 15],
    ] as const) {
      const found = read(lang, text);
      expect(found.date, `${lang}: ${text}`).toEqual(dec22);
      expect(found.time, `${lang}: ${text}`).toEqual({ hour, minute });
    }
    expect(read('es', 'a las 8.30').time).toEqual({ hour: 8, minute: 30 });
    expect(read('es', 'a las 8.30').date).toBeUndefined();
    // With the time told elsewhere, or minutes no clock is set to, or a year, the dots are a date.
    expect(read('en', '12.20 at 9am')).toMatchObject({
      date: { year: 2026, month: 12, day: 20 },
      time: { hour: 9, minute: 0 },
    });
    expect(read('en', '12.22').date).toEqual(dec22);
    expect(read('es', '22.12.2026 a las 9').date).toEqual(dec22);
  });

  it('reads an hour run together with its minutes where only a clock fits ("a las 830", "930 de la mañana")', () => {
    const read = (lang: string, text: string) => findWhenIn(text, now, dateLanguage(loadFlows(), lang));
    for (const [lang, text, hour, minute] of [
      ['en', '830 in the morning', 8, 30],
      ['en', 'at 1030', 10, 30],
      ['en', '1130 at night', 23, 30],
      ['es', 'a las 830', 8, 30],
      ['es', '930 de la mañana', 9, 30],
      ['fr', '930 du matin', 9, 30],
    ] as const)
      expect(read(lang, text).time, `${lang}: ${text}`).toEqual({ hour, minute });
    // A count or a street number is no clock.
    expect(read('en', 'i applied 830 days ago').time).toBeUndefined();
    expect(read('en', '830 main st houston').time).toBeUndefined();
  });

  it('reads "10h" as ten o\'clock, never "in 10 hours", and no unit cut out of a word with accents', () => {
    const march5 = { year: 2027, month: 3, day: 5 };
    expect(findWhen('el 5 de marzo a las 10h', now)).toEqual({ date: march5, time: { hour: 10, minute: 0 } });
    expect(findWhen('mañana 14h30', now)).toEqual({
      date: { year: 2026, month: 11, day: 23 },
      time: { hour: 14, minute: 30 },
    });
    expect(findWhen('10h', now)).toEqual({ time: { hour: 10, minute: 0 } });
    // With a word before it, a length of time is still one: "en 2h" is two hours from now.
    expect(findWhen('en 2h', now).time).toEqual({ hour: 11, minute: 30 });
    // chrono's English parser cuts "a m" (a minute) out of "a mí", "a d" (a day) out of "a dónde".
    expect(findWhen('eso a mí no me ayudó', now)).toEqual({});
    expect(findWhen('a dónde tengo que ir', now)).toEqual({});
  });

  it('reads "tomorow", "tmrw" as tomorrow and "pasado mañana" as the day after it', () => {
    const tomorrow = { year: 2026, month: 11, day: 23 };
    expect(findWhen('tomorow at 9', now)).toEqual({ date: tomorrow, time: { hour: 9, minute: 0 } });
    expect(findWhen('tmrw 9am', now).date).toEqual(tomorrow);
    expect(findWhen('pasado manana a las 9', now).date).toEqual({ year: 2026, month: 11, day: 24 });
    expect(findWhen('pasado mañana a las 9', now).date).toEqual({ year: 2026, month: 11, day: 24 });
    // "el martes pasado" is still last Tuesday.
    expect(findWhen('el martes pasado', now).date).toEqual({ year: 2026, month: 11, day: 17 });
  });
  it('takes what follows "no," "no wait", "sorry" as the time or day meant (round 11)', () => {
    // "8 de la noche no, de la mañana" was saved as 8 p.m.
    expect(findWhen('es el 3 de diciembre a las 8 de la noche no, de la mañana', now)).toEqual({
      date: { year: 2026, month: 12, day: 3 },
      time: { hour: 8, minute: 0 },
    });
    expect(findWhen('its 9 at night no wait 9 in the morning sorry', now)).toEqual({
      time: { hour: 9, minute: 0 },
    });
    expect(findWhen('dec 4 at 10 sorry i mean 11am', now)).toEqual({
      date: { year: 2026, month: 12, day: 4 },
      time: { hour: 11, minute: 0 },
    });
    // Without the comma, "no de la mañana" is the part said to be wrong; "mañana" is not tomorrow.
    expect(findWhen('no espera es a la 1 de la tarde no de la mañana', now)).toEqual({
      time: { hour: 13, minute: 0 },
    });
    expect(findWhen('es en la mañana', now)).toEqual({});
    // A "sorry" with nothing after it changes nothing.
    expect(findWhen('dec 4 at 10 sorry', now)).toEqual({
      date: { year: 2026, month: 12, day: 4 },
      time: { hour: 10, minute: 0 },
    });
  });

  it('reads a weekday with a day of the month as that day, or asks when they do not agree (round 11)', () => {
    // Sunday November 22: Thursday December 3 fits; December 9 is a Wednesday, not a Tuesday.
    expect(findWhen('el jueves 3 a las 8', now)).toEqual({
      date: { year: 2026, month: 12, day: 3 },
      time: { hour: 8, minute: 0 },
    });
    expect(findWhen('no perdon me equivoque es el martes 9 a las 7 y media', now)).toEqual({
      ambiguous: [
        { year: 2026, month: 11, day: 24 },
        { year: 2026, month: 12, day: 9 },
      ],
      time: { hour: 7, minute: 30 },
    });
    expect(findWhen('tuesday the 9th', now).ambiguous).toHaveLength(2);
    expect(findWhen('martes 24', now).date).toEqual({ year: 2026, month: 11, day: 24 });
    expect(findWhen('thursday dec 3', now).date).toEqual({ year: 2026, month: 12, day: 3 });
  });

  it('reads a day of the month after a weekday as the day, never the hour (a blind try, 2026-12-06)', () => {
    // Sunday November 22: Tuesday December 15, Thursday December 17. Chrono read "martes 15" as 3 PM
    // and "thursday 17" as 5 PM, and the appointment was read back at that hour.
    const inLang = (lang: string) => (text: string) => findWhenIn(text, now, dateLanguage(loadFlows(), lang));
    const [en, es, fr] = [inLang('en'), inLang('es'), inLang('fr')];
    const dec = (day: number) => ({ year: 2026, month: 12, day });
    expect(es('hola tengo cita de huellas el martes 15 a las 10 en dallas')).toEqual({
      date: dec(15),
      time: { hour: 10, minute: 0 },
    });
    expect(en('my appointment thursday 17 at 9 in miami')).toEqual({
      date: dec(17),
      time: { hour: 9, minute: 0 },
    });
    expect(en('thursday 17 9am')).toEqual({ date: dec(17), time: { hour: 9, minute: 0 } });
    expect(fr('jeudi 17 a 9h')).toEqual({ date: dec(17), time: { hour: 9, minute: 0 } });
    // The day alone gives no hour; an hour written as one still counts.
    expect(en('thursday 17').time).toBeUndefined();
    expect(en('thursday 17 at 17:00').time).toEqual({ hour: 17, minute: 0 });
    expect(es('el martes a las 15').time).toEqual({ hour: 15, minute: 0 });
  });

  it('reads the day written with numbers before one said in words ("last week … December 10")', () => {
    expect(
      findWhen('i got the letter last week that says December 10 at 11 in the morning in Orlando', now),
    ).toEqual({ date: { year: 2026, month: 12, day: 10 }, time: { hour: 11, minute: 0 } });
    expect(findWhen('mañana a las 9', now).date).toEqual({ year: 2026, month: 11, day: 23 });
  });

  it('reads "a las 8 30" as 8:30, and no day said not to be the one (round 12)', () => {
    expect(findWhen('q es el viernes 4 a las 8 30 en miami', now)).toEqual({
      date: { year: 2026, month: 12, day: 4 },
      time: { hour: 8, minute: 30 },
    });
    expect(findWhen('dec 4 at 8 30am', now).time).toEqual({ hour: 8, minute: 30 });
    expect(findWhen('march 5 10am', now)).toEqual({
      date: { year: 2027, month: 3, day: 5 },
      time: { hour: 10, minute: 0 },
    });
    expect(findWhen('no es el 12 de enero', now)).toEqual({});
    expect(findWhen('its not dec 3 its dec 4', now).date).toEqual({ year: 2026, month: 12, day: 4 });
    // "no, dec 4" at "Is that right?" is "No: December 4".
    expect(findWhen('no, dec 4', now).date).toEqual({ year: 2026, month: 12, day: 4 });
    expect(findWhen('espere no es el quince es el dieciséis, me confundi', now).date).toEqual({
      year: 2026,
      month: 12,
      day: 16,
    });
  });

  it('reads days and hours said in words (round 11)', () => {
    expect(findWhen('ahora es el quince de diciembre a las nueve', now)).toEqual({
      date: { year: 2026, month: 12, day: 15 },
      time: { hour: 9, minute: 0 },
    });
    expect(findWhen('a la una de la tarde', now).time).toEqual({ hour: 13, minute: 0 });
    expect(findWhen('at nine thirty', now).time).toEqual({ hour: 9, minute: 30 });
    // Counts stay counts.
    expect(findWhen('las dos citas son el 15', now)).toEqual({ date: { year: 2026, month: 12, day: 15 } });
    expect(findWhen('i need it at once', now)).toEqual({});
  });
});

/** A day as findWhen gives it. */
const local = (d: DateTime) => ({ year: d.year, month: d.month, day: d.day });

describe('reading days around the turn of a year and of a week (round 13)', () => {
  /** A few instants that matter: a year's first day, a Monday, a Friday, the day before a leap day. */
  const instants = [
    '2027-01-01T10:00',
    '2027-12-27T10:00',
    '2027-03-12T10:00',
    '2028-02-28T10:00',
    '2026-11-22T10:00',
  ];
  const at = (iso: string) => DateTime.fromISO(iso, { zone: 'America/Chicago' });

  it('reads a day told with its year that has passed as that day (to be said passed), in words or numbers', () => {
    for (const iso of instants) {
      const today = at(iso);
      // Last year's December 30, a day some months back (past the 12th: it reads one way only).
      const lastYear = today.minus({ years: 1 }).set({ month: 12, day: 30 });
      let back = today.minus({ days: 120 });
      while (back.day <= 12) back = back.plus({ days: 1 });
      for (const day of [lastYear, back, today.minus({ days: 1 })]) {
        const en = day.setLocale('en-US');
        const es = day.setLocale('es');
        for (const text of [
          `${en.toFormat('LLLL d yyyy')} at 9am`,
          `${en.toFormat('LLL d, yyyy')}`,
          `el ${day.day} de ${es.toFormat('LLLL')} de ${day.year} a las 9`,
          day.toFormat('M/d/yyyy'),
          day.toFormat('MM/dd/yy'),
        ]) {
          const found = findWhen(text, today);
          // A day that reads two ways in numbers may read ahead the other way; none is "no date".
          if (text.includes('/') && day.day <= 12 && found.date && !sameDay(found.date, day)) continue;
          expect(found.date, `${text} at ${iso}`).toEqual(local(day));
        }
      }
      // A year far behind is a misreading, not a passed appointment: the date is asked.
      expect(findWhen(`march 5 ${today.year - 10}`, today).date).toBeUndefined();
    }
  });

  it('reads a weekday said alone on that weekday as the one a week on, but not one said with its day, "today", or in the past', () => {
    for (let offset = 0; offset < 7; offset++) {
      const today = at('2028-02-28T10:00').plus({ days: offset });
      const en = today.setLocale('en-US').toFormat('cccc');
      const enShort = today.setLocale('en-US').toFormat('ccc');
      const es = today.setLocale('es').toFormat('cccc');
      const weekOn = local(today.plus({ days: 7 }));
      for (const text of [
        `on ${en} at 8am`,
        en.toLowerCase(),
        `${enShort} at 9`,
        `el ${es} a las 8 de la mañana`,
        es,
      ]) {
        expect(findWhen(text, today).date, `${text} on ${en}`).toEqual(weekOn);
      }
      // Tomorrow's weekday is tomorrow; today is today; a day of the month is that day.
      const tomorrow = today.plus({ days: 1 });
      expect(findWhen(tomorrow.setLocale('en-US').toFormat('cccc'), today).date).toEqual(local(tomorrow));
      expect(findWhen(`el ${tomorrow.setLocale('es').toFormat('cccc')}`, today).date).toEqual(
        local(tomorrow),
      );
      expect(findWhen('today at 3pm', today).date).toEqual(local(today));
      expect(findWhen('hoy a las 3', today).date).toEqual(local(today));
      expect(findWhen(`${en} the ${today.day}th`, today).date).toEqual(local(today));
      // About the past: last week's, or today's said as gone.
      expect(findWhen(`last ${en}`, today).date).toEqual(local(today.minus({ days: 7 })));
      expect(findWhen(`el ${es} pasado`, today).date).toEqual(local(today.minus({ days: 7 })));
    }
  });
});

/**
 * The month, a few words, then the day alone (blind try 14: "debut octobre je crois le 3" was read
 * as the next 3rd, and a filing date told 150 days had passed): that day of that month. A month
 * further off, or a month and a day of two things, leaves the day alone as it was.
 */
describe('a month told a few words before the day', () => {
  it('is the day of that month', () => {
    expect(findWhen('a principios de octubre creo que el 3', now).date).toMatchObject({ month: 10, day: 3 });
    expect(findWhen('early october i think the 3rd', now).date).toMatchObject({ month: 10, day: 3 });
  });
  it('not when the month is further off', () => {
    expect(findWhen('i applied in october and my appointment is on the 3rd', now).date).toMatchObject({
      month: 12,
      day: 3,
    });
  });
});

function sameDay(a: { year: number; month: number; day: number }, b: DateTime): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}
