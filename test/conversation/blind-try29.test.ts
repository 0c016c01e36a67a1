import { describe, expect, it } from 'vitest';
import { dayAhead } from '../support/clock.js';
import { said, talkIn } from '../support/dialogue.js';

/** Blind try 29: the classes its testers found, with the messages that showed them and others. */

describe('blind try 29', () => {
  it('en: the office closed, said in second-language English, and told again: the call each time, never "could be denied"', () => {
    const closed =
      'hola good morning i go today to my fingerprint apointment but the office is close, a paper on the door say closed for weather. what i do now??';
    const again = [
      closed,
      'but is not my fault the office close. they will deny my asilum because i not do it??',
      'no the office was CLOSE. i cant go. is pass already',
    ];
    for (let i = 1; i <= again.length; i++) {
      const answers = said(talkIn('en', ...again.slice(0, i))).filter((s) => s !== 'intro');
      expect(answers[0]).toBe('node:call_uscis');
      expect(answers).not.toContain('node:bio_why');
      expect(answers).not.toContain('node:reschedule');
    }
  });

  it('en: "ok YES remind her pls" under the reminder offer takes it', () => {
    const snap = talkIn(
      'en',
      `hi im texting 4 my mom. she got the huellas appt ${dayAhead(1).en} 8am in dallas n she dont got passport only her id thats expired. can she still go??`,
      'ok YES remind her pls',
    );
    expect(said(snap)).toEqual(['appt_confirm']);
  });

  it('a number with words after it picks in the list ("2 delete", "2 efase li")', () => {
    const two = [
      `my appointment is ${dayAhead(20).en} at 9am in houston remind me`,
      'yes',
      `and my wife maria has hers ${dayAhead(21).en} at 1pm same place`,
      'yes',
      'my appointments',
    ];
    const deleted = talkIn('en', ...two, '2 delete');
    expect(said(deleted)).toEqual(['appt_cancelled']);
    expect(deleted.context.appointments.map((a) => a.date)).toEqual([dayAhead(20).iso]);
    const action = talkIn(
      'fr',
      `bonjou, mwen gen randevou biometrie le ${dayAhead(20).fr} a 8h du matin a Brooklyn. Eske ou ka voye rappel pou mwen svp?`,
      'wi se sa',
      'mes rendez-vous',
      '1',
      '2 efase li, li pa egziste anko',
    );
    expect(said(action)).toEqual(['appt_cancelled']);
    expect(action.context.appointments).toEqual([]);
  });

  it('the new date after calling, in Kreyòl words or as "replace the old with the new", replaces the one saved', () => {
    const start = [
      `bonjou, mwen gen randevou biometrie le ${dayAhead(20).fr} a 8h du matin a Brooklyn. Eske ou ka voye rappel pou mwen svp?`,
      'wi se sa',
    ];
    const kreyol = talkIn(
      'fr',
      ...start,
      `mesi! m fin rele USCIS, yo ban m nouvo dat: ${dayAhead(45).fr} a 10h30 meme bureau Brooklyn. Tanpri chanje rappel la`,
      '1',
    );
    expect(kreyol.context.appointments.map((a) => [a.date, a.time.slice(0, 5)])).toEqual([
      [dayAhead(45).iso, '10:30'],
    ]);
    const replaced = talkIn(
      'fr',
      ...start,
      `remplace le ${dayAhead(20).fr} par le ${dayAhead(45).fr} a 10h30`,
      '1',
    );
    expect(replaced.context.appointments.map((a) => [a.date, a.time.slice(0, 5)])).toEqual([
      [dayAhead(45).iso, '10:30'],
    ]);
    const english = talkIn(
      'en',
      `my appointment is ${dayAhead(20).en} at 8am in brooklyn remind me`,
      'yes',
      `replace the ${dayAhead(20).en} with ${dayAhead(45).en} at 10:30`,
      'yes',
    );
    expect(english.context.appointments.map((a) => a.date)).toEqual([dayAhead(45).iso]);
  });

  it('es: "si pero es la sita de mi nieto no mia, el se yama Kevin" at the read-back names it Kevin\'s, not "what should I fix?"', () => {
    const es = dayAhead(25).es;
    const start = `mi nieto tiene cita de huellas el ${es} a las 2 de la tarde en laurel maryland, me puede recordar`;
    const named = talkIn('es', start, 'si pero es la sita de mi nieto no mia, el se yama Kevin');
    expect(said(named)).toEqual(['appt_confirm_named']);
    expect(
      talkIn('es', start, 'si pero es la sita de mi nieto no mia, el se yama Kevin', 'si').context
        .appointments[0]?.name,
    ).toBe('Kevin');
  });
});
