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

// Messages written by ear lead to the topic their spelled form does, and are read as Spanish:
// flows/golden/es.yaml ("ke yebo a la sita", "kuando es mi sita", "ola"), run by test/flows/golden.test.ts.
describe('messages written by ear', () => {
  it('do not turn English words into Spanish ones', () => {
    // "case" and "see" are English: they keep their own topics.
    expect(pick('what do i bring')).toEqual({ kind: 'sure', node: 'bring' });
    expect(understander.understand('i want to see my appointment', 0).language?.code).not.toBe('es');
  });
});
