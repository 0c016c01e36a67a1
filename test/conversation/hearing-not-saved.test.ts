import { describe, expect, it } from 'vitest';
import { FlowsError, loadFlows } from '../../src/conversation/content.js';
import { answered, talkIn } from '../support/dialogue.js';
import { flowsWithGraphEdit } from '../support/flows-copy.js';

/**
 * A court hearing told with its date and a wish for reminders (blind try 14): "ok y mi audiencia
 * es el 3 de marzo a las 8:30 me recuerdan?" was collected and saved as the fingerprint
 * appointment; its reminders said "su cita de huellas" and to call USCIS to move it. A hearing
 * with no word of the fingerprints is answered as a court date (graph.yaml appt_add when_told
 * "hearing_words+!bio_words": a fact part written "!" is one the message does not tell).
 */
describe('a court hearing is not saved as the fingerprint appointment', () => {
  const hearings: [lang: string, message: string][] = [
    ['es', 'mi audiencia es el 3 de marzo a las 8:30 me recuerdan?'],
    ['en', 'my court hearing is march 3 at 8:30 in houston can u remind me'],
    ['fr', "mon audience au tribunal c'est le 3 mars à 8h30, vous pouvez me le rappeler?"],
  ];
  for (const [lang, message] of hearings)
    it(`${lang}: "${message}" gets the court dates answer, nothing collected`, () => {
      const snap = talkIn(lang, message);
      expect(answered(snap)).toEqual(['node:court_date']);
      expect(snap.context.draft).toBeUndefined();
      expect(snap.context.appointments).toEqual([]);
    });

  it('the fingerprint appointment told beside a hearing is still collected', () => {
    const snap = talkIn(
      'en',
      'my fingerprints are march 3 at 8:30 in houston, my court is in july, remind me',
    );
    expect(answered(snap)).toEqual(['appt_confirm']);
  });

  it('refuses a fact made only of what the message does not tell', () => {
    const dir = flowsWithGraphEdit('hearing_words+!bio_words: court_date', '"!bio_words": court_date');
    expect(() => loadFlows(dir)).toThrow(FlowsError);
    expect(() => loadFlows(dir)).toThrow(/when_told "!bio_words"/);
  });
});
