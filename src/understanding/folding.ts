import type { Flows, LanguagePack } from '../conversation/content.js';
import { elisionsPattern, foldElided } from './normalize.js';

/**
 * Sound rules, by name: each respells one way a sound is written, so that words written by ear
 * meet the words of the content ("sita" and "cita" -> "sita"). They are mechanisms, not words: a
 * pack names the ones its spelling follows (`folding.sound_rules`), and they run in this order.
 * Folded words are lower case: "C" holds a "ch" while the c's are respelled.
 */
export const SOUND_RULES = {
  silent_h: [/h/g, ''],
  ll_as_y: [/ll/g, 'y'],
  qu_as_k: [/qu(?=[ei])/g, 'k'],
  soft_c: [/c(?=[ei])/g, 's'],
  hard_c: [/[cq]/g, 'k'],
  z_as_s: [/z/g, 's'],
  v_as_b: [/v/g, 'b'],
  soft_g: [/g(?=[ei])/g, 'j'],
  doubled_letters: [/(.)\1+/g, '$1'],
} as const satisfies Record<string, readonly [RegExp, string]>;
export type SoundRuleName = keyof typeof SOUND_RULES;
export const SOUND_RULE_NAMES = Object.keys(SOUND_RULES) as [SoundRuleName, ...SoundRuleName[]];

const escaped = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * How the packs' words are folded and cut: chat shorthand spelled out, endings, sound rules and
 * the words that start a question, from `folding:` and `cues:` of every pack (people mix
 * languages, and a typed word's language is not known). It knows no word itself.
 */
export class Folding {
  private readonly shorthand = new Map<string, string>();
  /** Endings of every language, longest first: "llevo", "llevar" and "llevamos" share "llev". */
  private readonly endings: string[];
  private readonly soundRules: (readonly [RegExp, string])[];
  private readonly questionWords: RegExp;
  private readonly elisions: RegExp;

  constructor(packs: Iterable<LanguagePack>) {
    const endings = new Set<string>();
    const rules = new Set<SoundRuleName>();
    const questions: string[] = [];
    const elided: string[] = [];
    for (const pack of packs) {
      elided.push(...pack.folding.elisions);
      for (const [short, long] of Object.entries(pack.folding.shorthand))
        if (!this.shorthand.has(short)) this.shorthand.set(short, long);
      for (const ending of pack.folding.endings) endings.add(ending);
      for (const rule of pack.folding.soundRules) rules.add(rule);
      questions.push(...pack.cues.questionWords);
    }
    this.elisions = elisionsPattern(elided);
    this.endings = [...endings].sort((a, b) => b.length - a.length);
    this.soundRules = SOUND_RULE_NAMES.filter((name) => rules.has(name)).map((name) => SOUND_RULES[name]);
    this.questionWords = new RegExp(`(?<![\\p{L}])(?:${questions.map(escaped).join('|')})(?![\\p{L}])`, 'iu');
  }

  /** `text` folded (see foldText), the words these packs elide kept apart: "l'ancien" -> "l ancien". */
  fold(text: string): string {
    return foldElided(text, this.elisions);
  }

  /** Words of a folded text, shorthand spelled out ("q" -> "que", "idk" -> "i dont know"). */
  tokenize(folded: string): string[] {
    const words: string[] = [];
    if (folded === '') return words;
    // A plain loop: split, filter and flatMap made this a large share of a turn's CPU.
    for (const token of folded.split(' ')) {
      if (token === '') continue;
      const long = this.shorthand.get(token);
      if (long === undefined) words.push(token);
      // Spelled out as nothing: a word the pack reads past (French "ne", often left out in speech).
      else for (const word of long.split(' ')) if (word !== '') words.push(word);
    }
    return words;
  }

  /** A crude stem: the word without one ending, keeping at least four letters. */
  stem(word: string): string {
    return this.withoutEnding(word, 4);
  }

  /** How a folded word sounds, by the packs' sound rules: "sita" and "cita" -> "sita". */
  soundKey(word: string): string {
    let key = word.replace(/ch/g, 'C');
    for (const [pattern, respelled] of this.soundRules) key = key.replace(pattern, respelled);
    return key.replace(/C/g, 'ch');
  }

  /** A sound key without one ending, keeping three letters: "yebo" and "yebar" -> "yeb". */
  soundStem(key: string): string {
    return this.withoutEnding(key, 3);
  }

  /** Whether a message asks something in words, with or without a "?". */
  hasQuestionWords(text: string): boolean {
    return this.questionWords.test(text);
  }

  private withoutEnding(word: string, keep: number): string {
    for (const ending of this.endings) {
      if (word.length - ending.length >= keep && word.endsWith(ending)) return word.slice(0, -ending.length);
    }
    return word;
  }
}

/**
 * The packs a language is read with: its own and those of the languages its people mix into it
 * (`reading.mixed_with`), in the order of flows.languages; no other language's.
 */
export function readingPacks(flows: Flows, code: string): LanguagePack[] {
  const mixed = flows.packs.get(code)?.reading.mixedWith ?? [];
  return flows.languages
    .filter((other) => other === code || mixed.includes(other))
    .flatMap((other) => flows.packs.get(other) ?? []);
}

const byFlows = new WeakMap<Flows, Folding>();
/** The folding of these flows' packs, worked out once. */
export function foldingOf(flows: Flows): Folding {
  let folding = byFlows.get(flows);
  if (!folding) {
    folding = new Folding(flows.packs.values());
    byFlows.set(flows, folding);
  }
  return folding;
}
