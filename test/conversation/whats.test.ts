import { describe, expect, it } from 'vitest';
import { firstAnswer } from '../support/dialogue.js';

/**
 * "whats" for "what is" (issue 16: heldout, fresh8): "wats biometrics" got the menu, though "what
 * is biometrics" is a phrase of the pack. The English pack's shorthand now spells "whats" and
 * "wats" out as "what is", as it spells "u" as "you".
 */
describe('"whats" is "what is"', () => {
  for (const message of ["what's biometrics", 'whats biometrics??', 'WATS BIOMETRICS', 'what are biometrics'])
    it(`en: "${message}" asks what biometrics are`, () => {
      expect(firstAnswer('en', message)).toBe('node:bio_what');
    });
});
