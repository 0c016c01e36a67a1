import { describe, expect, it } from 'vitest';
import { dayAhead } from '../support/clock.js';
import { talkIn } from '../support/dialogue.js';

/**
 * Times as people type them (a blind try, 2026-12-06): "a las 8.30" was read as August 30 and
 * replaced the day told beside it, ready to save with one "sí"; "830 in the morning" at "What
 * time?" and "930" at "What is the new date or time?" got the same question again.
 */
describe('an hour written with a dot, or run together with its minutes', () => {
  const day = dayAhead(20);

  for (const [lang, message] of [
    ['es', `tengo cita el ${day.es} a las 8.30 en el 90011`],
    ['en', `my appt is ${day.enShort} at 8.30 am zip 90011 remind me`],
    ['fr', `mon rdv c le ${day.day} ${day.at.setLocale('fr').toFormat('LLLL')} a 8.30 a newark, rappel svp`],
  ] as const)
    it(`${lang}: "${message}" keeps the day told and takes 8:30`, () => {
      const draft = talkIn(lang, message).context.draft;
      expect(draft).toMatchObject({ date: day.iso, time: '08:30' });
    });

  it('en: "830 in the morning" answers "What time?"', () => {
    const snap = talkIn('en', 'remind me of my appointment', day.en, '830 in the morning');
    expect(snap.context.draft).toMatchObject({ date: day.iso, time: '08:30' });
  });

  it('en: "930" answers "What is the new date or time?" of a saved appointment', () => {
    const snap = talkIn(
      'en',
      'remind me of my appointment',
      `${day.en} at 9am 77002`,
      'yes',
      'my appointments',
      'change it',
      '930',
    );
    expect(snap.context.draft).toMatchObject({ step: 'confirm', date: day.iso, time: '09:30' });
  });

  it('en: "i mean 9.30" after another time is the time meant, not September 30', () => {
    const snap = talkIn(
      'en',
      'remind me of my appointment',
      `${day.en} at 2pm 77084`,
      'actually its 830 in the morning not afternoon, i mean 9.30 sorry',
    );
    expect(snap.context.draft).toMatchObject({ date: day.iso, time: '09:30' });
  });
});

/**
 * A day of the month alone, putting right a day told before (blind try 11): "perdón no es el 14 es
 * el 16" about January 14 was read back as December 16 and saved with one "sí"; "no wait its the
 * 5th" about February 3 as January 5. The day is put right in the month told.
 */
describe('a day of the month alone puts right the day told, in its month', () => {
  const first = dayAhead(50);
  const other = first.at.set({ day: first.day === 16 ? 17 : 16 });
  for (const [lang, told, yes, fix] of [
    [
      'es',
      `mi cita de biometricos es el ${first.es} a las 8:30 en el 77002`,
      'si',
      `perdon no es el ${first.day} es el ${other.day}`,
    ],
    ['en', `my appointment is ${first.enShort} at 10am zip 77002`, 'yes', `no wait its the ${other.day}th`],
  ] as const)
    it(`${lang}: "${fix}" right after saving`, () => {
      const snap = talkIn(lang, told, yes, fix);
      expect(snap.context.draft).toMatchObject({ date: other.toISODate() });
    });

  it('en: a day named with its month, or tomorrow, is still read as said', () => {
    const draft = talkIn('en', `my appointment is ${first.enShort} at 10am zip 77002`, 'no its tomorrow')
      .context.draft;
    expect(draft?.date).toBe(dayAhead(1).iso);
  });
});
