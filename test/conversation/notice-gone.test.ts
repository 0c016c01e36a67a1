import { describe, expect, it } from 'vitest';
import { answered, talkIn } from '../support/dialogue.js';

/**
 * Where the office is, asked by someone who lost the notice (a blind try of main): after a missed
 * appointment, "i dont know where the office is, i lost the letter" got "the office address is on
 * your appointment notice". The packs' cue `notice_gone` steers bio_lost and bio_notice_where to
 * the answer for a lost notice (graph.yaml when_told). Lost on the way, with the notice, is still
 * bio_lost.
 */
describe('where the office is, with the notice lost', () => {
  const lost: [lang: string, messages: string[]][] = [
    ['en', ['my appointment was yesterday', 'no', 'i dont know where the office is, i lost the letter']],
    ['es', ['donde queda la oficina de huellas? perdi la carta']],
    ['fr', ["je suis perdue je trouve pas le bureau et j'ai perdu la convocation"]],
  ];
  for (const [lang, messages] of lost)
    it(`${lang}: "${messages.at(-1)}" gets the lost notice's answer`, () => {
      expect(answered(talkIn(lang, ...messages))).toContain('node:notice_lost');
    });

  it('en: lost on the way, notice in hand, is still being lost', () => {
    expect(answered(talkIn('en', 'im lost i cant find the building for my fingerprints'))).toEqual([
      'node:bio_lost',
    ]);
  });
});
