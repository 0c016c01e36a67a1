import { describe, expect, it } from 'vitest';
import { talkIn } from '../support/dialogue.js';

/**
 * Blind try 22: someone who said their case is in immigration court, and reached the court's steps,
 * then wrote "i dont have any receipt number from uscis, only the court papers" and got the USCIS
 * filers' script (call, say you mailed it more than 3 months ago, give the tracking number),
 * repeated when challenged. Reaching the court's steps tells that they applied in court
 * (graph.yaml `tells: [filed_in_court]`); the USCIS receipt's steps steer back to the court's.
 */
describe('someone who applied in court', () => {
  const court = [
    'hey so my case is in immigration court not uscis. do i even need the fingerprint thing? i never got any letter and its been like 5 months since i filed',
    'i dont remember honestly',
  ];

  it('is not given the USCIS no-receipt steps later', () => {
    const snap = talkIn('en', ...court, 'i dont have any receipt number from uscis, only the court papers');
    expect(snap.context.node).toBe('nm_court_judge');
  });

  it('still gets them without the court told', () => {
    const snap = talkIn(
      'en',
      'i mailed my asylum application 5 months ago and i dont have any receipt number from uscis',
    );
    expect(['nm_call_receipt', 'nm_three_months']).toContain(snap.context.node);
  });
});
