import { describe, expect, it } from 'vitest';
import { dayAhead } from '../support/clock.js';
import { reader, said, talkIn } from '../support/dialogue.js';

/** Ten days from the test clock, where the appointments are. */
const day = dayAhead(10, 'America/New_York');

/**
 * Blind try 17: at "Is that right?", "yes. and my son Mateo has one too, same place dec 15 but at
 * 10:30" got "I save one appointment at a time" and the same read-back: the yes was dropped, and
 * Mateo's day and time were lost. Now the one read back is saved, and Mateo's is read back next,
 * with the same office.
 */
describe('a yes with another appointment at the read-back', () => {
  for (const [lang, first, both, yes, name] of [
    [
      'en',
      [`remind me of my biometrics appt ${day.en} at 9am`, 'charlotte nc 28217'],
      `yes. and my son Mateo has one too, same place ${day.en} but at 10:30`,
      'yes',
      'Mateo',
    ],
    [
      'es',
      [`recuerdame mi cita de huellas el ${day.es} a las 9am`, 'charlotte nc 28217'],
      `si, y mi hija Valeria tiene una tambien el ${day.es} a las 10:30 en la misma oficina`,
      'si',
      'Valeria',
    ],
  ] as const)
    it(`${lang}: "${both}" saves the first and reads back the other`, () => {
      const asked = talkIn(lang, ...first);
      expect(said(asked)).toContain('appt_confirm');
      const next = reader.send(asked, both);
      expect(said(next)).toContain('appt_saved');
      expect(next.context.appointments.map((a) => a.time)).toEqual(['09:00']);
      expect(next.context.draft).toMatchObject({ name, date: day.iso, time: '10:30' });
      expect(next.context.draft?.place).toBe(next.context.appointments[0]!.place);
      const saved = reader.send(next, yes);
      expect(saved.context.appointments.map((a) => `${a.name ?? 'own'} ${a.time}`).sort()).toEqual([
        `${name} 10:30`,
        'own 09:00',
      ]);
    });
});
