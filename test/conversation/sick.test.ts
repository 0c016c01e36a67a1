import { describe, expect, it } from 'vitest';
import { firstAnswer } from '../support/dialogue.js';

/**
 * Sick, with the appointment near (issue 16, a blind try of main): "je suis malade mon rdv … cest
 * demain matin que faire" got what happens on the day (bio_day), in en and es too. The pack's
 * `sick` cue now steers bio_day and bio_what to rescheduling (graph.yaml when_told).
 */
describe('sick, asking what to do about the appointment', () => {
  const sick: [lang: string, message: string][] = [
    ['en', 'im sick my appointment is tomorrow morning what do i do'],
    ['es', 'tengo fiebre y la cita es mañana, que hago'],
    ['fr', "j'ai de la fievre et le rdv est demain, je fais quoi"],
  ];
  for (const [lang, message] of sick)
    it(`${lang}: "${message}" gets rescheduling`, () => {
      expect(firstAnswer(lang, message)).toBe('node:reschedule');
    });
  it('en: "what happens at the appointment tomorrow" is still about the day', () => {
    expect(firstAnswer('en', 'what happens at my biometrics appointment tomorrow')).toMatch(
      /^node:bio_(day|what)$/,
    );
  });
});
