import { describe, expect, it } from 'vitest';
import { dayAhead } from '../support/clock.js';
import { firstAnswer, talkIn } from '../support/dialogue.js';

/**
 * "I missed it… the letter never came" (issue 16): not the steps for a missed appointment (go
 * back to the office, or call and explain) but those for a notice that never came
 * (`nm_missed_no_notice`: call, say the notice did not come, ask for a new one). graph.yaml
 * steers the missed topics there by a fact the message tells with its cues:
 * `not_received+notice_words`. Something else that never came (the bus) steers nothing.
 */
const first = firstAnswer;
/** Days before the test's today, as people write them: "11/10" (en), "10/11" (es, fr), "10 de noviembre", "10 novembre". */
const ago = dayAhead(-12);
const agoFr = ago.at.setLocale('fr').toFormat('d LLLL');

describe('a missed appointment whose notice never came', () => {
  const noNotice: [lang: string, message: string][] = [
    ['en', 'i missed my biometrics 2 weeks ago because the letter never came'],
    ['en', 'my appointment was last monday but i never got the notice so i didnt go'],
    ['es', `no fui a la cita del ${dayAhead(-20).es}, el aviso nunca llego a mi casa`],
    ['fr', 'jai raté le rdv biometrie il y a 10 jours, jai jamais recu la lettre'],
    ['fr', 'mon rdv etait lundi dernier mais la convocation est jamais arrivee, jy suis pas alle'],
    // In doubt between the missed steps and another topic: steered, one topic is left to show.
    ['fr', 'jai vu sur internet que le rdv etait la semaine derniere mais jai jamais eu la lettre'],
  ];
  for (const [lang, message] of noNotice)
    it(`${lang}: "${message}" gets the steps for a notice that never came`, () => {
      expect(first(lang, message)).toBe('node:nm_missed_no_notice');
    });

  const otherThing: [lang: string, message: string][] = [
    ['en', 'i missed my appointment last week, the bus never came'],
    ['fr', 'jai raté le rdv lundi, le bus est jamais arrivé'],
  ];
  for (const [lang, message] of otherThing)
    it(`${lang}: "${message}" gets the missed steps`, () => {
      expect(first(lang, message)).toMatch(/^node:missed/);
    });
});

describe('a past appointment told with a letter that never came', () => {
  it('is never collected as an appointment to be reminded of', () => {
    const snap = talkIn('en', 'online it says my biometrics was last week but no letter ever came');
    expect(snap.value).not.toHaveProperty('capturing');
  });
});

/**
 * The date the appointment was on has passed and the letter never came, told with no word of
 * missing it: the topics of a wait for a notice (nm_start, the case status…) steer there too,
 * by `not_received+notice_words+date_passed` (graph.yaml). A date that is the filing's does not.
 */
describe('a date that has passed and a letter that never came', () => {
  const passed: [lang: string, message: string][] = [
    [
      'en',
      `the uscis site says my fingerprints were scheduled for ${ago.at.month}/${ago.day} but no letter ever came to my house`,
    ],
    ['es', `en el estatus del caso sale que mi cita de huellas era el ${ago.es} pero nunca recibi la carta`],
    [
      'fr',
      `sur case status c'est marqué que mon rdv biometrie etait le ${agoFr} mais j'ai jamais reçu la lettre`,
    ],
    // Saving it left out (the date has passed), the classifier's topics are asked about.
    [
      'es',
      `vi en la pagina de uscis que tenia biometricos el ${ago.day}/${ago.at.month} y jamas me llego el aviso`,
    ],
  ];
  for (const [lang, message] of passed)
    it(`${lang}: "${message}" gets the steps for a notice that never came`, () => {
      expect(first(lang, message)).toBe('node:nm_missed_no_notice');
    });

  const filed: [lang: string, message: string][] = [
    ['en', `i applied on ${ago.en} and i never received any notice yet`],
  ];
  for (const [lang, message] of filed)
    it(`${lang}: "${message}" is still a wait for the notice`, () => {
      expect(first(lang, message)).toBe('node:nm_start');
    });
});
