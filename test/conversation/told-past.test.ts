import { describe, expect, it } from 'vitest';
import { modeOf } from '../../src/conversation/machine.js';
import { answered, talkIn } from '../support/dialogue.js';

/**
 * A message that tells a span of time past ("il y a deux mois", "5 weeks ago") and no date ahead
 * (issue 16): there is no appointment ahead to save, whatever its words for one ("mon rdv est le",
 * "remind"). Before, such a message started collecting an appointment ("What day is it?") or was
 * told a date had passed; now the saving is left out as when the letter never came (Kit.pick).
 */
describe('a span of time past, no date ahead', () => {
  const past: [lang: string, message: string][] = [
    ['fr', "mon rdv est le truc des empreintes, c'etait il y a 5 semaines, est ce que c'est trop tard"],
    ['fr', "mon rendez vous est passé il y a deux mois, personne ne m'a rappelé depuis"],
    ['en', 'my appointment is on my mind, it was like 2 months ago and nobody sent me a reminder'],
    ['en', 'the appointment was 5 weeks ago, i need a reminder of what to do now'],
  ];
  for (const [lang, message] of past)
    it(`${lang}: "${message}" starts no saving`, () => {
      const snap = talkIn(lang, message);
      expect(modeOf(snap.value)).not.toBe('capturing');
      expect(answered(snap)).not.toContain('appt_day_past');
    });

  it('en: a date ahead beside a span past is still saved ("got the letter 2 weeks ago, it is on…")', () => {
    const snap = talkIn(
      'en',
      'i got the letter 2 weeks ago, my biometrics appointment is next friday at 9am',
    );
    expect(modeOf(snap.value)).toBe('capturing');
  });
});

/**
 * "Louper" is missing it, in French as people speak it ("j'ai loupé le rdv"); "j'ai rater", the
 * participle typed as the infinitive, too (a blind try of main: it got the text for distress).
 */
describe('louper, rater', () => {
  it('fr: "jai rater mon rendez vous dempreinte hier, je suis tres stresse" gets the steps for a recent miss', () => {
    expect(answered(talkIn('fr', 'jai rater mon rendez vous dempreinte hier, je suis tres stresse'))[0]).toBe(
      'node:missed_recent',
    );
  });
  it('fr: "j\'ai loupé le rdv biometrie la semaine derniere" gets the steps for a recent miss', () => {
    expect(answered(talkIn('fr', "j'ai loupé le rdv biometrie la semaine derniere"))[0]).toBe(
      'node:missed_recent',
    );
  });
});
