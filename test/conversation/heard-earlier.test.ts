import { describe, expect, it } from 'vitest';
import { testNow } from '../support/clock.js';
import { said, talkIn } from '../support/dialogue.js';

/**
 * An appointment told while asking something else, then reminders asked for a few messages later
 * (blind try 14: "hi i got a letter for fingerprints on dec 18 at 2pm… can i change it", then
 * "ok nvm i will just go. remind me the day before pls" got when Huella reminds, and the date
 * had to be typed again). The day told is kept (`heard`) and collecting starts from it.
 */
describe('reminders asked for after an appointment told earlier', () => {
  const day = testNow().setZone('America/New_York').plus({ days: 26 });
  const told = `hi i got a letter for fingerprints on ${day.toFormat('LLLL d')} at 2pm but i start a new job that day can i change it`;

  it('collects the day and time told earlier, asking only the place', () => {
    const snap = talkIn(
      'en',
      told,
      'how do i do it online',
      'ok nvm i will just go. remind me the day before pls',
    );
    expect(said(snap)).toEqual(['appt_ask_place']);
    expect(snap.context.draft).toMatchObject({ date: day.toISODate(), time: '14:00' });
    expect(snap.context.heard).toBeUndefined();
  });

  it('without an appointment told before, says when Huella reminds', () => {
    expect(said(talkIn('en', 'how do i change my appointment', 'remind me the day before pls'))).toEqual([
      'reminders_when',
    ]);
  });
});
