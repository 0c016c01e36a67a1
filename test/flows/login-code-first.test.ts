import { describe, expect, it } from 'vitest';
import { ContentRenderer } from '../../src/conversation/content.js';
import { flows, partsOf, talkIn } from '../support/dialogue.js';

/**
 * A login code that never comes (both blind tries, 2026-12-06): the account-login answer opened
 * with "Forgot your password?", and the code came second, six SMS segments in. Its first text now
 * speaks to both, in every language.
 */
describe('the account-login answer opens with the code and the password alike', () => {
  const renderer = new ContentRenderer(flows);
  for (const [lang, message, code, password] of [
    ['en', 'the login code never comes to my phone', /code/i, /password/i],
    ['es', 'no me llega el codigo para entrar a mi cuenta de uscis', /código/i, /contraseña/i],
    ['fr', "le code de connexion n'arrive pas", /code/i, /mot de passe/i],
  ] as const)
    it(`${lang}: "${message}"`, () => {
      const snap = talkIn(lang, message);
      const parts = partsOf(snap).filter((p) => 'node' in p.say && p.say.node === 'acct_password');
      expect(parts).toHaveLength(1);
      const first = renderer.render(lang, parts)[0]!.split('\n')[0]!;
      expect(first).toMatch(code);
      expect(first).toMatch(password);
    });
});
