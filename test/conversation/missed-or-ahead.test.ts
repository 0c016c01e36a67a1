import { describe, expect, it } from 'vitest';
import { dayAhead } from '../support/clock.js';
import { firstAnswer } from '../support/dialogue.js';

/**
 * A missed appointment's words with a day ahead, and with a day past (issue 16, fresh8).
 * - "me pueden recordar la cita? es el 22 de febrero y yo todo se me olvida": "se me olvida" (I
 *   forget) reads like "se me olvidó" (I forgot), and the steps for a missed appointment came. A
 *   day ahead is no missed appointment: the classifier's sure guess, saving it, is taken.
 * - "se me olvido la cita del 3 de noviembre" got the menu: saving was left out for a day past,
 *   and with it the classifier's only guess, so no topic was left. The matcher's pick stands then.
 */
describe('a missed appointment, or one ahead', () => {
  const ahead = dayAhead(40);
  const past = dayAhead(-12);

  it(`es: "…es el ${ahead.es} y se me olvida todo" collects the appointment`, () => {
    expect(
      firstAnswer('es', `me ayudan a acordarme de la cita de huellas? es el ${ahead.es} y se me olvida todo`),
    ).toMatch(/^appt_/);
  });

  const missed: [lang: string, message: string][] = [
    ['es', `se me olvido la cita del ${past.es}`],
    ['en', `i forgot my appointment on ${past.en}`],
  ];
  for (const [lang, message] of missed)
    it(`${lang}: "${message}" gets the steps for a missed appointment`, () => {
      expect(firstAnswer(lang, message)).toMatch(/^node:missed/);
    });
});
