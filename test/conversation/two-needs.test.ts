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
  // Each need, as the topics that answer it ("can my kids come": their own appointments, or
  // bringing someone). One is answered; the other is offered in the same reply, by the answer's
  // own choices or under it ("You may also be asking about…"), and its number opens it.
  const cases: [string, string, string[], string[]][] = [
    [
      'en',
      'what do i need to bring and can my kids come with me to the appointment',
      ['bring'],
      ['bio_family', 'bring_someone'],
    ],
    [
      'es',
      'necesito saber que documentos llevo y si puedo llevar a mis hijos a la cita',
      ['bring'],
      ['bio_family', 'bring_someone'],
    ],
    [
      'fr',
      'quoi apporter au rdv et est ce que ma famille doit venir aussi, mon mari et les enfants',
      ['bring'],
      ['bio_family', 'bring_someone'],
    ],
  ];
  for (const [lang, message, one, two] of cases)
    it(`${lang}: "${message}": answers one need, and the other's number opens it`, () => {
      const snap = first(lang, message);
      const answered = said(snap)[0]?.replace(/^node:/, '') ?? '';
      const other = one.includes(answered) ? two : two.includes(answered) ? one : undefined;
      expect(other, `answered ${answered}`).toBeDefined();
      // Not "did you mean…?": an answer, the other need among its numbered choices.
      expect(said(snap)).not.toContain('clarify');
      const offered = snap.context.offered.findIndex((id) => other!.includes(id));
      expect(offered, `offered: ${snap.context.offered.join(', ')}`).toBeGreaterThanOrEqual(0);
      const picked = reader.send(snap, String(offered + 1));
      expect(said(picked)[0]).toBe(`node:${snap.context.offered[offered]}`);
    });

  it('offers under the answer, numbered on, a need that the answer does not offer itself', () => {
    const snap = first(
      'en',
      'my password doesnt work and also i want to know what to bring to my biometrics',
    );
    expect(said(snap)).toEqual(['node:acct_password', 'also_asked']);
    // The other need comes last, after the answer's own choices, "0 Menu" once at the end.
    expect(snap.context.offered.at(-1)).toBe('bring');
    const picked = reader.send(snap, String(snap.context.offered.length));
    expect(said(picked)[0]).toBe('node:bring');
  });

  it('never starts saving, nor offers to save, an appointment when the letter has not come', () => {
    // "jai pas encore recu la lettre" holds the words of "jai recu la lettre" (a letter to save).
    for (const [lang, message] of [
      ['fr', 'bjr jai pas encore recu la lettre pour les empreintes, jai envoye mon dossier il y a 2 mois'],
      [
        'en',
        'hello i still have not received the letter for my fingerprints, i sent my application 2 months ago',
      ],
      ['es', 'hola todavia no me llega la carta de las huellas, mande mi aplicacion hace 2 meses'],
      // The words of a letter that came ("recu la convocation"), said of one that did not.
      [
        'fr',
        'bonjour j ai demande l asile il y a 5 mois et j ai toujours pas recu la convocation pour les empreintes',
      ],
      [
        'en',
        'hello i applied 5 months ago and i still havent received the appointment letter for fingerprints',
      ],
      ['es', 'buenas, pedi asilo hace 5 meses y no he recibido la carta de la cita de huellas'],
    ] as const) {
      const snap = first(lang, message);
      expect(snap.value, `${lang}: ${message}`).not.toHaveProperty('capturing');
      const capture = snap.context.offered.filter((id) => reader.flows.nodes.get(id)?.capture);
      expect(capture, `${lang}: ${said(snap).join(', ')}`).toEqual([]);
      expect(snap.context.appointments).toEqual([]);
    }
  });

  it('still asks "which one?" for a short message that may mean two topics', () => {
    const snap = first('en', 'help with my appointment');
    expect(said(snap)).toEqual(['clarify']);
  });

  it('never answers a list of topics as the main need (that would be a second menu)', () => {
    const snap = first('en', 'i want to open an online account with uscis how');
    expect(said(snap)).not.toContain('also_asked');
  });

  // A topic chosen by the classifier or a cue has no phrase weight of its own: a stray word's
  // topic ("case", "cuenta") was offered under it ("legal help… you may also be asking about: the
  // online account"), and under the self-harm line the way to move an appointment (fresh14).
  for (const [lang, message, answered] of [
    ['en', 'do i have a good chance to win my asylum case', 'legal_help'],
    ['fr', "est-ce que j'ai des chances de gagner mon dossier d'asile?", 'legal_help'],
    ['es', 'me siento tan mal que ya no quiero seguir viviendo', 'distress'],
  ] as const)
    it(`${lang}: "${message}": ${answered}, with no topic offered that no phrase names`, () => {
      const snap = first(lang, message);
      expect(said(snap)).toEqual([`node:${answered}`]);
    });
});
