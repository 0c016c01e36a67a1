import { describe, expect, it } from 'vitest';
import type { ConversationSnapshot } from '../../src/conversation/machine.js';
import { reader, said as saidAll, talkIn } from '../support/dialogue.js';

/**
 * One long message, several needs (issue 16, wanted 4): the main one answered, the other offered
 * under it with the next number, instead of "did you mean…?" between two right answers.
 */
function first(lang: string, message: string): ConversationSnapshot {
  return talkIn(lang, message);
}
/** What the reply said, the introduction left out. */
const said = (snap: ConversationSnapshot) => saidAll(snap).filter((s) => s !== 'intro');

describe('a long message with two needs', () => {
  const cases: [string, string, string, string][] = [
    ['en', 'what do i need to bring and can my kids come with me to the appointment', 'bring', 'bio_family'],
    [
      'es',
      'necesito saber que documentos llevo y si puedo llevar a mis hijos a la cita',
      'bring',
      'bio_family',
    ],
    // Unsure between the two: the likelier answered, the other offered.
    [
      'fr',
      'quoi apporter au rdv et est ce que ma famille doit venir aussi, mon mari et les enfants',
      'bio_family',
      'bring',
    ],
  ];
  for (const [lang, message, main, other] of cases)
    it(`${lang}: "${message}": answers ${main}, offers ${other} under it, its number picks it`, () => {
      const snap = first(lang, message);
      expect(said(snap)).toEqual([`node:${main}`, 'also_asked']);
      // Numbered on from the answer's own choices, "0 Menu" once, at the end.
      const n = snap.context.offered.indexOf(other) + 1;
      expect(n).toBe(snap.context.offered.length);
      const text = reader.flows.packs.get(lang)!;
      expect(text.nodes[other]!.label).toBeTruthy();
      const picked = reader.send(snap, String(n));
      expect(said(picked)[0]).toBe(`node:${other}`);
    });

  it('still asks "which one?" for a short message that may mean two topics', () => {
    const snap = first('en', 'help with my appointment');
    expect(said(snap)).toEqual(['clarify']);
  });

  it('never answers a list of topics as the main need (that would be a second menu)', () => {
    const snap = first('en', 'i want to open an online account with uscis how');
    expect(said(snap)).not.toContain('also_asked');
  });
});
