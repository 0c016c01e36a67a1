import { describe, expect, it } from 'vitest';
import { answered, talkIn } from '../support/dialogue.js';

/**
 * "0", shown as "0 Menu" under every list, leaves collecting an appointment at every step: at
 * "What time?" a bare "0" was read as midnight and the ZIP code asked next (blind try 26).
 */
describe('"0" while an appointment is collected', () => {
  for (const [lang, messages] of [
    ['en', ['remind me of my appointment', 'december 12', '0']],
    ['es', ['recuerdame mi cita', '12 de diciembre', '0']],
    ['fr', ['rappelle moi mon rdv', '12 decembre', '0']],
  ] as const)
    it(`${lang}: at "What time?", "0" is the menu`, () => {
      const snap = talkIn(lang, ...messages);
      expect(answered(snap)).toContain('node:menu');
      expect(snap.value).not.toHaveProperty('capturing');
    });

  it('en: "10" at "What time?" is still a time', () => {
    expect(answered(talkIn('en', 'remind me of my appointment', 'december 12', '10'))).toEqual([
      'appt_ask_place',
    ]);
  });
});
