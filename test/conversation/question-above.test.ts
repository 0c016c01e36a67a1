import { describe, expect, it } from 'vitest';
import { answeredAs } from '../support/dialogue.js';

/**
 * "Did you mean…?" between a question and topics under its answers (issue 16): "no letter yet for
 * fingerprints. sent my i-589 in january" was asked to choose between "no notice yet", "I have a
 * receipt" and "I have no receipt", which is what the question "Did you get a receipt notice?"
 * sorts out. Now that question is asked: it is the way to each of them. Topics not all under it
 * are still offered to choose from. The readings are set by hand, so the rule is tested whatever
 * the phrases and the training say.
 */
/** The first reply to `text` read as unsure among `candidates`. */
const unsureAmong = (lang: string, text: string, candidates: string[]) => {
  const ranked = candidates.map((node, i) => ({ node, score: 1.9 - i * 0.01 }));
  return answeredAs(lang, text, { intents: ranked, topics: ranked });
};

describe('a question above the topics a message may mean', () => {
  const texts: [lang: string, text: string][] = [
    ['en', 'i have a question about my case please'],
    ['es', 'tengo una pregunta sobre mi caso por favor'],
    ['fr', "j'ai une question sur mon dossier svp"],
  ];
  for (const [lang, text] of texts) {
    it(`${lang}: the question is asked, not "did you mean…?" among it and its answers`, () => {
      expect(unsureAmong(lang, text, ['nm_start', 'nm_receipt', 'nm_wait_receipt'])[0]).toBe('node:nm_start');
      expect(unsureAmong(lang, text, ['nm_wait_receipt', 'nm_three_months'])[0]).toBe('node:nm_three_months');
    });
    it(`${lang}: topics not all under one question are still offered`, () => {
      expect(unsureAmong(lang, text, ['nm_start', 'missed_old'])[0]).toBe('clarify');
    });
  }
});
