import { describe, expect, it } from 'vitest';
import { firstAnswer } from '../support/dialogue.js';

/**
 * Whose notice is missing (issue 16: fresh4, fresh5, fresh7 and fresh8). Family words pulled a
 * writer's own wait to the family's answer ("mi esposo y yo pedimos asilo … y nada de cita" →
 * spouse and children), and the opposite: "my daughter got no letter, though mine came" got the
 * writer's wait. The packs' cues tell the two apart (graph.yaml when_told): `family_along` with
 * `not_received` is the writer's wait, with the family in it; `own_came` with family words is the
 * family's missing notice.
 */
describe('whose notice is missing', () => {
  const ownWait: [lang: string, message: string][] = [
    [
      'en',
      'hi, me and my husband sent our asylum papers in march and still no appointment for fingerprints, our friends already went',
    ],
    [
      'es',
      'hola, mi esposa y yo metimos el asilo hace un año y nada de cita para las huellas, a otros ya les llego',
    ],
    [
      'fr',
      "bonjour, je suis venue avec mes 2 enfants l'an passé, on a déposé l'asile et jusqu'à présent aucun rdv pour les empreintes, que faire",
    ],
  ];
  for (const [lang, message] of ownWait)
    it(`${lang}: "${message}" is the writer's own wait`, () => {
      expect(firstAnswer(lang, message)).toBe('node:nm_start');
    });

  const familyMissing: [lang: string, message: string][] = [
    ['en', 'my wife didnt get her biometrics letter but i got mine, we are in the same case'],
    ['en', 'our boy is 11 and got no fingerprint letter, only me and my wife got it'],
    ['es', 'a mi hija no le ha llegado la carta de huellas, a mi si'],
    ['fr', "mon fils n'a pas eu sa convocation pour les empreintes, moi j'ai eu la mienne"],
  ];
  for (const [lang, message] of familyMissing)
    it(`${lang}: "${message}" is about the family's notices`, () => {
      expect(firstAnswer(lang, message)).toBe('node:bio_family');
    });
});

describe('going in with someone who has the appointment', () => {
  // Blind try 12: "can i go in with him? hes 16 and hes scared of the officers" got the text for
  // feeling overwhelmed, with its self-harm line; going in with them is bringing someone.
  for (const [lang, message] of [
    ['en', 'can i go in with him? hes 16 and hes scared of the officers'],
    ['es', 'puedo entrar con ella a la cita? tiene 15 y le da miedo'],
    ['fr', 'je peux entrer avec lui? il a 16 ans et il a peur'],
  ] as const)
    it(`${lang}: "${message}" gets the answer about bringing someone`, () => {
      expect(firstAnswer(lang, message)).toBe('node:bring_someone');
    });
});
