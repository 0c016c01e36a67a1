import { describe, expect, it } from 'vitest';
import { TEST_NOW } from '../support/clock.js';
import { answered, talkIn } from '../support/dialogue.js';

/** A day a month from the tests' instant, as each language writes it. */
const day = (lang: string, format: string) => TEST_NOW.plus({ days: 30 }).setLocale(lang).toFormat(format);

/**
 * "0", shown as "0 Menu" under every list, leaves collecting an appointment at every step: at
 * "What time?" a bare "0" was read as midnight and the ZIP code asked next (blind try 26).
 */
describe('"0" while an appointment is collected', () => {
  for (const [lang, messages] of [
    ['en', ['remind me of my appointment', day('en', 'LLLL d'), '0']],
    ['es', ['recuerdame mi cita', day('es', "d 'de' LLLL"), '0']],
    ['fr', ['rappelle moi mon rdv', day('fr', 'd LLLL'), '0']],
  ] as const)
    it(`${lang}: at "What time?", "0" is the menu`, () => {
      const snap = talkIn(lang, ...messages);
      expect(answered(snap)).toContain('node:menu');
      expect(snap.value).not.toHaveProperty('capturing');
    });

  it('en: "10" at "What time?" is still a time', () => {
    expect(answered(talkIn('en', 'remind me of my appointment', day('en', 'LLLL d'), '10'))).toEqual([
      'appt_ask_place',
    ]);
  });
});
