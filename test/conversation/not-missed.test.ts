import { describe, expect, it } from 'vitest';
import { answered, talkIn } from '../support/dialogue.js';

/**
 * "non jai pas manqué, le rdv c le 15 janvier" was read as missed, twice, and the person with an
 * appointment next month was told to walk into the office (blind try 26). Not missing it, said
 * so, keeps every missed step away (graph.yaml not_when_told: not_missed).
 */
const NOT_MISSED: Record<string, string> = {
  en: 'no i didnt miss it, its in january',
  es: 'no falte, la cita es en enero',
  fr: 'non jai pas manqué mon rdv, cest en janvier',
};

describe('not missed, said so', () => {
  for (const [lang, text] of Object.entries(NOT_MISSED))
    it(`${lang}: "${text}" gets none of the missed steps`, () => {
      const said = answered(talkIn(lang, text));
      expect(said.filter((s) => s.startsWith('node:missed') || s === 'node:nm_missed_no_notice')).toEqual([]);
    });

  it('en: missing it, said so, is still missed', () => {
    expect(answered(talkIn('en', 'i missed my appointment'))).toContain('node:missed');
  });
});
