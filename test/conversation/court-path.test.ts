import { describe, expect, it } from 'vitest';
import { answered, talkIn } from '../support/dialogue.js';

/**
 * The court path, from a blind try of main (issue 16):
 * - "yes the judge told me" at "Did the judge tell you…?" got the question again: its words name
 *   the call, a topic the answers lead to, which is no other topic (Kit.pickAnswer);
 * - "si el juez me dijo" at "USCIS or court?" went straight to "call and say InfoPass",
 *   skipping the seed's condition (3 months since the I-589, or a hearing within 6 months): a
 *   question always asked first is asked in the middle of another (AskedFirst.before);
 * - "no tengo mi carta de huellas, estoy en corte" was asked "USCIS or court?": a question graph.yaml
 *   marks `skipped_when_told` is answered by the message's own words for one choice;
 * - "hace 2 semanas" to the 3-month question got the weekly texts: a span no choice holds asks
 *   the question again;
 * - "le juge a rien dit pour les empreintes" got "is it time to call?": the packs' cue
 *   `judge_silent` steers the court topics to "most in court need none" (graph.yaml when_told).
 */
describe('the court path', () => {
  const yesWithWords: [lang: string, first: string, yes: string][] = [
    ['en', 'still no letter for my fingerprints, my case is in immigration court', 'yes the judge told me'],
    [
      'fr',
      'jai toujours pas ma convocation pour les empreintes, mon dossier est au tribunal',
      'oui le juge a dit',
    ],
  ];
  for (const [lang, first, yes] of yesWithWords)
    it(`${lang}: "${yes}" answers the judge question, and the time to call is asked`, () => {
      expect(answered(talkIn(lang, first))).toEqual(['node:nm_court_judge']);
      expect(answered(talkIn(lang, first, yes))).toEqual(['node:nm_court_timing']);
    });

  it('es: court told up front skips "USCIS or court?"; the judge\'s yes still asks the time to call', () => {
    expect(answered(talkIn('es', 'no tengo mi carta de huellas, estoy en corte'))).toEqual([
      'node:nm_court_judge',
    ]);
    expect(answered(talkIn('es', 'no me ha llegado la carta de huellas', 'si el juez me dijo'))).toEqual([
      'node:nm_court_timing',
    ]);
  });

  it('es: a span under 3 months at that question asks it again, not the weekly texts', () => {
    const snap = talkIn('es', 'no me ha llegado la carta de huellas', 'si el juez me dijo', 'hace 2 semanas');
    expect(snap.context.node).toBe('nm_court_timing');
    expect(answered(snap)).not.toContain('node:weekly_optin');
  });

  // The judge said nothing (fresh8, fr set): the no of "Did the judge tell you…?", told first.
  const silent: [lang: string, message: string][] = [
    ['en', 'my case is in court and the judge didnt say anything about fingerprints, do i need them?'],
    ['es', 'estoy en corte y el juez no me dijo nada de huellas, tengo que ir?'],
    [
      'fr',
      'mon dossier est au tribunal, le juge a rien dit pour les empreintes. je dois quand meme faire la biometrie?',
    ],
  ];
  for (const [lang, message] of silent)
    it(`${lang}: "${message}" is told most in court need none`, () => {
      expect(answered(talkIn(lang, message))[0]).toBe('node:nm_court_not_needed');
    });

  // A blind try: "le juge ma rien dit" (m'a typed "ma") got the judge's yes questions.
  it('fr: "le juge ma rien dit", as typed, is the judge saying nothing', () => {
    expect(
      answered(talkIn('fr', 'le juge ma rien dit sur la biometrie, mon dossier est au tribunal'))[0],
    ).toBe('node:nm_court_not_needed');
  });

  // A blind try: "el juez me dijo q necesito huellas… aplique hace 5 meses" was told most in court
  // need none. The judge's yes (judge_said), told first, with a filing 3 months ago or more: the call.
  const said: [lang: string, message: string][] = [
    [
      'en',
      'im in immigration court, the judge told me i need fingerprints, i filed 6 months ago and nothing came',
    ],
    [
      'es',
      'mi caso esta en corte, el juez me dijo que necesito huellas y aplique hace 5 meses, no me llega nada',
    ],
    ['fr', "je suis au tribunal, le juge m'a dit de faire les empreintes, j'ai déposé il y a 5 mois et rien"],
  ];
  for (const [lang, message] of said)
    it(`${lang}: "${message}" gets the call, not "most need none"`, () => {
      expect(answered(talkIn(lang, message))[0]).toBe('node:nm_court_call');
    });
});
