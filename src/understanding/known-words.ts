import { stem, wordsMatch } from './normalize.js';

/** Shorter words match only as typed; from this length on, by a shared stem (see `wordsMatch`). */
export const SHORTEST_BY_STEM = 4;
/** From this length on, words also match by a shared beginning or a typo (see `wordsMatch`). */
const SHORTEST_BY_TYPO = 5;
/** Typos allowed between words this long or longer: two (one for shorter words). */
const TWO_TYPOS_FROM = 10;

/**
 * The words the content knows (~3,500), indexed so that a typed word is compared with the few
 * that can match it, not with all of them (a message of made-up words cost a second): by stem,
 * by the first five letters, and by length for typos. `matching` finds exactly the words
 * `wordsMatch` accepts.
 */
export class KnownWords {
  private readonly position = new Map<string, number>();
  private readonly stems: string[];
  private readonly byStem = new Map<string, number[]>();
  private readonly byBeginning = new Map<string, number[]>();
  /** Positions in `words`, in order, by word length. */
  private readonly byLength: number[][] = [];

  constructor(readonly words: readonly string[]) {
    this.stems = words.map(stem);
    words.forEach((word, i) => {
      this.position.set(word, i);
      const sameLength = this.byLength[word.length] ?? [];
      sameLength.push(i);
      this.byLength[word.length] = sameLength;
      if (word.length >= SHORTEST_BY_STEM) push(this.byStem, this.stems[i]!, i);
      if (word.length >= SHORTEST_BY_TYPO) push(this.byBeginning, word.slice(0, SHORTEST_BY_TYPO), i);
    });
  }

  has(word: string): boolean {
    return this.position.has(word);
  }

  /**
   * The known words `typed` stands for (itself, an ending, a typo; see `wordsMatch`) or sounds
   * like (`soundsLike`), in the order of `words`.
   */
  matching(typed: string, typedIsKnown: boolean, soundsLike?: Set<string>): Set<string> {
    const found = new Set<number>();
    const exact = this.position.get(typed);
    if (exact !== undefined) found.add(exact);
    for (const word of soundsLike ?? []) {
      const at = this.position.get(word);
      if (at !== undefined) found.add(at);
    }
    if (typed.length >= SHORTEST_BY_STEM) {
      const typedStem = stem(typed);
      const candidates = [
        ...(this.byStem.get(typedStem) ?? []),
        ...(typed.length >= SHORTEST_BY_TYPO
          ? (this.byBeginning.get(typed.slice(0, SHORTEST_BY_TYPO)) ?? [])
          : []),
        ...(typedIsKnown ? [] : this.typoCandidates(typed)),
      ];
      for (const at of candidates) {
        if (found.has(at)) continue;
        const stems = { phrase: this.stems[at]!, typed: typedStem };
        if (wordsMatch(this.words[at]!, typed, typedIsKnown, stems)) found.add(at);
      }
    }
    return new Set([...found].sort((a, b) => a - b).map((at) => this.words[at]!));
  }

  /** Known words within the typos `wordsMatch` allows of `typed`, found by a cheap test first. */
  private typoCandidates(typed: string): number[] {
    const out: number[] = [];
    if (typed.length < SHORTEST_BY_TYPO) return out;
    for (let length = Math.max(SHORTEST_BY_TYPO, typed.length - 2); length <= typed.length + 2; length++) {
      const twoTypos = Math.min(length, typed.length) >= TWO_TYPOS_FROM;
      if (!twoTypos && Math.abs(length - typed.length) > 1) continue;
      for (const at of this.byLength[length] ?? []) {
        if (twoTypos || withinOneEdit(this.words[at]!, typed)) out.push(at);
      }
    }
    return out;
  }
}

function push(index: Map<string, number[]>, key: string, at: number): void {
  const list = index.get(key);
  if (list) list.push(at);
  else index.set(key, [at]);
}

/** Whether one change (a letter changed, added, removed, or two swapped) or none turns `a` into `b`. */
export function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length || i === b.length) return true;
  if (a.length > b.length) return a.slice(i + 1) === b.slice(i);
  if (a.length < b.length) return a.slice(i) === b.slice(i + 1);
  if (a.slice(i + 1) === b.slice(i + 1)) return true;
  return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}
