import { describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/conversation/content.js';
import { Understander } from '../../src/understanding/understand.js';

const understander = new Understander(loadFlows());
const command = (text: string) => understander.understand(text).command?.name;

/**
 * A command phrase read inside a sentence (commands.<command>_phrases) may hold "*": one word
 * there or none. "how do i stop these texts" (fresh13) got the menu: the phrase was "stop the
 * texts". Now "stop * texts" holds it, and "stop all your texts" (two words) still does not.
 */
describe('command phrases with a one-word gap', () => {
  const stops: [lang: string, text: string][] = [
    ['en', 'how do i stop these texts'],
    ['en', 'stop the texts'],
    ['en', 'stop texts pls'],
    ['en', 'can you stop sending these messages'],
    ['en', 'i want to stop receiving these messages'],
    ['es', 'como dejo de recibir estos mensajes'],
    ['fr', 'comment arrêter ces messages'],
    ['fr', 'je veux plus recevoir vos sms'],
  ];
  for (const [lang, text] of stops)
    it(`${lang}: "${text}" is STOP`, () => {
      expect(command(text)).toBe('stop');
    });

  it('holds one word in the gap, not two', () => {
    expect(command('stop all your texts')).toBeUndefined();
  });

  it('a denied command is still not the command', () => {
    expect(command('please dont stop these texts')).toBeUndefined();
    expect(command('ne pas arrêter ces messages')).toBeUndefined();
  });
});
