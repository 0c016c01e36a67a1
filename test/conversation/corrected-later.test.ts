import { describe, expect, it } from 'vitest';
import { dayAhead } from '../support/clock.js';
import { answered, reader, talkIn } from '../support/dialogue.js';

/**
 * A saved appointment put right later on, after another question (blind try 12): "oh wait i looked
 * again its 10:30 not 9" after "what do i bring" got the login-trouble answer ("looked" again, a
 * "wait" read as nothing), and "no!! my appt time is 10:30 not 9" got "Sorry, I did not
 * understand". A correction in so many words ("wait", "sorry", a "no" first) with a time or a date,
 * with one appointment saved, puts that one right. The time said to be wrong is no second
 * appointment: "kevin's is at 2:45 now not 2:15" got "I save one appointment at a time".
 */
const day = dayAhead(18);
const frDay = day.at.setLocale('fr').toFormat('d LLLL');

const cases: [lang: string, told: string, yes: string, between: string, correction: string][] = [
  [
    'en',
    `my biometrics appointment is ${day.en} at 9am in houston 77002`,
    'yes',
    'what do i bring',
    'oh wait i looked again its 10:30 not 9',
  ],
  [
    'en',
    `my biometrics appointment is ${day.en} at 9am in houston 77002`,
    'yes',
    'what do i bring',
    'no!! my appt time is 10:30 not 9',
  ],
  [
    'es',
    `mi cita de huellas es el ${day.es} a las 9am en houston 77002`,
    'si',
    'que llevo',
    'perdon me equivoque, es a las 10:30 no a las 9',
  ],
  [
    'fr',
    `mon rdv biometrie est le ${frDay} a 9h a houston 77002`,
    'oui',
    'je dois amener quoi',
    "attendez j'ai relu la lettre c'est 10h30 pas 9h",
  ],
];

describe('a saved appointment put right after another question', () => {
  for (const [lang, told, yes, between, correction] of cases)
    it(`${lang}: "${correction}" reads the saved one back at 10:30, and saves it`, () => {
      const snap = talkIn(lang, told, yes, between, correction);
      expect(answered(snap)).toEqual(['appt_confirm']);
      expect(snap.context.draft).toMatchObject({ date: day.iso, time: '10:30' });
      const saved = reader.send(snap, '1').context.appointments;
      expect(saved).toHaveLength(1);
      expect(saved[0]).toMatchObject({ date: day.iso, time: '10:30' });
    });

  it('en: a question about a time, with no correction in words, changes nothing saved', () => {
    const snap = talkIn('en', cases[0]![1], 'yes', 'what do i bring', 'is it ok if i get there at 8:30?');
    expect(answered(snap)).not.toContain('appt_confirm');
    expect(snap.context.draft).toBeUndefined();
    expect(snap.context.appointments[0]).toMatchObject({ time: '09:00' });
  });
});

describe('a time said to be wrong is no second appointment', () => {
  it(`en: "kevin's is at 2:45 now not 2:15" reads Kevin's back at 2:45, without "one at a time"`, () => {
    const snap = talkIn(
      'en',
      `my son kevin has his biometrics ${day.en} at 2:15pm in houston 77002`,
      'yes',
      "kevin's is at 2:45 now not 2:15",
    );
    expect(answered(snap)).toEqual(['appt_confirm_named']);
    expect(snap.context.draft).toMatchObject({ time: '14:45' });
  });
});
