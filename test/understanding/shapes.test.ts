import { describe, expect, it } from 'vitest';
import { FlowsError, loadFlows } from '../../src/conversation/content.js';
import { reader, said, talkIn } from '../support/dialogue.js';
import { flowsWithGraphEdit } from '../support/flows-copy.js';

/**
 * A USCIS receipt number sent with nothing else (fresh16: "IOE0912345678"): the person hopes
 * Huella can look the case up. Its shape, in any language, is a fact (graph.yaml `shapes`): the
 * answer says Huella sees no case, and where they can check it with that number. Before, it got
 * the menu, or the paper-case steps for its "IOE".
 */
describe('a message told by its shape', () => {
  it.each([
    ['en', 'IOE1234509876'],
    ['es', 'EAC 2190012345'],
    ['fr', 'ioe-0987654321'],
  ])('%s: a receipt number alone ("%s") is answered with where to check the case', (lang, text) => {
    expect(talkIn(lang, text).context.node).toBe('huella_about');
  });

  it('holds only for the number alone: a question beside it, or another number, is read as before', () => {
    expect(talkIn('es', 'IOE1234509876 como va mi caso').context.node).not.toBe('huella_about');
    expect(talkIn('en', '12345678').context.node).not.toBe('huella_about');
    expect(talkIn('en', 'IOE12345').context.node).not.toBe('huella_about');
  });

  it('is answered while a date is asked for too: it is no date', () => {
    const asked = talkIn('en', 'remind me of my appointment');
    const sent = reader.send(asked, 'IOE1234509876');
    expect(sent.context.node).toBe('huella_about');
    expect(said(sent).join(' ')).toContain('node:huella_about');
  });

  it('refuses a shape whose pattern does not compile', () => {
    const dir = flowsWithGraphEdit(
      'receipt_number_sent: "^[a-z]{3}[ -]?\\\\d{10}$"',
      'receipt_number_sent: "^[a-z"',
    );
    expect(() => loadFlows(dir)).toThrow(FlowsError);
    expect(() => loadFlows(dir)).toThrow(/shapes\.receipt_number_sent/);
  });
});
