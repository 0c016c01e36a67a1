import {
  AFFIRMED_CUES,
  CUE_NAMES,
  type CueName,
  type Flows,
  type ShapeFact,
} from '../conversation/content.js';
import { type Folding, foldingOf } from './folding.js';
import { foldText } from './normalize.js';
import { oneWordDenials } from './pack-words.js';

/** The cues a message holds, by name: `cues.correcting` for "wait, it's 11". */
export type Cues = Partial<Record<CueName | ShapeFact | 'weekdayAlone', true>>;

/** A correction in so many words: "wait", "sorry, it's…", or a "no" first ("no!! its 10:30"). */
export function correctsInWords(cues: Cues | undefined): boolean {
  return cues?.correcting === true || cues?.says_no === true;
}

/** A word's edges: no letter or digit just before, or just after. */
const EDGE_BEFORE = '(?<![\\p{L}\\p{N}])';
const EDGE_AFTER = '(?![\\p{L}\\p{N}])';

/** How many words before an affirmed cue a denial undoes it: "i never even got the receipt". */
const DENIAL_REACH = 3;

const escaped = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "*" in a cue phrase: one word there or none ("i got my * letter": "i got my fingerprint letter"). */
const ANY_ONE_WORD = '(?:[\\p{L}\\d]+ )?';

/**
 * "…" in a cue phrase: up to four words there ("judge told me … i need": "the judge told me at my
 * master hearing i need"). Each word ends at a space, so the words between are read one way only.
 */
const A_FEW_WORDS = '(?:[\\p{L}\\d]+ ){0,4}';

/**
 * "……" in a cue phrase: up to eight words there, when a time told in words may come between
 * ("remind me …… to call": "remind me tomorrow at 9 in the morning to call"). One run, not two
 * "…" in a row, whose words could be split between them in many ways.
 */
const SEVERAL_WORDS = '(?:[\\p{L}\\d]+ ){0,8}';

/** A gap's pattern for a word of a cue phrase ("*", "…", "……"), if it is one. */
const GAPS: Record<string, string> = { '*': ANY_ONE_WORD, '…': A_FEW_WORDS, '……': SEVERAL_WORDS };

/**
 * A phrase of folded words with "*" (one word there or none), "…" (up to four) or "……" (up to eight) as a pattern over a message's
 * folded words joined by single spaces and padded with one: "stop * texts" holds "stop these texts".
 */
export function gappedPhrase(words: string[]): RegExp {
  const source = words.map((w) => GAPS[w] ?? `${escaped(w)} `);
  return new RegExp(` ${source.join('')}`, 'u');
}

/**
 * Reads the packs' named cues (`cues:` in flows/lang/<code>.yaml) in folded text. The phrases are
 * the packs'; this only turns their small notation into patterns: "^" at the start, "$" at the
 * end, "_" a word of three letters or more that is none of `not_someone` (a name), "*" one word
 * or none, "…" up to four, "……" up to eight.
 */
export class CueReader {
  private readonly patterns: [keyof Cues, RegExp][] = [];
  private readonly folding: Folding;
  /** The packs' one-word denials ("never", "nunca", "jamais"): they undo an affirmed cue just after them. */
  private readonly denials: Set<string>;

  constructor(flows: Flows) {
    this.folding = foldingOf(flows);
    // People mix their languages ("recordatorios for luis"): every pack's words count, as the
    // topics' do.
    const packs = [...flows.packs.values()];
    this.denials = oneWordDenials(packs, foldText);
    const notSomeone = packs.flatMap((p) => p.cues.not_someone).map((w) => foldText(w));
    const name = `(?!(?:${notSomeone.map(escaped).join('|') || '(?!)'})(?![\\p{L}]))\\p{L}{3,}`;
    for (const cue of CUE_NAMES) {
      if (cue === 'not_someone') continue;
      const phrases = [...new Set(packs.flatMap((p) => p.cues[cue]))];
      if (phrases.length === 0) continue;
      // Grouped by their ends (a word's edge, or the message's start or end), each end written
      // once: a look-around per phrase made the first two-byte message (emoji, Arabic) compile
      // every pattern again for a quarter of a second.
      const groups = new Map<`${boolean} ${boolean}`, string[]>();
      for (const phrase of phrases) {
        const ends = `${phrase.startsWith('^')} ${phrase.endsWith('$')}` as const;
        // Read as the message is: "j'ai eu" and "jai eu" both -> "j ai eu".
        const words = phrase
          .replace(/^\^|\$$/g, '')
          .split(/\s+/)
          .map((w) => (w === '_' ? name : (GAPS[w] ?? escaped(this.spelledOut(w)))))
          .filter((w) => w !== '')
          .join(' ')
          .replaceAll(`${ANY_ONE_WORD} `, ANY_ONE_WORD)
          .replaceAll(`${A_FEW_WORDS} `, A_FEW_WORDS)
          .replaceAll(`${SEVERAL_WORDS} `, SEVERAL_WORDS);
        groups.set(ends, [...(groups.get(ends) ?? []), words]);
      }
      const alternatives = [...groups].map(([ends, words]) => {
        const [start, end] = ends.split(' ').map((b) => b === 'true');
        const sorted = words.sort((a, b) => b.length - a.length).join('|');
        return `${start ? '^' : EDGE_BEFORE}(?:${sorted})${end ? '$' : EDGE_AFTER}`;
      });
      const flags = AFFIRMED_CUES.includes(cue) ? 'gu' : 'u';
      this.patterns.push([cue, new RegExp(`(?:${alternatives.join('|')})`, flags)]);
    }
    for (const [fact, pattern] of flows.shapes) this.patterns.push([fact, pattern]);
    // "los lunes", "on mondays": a weekday and nothing else (with a lead word, a plural).
    const weekdays = packs.flatMap((p) => p.dates.weekdays.flat()).map((w) => escaped(foldText(w)));
    const leads = packs.flatMap((p) => p.cues.weekday_lead).map((w) => escaped(foldText(w)));
    if (weekdays.length > 0)
      this.patterns.push([
        'weekdayAlone',
        new RegExp(`^(?:(?:${leads.join('|') || '(?!)'}) )?(?:${weekdays.join('|')})s?$`, 'u'),
      ]);
  }

  /**
   * The cues in `text` (raw or folded: it is folded here, which is idempotent), the words every
   * pack elides kept apart ("l'ancien" holds "ancien") and shorthand spelled out ("jai" holds "j ai").
   */
  read(text: string): Cues {
    const folded = this.spelledOut(text);
    const found: Cues = {};
    for (const [cue, pattern] of this.patterns)
      if (pattern.global ? this.affirmedIn(folded, pattern) : pattern.test(folded)) found[cue] = true;
    return found;
  }

  /**
   * `text` folded, the words packs elide kept apart and chat shorthand spelled out, as the topic
   * phrases read it: "j'ai" and "jai" -> "j ai", "rdv" -> "rendez vous".
   */
  private spelledOut(text: string): string {
    return this.folding.tokenize(this.folding.fold(text)).join(' ');
  }

  /** Whether one of the pattern's matches has no denial in the DENIAL_REACH words before it. */
  private affirmedIn(folded: string, pattern: RegExp): boolean {
    for (const match of folded.matchAll(pattern)) {
      const before = folded
        .slice(0, match.index)
        .split(' ')
        .filter((w) => w !== '');
      if (!before.slice(-DENIAL_REACH).some((w) => this.denials.has(w))) return true;
    }
    return false;
  }
}

const readers = new WeakMap<Flows, CueReader>();
/** The cue reader of a set of packs, built once. */
export function cueReaderOf(flows: Flows): CueReader {
  let reader = readers.get(flows);
  if (!reader) {
    reader = new CueReader(flows);
    readers.set(flows, reader);
  }
  return reader;
}
