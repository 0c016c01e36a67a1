import { describe, expect, it } from 'vitest';
import { FlowsError, loadFlows } from '../../src/conversation/content.js';
import { answered, talkIn } from '../support/dialogue.js';
import { flowsWithGraphEdit } from '../support/flows-copy.js';

/**
 * What was told earlier in the conversation steers a later answer (blind try 10): told her mother
 * missed it 2 months ago, "elle peut pas juste aller au bureau directement?" got "if it was less
 * than a few weeks ago, you can try going to the office". Reaching the steps for an appointment
 * missed weeks ago keeps that (graph.yaml `tells: [missed_weeks_ago]`); the office steps then
 * give the call steps again.
 */
describe('an appointment missed weeks ago, then the office asked about', () => {
  for (const [lang, first, office] of [
    [
      'fr',
      "j'ecris pour ma mere, elle a rate son rdv d'empreintes il y a 2 mois",
      'elle peut pas juste aller au bureau directement?',
    ],
    ['en', 'i missed my fingerprint appointment 2 months ago', 'cant i just go to the office and explain?'],
    // Blind try 12: the month named, then the office as another day ("Already missed it? Reply 2").
    ['en', 'I missed my appointment 10 weeks ago', 'can i just go to the office instead'],
    [
      'fr',
      "j'ai raté mon rdv d'empreintes il y a 2 mois",
      'je peux pas juste aller au bureau un autre jour?',
    ],
  ] as const)
    it(`${lang}: "${office}" gets the call steps again`, () => {
      const snap = talkIn(lang, first, office);
      expect(answered(snap)[0]).toBe('node:missed_old');
    });

  it('en: with nothing told before, going to the office soon after is still the office steps', () => {
    expect(
      answered(talkIn('en', 'i missed my appointment 3 days ago, can i just go to the office?'))[0],
    ).toBe('node:missed_recent');
  });
});

/**
 * "whats the number again" right after the steps with the number (blind try 11) got "did you mean:
 * calling USCIS, or the account number?". Asked again, in a short message whose topic is in
 * doubt, the answer just given comes again (`again_asked`).
 */
describe('the answer asked for again', () => {
  for (const [lang, first, again] of [
    ['en', 'i missed my fingerprint appointment 2 months ago', 'whats the number again'],
    ['es', 'falte a la cita de huellas hace 2 meses', 'cual era el numero otra vez'],
  ] as const)
    it(`${lang}: "${again}" gives the same steps again`, () => {
      expect(answered(talkIn(lang, first, again))[0]).toBe('node:missed_old');
    });
});

/**
 * The judge's silence, told first, holds for later answers (graph.yaml `remembered`): "what if the
 * judge says I needed it" got the call steps, which tell USCIS the judge said so (blind try 13).
 */
describe('what the judge said, told earlier', () => {
  for (const [lang, first, later] of [
    [
      'en',
      'I filed my asylum in immigration court 8 months ago and never got a fingerprint letter. the judge never said anything about it',
      'ok but my individual hearing is in feb, like 2 months. what if the judge says i needed it',
    ],
    [
      'fr',
      'mon dossier est au tribunal depuis 8 mois, pas de convocation pour les empreintes, le juge a rien dit',
      'mon audience finale est dans 2 mois, et si le juge dit que je devais les faire?',
    ],
  ] as const)
    it(`${lang}: "${later}" is not the call steps`, () => {
      expect(answered(talkIn(lang, first))[0]).toBe('node:nm_court_not_needed');
      const snap = talkIn(lang, first, later);
      expect(answered(snap)[0]).toBe('node:nm_court_not_needed');
      expect(snap.context.told).toContain('judge_silent');
    });

  it('replaces the silence once they say the judge did ask for it', () => {
    const snap = talkIn(
      'en',
      'I filed my asylum in immigration court 8 months ago and never got a fingerprint letter. the judge never said anything about it',
      'sorry i remembered wrong, the judge said i need biometrics',
    );
    expect(snap.context.told).toContain('judge_said');
    expect(snap.context.told).not.toContain('judge_silent');
  });

  it('remembers a lost notice: missed days ago later, the call, not "go to the office on your notice" (blind try 18)', () => {
    for (const [lang, lost, missed] of [
      ['en', 'i lost my appointment letter', 'i missed it, it was 4 days ago'],
      ['es', 'perdí la carta de la cita', 'y ya paso la cita, no fui, fue hace 4 dias'],
    ] as const) {
      const snap = talkIn(lang, lost, missed);
      expect(snap.context.told).toContain('notice_gone');
      expect(snap.context.node).toBe('call_uscis');
    }
    // Without the notice lost, the office on it is the step.
    expect(talkIn('en', 'i missed it, it was 4 days ago').context.node).toBe('missed_recent');
  });

  it('refuses a not_when_told fact that no message tells', () => {
    const dir = flowsWithGraphEdit(
      'not_when_told: [work_reason+!permit_words]',
      'not_when_told: [work_reasons]',
    );
    expect(() => loadFlows(dir)).toThrow(/work_permit not_when_told "work_reasons", which no message tells/);
  });

  it('refuses a remembered fact that no message tells', () => {
    const dir = flowsWithGraphEdit('judge_silent: [judge_said]', 'judge_silent: [judge_sad]');
    expect(() => loadFlows(dir)).toThrow(FlowsError);
    expect(() => loadFlows(dir)).toThrow(/remembered "judge_sad"/);
  });
});
