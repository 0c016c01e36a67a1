import { describe, expect, it } from 'vitest';
import { dayAhead } from '../support/clock.js';
import { reader, talkIn } from '../support/dialogue.js';

/**
 * The writer's appointment told first with no word for "mine", then a family member's (issue 16,
 * a blind try of main): "tengo cita … a las 8 y mi esposa Rosa a las 8:30, en Houston" was read as
 * one appointment, Rosa's, at 8:00; a plain "sí" saved her half an hour early, and the writer's was
 * then read back at 8:30. The words before the family member's part are the writer's own
 * appointment when they tell a time (whose-parts.ts, inbound-event.ts peopleTold); the name said
 * in her part is kept for hers, and the place said once is both's.
 */
describe("the writer's appointment, then a family member's, in one message", () => {
  const day = dayAhead(14);
  const told: [lang: string, message: string][] = [
    [
      'es',
      `hola tengo cita de huellas el ${day.es} a las 8 y mi esposa Rosa a las 8:30, en Houston. me recuerdan?`,
    ],
    ['en', `hi i have my fingerprints ${day.en} at 8am and my wife Rosa at 8:30am, in Houston. remind us?`],
    [
      'fr',
      `bonjour j'ai rdv biometrie le ${day.day} ${day.at.setLocale('fr').toFormat('LLLL')} a 8h et ma femme Rosa a 8h30, a Houston. vous pouvez nous rappeler?`,
    ],
  ];
  for (const [lang, message] of told)
    it(`${lang}: each is read back with their own time and saved so`, () => {
      const first = talkIn(lang, message);
      expect(first.context.draft).toMatchObject({ date: day.iso, time: '08:00', place: 'Houston, TX' });
      expect(first.context.draft?.name).toBeUndefined();
      const second = reader.send(first, '1');
      expect(second.context.draft).toMatchObject({
        name: 'Rosa',
        date: day.iso,
        time: '08:30',
        place: 'Houston, TX',
      });
      const saved = reader.send(second, '1').context.appointments;
      expect(saved.map((a) => [a.name ?? null, a.date, a.time])).toEqual([
        [null, day.iso, '08:00'],
        ['Rosa', day.iso, '08:30'],
      ]);
    });
});
