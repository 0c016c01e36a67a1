import { describe, expect, it } from 'vitest';
import { modeOf } from '../../src/conversation/machine.js';
import { TEST_NOW } from '../support/clock.js';
import { answered, firstAnswer, talkIn } from '../support/dialogue.js';

/**
 * A month named as the time something happened ("missed it back in august", "raté en juin", "en
 * septiembre" to "How long ago?"). Before (fresh11 and the fifth blind try), the month answered
 * nothing: the first message got "How long ago?", and the month given as its answer got "Please
 * reply with one of the numbers" again. A month wholly before this one answers by its first and
 * last days when both fall in one choice; this month tells nothing.
 */
const monthAgo = (months: number, lang: string) =>
  TEST_NOW.minus({ months }).toFormat('LLLL', { locale: lang });

describe('a month named as the time past', () => {
  const old: [lang: string, message: string][] = [
    ['en', `my husband missed his biometrics back in ${monthAgo(3, 'en')}, is it too late for him?`],
    ['es', `mi esposa perdio su cita de huellas en ${monthAgo(4, 'es')}, que hacemos`],
    ['fr', `ma femme a raté sa biometrie en ${monthAgo(5, 'fr')}, c'est trop tard??`],
  ];
  for (const [lang, message] of old)
    it(`${lang}: "${message}" gets the steps for an appointment missed weeks ago`, () => {
      expect(firstAnswer(lang, message)).toBe('node:missed_old');
    });

  const answers: [lang: string, first: string, month: string][] = [
    ['en', 'i missed my fingerprint appointment', `back in ${monthAgo(2, 'en')}`],
    ['es', 'perdi mi cita de huellas', `en ${monthAgo(2, 'es')}`],
    ['fr', "j'ai raté mon rdv d'empreintes", `en ${monthAgo(2, 'fr')}`],
  ];
  for (const [lang, first, month] of answers) {
    it(`${lang}: "${month}" answers "How long ago?"`, () => {
      const snap = talkIn(lang, first, month);
      expect(answered(snap)[0]).toBe('node:missed_old');
    });
    it(`${lang}: this month answers nothing: "How long ago?" stays asked`, () => {
      const snap = talkIn(lang, first, `en ${TEST_NOW.toFormat('LLLL', { locale: lang })}`);
      expect(snap.value).toEqual({ active: 'question' });
      expect(snap.context.node).toBe('missed');
    });
  }
});

describe('someone else missed it, said in the third person', () => {
  it('es: "mi hijo perdio su cita hace como 2 meses" is not asked "Did you go?"', () => {
    const said = firstAnswer(
      'es',
      'mi hijo Kevin perdio su cita de biometricos hace como 2 meses, todavia tiene arreglo?',
    );
    expect(said).toBe('node:missed_old');
  });
  it('es: "mi mama no pudo ir a su cita ayer" gets the missed steps', () => {
    expect(firstAnswer('es', 'mi mama no pudo ir a su cita de huellas ayer, que hace')).toMatch(
      /^node:missed/,
    );
  });
});

describe('a letter told beside a question', () => {
  // "J'ai reçu une lettre … on va me faire quoi la bas?" was collected as an appointment to save.
  const cases: [lang: string, message: string][] = [
    [
      'fr',
      "J'ai reçu une lettre de USCIS pour la biometrie, je comprends pas l'anglais. On va me faire quoi la bas?",
    ],
    ['es', 'me llego la carta de uscis para biometricos y no entiendo nada, que me van a hacer alla?'],
    [
      'en',
      'i got a letter from uscis for biometrics, i dont read english well. what will they do to me there?',
    ],
  ];
  for (const [lang, message] of cases)
    it(`${lang}: "${message}" is answered or asked about, not collected`, () => {
      const snap = talkIn(lang, message);
      expect(modeOf(snap.value)).not.toBe('capturing');
      expect(answered(snap)[0]).toMatch(/^(node:bio_what|clarify)$/);
    });
});
