import { describe, expect, it } from 'vitest';
import { answered, firstAnswer, talkIn } from '../support/dialogue.js';

/**
 * Found by a blind try of main (issue 16). "what do i bring?? i dont have passport it got stolen"
 * got the usual list (bring a notice and an ID), the steps without an ID only offered: now the
 * pack's `no_id` cue steers `bring` there (graph.yaml when_told). "missed the appointment 5 weeks
 * ago" was asked "Did you go?", and "no i couldnt my kid was sick", answering it, got "did you
 * mean…?".
 */
describe('what to bring, with no ID', () => {
  const noId: [lang: string, message: string][] = [
    ['en', 'what i need to bring to the biometric apt?? i dont have passport it got stolen'],
    ['es', 'no tengo pasaporte, que llevo a la cita de huellas'],
    ['fr', "quoi apporter au rdv empreintes? j'ai pas de passeport"],
  ];
  for (const [lang, message] of noId)
    it(`${lang}: "${message}" gets the steps without an ID`, () => {
      expect(firstAnswer(lang, message)).toBe('node:bring_no_id');
    });
  it('en: "what do i bring, i have my passport" is still what to bring', () => {
    expect(firstAnswer('en', 'what do i bring to biometrics, i have my passport')).toBe('node:bring');
  });
});

describe('not going said in other words than the answers to "Did you go?"', () => {
  it('en: "missed the biometric appoinment like 5 weeks ago" is not asked whether they went', () => {
    expect(
      firstAnswer('en', 'missed the biometric appoinment like 5 weeks ago didnt even know about it'),
    ).not.toBe('asked_went');
  });
  it('en: "no i couldnt my kid was sick" answers "Did you go?"', () => {
    const snap = talkIn('en', 'my fingerprint appointment was yesterday', 'no i couldnt my kid was sick');
    expect(answered(snap)[0]).toBe('node:missed_recent');
  });
});
