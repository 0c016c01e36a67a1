import { describe, expect, it } from 'vitest';
import { testNow } from '../support/clock.js';
import { answered, firstAnswer, talkIn } from '../support/dialogue.js';

/**
 * "The judge said I need biometrics, and no letter came" (issue 16): to call USCIS or to wait
 * turns on when they filed and when their hearing is (the seed: call after 3 months, or with the
 * hearing under 6 months away). Before, the judge's words went straight to "call", even from
 * someone who had filed two weeks before. Now graph.yaml asks nm_court_timing first
 * (`asked_first: always`), unless the message tells a filing 3 months ago or more (the call
 * choice's `ago`), which answers it.
 */
const first = firstAnswer;

describe('the judge asked for biometrics and no notice came', () => {
  const untimed: [lang: string, message: string][] = [
    ['es', 'en la corte la jueza me dijo que tenia que hacer los biometricos pero no me ha llegado nada'],
    ['fr', "au tribunal le juge m'a dit de faire les empreintes mais j'ai rien reçu encore"],
    ['en', 'judge wants my fingerprints taken, i filed in court two weeks ago, nothing in the mail'],
  ];
  for (const [lang, message] of untimed)
    it(`${lang}: "${message}" is asked whether it is time to call`, () => {
      expect(first(lang, message)).toBe('node:nm_court_timing');
    });

  const late: [lang: string, message: string][] = [
    ['en', 'the judge ordered biometrics, i filed my asylum in court 4 months ago and still nothing'],
    ['es', 'el juez me ordeno las huellas, meti el asilo en la corte hace 4 meses y nada'],
    ['fr', "le juge a ordonné la biometrie, j'ai deposé l'asile au tribunal il y a 4 mois et rien"],
  ];
  for (const [lang, message] of late)
    it(`${lang}: "${message}" is told to call: filed 3 months ago or more answers the question`, () => {
      expect(first(lang, message)).toBe('node:nm_court_call');
    });

  it('en: the question answered with a span of 3 months or more is the call, under it the question stays', () => {
    const asked = talkIn(
      'en',
      'judge wants my fingerprints taken, i filed in court two weeks ago, nothing in the mail',
    );
    expect(
      answered(talkIn('en', 'judge wants my fingerprints taken, nothing in the mail yet', '5 months ago'))[0],
    ).toBe('node:nm_court_call');
    expect(asked.context.node).toBe('nm_court_timing');
    expect(
      answered(talkIn('en', 'judge wants my fingerprints taken, nothing in the mail yet', 'no'))[0],
    ).toBe('node:nm_court_wait');
  });
});

/**
 * Blind try 14: "the judge told me at my master hearing i need to do biometrics…" was not read as
 * the judge's word (words between), so "i filed my i589 at court" asked again whether the judge
 * said so; and "…in august" was no month told (the form's number "589" read as a day).
 */
describe('the court path, told in a few messages', () => {
  const judge =
    'the judge told me at my master hearing i need to do biometrics but nothing came in the mail yet';
  it('remembers the judge said so, with words between', () => {
    const snap = talkIn('en', judge, 'i filed my i589 at court');
    expect(snap.context.told).toContain('judge_said');
    expect(answered(snap)).toEqual(['node:nm_court_timing']);
  });
  it('reads a month told with the form’s number as the filing month: 5 months ago is time to call', () => {
    const month = testNow().setZone('America/New_York').minus({ months: 5 }).toFormat('LLLL').toLowerCase();
    expect(answered(talkIn('en', judge, `i filed my i589 at court in ${month}`))).toEqual([
      'node:nm_court_call',
    ]);
  });
});
