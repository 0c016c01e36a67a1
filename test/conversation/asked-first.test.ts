import { describe, expect, it } from 'vitest';
import { answered, reader, said, talkIn } from '../support/dialogue.js';

/**
 * "my fingerprint appointment was yesterday" (issue 16): whether they went is not said, and the
 * missed steps would tell someone who went that they missed it. "Did you go?" is asked first
 * (graph.yaml `asked_first`); after a "no", the day the first message told answers "How long
 * ago?" at once; after a "yes", what comes after the appointment.
 */
const asked = (lang: string, message: string) => answered(talkIn(lang, message));

describe('an appointment told as past, going not said', () => {
  const told: [lang: string, message: string][] = [
    ['en', 'my biometrics appointment was yesterday'],
    ['es', 'mi cita de biometricos fue ayer'],
    ['en', 'the fingerprint appointment was last week'],
  ];
  for (const [lang, message] of told)
    it(`${lang}: "${message}" is asked whether they went`, () => {
      expect(asked(lang, message)).toEqual(['asked_went']);
    });

  it('after a "no", answers "How long ago?" with the day told, not asking it', () => {
    const snap = talkIn('en', 'my biometrics appointment was yesterday', 'no');
    expect(said(snap)).toEqual(['node:missed_recent']);
  });

  it('after a "yes", says what comes after the appointment', () => {
    const snap = talkIn('es', 'mi cita de biometricos fue ayer', 'si fui');
    expect(said(snap)).toEqual(['node:appt_went']);
  });

  it('does not ask when the message says they did not go, or that they went', () => {
    expect(asked('en', 'i missed my biometrics appointment yesterday')).toEqual(['node:missed_recent']);
    expect(asked('es', 'no fui a mi cita de huellas ayer')[0]).toMatch(/^node:missed/);
    expect(asked('en', 'i went to my fingerprints yesterday, they stamped the notice')).not.toContain(
      'asked_went',
    );
  });

  it('keeps the day told for the next message only', () => {
    const first = talkIn('en', 'my biometrics appointment was yesterday');
    expect(first.context.answerNext).toBeDefined();
    const next = reader.send(first, 'what do i bring');
    expect(next.context.answerNext).toBeUndefined();
  });
});
