import { describe, expect, it } from 'vitest';
import { TEST_NOW } from '../support/clock.js';
import { answered, talkIn } from '../support/dialogue.js';

/**
 * When the application was sent, told in the first message, answers the questions that count
 * from it when they come later (graph.yaml `since_filed`): blind try 12 wrote "yo aplique el asilo
 * hace como 5 meses…", answered "USCIS or court?" and "Did you get a receipt?", and was then asked
 * "Has it been more than 3 months?". A month named counts only when its first and last days give
 * the same answer.
 */
const monthAgo = (months: number, lang: string) =>
  TEST_NOW.minus({ months }).toFormat('LLLL', { locale: lang });

describe('the filing told before the question that counts from it', () => {
  const uscis: [lang: string, messages: string[], expected: string][] = [
    [
      'es',
      [
        'hola yo aplique el asilo hace como 5 meses y nunca me llego la carta de las huellas q hago',
        'con uscis, lo mande por correo',
        'no tampoco, nada de nada',
      ],
      'node:nm_call_receipt',
    ],
    [
      'en',
      [
        'hello, i applied for asylum 7 weeks ago and never got any fingerprint letter, what do i do',
        'with uscis',
        'no i dont have it',
      ],
      'node:nm_wait_receipt',
    ],
    [
      'fr',
      [
        `j'ai envoyé ma demande d'asile en ${monthAgo(6, 'fr')} et toujours pas de convocation`,
        'avec uscis',
        'non pas de reçu',
      ],
      'node:nm_call_receipt',
    ],
  ];
  for (const [lang, messages, expected] of uscis)
    it(`${lang}: "${messages.at(-1)}" after the filing told is answered at once`, () => {
      expect(answered(talkIn(lang, ...messages))[0]).toBe(expected);
    });

  it('en: filed in court months ago, then the judge said so: the call, not "is it time to call?"', () => {
    const snap = talkIn(
      'en',
      `i filed my asylum in court in ${monthAgo(5, 'en')}, no fingerprint letter`,
      'yes the judge said i need them',
    );
    expect(answered(snap)[0]).toBe('node:nm_court_call');
  });

  it('en: filed in court 2 months ago: the hearing may still make it time to call, so it is asked', () => {
    const snap = talkIn(
      'en',
      'i filed my asylum in court 2 months ago, no fingerprint letter',
      'yes the judge said i need them',
    );
    expect(answered(snap)[0]).toBe('node:nm_court_timing');
  });
});
