import { describe, expect, it } from 'vitest';
import { firstAnswer } from '../support/dialogue.js';

/**
 * A weekday told in the past with not going (issue 16, fresh8): "the appointment was monday and i
 * couldnt go… today is wednesday can i still go there?" read Monday as next Monday and "today" as
 * the appointment's day, and got the way to change an appointment within 12 hours. A weekday right
 * after a past word of the pack (`dates.soft_past`: "was", "era", "c'était") is last week's; an
 * appointment missed days ago is no last-minute change. "was moved to monday" stays ahead.
 * (Dates are relative to the test clock, a Sunday.)
 */
describe('a weekday told in the past, not gone to', () => {
  const missed: [lang: string, message: string][] = [
    [
      'en',
      'the appointment was monday and i couldnt go, my baby had fever all night. today is wednesday can i still go there?',
    ],
    ['en', 'my appointment was on monday but i couldnt go because of work'],
    ['es', 'la cita era el lunes y no pude ir, mi niño estaba enfermo'],
    ['fr', "le rdv c'etait lundi et j'ai pas pu y aller"],
  ];
  for (const [lang, message] of missed)
    it(`${lang}: "${message}" is a recent miss`, () => {
      expect(firstAnswer(lang, message)).toBe('node:missed_recent');
    });

  it('en: "was moved to monday and i cant go" is an appointment ahead', () => {
    expect(firstAnswer('en', 'my appointment was moved to monday and i cant go')).toBe('node:reschedule');
  });
});
