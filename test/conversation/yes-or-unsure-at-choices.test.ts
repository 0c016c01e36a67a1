import { describe, expect, it } from 'vitest';
import { said, talkIn } from '../support/dialogue.js';

/**
 * A yes, or an "I don't know", under several choices (a blind try of main):
 * - "si quiero" under "1 Weekly texts 2 Work permit 3 Account" got "Okay, I'm here when you need
 *   me": the person thought they had signed up. Now: which one, with the choices again.
 * - "no se como ver eso" at "What does your case status say?" got the bare question again, twice;
 *   "i dont know honestly" under "1 With USCIS 2 In court 3 Legal help" got the main menu. Now: a
 *   kind word, help to choose (legal help), and the same choices.
 */
describe('a yes or an "I don\'t know" under several choices', () => {
  it('es: "si quiero" under three offers asks which one', () => {
    const snap = talkIn('es', 'no me ha llegado la carta de las huellas', '1', 'si', '2', 'si quiero');
    expect(snap.context.node).toBe('nm_keep_checking');
    expect(snap.context.effects.flatMap((e) => (e.type === 'reply' ? e.parts : []))[0]?.lead).toBe(
      'which_one',
    );
  });

  // (French "je sais vraiment pas" names the "not sure" topic itself: shown again, choices kept.)
  const unsure: [lang: string, messages: string[], node: string, lead: string][] = [
    [
      'es',
      ['no me ha llegado la carta de las huellas', '1', 'si', 'no se como ver eso'],
      'nm_case_status',
      'unsure_choose',
    ],
    [
      'en',
      ['still no letter for my fingerprints', 'i dont know', 'i dont know honestly'],
      'nm_unsure',
      'unsure_choose',
    ],
    [
      'fr',
      ['toujours pas de convocation pour les empreintes', 'je sais pas', 'je sais vraiment pas'],
      'nm_unsure',
      'same_topic',
    ],
  ];
  for (const [lang, messages, node, lead] of unsure)
    it(`${lang}: "${messages.at(-1)}" keeps the choices, not the menu`, () => {
      const snap = talkIn(lang, ...messages);
      expect(snap.context.node).toBe(node);
      const parts = snap.context.effects.flatMap((e) => (e.type === 'reply' ? e.parts : []));
      expect(parts[0]?.lead, said(snap).join(',')).toBe(lead);
      expect(parts.at(-1)?.choices?.to.length).toBeGreaterThan(1);
    });
});
