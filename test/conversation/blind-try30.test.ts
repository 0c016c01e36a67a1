import { describe, expect, it } from 'vitest';
import { dayAhead } from '../support/clock.js';
import { said, talkIn } from '../support/dialogue.js';

/** Blind try 30: the classes its testers found, with the messages that showed them and others. */

describe('blind try 30', () => {
  const saved = [
    `I have fingerprint appointment on ${dayAhead(20).en} at 2 pm in Sacramento. Please can you remember me?`,
    'yes is right thank you',
  ];

  it('"please can you remember me?" with the day told asks to save it (second-language English)', () => {
    expect(said(talkIn('en', saved[0]!))).toContain('appt_confirm');
  });

  it('a reminder asked for a task (printing, the library): Huella says it reminds only of appointments; the one saved is untouched', () => {
    for (const [lang, text] of [
      ['en', 'remind me please, thursday morning, for printing'],
      ['es', 'me puedes recordar el jueves para imprimir la carta'],
      ['fr', 'tu peux me rappeler jeudi pour imprimer la lettre'],
    ] as const) {
      const snap = talkIn(lang, text);
      expect(
        said(snap).filter((s) => s !== 'intro'),
        `${lang}: ${text}`,
      ).toEqual(['task_reminder_reply']);
      expect(snap.context.draft).toBeUndefined();
    }
    const after = talkIn('en', ...saved, 'remind me please, thursday morning, for printing');
    expect(said(after)).toEqual(['task_reminder_reply']);
    expect(after.context.appointments.map((a) => [a.date, a.time.slice(0, 5)])).toEqual([
      [dayAhead(20).iso, '14:00'],
    ]);
  });

  it('"there is A-Number and there is receipt number… which one is my account number?": the account number', () => {
    expect(
      said(
        talkIn(
          'en',
          'i have paper from uscis, there is A-Number and there is receipt number IOE. which one is my account number? website ask me',
        ),
      ).filter((s) => s !== 'intro')[0],
    ).toBe('node:acct_number');
  });

  it('es: "nomas uno un dia antes" gets the reminders\' times; a son\'s appointment asked to be noted ("me lo apunta tambien?") is added, the first kept', () => {
    const es = dayAhead(22).es;
    const start = [
      `me llego una carta de uscis para las huellas el ${es} a las 9am en la oficina de houston, que tengo que llevar?? y me puede mandar recordatorio un dia antes porfa`,
      'si',
    ];
    expect(
      said(
        talkIn(
          'es',
          ...start,
          'nomas uno un dia antes porfa, no tantos mensajes q luego mis hijos agarran el cel jaja',
        ),
      ),
    ).toEqual(['reminders_when']);
    const son = talkIn(
      'es',
      ...start,
      `ok. el de 15 se llama Brayan y su cita es el mismo dia ${es} 9:30 en houston, me lo apunta tambien?`,
      'si',
    );
    expect(son.context.appointments.map((a) => a.time.slice(0, 5)).sort()).toEqual(['09:00', '09:30']);
  });

  it('asked in a longer message or in the familiar form, erasing is asked to be confirmed; asked as a question, it is not', () => {
    for (const [lang, text] of [
      ['en', 'ok im done with this, please delete everything you have on me'],
      ['fr', "efface tout ce que j'ai écrit stp"],
    ] as const)
      expect(
        said(talkIn(lang, text)).filter((s) => s !== 'intro'),
        text,
      ).toEqual(['delete_ask']);
    expect(
      said(talkIn('en', 'will you delete everything you have on me after the appointment?')),
    ).not.toContain('delete_ask');
  });

  it('changed by phone already and asked whether a new notice comes: the phone way, whose text says it comes by mail', () => {
    for (const [lang, text] of [
      ['es', 'despues de llamar a uscis para cambiar la cita, llega un aviso nuevo?'],
      ['es', 'so I called USCIS y me la movieron. Me va a llegar una carta nueva o que?'],
      ['en', 'i rescheduled by phone yesterday, will a new letter come?'],
    ] as const)
      expect(said(talkIn(lang, text)).filter((s) => s !== 'intro')[0], text).toBe('node:rs_phone');
  });
});
