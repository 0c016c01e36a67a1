import { describe, expect, it } from 'vitest';
import { ContentRenderer } from '../../src/conversation/content.js';
import { dayAhead } from '../support/clock.js';
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

  // Blind try 17: "turn it off thats the wrong one" got "OK, I did not change anything": its
  // "wrong one" was read as a refusal, and "turn it off" was no cancel word.
  it('en: "turn it off thats the wrong one" turns them off; "no dont turn it off" keeps it', () => {
    expect(
      talkIn('en', ...SAVE.en!, 'my appointments', '1', 'turn it off thats the wrong one').context
        .appointments,
    ).toEqual([]);
    expect(
      talkIn('en', ...SAVE.en!, 'my appointments', '1', 'no dont turn it off').context.appointments,
    ).toHaveLength(1);
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

/**
 * Right after saving (blind try 10): "borrala por favor", "cancel it" got "I did not understand"
 * and the appointment stayed with its reminders; "stop sending me stuff" too. A cancel word about
 * "it" opens the list, where the one to turn off is chosen (and a "no, don't" still keeps it); a
 * wish that nothing more be sent is STOP.
 */
describe('turning off right after saving, in few words', () => {
  const day = dayAhead(25);
  const saved: Record<string, string[]> = {
    en: ['remind me of my appointment', `${day.en} at 9am 77002`, 'yes'],
    es: ['recuerdame mi cita', `el ${day.es} a las 9 en el 77002`, 'si'],
    fr: [
      'rappel de mon rendez-vous svp',
      `le ${day.day} ${day.at.setLocale('fr').toFormat('LLLL')} à 9h 77002`,
      'oui',
    ],
  };
  for (const [lang, text] of [
    ['en', 'cancel it'],
    ['en', 'delete it pls'],
    ['es', 'borrala por favor'],
    ['es', 'cancelala, ya no la necesito'],
    ['fr', 'annule le stp'],
  ] as const)
    it(`${lang}: "${text}" opens the list to turn it off`, () => {
      const snap = talkIn(lang, ...saved[lang]!, text);
      expect(snap.context.appointments).toHaveLength(1);
      expect(partsOf(snap).map((p) => ('node' in p.say ? p.say.node : p.say.system))).toContain('appt_list');
    });

  for (const [lang, text] of [
    ['en', 'stop sending me stuff'],
    ['es', 'ya no me mandes nada'],
    ['fr', "m'envoyez plus rien svp"],
  ] as const)
    it(`${lang}: "${text}" stops every text`, () => {
      expect(talkIn(lang, ...saved[lang]!, text).value).toBe('optedOut');
    });
});

/**
 * At the list, not being able to go (blind try 11): "ok y si no puedo ir ese dia porque trabajo"
 * got "nothing changed, still saved": its "no" was read as a refusal. It is a question: the way to
 * change the date with USCIS.
 */
describe('not able to go, told at the list', () => {
  for (const [lang, text] of [
    ['es', 'ok y si no puedo ir ese dia porque trabajo'],
    ['en', 'what if i cant go that day, i have to work'],
  ] as const)
    it(`${lang}: "${text}" gets the way to change the date`, () => {
      const list = lang === 'es' ? 'mis citas' : 'my appointments';
      const snap = talkIn(lang, ...SAVE[lang]!, list, text);
      // Answered, or offered by "did you mean…?"; never "nothing changed".
      const said = partsOf(snap).map((p) => ('node' in p.say ? p.say.node : p.say.system));
      expect([...said, ...snap.context.offered]).toContain('reschedule');
      expect(said).not.toContain('appt_kept');
      expect(snap.context.appointments).toHaveLength(1);
    });
});
