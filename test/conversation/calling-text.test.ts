import { describe, expect, it } from 'vitest';
import { FlowsError, loadFlows } from '../../src/conversation/content.js';
import { answered, partsOf, talkIn } from '../support/dialogue.js';
import { flowsWithGraphEdit } from '../support/flows-copy.js';

/**
 * The calling steps end with "other ways: online if more than 12 hours away; walk in if you missed
 * it a few weeks ago at most". Blind try 15 got that line after a miss months ago, after waiting for
 * a notice, and in a court case. graph.yaml `last_text_unless` leaves the last text out for facts
 * told now or before.
 */
describe('the calling steps, fitted to what was told', () => {
  const calling = (lang: string, ...messages: string[]) => {
    const snap = talkIn(lang, ...messages);
    expect(answered(snap)[0]).toBe('node:call_uscis');
    return partsOf(snap).find((p) => 'node' in p.say && p.say.node === 'call_uscis')!;
  };

  it('after a miss months ago, without the walk-in line', () => {
    expect(
      calling('en', 'i missed my appointment 2 months ago', 'what do i say when i call').withoutLast,
    ).toBe(true);
    expect(calling('es', 'perdi mi cita hace 3 meses', 'y q les digo cuando llame?').withoutLast).toBe(true);
  });

  it('asked on its own, whole', () => {
    expect(calling('en', 'what do i say when i call uscis').withoutLast).toBeUndefined();
  });

  it('refuses a fact no message or node tells', () => {
    const dir = flowsWithGraphEdit(
      'last_text_unless: [missed_weeks_ago,',
      'last_text_unless: [missed_week_ago,',
    );
    expect(() => loadFlows(dir)).toThrow(FlowsError);
    expect(() => loadFlows(dir)).toThrow(/last_text_unless "missed_week_ago"/);
  });
});
