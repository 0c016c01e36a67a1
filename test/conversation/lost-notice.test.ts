import { describe, expect, it } from 'vitest';
import { firstAnswer } from '../support/dialogue.js';

/**
 * The appointment's paper lost (issue 16): the answer for a lost notice (a photo or copy, the
 * online account, the call), not where the notice comes from. The en and fr phrases for a lost
 * paper were under bio_notice_where; they are notice_lost's now. In Spanish "perder" is to lose
 * and to miss: the missed answers hold it as typed only ("perdí"), so "se me perdió la carta" is a
 * lost letter, and a weekday beside it is not read back as the day it was missed.
 */
const first = firstAnswer;

describe('a lost appointment paper', () => {
  const lost: [lang: string, message: string][] = [
    ['en', 'cant find the paper for my fingerprint appointment anywhere, is a picture of it ok'],
    ['fr', "j'ai perdu le papier du rdv empreintes, une photo ça passe?"],
    ['es', 'se me perdio el papel de la cita de huellas, que hago'],
    ['es', 'se me perdio la carta de la cita de huellas y la cita es el jueves'],
  ];
  for (const [lang, message] of lost)
    it(`${lang}: "${message}" gets the answer for a lost notice`, () => {
      expect(first(lang, message)).toBe('node:notice_lost');
    });

  it('es: "perdí la cita" is still a missed appointment', () => {
    expect(first('es', 'perdi la cita de huellas la semana pasada')).toBe('node:missed_recent');
  });
});
