import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { toTwiml } from '../../src/channels/twilio-webhook.js';

/** The SDK's own builder: what Twilio's examples produce. */
function sdkTwiml(messages: string[]): string {
  const response = new twilio.twiml.MessagingResponse();
  for (const text of messages) response.message(text);
  return response.toString();
}

/** A deterministic stream of strings mixing markup, entities, accents, emoji, newlines and CR. */
function* samples(count: number): Generator<string[]> {
  const pieces = [
    'a',
    ' ',
    '&',
    '<',
    '>',
    '"',
    "'",
    '\r',
    '\n',
    '\t',
    'ñ',
    'É',
    '😀',
    '👍🏽',
    'ـ',
    'א',
    '&amp;',
    ']]>',
    '0',
  ];
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  for (let i = 0; i < count; i++) {
    const texts = Array.from({ length: next() % 4 }, () =>
      Array.from({ length: next() % 30 }, () => pieces[next() % pieces.length]).join(''),
    );
    yield texts;
  }
}

describe('TwiML answer', () => {
  it('is byte for byte what the twilio SDK builds, for silence, empty texts and every escaped character', () => {
    expect(toTwiml([])).toBe(sdkTwiml([]));
    expect(toTwiml([''])).toBe(sdkTwiml(['']));
    expect(toTwiml(['Trae tu ID & la carta <cita>\r\n'])).toBe(
      sdkTwiml(['Trae tu ID & la carta <cita>\r\n']),
    );
    let compared = 0;
    for (const texts of samples(2_000)) {
      expect(toTwiml(texts)).toBe(sdkTwiml(texts));
      compared++;
    }
    expect(compared).toBe(2_000);
  });

  it('drops characters XML cannot hold (the SDK throws on them) and keeps the rest', () => {
    const text = `hola\u0000\u0007 mundo\uFFFF \uD800x 😀`;
    expect(() => sdkTwiml([text])).toThrow();
    expect(toTwiml([text])).toBe(sdkTwiml(['hola mundo x 😀']));
  });
});
