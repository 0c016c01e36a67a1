import { describe, expect, it } from 'vitest';
import { ContentRenderer } from '../../src/conversation/content.js';
import { answered, flows, partsOf, talkIn } from '../support/dialogue.js';

const renderer = new ContentRenderer(flows);

/**
 * The weekly wait told or asked about unprompted (fresh4 and fresh5): "nothing again this week"
 * got "no notice yet: USCIS or court?" or a "did you mean…?", and "what do I check every week?"
 * got the weekly sign-up. The two topics Huella sends itself had no phrases and no training
 * messages; now they have both (written blind for the training). The weekly "not yet" text said
 * "I will check with you again next week", untrue for someone not signed up: it now says what to
 * keep checking, and offers the steps for a notice that has not come.
 */
describe('the weekly wait, told or asked about unprompted', () => {
  const nothing: [lang: string, message: string][] = [
    ['en', 'hey just so you know, another week and nothing came in the mail'],
    ['es', 'buenas, otra semana y nada, no llego ninguna carta'],
    ['fr', 'bonjour, encore rien cette semaine dans la boite aux lettres'],
  ];
  for (const [lang, message] of nothing)
    it(`${lang}: "${message}" gets the week's "not yet"`, () => {
      expect(answered(talkIn(lang, message))[0]).toBe('node:weekly_no');
    });

  const asks: [lang: string, message: string][] = [
    ['en', 'sorry what do i check each week while i wait for the letter?'],
    ['es', 'que es lo que tengo que revisar cada semana mientras espero?'],
    ['fr', 'je dois regarder quoi chaque semaine en attendant la convocation?'],
  ];
  for (const [lang, message] of asks)
    it(`${lang}: "${message}" gets what to check each week`, () => {
      expect(answered(talkIn(lang, message))[0]).toBe('node:weekly_check');
    });

  it('en: the "not yet" text promises no weekly text to someone not signed up, and offers the next steps', () => {
    const text = renderer.render('en', partsOf(talkIn('en', 'nothing came this week either'))).join('\n');
    expect(text).not.toMatch(/check with you again next week/i);
    expect(text).toMatch(/case status/);
    expect(text).toMatch(/No notice yet/i);
  });
});
