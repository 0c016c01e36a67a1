import { describe, expect, it } from 'vitest';
import { answered, talkIn } from '../support/dialogue.js';

/**
 * "Is the fingerprint appointment the same thing as court?" (a blind try and fresh9): "tengo corte
 * con el juez el mes q viene, la cita de huellas es lo mismo?" got the text about Huella, and
 * "cest la meme chose ou je dois aller deux fois??" the judge's questions. The packs' cues
 * `same_thing` and `court_words` together make the answer that the appointment is with USCIS,
 * not the court, win (graph.yaml wins_when_told on bio_not_court).
 */
describe('the appointment, the same as court?', () => {
  const cases: [lang: string, message: string][] = [
    [
      'en',
      'got a letter for biometrics on the 9th and my court hearing is in march, is it the same thing or do i go twice',
    ],
    [
      'es',
      'me llego cita de huellas para el 9 y tengo audiencia con el juez en marzo, es lo mismo o voy dos veces?',
    ],
    [
      'fr',
      "j'ai une lettre pour les empreintes le 9 et une audience au tribunal en mars, c'est la même chose ou je dois y aller deux fois?",
    ],
  ];
  for (const [lang, message] of cases)
    it(`${lang}: "${message}" is told the appointment is with USCIS, not the court`, () => {
      expect(answered(talkIn(lang, message))[0]).toBe('node:bio_not_court');
    });
});
