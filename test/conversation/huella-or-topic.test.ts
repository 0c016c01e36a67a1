import { describe, expect, it } from 'vitest';
import { firstAnswer } from '../support/dialogue.js';

/**
 * A question about Huella's own texts ("do the reminders come to me or to him?") and a topic
 * named by more of the message's words (issue 16): "the codes go to his phone" is about the USCIS
 * account someone else made, not about where Huella's reminders go.
 */
const first = firstAnswer;

describe('a topic named by more words than a question about Huella', () => {
  const account: [lang: string, message: string][] = [
    ['en', 'my cousin opened my uscis account with his email and now the codes go to his phone not mine'],
    ['es', 'mi primo me abrio la cuenta de uscis con su correo y los codigos le llegan a el, no a mi'],
    ['fr', 'mon cousin a cree mon compte uscis avec son email et les codes arrivent sur son telephone'],
  ];
  for (const [lang, message] of account)
    it(`${lang}: "${message}" is about the account`, () => {
      expect(first(lang, message)).toBe('node:acct_not_mine');
    });

  const huella: [lang: string, message: string][] = [
    ['en', "do my husband's reminders come to me or to him?"],
    ['es', 'los recordatorios de mi esposo me llegan a mi o a el?'],
  ];
  for (const [lang, message] of huella)
    it(`${lang}: "${message}" is still about Huella's reminders`, () => {
      expect(first(lang, message)).toBe('reminders_where_reply');
    });
});
