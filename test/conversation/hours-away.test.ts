import { describe, expect, it } from 'vitest';
import { testNow } from '../support/clock.js';
import { answered, partsOf, talkIn } from '../support/dialogue.js';

/** Four hours from the test clock, at the test place: today, hours away. */
const later = testNow().setZone('America/Chicago').plus({ hours: 4 });
const h12 = `${later.toFormat('h')}${later.hour < 12 ? 'am' : 'pm'}`;

/**
 * An appointment hours away that they cannot go to (a blind try, 2026-12-06): after "mi cita es
 * hoy a las 3… no puedo ir" got the phone way, "y por internet no se puede?" got the online steps
 * ("¿Usa celular o computadora?"), which do not work under 12 hours. Showing the last-minute way
 * remembers it (`appt_hours_away`); online then gives the phone way again, and offers no online.
 */
describe('online asked after the way for an appointment hours away', () => {
  for (const [lang, today, online] of [
    ['es', `mi cita es hoy a las ${h12} y no puedo ir, mi hijo esta enfermo`, 'y por internet no se puede?'],
    ['en', `my appointment is today at ${h12} and i cant go, my son is sick`, 'cant i do it online?'],
    [
      'fr',
      `mon rdv c'est aujourd'hui à ${later.toFormat('H')}h et je peux pas y aller, mon fils est malade`,
      'je peux pas le changer par internet?',
    ],
  ] as const)
    it(`${lang}: "${online}" gets the phone way, with no online choice`, () => {
      const snap = talkIn(lang, today, online);
      expect(answered(snap)[0]).toBe('node:rs_phone');
      const choices = partsOf(snap).flatMap((p) => p.choices?.to ?? []);
      expect(choices).not.toContain('rs_online');
    });

  // Blind try 16: "the line is super long on hold… can i just do it on the website" got the
  // calling text with "1 Reschedule online" under it; picking it gave the phone again.
  for (const [lang, today, online] of [
    [
      'en',
      `my appointment is today at ${h12} and i cant go, my boss wont let me`,
      'the line is 40 min on hold, can i just do it on the website',
    ],
    [
      'es',
      `mi cita es hoy a las ${h12} y no puedo ir, mi jefe no me deja`,
      'nadie me contesta, se puede hacer en la pagina?',
    ],
  ] as const)
    it(`${lang}: "${online}" gets the phone way again, and no choice offers online`, () => {
      const snap = talkIn(lang, today, online);
      expect(answered(snap)[0]).toBe('node:rs_phone');
      const choices = partsOf(snap).flatMap((p) => p.choices?.to ?? []);
      expect(choices).not.toContain('rs_online');
    });

  it('en: the calling text offers no online way while online is closed', () => {
    const snap = talkIn(
      'en',
      `my appointment is today at ${h12} and i cant go, my son is sick`,
      'what do i say when they pick up',
    );
    expect(answered(snap)[0]).toBe('node:call_uscis');
    const choices = partsOf(snap).flatMap((p) => p.choices?.to ?? []);
    expect(choices).not.toContain('rs_online');
  });

  it('en: online asked with no appointment hours away is still the online steps', () => {
    expect(answered(talkIn('en', 'can i reschedule my fingerprints online?'))[0]).toBe('node:rs_online');
  });
});

/**
 * An appointment the message tells with its day and hour, under 12 hours away, and they cannot go
 * (fresh13: "snow storm… no buses running… my fingerprint appt is 8am tomorrow"): the phone way
 * at once, as for one saved or said to be today; the same a day later is the choice of ways.
 */
describe('an appointment told under 12 hours away, with no word for today', () => {
  const zone = 'America/Chicago';
  const told = (hours: number, lang: 'en' | 'es' | 'fr') => {
    const at = testNow().setZone(zone).plus({ hours });
    const day = at
      .setLocale(lang)
      .toFormat(lang === 'en' ? 'LLLL d' : lang === 'es' ? "d 'de' LLLL" : 'd LLLL');
    const hour = at.toFormat('H');
    return {
      en: `my appointment is ${day} at ${hour}:00 in chicago and there is a snow storm, no buses running, what do i do`,
      es: `mi cita es el ${day} a las ${hour}:00 en chicago y hay una tormenta, no pasa el bus, que hago`,
      fr: `mon rdv est le ${day} à ${hour}h à chicago et il y a une tempête, les bus roulent pas, je fais quoi`,
    }[lang];
  };
  for (const lang of ['en', 'es', 'fr'] as const) {
    it(`${lang}: 10 hours away gets the phone way`, () => {
      expect(answered(talkIn(lang, told(10, lang)))[0]).toBe('node:rs_phone');
    });
    it(`${lang}: 34 hours away gets the choice of ways`, () => {
      expect(answered(talkIn(lang, told(34, lang)))[0]).toBe('node:reschedule');
    });
  }
});

/**
 * Changed twice already (blind try 15: "wait it wont let me, i think bc i already changed it 2
 * times before" still got "1 Do it online instead"): the seed closes the online way after two
 * changes, as under 12 hours; kept for the conversation (graph.yaml `remembered`).
 */
describe('an appointment changed twice already', () => {
  for (const [lang, first, twice] of [
    [
      'en',
      'i need to change my fingerprint appointment',
      'wait it wont let me, i think bc i already changed it 2 times before',
    ],
    ['es', 'necesito cambiar mi cita de huellas', 'ya la cambie dos veces, no me deja'],
    ['fr', 'je dois changer mon rdv des empreintes', "je l'ai deja change deux fois"],
  ] as const)
    it(`${lang}: "${twice}" gets the phone way, with no online choice`, () => {
      const snap = talkIn(lang, first, twice);
      expect(answered(snap)[0]).toBe('node:rs_phone');
      expect(partsOf(snap).flatMap((p) => p.choices?.to ?? [])).not.toContain('rs_online');
      expect(snap.context.told).toContain('changed_twice');
    });
});
