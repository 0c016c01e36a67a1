import { describe, expect, it } from 'vitest';
import { ContentRenderer, loadFlows } from '../../src/conversation/content.js';

const flows = loadFlows();
const renderer = new ContentRenderer(flows);

/**
 * Blind try 17: "Votre rendez-vous d'empreintes était le {date}. Avez-vous pu y aller ?" reached a
 * person: the "Did you go?" topic was shown with no appointment to fill its date. A sentence
 * holding a placeholder nothing filled is left out; the rest of the text is sent.
 */
describe('a placeholder nothing filled never reaches a person', () => {
  for (const lang of flows.languages)
    it(`${lang}: the "Did you go?" text without an appointment keeps only its question`, () => {
      const texts = renderer.render(lang, [{ say: { node: 'appt_followup' } }]);
      expect(texts.length).toBeGreaterThan(0);
      for (const text of texts) expect(text).not.toMatch(/\{[a-z_]+\}/);
      expect(texts.join(' ')).toContain('?');
    });

  it('every node text of every language, rendered without parameters, holds no placeholder', () => {
    for (const lang of flows.languages)
      for (const node of flows.nodes.keys())
        for (const text of renderer.render(lang, [{ say: { node } }]))
          expect(text).not.toMatch(/\{[a-z_]+\}/);
  });
});
