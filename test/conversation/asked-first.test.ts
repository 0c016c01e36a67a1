import { describe, expect, it } from 'vitest';
import { FlowsError, loadFlows } from '../../src/conversation/content.js';
import { dayAhead } from '../support/clock.js';
import { answered, reader, said, talkIn } from '../support/dialogue.js';
import { flowsWithGraphEdit } from '../support/flows-copy.js';

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

  // A day of the month gone by, nothing else said: the same question (fresh4, fresh15).
  const fourDaysAgo = dayAhead(-4);
  const dated: [lang: string, message: string][] = [
    ['en', `my fingerprint appointment was on ${fourDaysAgo.en}`],
    ['en', `appointment was ${fourDaysAgo.enShort}`],
    ['es', `mi cita de huellas fue el ${fourDaysAgo.es}`],
  ];
  for (const [lang, message] of dated)
    it(`${lang}: "${message.replace(/\d+/g, 'N')}" (a day gone by) is asked whether they went`, () => {
      expect(asked(lang, message)).toEqual(['asked_went']);
    });

  it('after a "no" to a day gone by, the days since it answer "How long ago?"', () => {
    const snap = talkIn('es', `mi cita de huellas fue el ${fourDaysAgo.es}`, 'no fui');
    expect(said(snap)).toEqual(['node:missed_recent']);
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

/**
 * A reason they could not go, told with the day (fresh13: "mon rdv c'était hier mais j'étais
 * hospitalisée… je sors seulement aujourd'hui"): they did not go, so the question is not asked
 * and the day answers "How long ago?" (graph.yaml `told_by` on the choice); told as the answer,
 * it is the "no". Its "aujourd'hui" is not the appointment's day.
 */
describe('an appointment told as past, with a reason they could not go', () => {
  const told: [lang: string, message: string][] = [
    ['en', 'my appointment was yesterday but i was in the hospital'],
    ['en', 'yesterday was my appointment, i had no ride'],
    ['es', 'mi cita fue ayer pero estaba enferma'],
    ['es', 'mi cita era ayer, tuve que trabajar'],
    ['fr', "mon rdv était hier mais j'étais malade"],
    ['fr', "mon rdv c'était hier, j'étais hospitalisée, je sors aujourd'hui"],
  ];
  for (const [lang, message] of told)
    it(`${lang}: "${message}" gets the steps for a recent miss`, () => {
      expect(asked(lang, message)).toEqual(['node:missed_recent']);
    });

  it('a reason told as the answer to "Did you go?" is a no', () => {
    expect(said(talkIn('es', 'mi cita de biometricos fue ayer', 'estaba en el hospital'))).toEqual([
      'node:missed_recent',
    ]);
  });

  it('refuses a told_by fact that no message tells', () => {
    const dir = flowsWithGraphEdit('told_by: [sick, cant_attend,', 'told_by: [sick, cant_atend,');
    expect(() => loadFlows(dir)).toThrow(/told_by "cant_atend"/);
    expect(() => loadFlows(dir)).toThrow(FlowsError);
  });

  it('refuses an unless_told fact that no message tells', () => {
    const dir = flowsWithGraphEdit('unless_told: [turned_away]', 'unless_told: [turned_awy]');
    expect(() => loadFlows(dir)).toThrow(/unless_told "turned_awy"/);
  });
});
