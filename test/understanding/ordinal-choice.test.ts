import { describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/conversation/content.js';
import { Understander } from '../../src/understanding/understand.js';
import { reader, said, talkIn } from '../support/dialogue.js';

const understander = new Understander(loadFlows());
const number = (text: string) => understander.understand(text).number;

/**
 * A choice said by its place (packs' `reading.ordinals`): "lo primero, no me ha llegado nada" at
 * "did you mean…?" got another "did you mean…?" (blind tries 15 and 16). It is the choice's number
 * when it opens the message and the message ends there or at a mark; "lo primero que quiero
 * saber…", "the second appointment is my son's" and "el primero de diciembre" are no choice.
 */
describe('a choice said by its place', () => {
  const choices: [lang: string, text: string, n: number][] = [
    ['es', 'lo primero, no me ha llegado nada', 1],
    ['es', 'La segunda!', 2],
    ['es', 'el tercero porfa', 3],
    ['en', 'the first one', 1],
    ['en', 'the 2nd one pls', 2],
    ['fr', 'le premier', 1],
    ['fr', 'la deuxième svp', 2],
  ];
  for (const [lang, text, n] of choices)
    it(`${lang}: "${text}" is choice ${n}`, () => {
      expect(number(text)).toBe(n);
    });

  it('is no choice when the words go on past it, or it is part of a date', () => {
    expect(number('lo primero que quiero saber es donde queda la oficina')).toBeUndefined();
    expect(number('the second appointment is for my son')).toBeUndefined();
    expect(number('el primero de diciembre')).toBeUndefined();
    expect(number('la premiere fois que je vais au bureau')).toBeUndefined();
  });

  it('picks that choice of the question asked', () => {
    const asked = talkIn('fr', 'je dois changer mon rdv des empreintes');
    expect(said(asked).at(-1)).toBe('node:reschedule');
    expect(said(reader.send(asked, 'le deuxième'))[0]).toBe('node:rs_online');
    const es = talkIn('es', 'necesito cambiar mi cita de huellas');
    expect(said(reader.send(es, 'la segunda, gracias'))[0]).toBe('node:rs_online');
  });
});
