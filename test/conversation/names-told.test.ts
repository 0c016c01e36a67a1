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

  // Right after saving (blind try 11): "oops his name is Danyel with a y" asked for a new date or
  // time; "en fait elle s appelle Fatoumata pas Fatou" (apostrophe typed as a space) got the way
  // to call USCIS.
  for (const [lang, save, fix, name] of [
    [
      'en',
      ["remind me of my son's appointment", 'daniel', `${day.en} at 9am 77002`, 'yes'],
      'oops his name is Danyel with a y',
      'Danyel',
    ],
    [
      'fr',
      [
        'rappel pour le rdv de ma femme',
        'fatou',
        `le ${day.day} ${day.at.setLocale('fr').toFormat('LLLL')} à 9h 77002`,
        'oui',
      ],
      'en fait elle s appelle Fatoumata pas Fatou',
      'Fatoumata',
    ],
    [
      'es',
      ['recuerdame la cita de mi hija', 'ana', `el ${day.es} a las 9 en el 77002`, 'si'],
      'perdon se llama Ana Maria no Ana',
      'Ana Maria',
    ],
  ] as const)
    it(`${lang}: "${fix}" right after saving renames it`, () => {
      const snap = talkIn(lang, ...save, fix);
      expect(snap.context.appointments.map((a) => a.name)).toEqual([name]);
    });
});
