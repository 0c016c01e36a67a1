import { describe, expect, it } from 'vitest';
import { firstAnswer } from '../support/dialogue.js';

/**
 * Not going, and how long ago, in one message (issue 16): "no pude ir a las huellas, ya pasaron 5
 * semanas, me van a negar el asilo??" gets the steps for that span at once (graph.yaml `not_went`),
 * whatever else its words name (the fear of a denial). Before, only a day named counted ("el 3 de
 * noviembre"); a span ("hace 2 meses", "ça fait 5 semaines") left the fear's answer to win. A span
 * with no words for not going ("faltan 3 semanas": time to come) is no missed appointment.
 */
describe('not going and a span of time past', () => {
  const told: [lang: string, message: string, topic: string][] = [
    ['es', 'no pude ir a las huellas, ya pasaron 5 semanas, me van a negar el asilo??', 'missed_old'],
    [
      'fr',
      "j'ai pas pu aller aux empreintes, ça fait 5 semaines, ils vont refuser mon asile??",
      'missed_old',
    ],
    ['en', 'i couldnt go to my fingerprints, its been 5 weeks now, will they deny me??', 'missed_old'],
    ['es', 'no fui a mi cita de huellas hace 4 dias, todavia puedo ir?', 'missed_recent'],
    // A blind try: "perdí mi cita" (not only "perdí la cita"), and "raté" with no "j'ai", as typed.
    [
      'es',
      'perdi mi cita hace como 5 meses porq me mude y la carta se fue a la otra direccion',
      'missed_old',
    ],
    ['fr', 'raté mon rdv jeudi passé a cause du travail, ça fait 3 jours', 'missed_recent'],
  ];
  for (const [lang, message, topic] of told)
    it(`${lang}: "${message}" gets ${topic}`, () => {
      expect(firstAnswer(lang, message)).toBe(`node:${topic}`);
    });

  it('es: "faltan como 3 semanas" is time to come, not a missed appointment', () => {
    expect(firstAnswer('es', 'se puede cambiar la cita por internet? faltan como 3 semanas')).toBe(
      'node:rs_online',
    );
  });
});
