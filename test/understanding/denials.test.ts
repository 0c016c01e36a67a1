import { describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/conversation/content.js';
import { pickIntent, Understander } from '../../src/understanding/understand.js';

/**
 * A phrase with a denial ("dont have documents", "no tengo pasaporte", "pas de passeport") holds
 * only where the message denies that thing: a denial (reading.negation of the packs read) a few
 * words before the word after the phrase's denial. Phrases are matched in any order, so before,
 * "what documents i have to take?? dont want them to send me back home" held "dont have documents"
 * and was told what to do without an ID (issue 16).
 */
const understander = new Understander(loadFlows(), { picker: 'matcher' });
const matched = (lang: string, text: string) => pickIntent(understander.understand(text, 0, lang).intents);
const ranked = (lang: string, text: string) =>
  understander.understand(text, 0, lang).intents.map((i) => i.node);

describe('a phrase with a denial', () => {
  const elsewhere: [lang: string, message: string][] = [
    [
      'en',
      'my biometrics is on friday, what documents do i have to bring?? i dont want them to send me away',
    ],
    ['en', 'what documents do i have to carry, dont want any trouble'],
    ['es', 'que documentos tengo que llevar a las huellas? no quiero problemas'],
  ];
  for (const [lang, message] of elsewhere)
    it(`${lang}: "${message}" is not read as having no documents`, () => {
      expect(matched(lang, message)).not.toEqual({ kind: 'sure', node: 'bring_no_id' });
      expect(ranked(lang, message)).toContain('bring');
    });

  const denied: [lang: string, message: string][] = [
    ['en', 'i dont have documents for the appointment'],
    ['es', 'no tengo pasaporte para la cita de huellas'],
    ['fr', "j'ai pas de passeport pour le rdv"],
  ];
  for (const [lang, message] of denied)
    it(`${lang}: "${message}" still has no ID`, () => {
      expect(matched(lang, message)).toEqual({ kind: 'sure', node: 'bring_no_id' });
    });
});
