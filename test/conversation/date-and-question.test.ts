import { describe, expect, it } from 'vitest';
import { modeOf } from '../../src/conversation/machine.js';
import { answered as answeredIn, talkIn } from '../support/dialogue.js';

/**
 * A message that tells the appointment's day and asks something else, or asks in so many words
 * to be reminded of it (issue 16): the date says which appointment, the rest says what they need.
 * Before, the date made the matcher alone decide, and its tie rule for saving an appointment
 * answered "what papers do I need?" with "What time is the appointment?"; a "remind me the day
 * before" beside the date got the text about when Huella reminds, and the date was lost; a sick
 * child's appointment "tomorrow at 8, how do I change it" was collected as the child's.
 */
const answered = (lang: string, message: string) => {
  const snap = talkIn(lang, message);
  return { mode: modeOf(snap.value), said: answeredIn(snap) };
};

describe('a date told beside a question', () => {
  // Each was collected, or asked "did you mean…?", before.
  const questions: [lang: string, message: string, topics: string[]][] = [
    ['en', 'hello my appt is next friday what documents should i have on me', ['bring']],
    ['fr', 'bonjour mon rdv est le 3 janvier, quels papiers il faut', ['bring']],
    [
      'en',
      'my wife cant go, her appointment is tomorrow 9am, how do we reschedule',
      ['reschedule', 'rs_phone'],
    ],
    [
      'es',
      'mi hijo tiene fiebre y su cita es mañana a las 8 como hago para cambiarla',
      ['reschedule', 'rs_phone'],
    ],
    ['fr', 'mon fils a de la fievre, son rdv est demain a 8h, comment on change', ['reschedule', 'rs_phone']],
  ];
  for (const [lang, message, topics] of questions)
    it(`${lang}: "${message}" is answered, not collected`, () => {
      const { mode, said } = answered(lang, message);
      expect(mode).not.toBe('capturing');
      expect(topics.map((id) => `node:${id}`)).toContain(said[0]);
    });
});

describe('a wish to be reminded, with the date', () => {
  const wishes: [lang: string, message: string][] = [
    ['en', 'can you remind me the day before? my biometrics is on 3/14'],
    ['es', 'me puedes avisar un dia antes? la cita de huellas es el 14 de marzo'],
    ['fr', 'tu peux me rappeler la veille? mon rdv biometrie est le 14 mars'],
  ];
  for (const [lang, message] of wishes)
    it(`${lang}: "${message}" starts saving that day's appointment`, () => {
      const snap = talkIn(lang, message);
      expect(modeOf(snap.value)).toBe('capturing');
      expect(snap.context.draft?.date).toMatch(/-03-14$/);
    });
});
