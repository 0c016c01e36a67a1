/** Longest message that is read: a 10 KB paste is cut to this before anything else. */
export const MAX_READ_CHARS = 1600;

const NO_ELISIONS = /(?!)/g;
const escapedWord = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A word of `words` (a pack's `folding.elisions`: "l", "d", "qu") written whole before an
 * apostrophe and a letter: "l'ancien", "qu'il". "can't" and "don't" hold none (the letters before
 * the apostrophe are part of a longer word), so they still fold to one word.
 */
export function elisionsPattern(words: Iterable<string>): RegExp {
  const list = [...new Set(words)].sort((a, b) => b.length - a.length).map(escapedWord);
  if (list.length === 0) return NO_ELISIONS;
  return new RegExp(`(?<![\\p{L}\\p{M}])(${list.join('|')})['’\\u0060´](?=\\p{L})`, 'giu');
}

/**
 * Folds what people type into comparable words: no accents, no case, no punctuation, no emoji.
 * "¿Qué   llevo a la CITA??" -> "que llevo a la cita". (The words of a language, its shorthand
 * and endings, are the packs': see Folding.)
 */
export function foldText(text: string): string {
  return foldElided(text, NO_ELISIONS);
}

/** `text` folded as foldText does, the words `elisions` finds (see `elisionsPattern`) kept apart. */
export function foldElided(text: string, elisions: RegExp): string {
  return (
    text
      .slice(0, MAX_READ_CHARS)
      // "d'empreintes" is "d" and "empreintes" where the language elides (see `elisionsPattern`).
      .replace(elisions, '$1 ')
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/ß/g, 'ss')
      // "can't" is one word, "cant", not "can" and "t".
      .replace(/(\p{L})['’`´](\p{L})/gu, '$1$2')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
  );
}

export function hasWords(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text.slice(0, MAX_READ_CHARS));
}

/** Damerau-Levenshtein (optimal string alignment) distance, stopping early past `limit`. */
export function editDistance(a: string, b: string, limit = 3): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) d[0]![j] = j;
  for (let i = 1; i < rows; i++) {
    let rowMin = Number.POSITIVE_INFINITY;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
  }
  return d[rows - 1]![cols - 1]!;
}

/**
 * Whether a typed word is the phrase word, allowing for endings and, for words we do not know,
 * typos: "fingerprint" ~ "fingerprints", "contrasena" ~ "contraseña", "apointment" ~ "appointment".
 * A typed word that is itself a known word ("passport", "llegar") is never read as a typo of
 * another ("password", "llevar").
 */
export function wordsMatch(
  phraseWord: string,
  typed: string,
  typedIsKnown: boolean,
  /** Their stems (see Folding.stem), worked out once: a typed word is compared with many phrase words. */
  stems: { phrase: string; typed: string },
): boolean {
  if (phraseWord === typed) return true;
  const shorter = Math.min(phraseWord.length, typed.length);
  if (shorter < 4) return false;
  if (stems.typed.length >= 4 && stems.typed === stems.phrase) return true;
  if (shorter < 5) return false;
  // Endings: plural, gender, verb forms ("reprogramar" ~ "reprogramo", "perdido" ~ "perdida").
  const prefix = Math.max(5, shorter - 2);
  if (
    phraseWord.slice(0, prefix) === typed.slice(0, prefix) &&
    Math.abs(phraseWord.length - typed.length) <= 3
  ) {
    return true;
  }
  if (typedIsKnown) return false;
  const allowed = shorter >= 10 ? 2 : 1;
  return editDistance(phraseWord, typed, allowed) <= allowed;
}
