import { describe, expect, it } from 'vitest';
import { firstAnswer } from '../support/dialogue.js';

/**
 * How the appointment is made, asked by someone whose notice has not come (issue 16: fresh2,
 * fresh3, fresh5): "when will they give me my appointment, nothing came" got how appointments are
 * scheduled, not the steps for a notice that has not come. With `not_received` or the packs' new
 * cue `long_wait`, graph.yaml steers bio_schedule to nm_start (when_told). Asked plainly, it is
 * still how appointments are made.
 */
describe('how it is scheduled, asked after a long wait', () => {
  const waiting: [lang: string, message: string][] = [
    ['en', 'how am i supposed to get my fingerprint date?? been waiting for months'],
    ['en', 'when do they schedule the biometrics, nothing came yet'],
    ['es', 'como hago para que me den la cita de huellas, hace meses que mande todo y nada'],
    ['fr', 'comment on obtient le rdv pour les empreintes? ça fait des mois que j attends'],
  ];
  for (const [lang, message] of waiting)
    it(`${lang}: "${message}" gets the steps for a notice that has not come`, () => {
      expect(firstAnswer(lang, message)).toBe('node:nm_start');
    });

  const plain: [lang: string, message: string][] = [
    ['en', 'do i have to ask for the biometrics appointment or does uscis send it'],
    ['es', 'la cita de huellas la pido yo o uscis la manda?'],
  ];
  for (const [lang, message] of plain)
    it(`${lang}: "${message}" is how it is scheduled`, () => {
      expect(firstAnswer(lang, message)).toBe('node:bio_schedule');
    });
});
