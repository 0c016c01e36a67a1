import type { Flows, LanguagePack } from '../conversation/content.js';

/**
 * Turning a pack's words into the patterns code runs, and the packs a language reads: its own,
 * then those it names in `dates.also` (people mix languages: "dec 3 a las 9", "cancel a rosa").
 * It knows no word itself.
 */

const escaped = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Words as alternatives, longest first, any run of spaces between the words of a phrase. */
export const alternatives = (words: Iterable<string>): string =>
  [...new Set(words)]
    .sort((a, b) => b.length - a.length)
    .map((w) => w.split(' ').map(escaped).join('\\s+'))
    .join('|');

/** A whole word or phrase among `words`. */
export const anyWord = (words: Iterable<string>, flags: string): RegExp =>
  new RegExp(`(?<![\\p{L}])(?:${alternatives(words)})(?![\\p{L}])`, flags);

/**
 * The one-word denials of `packs` (`reading.negation`: "dont", "nunca", "pas"), folded: a phrase's
 * denial (phrase-index.ts) and what undoes an affirmed cue (cues.ts).
 */
export function oneWordDenials(packs: Iterable<LanguagePack>, fold: (word: string) => string): Set<string> {
  return new Set(
    [...packs].flatMap((p) => p.reading.negation.map(fold)).filter((w) => w !== '' && !w.includes(' ')),
  );
}

/** A word as names and cues compare it: no accents, lower case (apostrophes kept). */
export const foldWord = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();

/**
 * What `build` makes of a language's packs (its own first), made once per flows and language.
 * An unknown language reads as the first one.
 */
export function perLanguage<T>(build: (packs: LanguagePack[]) => T): (flows: Flows, lang: string) => T {
  const byFlows = new WeakMap<Flows, Map<string, T>>();
  return (flows, lang) => {
    let languages = byFlows.get(flows);
    if (!languages) {
      languages = new Map();
      byFlows.set(flows, languages);
    }
    let found = languages.get(lang);
    if (found === undefined) {
      const pack = flows.packs.get(lang) ?? flows.packs.get(flows.languages[0]!)!;
      const also = pack.dates.also.flatMap((code) => flows.packs.get(code) ?? []);
      found = build([pack, ...also.filter((p) => p !== pack)]);
      languages.set(lang, found);
    }
    return found;
  };
}

/**
 * Of each language's words, those no other language uses, four letters or more and not `skip`
 * (a function word): words that tell the language a message is written in.
 */
export function wordsOfOneLanguage(
  wordsByLanguage: Iterable<[code: string, words: Iterable<string>]>,
  skip: (word: string) => boolean = () => false,
): Map<string, Set<string>> {
  const usedBy = new Map<string, Set<string>>();
  const only = new Map<string, Set<string>>();
  for (const [code, words] of wordsByLanguage) {
    only.set(code, new Set());
    for (const w of words) usedBy.set(w, (usedBy.get(w) ?? new Set()).add(code));
  }
  for (const [word, codes] of usedBy)
    if (codes.size === 1 && word.length >= 4 && !skip(word)) only.get([...codes][0]!)!.add(word);
  return only;
}
