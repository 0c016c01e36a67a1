import { describe, expect, it } from 'vitest';
import { countSegments, fitsSegments, smsEncoding, splitToFit } from '../../src/channels/sms-segments.js';

describe('SMS segments', () => {
  it('counts plain English as GSM-7: 160 in one segment, 153 per segment after', () => {
    expect(countSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSegments('a'.repeat(161)).segments).toBe(2);
    expect(countSegments('a'.repeat(459)).segments).toBe(3);
    expect(countSegments('a'.repeat(460)).segments).toBe(4);
  });

  it('counts GSM-7 extension characters twice', () => {
    expect(countSegments('{}').units).toBe(4);
    expect(countSegments('€'.repeat(81)).segments).toBe(2);
  });

  it('keeps ñ, é and ¿ in GSM-7 but switches to UCS-2 for á, í, ó, ú and curly quotes', () => {
    expect(smsEncoding('¿Señor, qué pasó?')).toBe('UCS-2');
    expect(smsEncoding('¿Señor, él?')).toBe('GSM-7');
    expect(smsEncoding('don’t')).toBe('UCS-2');
    expect(smsEncoding('emoji 🙂')).toBe('UCS-2');
  });

  it('counts UCS-2 as 70 in one segment, 67 per segment after', () => {
    expect(countSegments('á'.repeat(70)).segments).toBe(1);
    expect(countSegments('á'.repeat(71)).segments).toBe(2);
    expect(countSegments('á'.repeat(201)).segments).toBe(3);
    expect(countSegments('á'.repeat(202)).segments).toBe(4);
    expect(countSegments('🙂').units).toBe(2);
  });

  it('splits an oversized text at word boundaries into pieces that each fit', () => {
    const text = Array.from({ length: 120 }, (_, i) => `palabra${i} está`).join(' ');
    const pieces = splitToFit(text);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(fitsSegments(piece)).toBe(true);
    expect(pieces.join(' ').replace(/\s+/g, ' ')).toBe(text);
  });

  it('keeps every line of a menu whole when a reply with the menu under it is too long for one text', () => {
    const intro = 'No pude entender los datos de la cita. Para intentarlo más tarde, escriba: recordarme';
    const menu = [
      '1 Sobre la cita',
      '2 No tengo el aviso',
      '3 Qué llevar',
      '4 Cambiar la cita',
      '5 Falté a la cita',
      '6 Cuenta de USCIS',
      '7 Permiso de trabajo',
      '8 Ayuda legal',
      '9 Recordarme la cita',
    ];
    const text = [intro, ...menu].join('\n');
    expect(fitsSegments(text)).toBe(false);
    const pieces = splitToFit(text);
    expect(pieces.length).toBe(2);
    for (const piece of pieces) expect(fitsSegments(piece)).toBe(true);
    // Every line arrives whole, in order, and nothing else.
    expect(pieces.flatMap((p) => p.split('\n'))).toEqual([intro, ...menu]);
  });

  it('keeps a numbered list together in one text, with the line that asks (round 11)', () => {
    // "1 Tengo miedo o angustia" arrived in one text and "2 Sobre Huella…" in the next.
    const answer =
      'Es normal preocuparse. Preguntas sobre su propio caso, como qué puede pasar o cuánto cobra un abogado, no las puedo responder: Huella no da asesoría legal.';
    const list = [
      '¿Le ayuda alguno de estos?',
      '1 Tengo miedo o angustia',
      '2 Sobre Huella',
      '3 Pagar por una cita',
      '0 Menú',
    ];
    const pieces = splitToFit([answer, ...list].join('\n'));
    expect(pieces).toEqual([answer, list.join('\n')]);
  });

  it('cuts a long line between sentences, and never leaves one short line alone at the end', () => {
    const line =
      'Disculpe, sigo sin entender. Pruebe con otras palabras, o responda con un número del menú de arriba (MENU lo muestra otra vez). Ayuda de una persona: la página "find help" (buscar ayuda) de ASAP (Asylum Seeker Advocacy Project).';
    expect(splitToFit(line)).toEqual([
      'Disculpe, sigo sin entender. Pruebe con otras palabras, o responda con un número del menú de arriba (MENU lo muestra otra vez).',
      'Ayuda de una persona: la página "find help" (buscar ayuda) de ASAP (Asylum Seeker Advocacy Project).',
    ]);
    const body = `${'Línea con acentos á é í ó ú y bastante texto para llenar el espacio de un mensaje. '.repeat(2).trim()}`;
    const pieces = splitToFit(`${body}\n1 Falté a la cita\n2 Cambiar la cita\n0 Menú`);
    for (const piece of pieces) expect(fitsSegments(piece)).toBe(true);
    expect(pieces.at(-1)).not.toBe('0 Menú');
    expect(pieces.at(-1)).toContain('1 Falté a la cita\n2 Cambiar la cita\n0 Menú');
  });

  it('hard-cuts a text with no spaces', () => {
    const pieces = splitToFit('x'.repeat(2000));
    expect(pieces.join('')).toBe('x'.repeat(2000));
    for (const piece of pieces) expect(fitsSegments(piece)).toBe(true);
  });
});
