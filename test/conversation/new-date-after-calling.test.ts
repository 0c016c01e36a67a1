import { describe, expect, it } from 'vitest';
import { dayAhead } from '../support/clock.js';
import { said, talkIn } from '../support/dialogue.js';

/**
 * Blind try 27: after calling USCIS, "my new fingerprint date is march 3 at 10 am same place so can
 * you change my reminders to that one" got the call steps again and "To add another appointment: is
 * it yours…?"; "me la pasan pal 8 de enero… cambie el recordatorio" saved a second one beside the old;
 * then "y la del 18 ya se borro verdad?" and "solo quiero saber si borro el recordatorio del 18 de
 * diciembre" built an appointment on the old date. The new date told as news replaces the one saved,
 * and the old date asked after is said to be gone, never saved again.
 */

describe('a new date told after calling USCIS', () => {
  it('en: replaces the one saved ("my new fingerprint date is …, change my reminders to that one")', () => {
    const start = [`my biometrics appointment is ${dayAhead(20).en} at 9am in houston, remind me`, 'yes'];
    const news = `ok so I called them and the lady said my new fingerprint date is ${dayAhead(40).en} at 10 am same place so can you change my reminders to that one`;
    expect(said(talkIn('en', ...start, news))).toEqual(['appt_confirm']);
    const after = talkIn('en', ...start, news, 'yes');
    expect(after.context.appointments.map((a) => [a.date, a.time.slice(0, 5)])).toEqual([
      [dayAhead(40).iso, '10:00'],
    ]);
  });

  const saved = [
    `ya me llego la carta, es el ${dayAhead(20).es} a las 10 y media de la mañana en la oficina de houston. me pueden recordar?`,
    'si',
    `ya llame!! me dijeron q me la pasan pal ${dayAhead(40).es} a la 1 de la tarde, mismo lugar. cambie el recordatorio porfa`,
    'si',
  ];

  it('es: replaces the one saved ("me la pasan pal …, cambie el recordatorio")', () => {
    const after = talkIn('es', ...saved);
    expect(after.context.appointments.map((a) => [a.date, a.time.slice(0, 5)])).toEqual([
      [dayAhead(40).iso, '13:00'],
    ]);
  });

  it('es: the old date asked after is gone already; it is never saved again', () => {
    const day20 = dayAhead(20).day;
    const asked = talkIn(
      'es',
      ...saved,
      `va. y la del ${day20} ya se borro verdad? no quiero q me llegue aviso de la vieja`,
    );
    expect(said(asked)[0]).toBe('appt_old_gone');
    const again = talkIn(
      'es',
      ...saved,
      `va. y la del ${day20} ya se borro verdad? no quiero q me llegue aviso de la vieja`,
      `no entiendo. solo quiero saber si borro el recordatorio del ${dayAhead(20).es}`,
    );
    expect(said(again)[0]).toBe('appt_old_gone');
    expect(said(again)).not.toContain('appt_confirm');
    expect(again.context.appointments.map((a) => a.date)).toEqual([dayAhead(40).iso]);
  });

  it('en: the way to fix only what Huella keeps is said once on the way, not at each step', () => {
    const steps = talkIn(
      'en',
      `my fingerprint appointment is ${dayAhead(20).en} at 9 in the morning in newark, remind me`,
      'yes',
      'how do i change it to another day',
    );
    expect(said(steps)).toContain('appt_fix_hint');
    const online = talkIn(
      'en',
      `my fingerprint appointment is ${dayAhead(20).en} at 9 in the morning in newark, remind me`,
      'yes',
      'how do i change it to another day',
      '2',
    );
    expect(said(online)).toEqual(['node:rs_online']);
  });
});
