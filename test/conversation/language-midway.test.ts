import { describe, expect, it } from 'vitest';
import { dayAhead } from '../support/clock.js';
import { partsOf, reader, said, talkIn } from '../support/dialogue.js';

/**
 * Changing language while an appointment is being told (a blind try of main): "english please" at
 * "¿Cuál es el código postal…?" dropped the date and time already given, and the ZIP code sent
 * next was not understood. The language changes and the same step is asked again in it.
 */
describe('changing language in the middle of telling an appointment', () => {
  const day = dayAhead(30);
  it('es → en: the date and time are kept, the ZIP code is asked in English, and it saves', () => {
    const snap = talkIn(
      'es',
      'quiero que me recuerdes mi cita',
      `el ${day.es}`,
      '9 y media de la mañana',
      'english please',
    );
    expect(said(snap)).toEqual(['language_set', 'appt_ask_place']);
    expect(snap.context.lang).toBe('en');
    expect(snap.context.draft).toMatchObject({ step: 'place', date: day.iso, time: '09:30' });
    const saved = reader.send(reader.send(snap, '33130'), 'yes').context.appointments;
    expect(saved).toMatchObject([{ date: day.iso, time: '09:30', place: '33130' }]);
  });

  it('en → fr at the time question: asked again in French', () => {
    const snap = talkIn('en', 'remind me of my appointment', day.en, 'FR');
    expect(snap.context.lang).toBe('fr');
    expect(said(snap)).toEqual(['language_set', 'appt_ask_time']);
    expect(snap.context.draft).toMatchObject({ step: 'time', date: day.iso });
  });

  // A blind try: "can u say in english pls" after an answer gave the menu, not the answer.
  it('fr → en after an answer: the same answer again, in English', () => {
    const snap = talkIn(
      'fr',
      'jai raté mon rdv biometrie',
      'il y a genre 2 mois',
      'can u say in english pls',
    );
    expect(snap.context.lang).toBe('en');
    expect(said(snap)).toEqual(['node:missed_old']);
    expect(partsOf(snap)[0]).toMatchObject({ lead: 'language_set' });
  });

  it('es → en at the menu: the menu in English', () => {
    expect(said(talkIn('es', 'hola', 'english please'))).toEqual(['language_set']);
  });
});

/**
 * Asking for another language in a question (blind try 10): "elle parle espagnol, vous pouvez
 * écrire en espagnol pour elle?" got "I can't see anyone's file"; "is it possible to speak
 * english" switched, then answered a topic about calling USCIS. Asked as a question, in the
 * language of the conversation or the one wanted, it switches and shows the menu.
 */
describe('asking for another language as a question', () => {
  for (const [from, message, to] of [
    ['fr', 'elle parle espagnol, vous pouvez ecrire en espagnol pour elle?', 'es'],
    ['es', 'is it possible to speak english', 'en'],
    ['en', 'can you write in spanish for her?', 'es'],
    ['es', 'vous pouvez écrire en français?', 'fr'],
  ] as const)
    it(`${from}: "${message}" switches to ${to}`, () => {
      const snap = talkIn(from, message);
      expect(snap.context.lang).toBe(to);
      expect(said(snap)).toContain('language_set');
    });
});
