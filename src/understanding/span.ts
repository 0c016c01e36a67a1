import type { Flows } from '../conversation/content.js';
import type { Folding } from './folding.js';
import { foldText } from './normalize.js';

/** The longest count a span is read with ("15 days", "24 months"); a bigger number is no span. */
const MAX_COUNT = 99;

/**
 * Reads a span of time in a message, in days: "hace 2 meses" (60), "like 3 weeks ago" (21),
 * "a couple of weeks" (14), "unos dias" (3), "less than 3 weeks" (20, just under). The words are
 * the packs' (`durations` in flows/lang/<code>.yaml); this knows none. A unit counts only with a
 * count before it ("meses" alone is left to the answer words): the first such span is read.
 */
export class SpanReader {
  /** Folded unit word -> days ("weeks" -> 7). */
  private readonly units = new Map<string, number>();
  /** Folded count words, one or two -> how many ("couple" -> 2, "a few" -> 3, "unos" -> 3). */
  private readonly counts = new Map<string, number>();
  /** Words that may stand between a count and its unit ("a couple of weeks", "un par de semanas"). */
  private readonly between = new Set<string>();
  /** Words before a span that put it just under or just over: "less than", "más de". */
  private readonly bounds: { words: string[]; shift: -1 | 1 }[] = [];

  constructor(flows: Flows, folding: Folding) {
    for (const pack of flows.packs.values()) {
      const d = pack.durations;
      if (!d) continue;
      for (const [word, days] of Object.entries(d.units)) this.units.set(foldText(word), days);
      for (const [words, n] of Object.entries(d.counts))
        this.counts.set(folding.tokenize(foldText(words)).join(' '), n);
      for (const word of d.between) this.between.add(foldText(word));
      for (const phrase of d.under)
        this.bounds.push({ words: folding.tokenize(foldText(phrase)), shift: -1 });
      for (const phrase of d.over) this.bounds.push({ words: folding.tokenize(foldText(phrase)), shift: 1 });
    }
    // The longest first: "no más de" (under) before "más de" (over).
    this.bounds.sort((a, b) => b.words.length - a.words.length);
  }

  /** The first span of time the message's words name, in days. */
  read(tokens: string[]): number | undefined {
    for (let i = 1; i < tokens.length; i++) {
      const days = this.units.get(tokens[i]!);
      if (days === undefined) continue;
      const end = this.between.has(tokens[i - 1]!) && i >= 2 ? i - 2 : i - 1;
      const count = this.count(tokens, end);
      if (count === undefined) continue;
      return Math.max(0, count.n * days + this.shift(tokens, count.start));
    }
    return undefined;
  }

  /** The count that ends at `end`: a number, or count words ("few", "a few", "unos"); where it starts. */
  private count(tokens: string[], end: number): { n: number; start: number } | undefined {
    const token = tokens[end]!;
    if (/^\d{1,2}$/.test(token)) {
      const n = Number(token);
      return n > 0 && n <= MAX_COUNT ? { n, start: end } : undefined;
    }
    const two = end >= 1 ? this.counts.get(`${tokens[end - 1]} ${token}`) : undefined;
    if (two !== undefined) return { n: two, start: end - 1 };
    const one = this.counts.get(token);
    return one === undefined ? undefined : { n: one, start: end };
  }

  /** -1 after "less than", +1 after "more than", 0 otherwise (the words right before the count). */
  private shift(tokens: string[], start: number): number {
    const bound = this.bounds.find(({ words }) => {
      const from = start - words.length;
      return from >= 0 && words.every((w, k) => tokens[from + k] === w);
    });
    return bound?.shift ?? 0;
  }
}
