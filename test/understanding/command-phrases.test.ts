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

  /**
   * Blind try 15: stop requests in plain words were read as thanks or as another topic while
   * reminders stayed on. "…" in a command phrase is up to four words; a request to stop counts in
   * a message of up to 30 words (other commands in 10).
   */
  const plain: [lang: string, text: string][] = [
    ['es', 'ok gracias. ya no quiero q me lleguen mas mensajes porfa'],
    ['es', 'no me mande mas mensajes'],
    ['en', 'actually pls stop texting me my cousin said this could be a scam'],
    ['fr', 'bon arretez de m envoyer des messages svp, je veux plus'],
    // Blind try 16: asked how, in the middle of a conversation.
    ['en', 'ok and how do i make these texts stop'],
    ['es', 'oiga y como le hago para que ya no me lleguen sus mensajes'],
    ['fr', "vous pouvez arreter de m'ecrire svp, mon avocat s'occupe de tout"],
  ];
  for (const [lang, text] of plain)
    it(`${lang}: "${text}" is STOP`, () => {
      expect(command(text)).toBe('stop');
    });

  it('a long message that says not to stop, or names a bus stop, is no STOP', () => {
    expect(
      command('please dont stop texting me the reminders, i need them for my appointment next week ok'),
    ).toBeUndefined();
    expect(
      command('the bus stop is far from the office, what do i do if i am late to my appointment'),
    ).toBeUndefined();
    expect(command('i dont want to miss the messages')).toBeUndefined();
    expect(command('i dont want the texts to stop')).toBeUndefined();
    expect(command('how do i make the bus stop near the office')).toBeUndefined();
  });
});
