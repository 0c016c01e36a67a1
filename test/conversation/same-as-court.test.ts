import { describe, expect, it } from 'vitest';
import { answered, firstAnswer, talkIn } from '../support/dialogue.js';

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

describe('the appointment, the same as an ICE check-in?', () => {
  // Blind try 12: "is the biometrics appointment the same as my ICE check in?" got the list of
  // papers to bring without an ID, and "donc mon rdv ICE je dois y aller quand meme?" got the
  // warning that missing biometrics can get asylum refused, as if about the ICE check-in. The
  // seeds say nothing of ICE check-ins: whom the appointment is with, and legal help (cue `ice_words`).
  for (const [lang, message] of [
    ['en', 'is the biometrics appointment the same as my ICE check in?'],
    ['es', 'la cita de huellas es lo mismo que mi firma con ICE?'],
    ['fr', 'j ai un pointage ICE le 15, c est pas la meme chose que les empreintes?'],
    ['fr', 'mon rdv ICE je dois y aller quand meme?'],
  ] as const)
    it(`${lang}: "${message}" gets whom the appointment is with, not why it matters`, () => {
      expect(firstAnswer(lang, message)).toBe('node:bio_not_court');
    });

  it('en: the ICE check-in paper as an ID is still the answer about IDs', () => {
    expect(firstAnswer('en', 'can i use my ICE check in paper as ID')).toBe('node:bring_no_id');
  });
});
