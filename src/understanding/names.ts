import type { LanguagePack } from '../conversation/content.js';
import { alternatives, foldWord, perLanguage } from './pack-words.js';

/**
 * People's names in a message: "for maria dec 8", "cancel jose", "la de carlos", "Luis's", "my
 * wife Rosa". The words around a name are the packs' (`names:`); this builds the patterns.
 */
export interface NameWords {
  /** Folded words that are never a name where one could stand ("it" of "it's", "mi" of "la de mi hijo"). */
  notNames: Set<string>;
  /** The languages' common short words ("pero", "but", "mais"): no second word of a name. */
  common: Set<string>;
  /** Besides those, after "for" or a cancel word: "for me", "cancel it", a weekday. */
  notAfterVerb: Set<string>;
  /** Month names and short forms, folded: never a name. */
  months: Set<string>;
  /** The word after "for", in folded text. */
  afterFor: RegExp | undefined;
  /** "for" anywhere, as typed. */
  saysFor: RegExp | undefined;
  /** The word after a cancel word ("borra a rosa"), in folded text. */
  afterCancel: RegExp | undefined;
  /** The word after an adding word ("put marcus", "pon a rosa"), in folded text. */
  afterAdd: RegExp | undefined;
  /** The word after "la de", in folded text. */
  afterOf: RegExp | undefined;
  /** The word before "'s", in folded text. */
  beforePossessive: RegExp | undefined;
  /** A capitalised word after "for", as typed ("for Ana"). */
  capitalAfterFor: RegExp | undefined;
  /** The word after "my wife", "mi hijo", as typed. */
  afterFamily: RegExp;
  /** What follows "her name is", "se llama", "es para", as typed (apostrophes dropped). */
  afterIntro: RegExp | undefined;
}

/** A pattern around the pack words, or none when no pack has such words. */
const around = (words: string[], pattern: (alternatives: string) => string, flags: string) =>
  words.length > 0 ? new RegExp(pattern(alternatives(words)), flags) : undefined;

function build(packs: LanguagePack[]): NameWords {
  const all = (pick: (names: LanguagePack['names']) => string[]) =>
    packs.flatMap((p) => pick(p.names)).map(foldWord);
  const afterCancel = all((n) => n.afterCancel);
  const then = afterCancel.length > 0 ? `(?:(?:${alternatives(afterCancel)})\\s+)?` : '';
  return {
    notNames: new Set(all((n) => n.notNames)),
    common: new Set(packs.flatMap((p) => p.words).map(foldWord)),
    notAfterVerb: new Set([
      ...all((n) => n.notAfterVerb),
      ...packs.flatMap((p) => p.dates.weekdays.flat()).map(foldWord),
    ]),
    months: new Set(packs.flatMap((p) => p.dates.months.flat()).map(foldWord)),
    afterFor: around(
      all((n) => n.for),
      (a) => `\\b(?:${a})\\s+(\\p{L}{3,})\\b`,
      'u',
    ),
    saysFor: around(
      all((n) => n.for),
      (a) => `\\b(?:${a})\\s`,
      'i',
    ),
    afterCancel: around(
      all((n) => n.cancel),
      (a) => `\\b(?:${a})\\s+${then}(\\p{L}{3,})\\b`,
      'u',
    ),
    afterAdd: around(
      all((n) => n.add),
      (a) => `\\b(?:${a})\\s+${then}(\\p{L}{3,})\\b`,
      'u',
    ),
    afterOf: around(
      all((n) => n.of),
      (a) => `\\b(?:${a})\\s+(\\p{L}{3,})`,
      'u',
    ),
    beforePossessive: around(
      all((n) => n.possessive),
      (a) => `\\b(\\p{L}{3,})(?:${a})\\b`,
      'u',
    ),
    capitalAfterFor: around(
      all((n) => n.for),
      (a) => `\\b(?:${a})\\s+(\\p{Lu}\\p{Ll}{2,})\\b`,
      'u',
    ),
    afterFamily: new RegExp(
      `(?:^|[^\\p{L}])(?:${alternatives(all((n) => n.my))})\\s+(?:${alternatives(packs.flatMap((p) => p.names.family))})\\s+(\\p{L}{3,20})(?![\\p{L}'’])`,
      'iu',
    ),
    afterIntro: around(
      all((n) => n.intro).map(withoutApostrophes),
      (a) => `(?<![\\p{L}])(?:${a})\\s+(\\p{L}.*)$`,
      'iu',
    ),
  };
}

const withoutApostrophes = (text: string) => text.replace(/['’]/g, '');

/** The name words of `lang` (its pack, then those it also reads), worked out once. */
export const nameWords = perLanguage(build);

/**
 * A first name from what was typed: letters only, at most two words and 20 characters, before
 * any comma or stop ("rosa, i said it" is Rosa, not "Rosa I"), after a question echoed first
 * ("his name? Olena"); a second word of one letter is no part of it.
 */
export function nameFrom(text: string, common?: ReadonlySet<string>): string | undefined {
  // "el nombre de el? Wilmer", "his name? Olena": the question echoed, then the answer after it.
  const echoed = /^[^?]*\?+\s*(?=\p{L})/u.exec(text);
  const answer = echoed ? text.slice(echoed[0].length) : text;
  const [first, second] =
    answer
      .normalize('NFC')
      .split(/[,.;:!?]/u)
      .find((part) => /\p{L}/u.test(part))
      ?.match(/\p{L}[\p{L}'-]*/gu)
      ?.slice(0, 2) ?? [];
  // "Yesenia pero…": a common word after the name is no part of it (blind try 26).
  const last = second !== undefined && common?.has(foldWord(second)) ? undefined : second;
  const words = [first, last].filter((w): w is string => w !== undefined && (w === first || w.length > 1));
  const name = words
    .map((w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase())
    .join(' ')
    .slice(0, 20);
  return name === '' ? undefined : name;
}

/**
 * A first name after "for" or a cancel word ("for maria dec 8 10am", "cancel jose", "borra a
 * rosa"), written in any case: the name, folded; undefined for "for me", "cancel it", a month.
 */
export function nameAfterWord(words: NameWords, text: string): string | undefined {
  const folded = foldWord(text);
  return aName(words, (words.afterFor?.exec(folded) ?? words.afterCancel?.exec(folded))?.[1]);
}

/** The first name after an adding word ("put marcus dec 18", "pon a rosa"), as a name is written ("Marcus"). */
export function nameAfterAdd(words: NameWords, text: string): string | undefined {
  const word = aName(words, words.afterAdd?.exec(foldWord(text))?.[1]);
  return word && nameFrom(word);
}

/** The folded word after a verb, if it can be a name: not "me", "it", a weekday or a month. */
function aName(words: NameWords, word: string | undefined): string | undefined {
  if (!word || words.notNames.has(word) || words.notAfterVerb.has(word) || words.months.has(word))
    return undefined;
  return word;
}

/** The name after "for" ("for maria dec 8 10am"), as a name is written ("Maria"). */
export function nameAfterFor(words: NameWords, text: string): string | undefined {
  const after = nameAfterWord(words, text);
  return after && words.saysFor?.test(text) ? nameFrom(after) : undefined;
}

/** Someone named by a name ("la de carlos", "Luis's", "for Ana"), not a place: the name, folded. */
export function nameMentioned(words: NameWords, text: string): string | undefined {
  const folded = foldWord(text);
  const of = words.afterOf?.exec(folded)?.[1];
  if (of && !words.notNames.has(of)) return of;
  const named = words.beforePossessive?.exec(folded)?.[1] ?? words.capitalAfterFor?.exec(text)?.[1];
  if (named && !words.notNames.has(foldWord(named))) return foldWord(named);
  return undefined;
}

/** The name right after a family word: "my wife Rosa", "mi hijo Mateo", "my son luis". */
export function nameAfterFamilyWord(words: NameWords, text: string): string | undefined {
  const word = words.afterFamily.exec(text)?.[1];
  if (!word) return undefined;
  const folded = foldWord(word);
  // "can you remind my mom about her appointment": a common word of the languages is no name.
  if (words.notNames.has(folded) || words.common.has(folded) || words.months.has(folded)) return undefined;
  return nameFrom(word);
}

/**
 * The name told after "her name is", "se llama", "it's for", "la cita es de" ("her name is Maria
 * Jose", "se llama José"): up to two words that are no other word ("is for my wife", "es de
 * diciembre"), as a name is written.
 */
export function nameIntroduced(words: NameWords, text: string): string | undefined {
  // "mi nombre es Yesenia pero la cita es de mi mama se llama Gloria": of several, the last
  // that names someone (the writer introduces themself first; blind try 26).
  let found: string | undefined;
  let rest = words.afterIntro?.exec(withoutApostrophes(text.normalize('NFC')))?.[1];
  for (let i = 0; rest !== undefined && i < MAX_INTRODUCTIONS; i++) {
    found = introducedAt(words, rest) ?? found;
    rest = words.afterIntro?.exec(rest)?.[1];
  }
  return found;
}

/** A message names at most this many people by "se llama", "her name is". */
const MAX_INTRODUCTIONS = 4;

/** Up to two words at the start of `rest` that are no other word ("Yesenia pero": Yesenia). */
function introducedAt(words: NameWords, rest: string): string | undefined {
  const name: string[] = [];
  for (const word of rest.match(/[\p{L}-]+|\S/gu)?.slice(0, 2) ?? []) {
    const folded = foldWord(word);
    const other =
      words.notNames.has(folded) ||
      words.notAfterVerb.has(folded) ||
      words.months.has(folded) ||
      (name.length > 0 && words.common.has(folded));
    if (other || !/^\p{L}[\p{L}-]*$/u.test(word) || word.length < 2) break;
    name.push(word);
  }
  return name.length > 0 ? nameFrom(name.join(' ')) : undefined;
}
