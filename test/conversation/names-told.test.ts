import { describe, expect, it } from 'vitest';
import { dayAhead } from '../support/clock.js';
import { talkIn } from '../support/dialogue.js';

/**
 * A family member's first name, as people give it and put it right (a blind try, 2026-12-06):
 * "me and my wife rosa… mine 8am hers 8:30" saved mine, then asked "What is their first name?";
 * "rosa, i said it" saved "Rosa I"; "no, her name is Rosa" and "her name is Rosa" at the
 * read-back got "What should I fix? Send the right date, time or place", again and again.
 */
describe('a first name told once is kept, and can be put right', () => {
  const day = dayAhead(30);

  for (const [lang, message] of [
    [
      'en',
      `me and my wife rosa both got fingerprint appts ${day.enShort}, mine 8am hers 8:30, houston. remind us pls`,
    ],
    [
      'es',
      `mi esposa rosa y yo tenemos cita de huellas el ${day.es}, la mia a las 8 y la de ella a las 8:30, en houston`,
    ],
  ] as const)
    it(`${lang}: the name told with the family word is the second one's, not asked again`, () => {
      const snap = talkIn(lang, message, lang === 'en' ? 'yes' : 'si');
      expect(snap.context.appointments).toHaveLength(1);
      expect(snap.context.draft).toMatchObject({
        step: 'confirm',
        name: 'Rosa',
        date: day.iso,
        time: '08:30',
      });
    });

  it('en: "rosa, i said it" at "What is their first name?" is Rosa', () => {
    const snap = talkIn('en', "remind me of my wife's appointment", 'rosa, i said it');
    expect(snap.context.draft?.name).toBe('Rosa');
  });

  for (const fix of [['no, her name is Rosa'], ['no', 'her name is Rosa']])
    it(`en: ${fix.map((m) => `"${m}"`).join(' then ')} at the read-back reads it back with the name`, () => {
      const snap = talkIn(
        'en',
        "remind me of my wife's appointment",
        'ana',
        `${day.en} at 9am 77002`,
        ...fix,
      );
      expect(snap.context.draft).toMatchObject({
        step: 'confirm',
        name: 'Rosa',
        date: day.iso,
        time: '09:00',
      });
    });
});
