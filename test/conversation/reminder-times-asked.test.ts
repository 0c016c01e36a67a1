import { describe, expect, it } from 'vitest';
import { TEST_NOW } from '../support/clock.js';
import { answered, talkIn } from '../support/dialogue.js';

/**
 * Asking to move a saved appointment's reminders ("the reminder 3 hours before doesn't work, can
 * you do the evening before instead") gets that the times are the same for everyone, whether
 * asked right after saving or from the list's "1 Change it": its "3h" and "la veille" are no new
 * day and time of the appointment (blind try 26 was read back "lundi 7 décembre à 16h03", and
 * another appointment was asked for).
 */
/** A day a month from the tests' instant, never the wall calendar's. */
const DAY = TEST_NOW.plus({ days: 30 });
const SAVE = {
  en: [
    `my biometrics appointment is ${DAY.setLocale('en').toFormat('LLLL d')} at 1pm in newark, remind me`,
    'yes',
  ],
  fr: [
    `mon rdv biometrie c le ${DAY.setLocale('fr').toFormat('d LLLL')} a 13h a newark, rappelle moi`,
    'oui',
  ],
} as const;

describe('the times of the reminders, asked to change', () => {
  const ASKED = {
    en: 'the reminder 3 hours before doesnt work for me, can you do the evening before instead',
    fr: 'le rappel 3h avant ca marche pas pour moi, peux tu le mettre la veille au soir plutot',
  } as const;
  for (const lang of ['en', 'fr'] as const)
    it(`${lang}: right after saving, "${ASKED[lang]}"`, () => {
      expect(answered(talkIn(lang, ...SAVE[lang], ASKED[lang]))).toEqual(['reminders_when']);
    });

  it('fr: at "1 Changer la date ou l\'heure", the appointment kept as it is', () => {
    const snap = talkIn(
      'fr',
      ...SAVE.fr,
      'mes rendez-vous',
      '1',
      'je veux garder le rdv pareil, juste changer le rappel de 3h avant pour un rappel le soir davant',
    );
    expect(answered(snap)).toEqual(['reminders_when']);
    expect(snap.context.appointments.map((a) => [a.date, a.time])).toEqual([[DAY.toISODate(), '13:00']]);
  });
});
