import { describe, expect, it } from 'vitest';
import { modeOf } from '../../src/conversation/machine.js';
import { dayAhead } from '../support/clock.js';
import { answered, talkIn } from '../support/dialogue.js';

/**
 * Answers to the questions of collecting an appointment (issue 16), found by a blind try of main:
 * - at "Your appointment: … Is that right?", the time said again ("8:30am") asked "What should I
 *   fix?", and that question then took no "yes", no "1" and no same value, round and round, until
 *   "ok save it" threw the appointment away;
 * - at "What time is the appointment?", "9" or "8 30 in the morning" asked the time again.
 * Now a value said again is a yes at the read-back and the read-back again at "What should I
 * fix?"; a yes there reads it back too, and after three replies that fix nothing it is read back,
 * never dropped. A time with no word before it answers the time question.
 */
const day = dayAhead(25);
const toldEn = `remind me my biometrics is ${day.enShort} at 8:30am in chicago`;
const saved = (snap: ReturnType<typeof talkIn>) => snap.context.appointments.map((a) => a.time.slice(0, 5));

describe('the read-back of an appointment', () => {
  it('en: the time said again at "Is that right?" saves it', () => {
    const snap = talkIn('en', toldEn, '8:30am');
    expect(answered(snap)).toContain('appt_saved');
    expect(saved(snap)).toEqual(['08:30']);
  });
  it('es and fr: the same', () => {
    const es = talkIn('es', `recuerdame mi cita el ${day.es} a las 8:30am en houston`, '8:30am');
    expect(saved(es)).toEqual(['08:30']);
    const fr = talkIn(
      'fr',
      `rappelle moi mon rdv le ${day.at.setLocale('fr').toFormat('d LLLL')} a 8h30 a boston`,
      '8h30',
    );
    expect(saved(fr)).toEqual(['08:30']);
  });
  it('en: at "What should I fix?", the same value or a yes reads it back, and a yes then saves it', () => {
    expect(answered(talkIn('en', toldEn, 'no', '8:30am'))).toEqual(['appt_confirm']);
    expect(answered(talkIn('en', toldEn, 'no', 'ok save it'))).toEqual(['appt_confirm']);
    expect(saved(talkIn('en', toldEn, 'no', '8:30am', 'yes'))).toEqual(['08:30']);
  });
  it('en: replies that fix nothing end in the read-back again, the appointment kept', () => {
    const snap = talkIn('en', toldEn, 'no', 'hmm', 'what', 'idk');
    expect(answered(snap)).toEqual(['appt_confirm']);
    expect(modeOf(snap.value)).toBe('capturing');
    expect(saved(talkIn('en', toldEn, 'no', 'hmm', 'what', 'idk', 'yes'))).toEqual(['08:30']);
  });
  it('en: "no, 9am" still changes the time', () => {
    expect(saved(talkIn('en', toldEn, 'no, 9am', 'yes'))).toEqual(['09:00']);
  });
});

describe('a time with no word before it, at "What time is the appointment?"', () => {
  const cases: [lang: string, start: string, date: string, time: string, expected: string][] = [
    ['en', 'remind me of my fingerprint appt', day.enShort, '9', '09:00'],
    ['en', 'remind me of my fingerprint appt', day.enShort, '8 30 in the morning', '08:30'],
    ['es', 'recuerdame mi cita', `el ${day.es}`, '8 30 de la mañana', '08:30'],
    ['fr', 'rappelle moi mon rdv', `le ${day.at.setLocale('fr').toFormat('d LLLL')}`, '9', '09:00'],
  ];
  for (const [lang, start, date, time, expected] of cases)
    it(`${lang}: "${time}" is ${expected}`, () => {
      expect(talkIn(lang, start, date, time).context.draft?.time).toBe(expected);
    });
});
