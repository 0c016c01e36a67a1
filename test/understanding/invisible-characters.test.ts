import { describe, expect, it } from 'vitest';
import { boundText } from '../../src/understanding/bound.js';
import { answered, talkIn } from '../support/dialogue.js';

/**
 * Invisible format characters (a blind try, 2026-12-06): zero-width spaces inside "what do i
 * bring", with a right-to-left override at the end, got the plain menu. They are taken out before
 * any reader sees the text; what is visible stays as it is.
 */
describe('invisible characters inside words', () => {
  it('are taken out, and bounding twice changes nothing', () => {
    const typed = 'what\u200b do\u200c i\u200d br\u00ading\u202e \u2066ok\u2069';
    expect(boundText(typed)).toBe('what do i bring ok');
    expect(boundText(boundText(typed))).toBe(boundText(typed));
  });

  for (const [lang, typed, topic] of [
    ['en', 'wh\u200bat do i br\u200bi\u200cng\u202e', 'bring'],
    ['es', 'q lle\u200bvo a la ci\u200dta', 'bring'],
    ['fr', 'quoi ap\u200bpor\u00adter\u200f au rdv', 'bring'],
  ] as const)
    it(`${lang}: "${typed}" is read as its visible words`, () => {
      expect(answered(talkIn(lang, typed))[0]).toBe(`node:${topic}`);
    });

  it('keeps letters, accents and emoji that are not format characters', () => {
    expect(boundText('mañana 🙏 ça')).toBe('mañana 🙏 ça');
  });
});
