import { describe, expect, it } from 'vitest';
import { said, talkIn } from '../support/dialogue.js';

/**
 * What a person told earlier steers which answer fits (issue 16): someone still waiting for a
 * notice who asks "who do I call?" gets the step of that wait (graph.yaml `tells` and `when_told`),
 * not the words to reschedule an appointment they do not have.
 */
const last = (lang: string, ...messages: string[]) => said(talkIn(lang, ...messages)).at(-1);

describe('what was told steers the answer', () => {
  it('who to call, with a receipt notice: their case status first', () => {
    expect(last('en', 'hi', 'i never got my biometrics letter', 'uscis', 'yes', 'who do i call')).toBe(
      'node:nm_case_status',
    );
    expect(
      last('es', 'hola', 'no me ha llegado la carta de huellas', 'con uscis', 'si', 'a quien llamo?'),
    ).toBe('node:nm_case_status');
  });

  it('who to call, with no receipt notice: whether 3 months have passed', () => {
    expect(last('en', 'hi', 'i never got my biometrics letter', 'uscis', 'no', 'who do i call')).toBe(
      'node:nm_three_months',
    );
  });

  it('who to call, having said only that no notice came: whether a receipt came', () => {
    expect(last('es', 'hola', 'no me ha llegado la carta de huellas', 'a quien llamo?')).toBe(
      'node:nm_receipt',
    );
  });

  it('with nothing told, or once an appointment is saved, the number and what to say', () => {
    expect(last('en', 'hi', 'who do i call')).toBe('node:call_uscis');
    const saved = [
      'hi',
      'i never got my biometrics letter',
      'uscis',
      'yes',
      'remind me',
      'dec 20 at 9am',
      '77002',
      'yes',
    ];
    expect(talkIn('en', ...saved).context.told).toBeUndefined();
    expect(last('en', ...saved, 'who do i call')).toBe('node:call_uscis');
  });

  it('keeps what the path told, and a number picked from a list is taken as picked', () => {
    const waiting = ['hi', 'i never got my biometrics letter', 'uscis', 'yes'];
    expect(talkIn('en', ...waiting).context.told).toEqual(['waiting_notice', 'has_receipt']);
    const someone = talkIn('en', ...waiting, 'can my lawyer come with me');
    expect(said(someone)[0]).toBe('node:bring_someone');
    const n = someone.context.offered.indexOf('call_uscis') + 1;
    expect(n).toBeGreaterThan(0);
    expect(last('en', ...waiting, 'can my lawyer come with me', String(n))).toBe('node:call_uscis');
  });
});
