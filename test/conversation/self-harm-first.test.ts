import { describe, expect, it } from 'vitest';
import { FlowsError, loadFlows } from '../../src/conversation/content.js';
import { partsOf, reader, said, talkIn } from '../support/dialogue.js';
import { flowsWithGraphEdit } from '../support/flows-copy.js';

/**
 * Words of hurting oneself beside another need ("i cant log into my account and i want to die")
 * got that need's steps, with nothing kind and nowhere to turn. graph.yaml `first_when_told` makes
 * the comfort text (distress: a kind word, where to turn, legal help) the answer whatever topic
 * the words name, at a question asked, and while an appointment is being collected, whose draft
 * stays for the next message.
 */
describe('words of hurting oneself come first', () => {
  const beside: [lang: string, text: string][] = [
    ['en', 'i cant log into my uscis account and honestly i want to die'],
    ['en', 'my fingerprint appointment is tomorrow and i want to kill myself'],
    ['es', 'no puedo entrar a mi cuenta y ya no quiero vivir'],
    ['es', 'perdi mi cita de huellas, me quiero morir'],
    ['fr', "j'ai raté mon rdv des empreintes et je veux mourir"],
  ];
  for (const [lang, text] of beside)
    it(`${lang}: "${text}" gets the comfort text`, () => {
      expect(said(talkIn(lang, text))).toContain('node:distress');
    });

  it('at a question asked, the comfort text, not the answer', () => {
    const asked = talkIn('en', 'my fingerprint appointment was yesterday');
    expect(said(reader.send(asked, 'no i didnt go and honestly i want to die'))[0]).toBe('node:distress');
  });

  it('while collecting an appointment, the comfort text; what was collected stays for the next message', () => {
    const collecting = talkIn('en', 'remind me of my appointment', 'dec 18 at 9am');
    expect(said(collecting)).toContain('appt_ask_place');
    const aside = reader.send(collecting, 'houston, i want to die');
    expect(said(aside)[0]).toBe('node:distress');
    expect(aside.context.draft?.date).toBeDefined();
    expect(said(reader.send(aside, 'houston'))).toContain('appt_confirm');
  });

  it('right after the comfort text, the words of hurting oneself get it again, with no "this is all I know"', () => {
    const heard = talkIn('fr', "je suis a bout, je dors plus, j'attends la convocation depuis des mois");
    expect(said(heard)).toContain('node:distress');
    const again = reader.send(heard, 'franchement des fois jai envie de tout laisser tomber, meme la vie');
    expect(said(again)).toEqual(['node:distress']);
  });

  // Blind try 17: "je suis à bout, je dors plus… rien reçu depuis 8 mois" got the steps with no
  // word for how they feel: a kind lead before them, the steps still first.
  for (const [lang, text, node] of [
    [
      'fr',
      'bonjour je suis a bout, jai rien recu depuis 8 mois, pas de rdv empreintes rien, je dors plus',
      'nm_start',
    ],
    [
      'en',
      'i cant sleep, my appointment is friday and i dont have a passport, what do i bring',
      'bring_no_id',
    ],
  ] as const)
    it(`${lang}: "${text}" gets a kind word before the steps`, () => {
      const part = partsOf(talkIn(lang, text)).find((p) => 'node' in p.say && p.say.node === node);
      expect(part?.lead).toBe('distress_lead');
    });

  it('is no comfort text for a plain need', () => {
    expect(said(talkIn('en', 'my fingerprint appointment is tomorrow, what do i bring'))).not.toContain(
      'node:distress',
    );
  });

  it('refuses a first_when_told fact that no message tells', () => {
    const dir = flowsWithGraphEdit('first_when_told: [self_harm]', 'first_when_told: [self_harmm]');
    expect(() => loadFlows(dir)).toThrow(/first_when_told "self_harmm"/);
    expect(() => loadFlows(dir)).toThrow(FlowsError);
  });
});
