import { describe, expect, it } from 'vitest';
import { modeOf } from '../../src/conversation/machine.js';
import { answeredAs, answered as answeredIn, talkIn } from '../support/dialogue.js';

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

/**
 * The matcher sure of one topic and the classifier confident of another, in a message that tells a
 * date: the classifier's is answered, as in a message with no date (topic-pick.ts, answerAt), unless
 * the classifier's would be saving the appointment, or the matcher's is and the message names the
 * reminders. Before, the date left the
 * matcher alone: "tengo la cita on the 12 … and cant miss it, can i move it" got the missed steps.
 * The readings are set by hand here, so the rule is tested whatever the phrases and training say.
 */
describe('a dated message the matcher and the classifier read as two topics', () => {
  /** `text` from a new conversation, its matcher's topic and the classifier's set to these. */
  const readAs = (lang: string, text: string, matcher: string, classifier: string) =>
    answeredAs(lang, text, {
      intents: [{ node: matcher, score: 3.4 }],
      topics: [{ node: classifier, score: 3 }],
    });
  const cases: [lang: string, text: string][] = [
    ['en', 'my appointment is on the 20th at 9am, can i do something about it'],
    ['es', 'mi cita es el 20 a las 9, puedo hacer algo'],
    ['fr', 'mon rdv est le 20 a 9h, je peux faire quelque chose'],
  ];
  const remindToo: Record<string, string> = {
    en: 'my appointment is on the 20th at 9am, can you remind me?',
    es: 'mi cita es el 20 a las 9, me la puedes recordar?',
    fr: 'mon rdv est le 20 a 9h, vous pouvez me le rappeler?',
  };
  for (const [lang, text] of cases) {
    it(`${lang}: the classifier's confident topic is answered, not the matcher's`, () => {
      expect(readAs(lang, text, 'missed', 'reschedule')[0]).toBe('node:reschedule');
    });
    // The question is answered, saving offered after it, unless it is about the reminders
    // (fresh11: "J'ai un rendez-vous avec immigration le 15, je dois amener quoi?" was collected).
    it(`${lang}: saving the appointment, when the matcher is sure of it, gives way to the question`, () => {
      expect(readAs(lang, text, 'appt_add', 'reschedule')[0]).toBe('node:reschedule');
    });
    it(`${lang}: saving the appointment, when the message names the reminders, is still started`, () => {
      expect(readAs(lang, remindToo[lang]!, 'appt_add', 'reschedule')[0]).not.toBe('node:reschedule');
    });
    it(`${lang}: saving is not started on the classifier's word alone`, () => {
      expect(readAs(lang, text, 'bring', 'appt_add')[0]).toBe('node:bring');
    });
  }
});
