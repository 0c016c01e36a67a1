import { describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/conversation/content.js';
import { Folding } from '../../src/understanding/folding.js';
import { pickIntent, Understander } from '../../src/understanding/understand.js';

const flows = loadFlows();
const understander = new Understander(flows);
/** The Spanish pack's sound rules. */
const folding = new Folding([flows.packs.get('es')!]);
const soundKey = (word: string) => folding.soundKey(word);
const pick = (text: string) => pickIntent(understander.understand(text, 0).intents);

describe('how a word sounds, by Spanish spelling rules', () => {
  it('gives words written by ear the key of the word they stand for', () => {
    const pairs: [string, string][] = [
      ['sita', 'cita'],
      ['uellas', 'huellas'],
      ['yebo', 'llevo'],
      ['aser', 'hacer'],
      ['nesesito', 'necesito'],
      ['kuando', 'cuando'],
      ['porke', 'porque'],
      ['bisa', 'visa'],
      ['jente', 'gente'],
    ];
    for (const [byEar, word] of pairs) expect(soundKey(byEar), byEar).toBe(soundKey(word));
  });

  it('keeps words apart that sound different', () => {
    expect(soundKey('caso')).not.toBe(soundKey('casa'));
    expect(soundKey('chica')).not.toBe(soundKey('sika'));
    expect(soundKey('cita')).not.toBe(soundKey('cena'));
  });
});

describe('messages written by ear', () => {
  const cases: [text: string, topic: string][] = [
    ['ke yebo a la sita', 'bring'],
    ['kuando es mi sita', 'bio_notice_where'],
    ['la sita es mañana', 'bio_day'],
    ['ocupo cambiar mi sita', 'reschedule'],
    ['porke no me yego la carta', 'nm_start'],
    ['tanbien mis ijos', 'bio_family'],
  ];
  for (const [text, topic] of cases) {
    it(`"${text}" leads to ${topic}, as its spelled form does`, () => {
      expect(pick(text)).toEqual({ kind: 'sure', node: topic });
    });
  }

  it('are read as Spanish', () => {
    expect(understander.understand('kuando es mi sita', 0).language?.code).toBe('es');
    // "ola" alone, the way many write "hola", starts the conversation in Spanish.
    expect(understander.understand('ola', 0).language?.code).toBe('es');
  });

  it('do not turn English words into Spanish ones', () => {
    // "case" and "see" are English: they keep their own topics.
    expect(pick('what do i bring')).toEqual({ kind: 'sure', node: 'bring' });
    expect(understander.understand('i want to see my appointment', 0).language?.code).not.toBe('es');
  });
});
