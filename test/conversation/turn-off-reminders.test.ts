import { describe, expect, it } from 'vitest';
import { ContentRenderer } from '../../src/conversation/content.js';
import { flows, partsOf, talkIn } from '../support/dialogue.js';

const renderer = new ContentRenderer(flows);
const SAVE: Record<string, string[]> = {
  en: ['remind me of my appointment dec 20 at 9am in houston', 'yes'],
  es: ['recuerdame mi cita el 20 de diciembre a las 9am en houston', 'si'],
};

/**
 * Turning reminders off in words (a blind try): at the list, "ya no me mandes recordatorios" got
 * "nothing changed, still saved with its reminders", and "delete it pls i dont need it no more"
 * got "Nothing changed yet": a denial anywhere in the message was read as holding the cancel
 * back. Now only a "no" that opens the message, or one said of the cancelling, holds it back.
 * The saved line no longer invites "cancel", which alone on SMS is a carrier opt-out keyword that
 * ends every text.
 */
describe('turning reminders off in words', () => {
  it('es: "ya no me mandes recordatorios" at the list turns them off', () => {
    expect(
      talkIn('es', ...SAVE.es!, 'mis citas', 'ya no me mandes recordatorios').context.appointments,
    ).toEqual([]);
  });

  it('en: "delete it pls i dont need it no more" at "what do you want to do with it?" turns them off', () => {
    const snap = talkIn('en', ...SAVE.en!, 'my appointments', '1', 'delete it pls i dont need it no more');
    expect(snap.context.appointments).toEqual([]);
  });

  it('en: a "no" said of the cancelling still keeps it', () => {
    expect(
      talkIn('en', ...SAVE.en!, 'my appointments', '1', 'no dont cancel it').context.appointments,
    ).toHaveLength(1);
  });

  it('en: the saved line does not invite "cancel", an SMS opt-out keyword', () => {
    const saved = renderer.render('en', partsOf(talkIn('en', ...SAVE.en!))).join('\n');
    expect(saved).toMatch(/^Saved\./m);
    expect(saved).not.toMatch(/cancel/i);
  });
});
