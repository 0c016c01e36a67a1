import { describe, expect, it } from 'vitest';
import { firstAnswer } from '../support/dialogue.js';

/**
 * Two classes from fresh7 and a blind try of main (issue 16): going to someone else's
 * appointment in their place ("a sa place", "in his place", "en su lugar") got the family's
 * appointments; a notice that got wet or torn ("se me mojó", "mouillée") got "did you mean…?"
 * without the answer for a notice one can no longer use. The packs' phrases now name both.
 */
describe("someone else's appointment, in their place", () => {
  const inPlace: [lang: string, message: string][] = [
    ['fr', "ma soeur travaille loin, est ce que je peux aller a son rdv d'empreintes a sa place?"],
    ['en', 'my husband works far away, can i go to his biometrics appointment in his place with his letter?'],
    ['es', 'mi esposo trabaja lejos, puedo ir a su cita de huellas en su lugar con su carta?'],
  ];
  for (const [lang, message] of inPlace)
    it(`${lang}: "${message}" is about someone going in their place`, () => {
      expect(firstAnswer(lang, message)).toBe('node:bio_in_person');
    });
});

describe('a notice that got wet or torn', () => {
  const damaged: [lang: string, message: string][] = [
    ['en', 'the biometrics letter got wet in the rain and i cant read the time'],
    ['es', 'se me mojo la carta de la cita de huellas y no se lee la hora'],
    ['fr', "ma convocation est mouillée, je peux plus lire l'heure du rdv"],
  ];
  for (const [lang, message] of damaged)
    it(`${lang}: "${message}" gets the answer for a notice one cannot use`, () => {
      expect(firstAnswer(lang, message)).toBe('node:notice_lost');
    });
});
