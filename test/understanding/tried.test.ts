import { describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/conversation/content.js';
import { pickIntent, Understander } from '../../src/understanding/understand.js';

const understander = new Understander(loadFlows());

/**
 * Messages typed in hands-on tries of the running service that first got a wrong topic, with the
 * topic they need. Kept so a later change to flows/ or the matcher cannot bring the mistake back.
 */
const TRIED: [text: string, topic: string][] = [
  ['i lost my apointment letter', 'bio_notice_where'],
  ['perdi la carta de mi cita', 'bio_notice_where'],
  ['i lost the paper they sent me for fingerprints', 'bio_notice_where'],
  ['perdí el papel que me mandaron de las huellas', 'bio_notice_where'],
  ['no encuentro el papel de la cita', 'bio_notice_where'],
  ['i threw away the letter by mistake', 'bio_notice_where'],
  ['wen is my apointmnt', 'bio_notice_where'],
  ['idk wat to bring', 'bring'],
  ['nose q llevar', 'bring'],
  ['will they deny my case', 'bio_why'],
  ['tengo miedo de ir a la cita, me van a detener?', 'legal_help'],
  ['will they arrest me at the appointment', 'legal_help'],
];

describe('messages from hands-on tries', () => {
  for (const [text, topic] of TRIED) {
    it(`"${text}" leads to ${topic}`, () => {
      expect(pickIntent(understander.understand(text, 0).intents)).toEqual({ kind: 'sure', node: topic });
    });
  }

  it('"what do I bring" still leads to what to bring, in both languages', () => {
    expect(pickIntent(understander.understand('what do i bring', 0).intents)).toEqual({
      kind: 'sure',
      node: 'bring',
    });
    expect(pickIntent(understander.understand('que papeles llevo', 0).intents)).toEqual({
      kind: 'sure',
      node: 'bring',
    });
  });
});
