import { describe, expect, it } from 'vitest';
import { dayAhead } from '../support/clock.js';
import { reader, said, talkIn } from '../support/dialogue.js';

/** Ten days from the test clock, where the appointment is. */
const day = dayAhead(10, 'America/Los_Angeles');
const inEn = day.en;
const inEs = day.es;

/**
 * Blind try 16: right after the list of saved appointments, "mi hija Valeria tambien tiene el
 * mismo dia pero a las 9 y cuarto, misma oficina. la puedes guardar tambien?" got "did you
 * mean…?" and every detail had to be typed again. Asking to save it ("guardar", "save it") asks
 * nothing besides: the relative's appointment is collected, with the day and the office of the
 * one saved.
 */
describe("a relative's appointment told after the list of saved ones", () => {
  for (const [lang, saved, list, another, name] of [
    [
      'es',
      [`recuerdame mi cita de huellas el ${inEs} a las 8am en los angeles 90012`, 'si'],
      'q guardaste al final?',
      'mi hija Valeria tambien tiene el mismo dia pero a las 9 y cuarto, misma oficina. la puedes guardar tambien?',
      'Valeria',
    ],
    [
      'en',
      [`remind me of my fingerprint appointment ${inEn} at 8am in los angeles 90012`, 'yes'],
      'what did you save',
      'my son Leo has one the same day at 9:15, same office, can you save it too?',
      'Leo',
    ],
  ] as const)
    it(`${lang}: "${another}" is read back to save, with the same day`, () => {
      const listed = talkIn(lang, ...saved, list);
      expect(said(listed)).toContain('node:appt_list');
      const told = reader.send(listed, another);
      expect(said(told)).toContain('appt_confirm_named');
      expect(told.context.draft?.name).toBe(name);
      expect(told.context.draft?.date).toBe(day.iso);
      expect(told.context.draft?.time).toBe('09:15');
    });
});
