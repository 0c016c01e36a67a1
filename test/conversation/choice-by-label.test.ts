import { describe, expect, it } from 'vitest';
import { ContentRenderer } from '../../src/conversation/content.js';
import { flows, said, talkIn } from '../support/dialogue.js';

/**
 * People answer a numbered list with the word they read as often as with its number: "phone" to
 * "Are you on a phone or a computer? 1 On a phone 2 On a computer", "consejos" to
 * "1 Consejos para llamar". A short message whose words (common ones aside) are all in one offered
 * label picks that choice; the topic phrases alone read "telephone" as phones inside the office.
 */
const renderer = new ContentRenderer(flows);

/** A conversation at "Are you on a phone or a computer?" (rs_online), in each language. */
const ONLINE: Record<string, string[]> = {
  en: ['hi', 'i need to change my fingerprint appointment online'],
  es: ['hola', 'quiero cambiar mi cita de huellas por internet'],
  fr: ['bonjour', 'je veux changer la date de mon rdv empreintes en ligne'],
};

describe('a choice named by a word of its label', () => {
  it('is at the question first', () => {
    for (const [lang, messages] of Object.entries(ONLINE)) {
      const snap = talkIn(lang, ...messages);
      expect(said(snap).at(-1), lang).toBe('node:rs_online');
      expect(snap.context.offered, lang).toContain('rs_online_phone');
    }
  });

  const answers: [lang: string, text: string, node: string][] = [
    ['en', 'phone', 'rs_online_phone'],
    ['en', 'my phone', 'rs_online_phone'],
    ['en', 'a computer', 'rs_online_computer'],
    ['es', 'celular', 'rs_online_phone'],
    ['es', 'computadora', 'rs_online_computer'],
    ['fr', 'telephone', 'rs_online_phone'],
    ['fr', 'Téléphone', 'rs_online_phone'],
    ['fr', 'ordinateur', 'rs_online_computer'],
  ];
  for (const [lang, text, node] of answers)
    it(`${lang}: "${text}" picks ${node}`, () => {
      expect(said(talkIn(lang, ...ONLINE[lang]!, text))[0]).toBe(`node:${node}`);
    });

  it('picks a follow-up of an answer by its own label in that list ("consejos": "Consejos para llamar")', () => {
    // Missed months ago: the answer offers the call with a label of its own.
    const missed = ['hola', 'falte a mi cita de huellas', '2'];
    const shown = talkIn('es', ...missed);
    expect(said(shown).at(-1)).toBe('node:missed_old');
    expect(renderer.pack('es').nodes.missed_old!.choiceLabels.call_uscis).toBe('Consejos para llamar');
    expect(said(talkIn('es', ...missed, 'consejos'))[0]).toBe('node:call_uscis');
  });

  it('leaves a word two labels share, and a longer message, to the rest of the reading', () => {
    // "Ayuda" is in no label at rs_online: a new question, read as one.
    const help = talkIn('en', ...ONLINE.en!, 'what is biometrics');
    expect(said(help)[0]).toBe('node:bio_what');
    // Every word must be in the label: "phone number" is not "On a phone".
    const number = talkIn('en', ...ONLINE.en!, 'whats the phone number');
    expect(said(number)[0]).not.toBe('node:rs_online_phone');
  });
});

describe('a label named as people type it (blind try 12)', () => {
  // "donde verlo" to "1 Dónde ver el número" got "Disculpe, no entiendo" and the menu: a pronoun
  // joined to the label's verb ("verlo") names it too.
  it('es: "donde verlo" picks "Dónde ver el número"', () => {
    // (Asked with "donde veo…" too, the message is now answered by where to find it.)
    const shown = talkIn('es', 'otra cosa, mi numero de cuenta en linea es el mismo q el numero A?');
    expect(said(shown).at(-1)).toBe('node:acct_number');
    expect(
      said(
        talkIn('es', 'otra cosa, mi numero de cuenta en linea es el mismo q el numero A?', 'donde verlo'),
      )[0],
    ).toBe('node:acct_find_number');
  });

  // "ce que c est" to "1 Ce que c'est" got "did you mean…?": every word of that label is a common
  // one, so the whole label typed (apostrophe as a space) names it.
  it('fr: "ce que c est" picks "Ce que c\'est"', () => {
    const about = ['je veux savoir sur le rendez-vous'];
    expect(said(talkIn('fr', ...about)).at(-1)).toBe('node:about');
    expect(said(talkIn('fr', ...about, 'ce que c est'))[0]).toBe('node:bio_what');
  });

  it('en: a word that only begins like a short label word is still not that label ("phones" is, "ph" is not)', () => {
    expect(said(talkIn('en', ...ONLINE.en!, 'phones'))[0]).toBe('node:rs_online_phone');
    expect(said(talkIn('en', ...ONLINE.en!, 'ph'))[0]).not.toBe('node:rs_online_phone');
  });
});
