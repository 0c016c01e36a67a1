import { describe, expect, it } from 'vitest';
import { answered, talkIn } from '../support/dialogue.js';

/**
 * Reminders are offered for a day the message tells, not for one already saved (blind try 25): a
 * father saved tomorrow's appointment, then asked whether his children come "demain" too, and was
 * offered reminders again, then read his "I already said yes to the reminders" as another
 * appointment to add.
 */
describe("after saving an appointment, the family's question on its day", () => {
  const cases: [lang: string, messages: string[]][] = [
    [
      'fr',
      [
        'mon rdv des empreintes c demain matin 8h30 a Hyattsville',
        'oui',
        'Hyattsville Maryland',
        '1',
        'et mes enfants sont dans mon dossier, ils doivent venir aussi demain?',
      ],
    ],
    [
      'en',
      [
        'my fingerprint appointment is tomorrow at 9am in houston',
        'yes',
        '77002',
        '1',
        'and my kids are on my case, do they have to come tomorrow too?',
      ],
    ],
  ];
  for (const [lang, messages] of cases)
    it(`${lang}: "${messages.at(-1)}" answers the family's question, with no offer for the saved day`, () => {
      const said = answered(talkIn(lang, ...messages));
      expect(said).toContain('node:bio_family');
      expect(said).not.toContain('appt_offer');
    });

  it('en: another day told is still offered', () => {
    const said = answered(
      talkIn(
        'en',
        'my fingerprint appointment is tomorrow at 9am in houston',
        'yes',
        '77002',
        '1',
        'what do i bring to my wifes appointment next friday at 10am?',
      ),
    );
    expect(said).toContain('appt_offer');
  });
});
