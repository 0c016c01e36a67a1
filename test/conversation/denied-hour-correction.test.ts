import { describe, expect, it } from 'vitest';
import { dayAhead } from '../support/clock.js';
import { reader, said, talkIn } from '../support/dialogue.js';

/** Ten days from the test clock, where the appointment is. */
const day = dayAhead(10, 'America/New_York');
const inEn = day.en;
const inEs = day.es;

/**
 * Blind try 17: with the writer's appointment at 9 and Mateo's at 10:30 saved, Mateo's last,
 * "wait sorry mine is at 8:30 not 9" started a third appointment; both 9:00 and 8:30 stayed saved
 * and reminders would have come twice. The hour said to be wrong names the saved one to put right.
 */
describe('a correction names the saved appointment by the hour it says is wrong', () => {
  for (const [lang, first, second, fix, yes] of [
    [
      'en',
      [`remind me of my biometrics appt ${inEn} at 9am in charlotte nc 28217`, 'yes'],
      [`my son Mateo has one ${inEn} at 10:30 same office`, 'yes'],
      'wait sorry mine is at 8:30 not 9, i looked at the letter again',
      'yes',
    ],
    [
      'es',
      [`recuerdame mi cita de huellas el ${inEs} a las 9am en charlotte nc 28217`, 'si'],
      [`mi hijo Mateo tiene una el ${inEs} a las 10:30 en la misma oficina`, 'si'],
      'perdon la mia es a las 8:30 no a las 9',
      'si',
    ],
  ] as const)
    it(`${lang}: "${fix}" changes the one at 9, and only it`, () => {
      const both = talkIn(lang, ...first, ...second);
      expect(both.context.appointments.map((a) => a.time).sort()).toEqual(['09:00', '10:30']);
      const fixed = reader.send(reader.send(both, fix), yes);
      expect(said(fixed).join(' ')).not.toContain('appt_ask_date');
      expect(fixed.context.appointments.map((a) => `${a.name ?? 'own'} ${a.time}`).sort()).toEqual([
        'Mateo 10:30',
        'own 08:30',
      ]);
    });
});
