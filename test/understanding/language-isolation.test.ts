import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DEFAULT_FLOWS_DIR, loadFlows } from '../../src/conversation/content.js';
import type { LabelledMessage } from '../../src/understanding/evaluate.js';
import { Understander, type Understood } from '../../src/understanding/understand.js';

/**
 * One phrase index per language: adding a language changes no other's reading. A made-up
 * language "xx" is added beside English and Spanish, and every paraphrase of the sets must read
 * the same with it as without it: once with words unlike any of ours (the English pack with
 * every letter moved 13 places), once with words a typo away from the English ones (each word
 * with a "q" after it: "permitq" is one letter from "permit"). Placeholders and the keys the code
 * reads are kept.
 */

const rot13 = (text: string): string =>
  text.replace(/\{[^}]*\}|[a-z]/gi, (m) => {
    if (m.length > 1) return m; // a placeholder ("{hour}") stays as the code reads it
    const base = m <= 'Z' ? 65 : 97;
    return String.fromCharCode(((m.charCodeAt(0) - base + 13) % 26) + base);
  });

/** "permit" -> "permitq": every word one letter from its English form. */
const nearMiss = (text: string): string =>
  text.replace(/\{[^}]*\}|\p{L}+/gu, (m) => (m.startsWith('{') ? m : `${m}q`));

/** Maps whose keys are words of the language (the rest are keys the code reads). */
const WORD_KEYS = new Set(['shorthand', 'units', 'counts', 'number_words', 'read_as', 'place_names']);
/** Values the code reads by name, kept as they are. */
const KEPT = new Set(['formats', 'chrono', 'numeric_order', 'sound_rules', 'also', 'mixed_with']);

function scrambled(value: unknown, change: (text: string) => string, key = ''): unknown {
  if (KEPT.has(key)) return key === 'also' || key === 'mixed_with' ? [] : value;
  if (typeof value === 'string') return change(value);
  if (Array.isArray(value)) return value.map((v) => scrambled(v, change));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [WORD_KEYS.has(key) ? change(k) : k, scrambled(v, change, k)]),
    );
  return value;
}

/** flows/ with the made-up language added (English, each text changed by `change`), in a temporary folder. */
function flowsWithMadeUpLanguage(
  change: (text: string) => string = rot13,
  folding?: Record<string, unknown>,
): string {
  const dir = mkdtempSync(join(tmpdir(), 'huella-flows-xx-'));
  cpSync(DEFAULT_FLOWS_DIR, dir, { recursive: true });
  const en = parse(readFileSync(join(dir, 'lang/en.yaml'), 'utf8')) as Record<string, unknown>;
  const xx: Record<string, unknown> = { ...(scrambled(en, change) as object), name: 'Xx' };
  if (folding) xx.folding = { ...(xx.folding as object), ...folding };
  writeFileSync(join(dir, 'lang/xx.yaml'), stringify(xx));
  const graph = parse(readFileSync(join(dir, 'graph.yaml'), 'utf8')) as { languages: string[] };
  writeFileSync(join(dir, 'graph.yaml'), stringify({ ...graph, languages: [...graph.languages, 'xx'] }));
  return dir;
}

const paraphrases = (): LabelledMessage[] =>
  // One set, 224 messages of both languages: enough to meet every kind of word; with all the sets
  // this was the suite's slowest file.
  ['paraphrases.yaml'].flatMap((file) =>
    Object.values(
      parse(readFileSync(new URL(`../fixtures/${file}`, import.meta.url), 'utf8')) as Record<
        string,
        LabelledMessage[]
      >,
    ).flat(),
  );

/** What a reading tells the conversation. */
const told = (u: Understood) => ({
  intents: u.intents,
  means: u.means,
  command: u.command,
  number: u.number,
  span: u.span,
  language: u.language,
});

/** Folding for the made-up language that clashes with English's and Spanish's. */
const CLASHING_FOLDING = {
  shorthand: { pq: rot13('why'), u: rot13('what'), jbhyq: rot13('would') },
  endings: ['ent', 'it', 'ons', 'ing', 's'],
  sound_rules: [],
  elisions: ['d', 'l', 'qu'],
};

describe('one phrase index per language', () => {
  it.each([
    ['unlike ours', rot13, undefined],
    ['a typo away from English', nearMiss, undefined],
    // Spanish's "pq" and English's "u" as its own shorthand, endings that would cut English and
    // Spanish words otherwise ("-ent", "-it", "-ons"), and elisions: all read in it alone.
    ['unlike ours, with shorthand, endings and elisions of its own', rot13, CLASHING_FOLDING],
  ])(
    'reads every English and Spanish paraphrase the same with a made-up language of words %s',
    (_, change, folding) => {
      const withXx = loadFlows(flowsWithMadeUpLanguage(change, folding));
      expect(withXx.languages).toContain('xx');
      // The phrase indexes are what is isolated; the trained classifier's pick (`topics`) is not
      // compared, so none is trained for the made-up sets of packs.
      const before = new Understander(loadFlows(), { picker: 'matcher' });
      const after = new Understander(withXx, { picker: 'matcher' });
      const messages = paraphrases();
      expect(messages.length).toBeGreaterThan(200);
      for (const { text, lang } of messages)
        for (const conversation of [undefined, lang])
          expect(told(after.understand(text, 0, conversation)), text).toEqual(
            told(before.understand(text, 0, conversation)),
          );
    },
    // Two phrase indexes built and 900 readings compared: 3–10 s alone, and more than the
    // default 30 s in a full run on 2 loaded cores. No test waits on a fast machine.
    300_000,
  );

  it('reads the made-up language with its own phrases, and its commands in every conversation', () => {
    const understander = new Understander(loadFlows(flowsWithMadeUpLanguage()), { picker: 'matcher' });
    // "what is biometrics", "STOP", moved 13 letters: the made-up language's own words.
    expect(understander.understand(rot13('what is biometrics'), 0, 'en').language?.code).toBe('xx');
    expect(understander.understand(rot13('STOP'), 0, 'es').command?.name).toBe('stop');
    expect(understander.understand('STOP', 0, 'xx').command?.name).toBe('stop');
  });

  it("counts as a language's sign only letters no other language's phrases use", () => {
    // "é" is French as much as Spanish: "téléphone" at "téléphone ou ordinateur ?" was read as a
    // Spanish message (two of its letters), and its answer words in Spanish.
    const flows = loadFlows();
    for (const pack of flows.packs.values())
      for (const other of flows.packs.values()) {
        if (other === pack) continue;
        const phrases = [...Object.values(other.intents), ...Object.values(other.answers)].flat();
        const shared = [...pack.letters].filter((ch) => phrases.some((p) => p.toLowerCase().includes(ch)));
        expect(shared, `${pack.code}'s letters in ${other.code}'s phrases`).toEqual([]);
      }
    const understander = new Understander(flows);
    expect(understander.understand('téléphone', 0, 'fr').language?.code).not.toBe('es');
    expect(understander.understand('teléfono', 0, 'fr').language?.code).toBe('es');
  });

  it('is never sure of the language of a date and the short words around it', () => {
    const understander = new Understander(loadFlows());
    // "el", "a", "las" are Spanish, but a date said so in an English conversation keeps it English.
    expect(understander.understand('el 5 a las 10', 0, 'en').language?.confident).toBe(false);
    expect(understander.understand('el 5 de marzo a las 10h', 0, 'en').language?.confident).toBe(false);
    expect(understander.understand('tengo la cita el 5 a las 10', 0, 'en').language).toEqual({
      code: 'es',
      confident: true,
    });
  });

  it("spells out a message's shorthand and elisions as the language whose phrases are read", () => {
    const understander = new Understander(loadFlows(flowsWithMadeUpLanguage(rot13, CLASHING_FOLDING)), {
      picker: 'matcher',
    });
    const read = (text: string, lang: string) => understander.understand(text, 0, lang).intents[0]?.node;
    // "pq" is the made-up language's "why" in an xx conversation, still Spanish "porque" in Spanish.
    expect(read(`pq ${rot13('do i need biometrics')}`, 'xx')).toBe(
      read(rot13('why do i need biometrics'), 'xx'),
    );
    expect(read('pq tengo que ir a la cita de huellas', 'es')).toBe(
      read('porque tengo que ir a la cita de huellas', 'es'),
    );
    // "l'ovbzrgevpf" is "l" and the word: its elision keeps them apart, English keeps "can't" whole.
    const elided = `${rot13('what is')} l'${rot13('biometrics')}`;
    expect(understander.understand(elided, 0, 'xx').intents).toEqual(
      understander.understand(`${rot13('what is')} l ${rot13('biometrics')}`, 0, 'xx').intents,
    );
    expect(understander.understand("i can't go to my appointment", 0, 'en').intents).toEqual(
      understander.understand('i cant go to my appointment', 0, 'en').intents,
    );
  });

  it('reads past a word its language spells out as nothing, and tells the language as it reads it', () => {
    // French "ne" is often left out ("j'arrive pas"): fr.yaml spells out "ne" and "n" as nothing.
    // Before, only the informal form met the phrases, and Spanish shorthand ("n" is "en") made
    // "je n arrive pas" a Spanish word short of French.
    const understander = new Understander(loadFlows(), { picker: 'matcher' });
    const topic = (text: string, lang?: string) => understander.understand(text, 0, lang).intents[0]?.node;
    const pairs: [string, string][] = [
      ["je n'arrive pas à me connecter", "j'arrive pas à me connecter"],
      ['je n arrive pas a me connecter a mon compte', 'j arrive pas a me connecter a mon compte'],
      [
        "je n'ai pas reçu de convocation pour les empreintes",
        "j'ai pas reçu de convocation pour les empreintes",
      ],
      ['je ne trouve pas mon numero de compte', 'je trouve pas mon numero de compte'],
    ];
    for (const [formal, informal] of pairs)
      for (const lang of [undefined, 'fr', 'en']) {
        expect(topic(formal, lang), `${formal} (${lang})`).toBe(topic(informal, lang));
        expect(topic(formal, lang), `${formal} (${lang})`).toBeDefined();
      }
    expect(understander.understand('je n arrive pas a me connecter', 0).language?.code).toBe('fr');
    // Spanish keeps its own: "n" is "en" there.
    expect(topic('tengo cita n la oficina de uscis', 'es')).toBe(
      topic('tengo cita en la oficina de uscis', 'es'),
    );
  });
});
