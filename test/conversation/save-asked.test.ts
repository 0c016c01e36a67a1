import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { TEST_NOW } from '../support/clock.js';
import { said, talkIn } from '../support/dialogue.js';

/**
 * Blind try 21: a daughter at "Is that right?" and "What should I fix?" wrote "ya no sé qué poner…
 * todo está bien, solo guárdala" and got "No guardé…": nothing saved, in words a tired person can
 * miss. A man at "Which date is it?" wrote "laisse tomber. jpense c le 5 janvier 8h, tu peux me
 * rappeler la veille?" and his reminder went with the question he dropped. Asked to save is an
 * answer; "no la guardes" is not.
 */
const month = (d: DateTime, lang: string) => d.setLocale(lang).toFormat('d LLLL');
const ahead = TEST_NOW.plus({ days: 40 });
/** A day ahead whose day and month can be read both ways (the 5th of January: 01/05 or 05/01). */
const twoWays = (() => {
  let d = TEST_NOW.plus({ days: 30 });
  // Read the other way round it must be ahead too, or there is nothing to ask.
  const swapped = (x: DateTime) => DateTime.fromObject({ year: x.year, month: x.day, day: x.month });
  while (d.day > 12 || d.day === d.month || swapped(d) < TEST_NOW.plus({ days: 7 })) d = d.plus({ days: 1 });
  return d;
})();

describe('asked to save while an appointment is read back', () => {
  const told = {
    es: [
      `la cita de mi mama es el ${month(ahead, 'es').replace(' ', ' de ')} a las 10 de la mañana, me manda recordatorio`,
      // Her mother's: her first name is asked first (blind try 24).
      'Rosa',
      'es en los angeles california',
    ],
    en: [`remind me my appointment ${ahead.setLocale('en').toFormat('LLLL d')} at 10am`, 'newark nj'],
  };

  it.each([
    ['es', 'solo guardala'],
    ['es', 'ya no se q poner. la fecha esta bien todo esta bien solo guardala'],
    ['en', 'just save it'],
  ] as const)('%s: "%s" at "Is that right?" saves it', (lang, text) => {
    const snap = talkIn(lang, ...told[lang], text);
    expect(said(snap)).toContain('appt_saved');
    expect(snap.context.appointments).toHaveLength(1);
  });

  it('reads it back at "What should I fix?" (a yes then saves it), and keeps it unsaved when told not to', () => {
    const fixing = talkIn('es', ...told.es, 'no');
    expect(said(fixing)).toContain('appt_fix_ask');
    const asked = ['no', 'ya no se q poner. la fecha esta bien todo esta bien solo guardala'];
    expect(said(talkIn('es', ...told.es, ...asked))).toContain('appt_confirm_named');
    expect(talkIn('es', ...told.es, ...asked, 'si').context.appointments).toHaveLength(1);
    const refused = talkIn('es', ...told.es, 'no la guardes');
    expect(refused.context.appointments).toHaveLength(0);
    expect(said(refused)).not.toContain('appt_saved');
  });

  it('keeps the reminder asked for beside "forget it" and a date, and still stops on "forget it" alone', () => {
    const asked = `rappelle moi mon rdv d'empreintes, la lettre dit ${twoWays.toFormat('MM/dd/yyyy')} a 8:00 AM`;
    expect(said(talkIn('fr', asked))).toContain('appt_which_date');
    const kept = talkIn(
      'fr',
      asked,
      `laisse tomber. jpense c le ${month(twoWays, 'fr')} 8h du matin, tu peux me rappeler la veille? le bureau c a newark NJ`,
    );
    expect(said(kept)).toContain('appt_confirm');
    expect(said(talkIn('fr', asked, 'laisse tomber, merci'))).toContain('appt_quit');
  });

  it('takes no word of politeness for a name ("et mon fils svp")', () => {
    const snap = talkIn('fr', 'je veux des rappels pour mon rdv et celui de mon fils svp');
    expect(JSON.stringify(snap.context.draft ?? {})).not.toMatch(/svp/i);
  });
});

/**
 * Blind try 21: "si pero ponle q es de mi mama Rosa, no mia" at "Is that right?" got "What should
 * I fix? the date, the time or the place", round and round: the name of a relative at the
 * read-back is whose it is.
 */
describe('a relative named at the read-back', () => {
  it.each([
    ['es', 'si pero ponle q es de mi mama Rosa, no mia', 'rosa'],
    ['fr', "non c'est pour mon fils Yann", 'yann'],
  ] as const)('%s: "%s" puts the name on it, read back, then saved with it', (lang, text, name) => {
    const told =
      lang === 'es'
        ? `la cita de ella es el ${month(ahead, 'es').replace(' ', ' de ')} a las 10 de la mañana, me manda recordatorio? es en los angeles california`
        : `rappelle moi le rdv du ${month(ahead, 'fr')} a 10h a newark nj`;
    const named = talkIn(lang, told, text);
    expect(said(named)).toContain('appt_confirm_named');
    const saved = talkIn(lang, told, text, lang === 'es' ? 'si' : 'oui');
    expect(saved.context.appointments.map((a) => a.name?.toLowerCase())).toEqual([name]);
  });
});
