import { type Folding, foldingOf } from '../../understanding/folding.js';
import { foldText } from '../../understanding/normalize.js';
import type { Flows } from '../content.js';
import type { ConversationContext } from './types.js';

/**
 * A short message that answers a list by a word of one choice's label: "telephone" to
 * "1 Sur un téléphone 2 Sur un ordinateur", "my phone" to "1 On a phone", "consejos" to
 * "1 Consejos para llamar". People answer a list with the word they read as often as with its
 * number; the topic phrases read such a word as a topic of its own ("phone": phones inside the
 * office).
 */
export class LabelChoice {
  private readonly folding: Folding;
  /** Folded words of each label, by language and node (and by the list it is shown in). */
  private readonly labelWords = new Map<string, Set<string>>();
  private readonly commonWords = new Map<string, Set<string>>();

  constructor(private readonly flows: Flows) {
    this.folding = foldingOf(flows);
    // The language's common words, and its one-word question words: "where i find it" under "1
    // Find account number" names that choice (blind try 33 got the way to the office).
    for (const [code, pack] of flows.packs)
      this.commonWords.set(
        code,
        new Set(
          [...pack.words, ...pack.cues.questionWords.filter((w) => !/\s/.test(w))].flatMap((w) =>
            this.words(w),
          ),
        ),
      );
  }

  /**
   * The one offered choice whose label holds every word of the message but the language's common
   * ones; none when the message is long, names no such word, or fits two labels.
   */
  pick(ctx: ConversationContext, text: string): string | undefined {
    // The main menu's labels are whole topics ("About the appointment"), which the topic
    // phrases read better; and a first message has seen no list at all.
    if (ctx.node === this.flows.menu || ctx.offered.length === 0) return undefined;
    const whole = this.named(ctx, text);
    if (whole !== undefined) return whole;
    // "phone. my english little, is ok?": the choice said first, as a sentence of its own, and
    // something else after it (blind try 25).
    const first = FIRST_SENTENCE.exec(text)?.[1];
    return first === undefined ? undefined : this.named(ctx, first);
  }

  private named(ctx: ConversationContext, text: string): string | undefined {
    if (text.length > MAX_LABEL_ANSWER_CHARS) return undefined;
    const common = this.commonWords.get(ctx.lang) ?? new Set<string>();
    const all = this.words(text);
    const told = all.filter((w) => !common.has(w));
    if (told.length > MAX_LABEL_ANSWER_WORDS) return undefined;
    const named = ctx.offered.filter((to) => {
      const label = this.label(ctx.lang, ctx.node, to);
      // "ce que c est" for "Ce que c'est": a label of common words only, typed whole (its
      // apostrophe typed as a space or left out).
      if (told.length === 0) return all.join('') === [...label].join('');
      return told.every((w) => label.has(w) || [...label].some((l) => extends_(w, l)));
    });
    return named.length === 1 ? named[0] : undefined;
  }

  /** The words of a choice's label as the list shows it (its own label in that list, or the topic's). */
  private label(lang: string, owner: string, to: string): Set<string> {
    const key = `${lang}\u0000${owner}\u0000${to}`;
    let words = this.labelWords.get(key);
    if (!words) {
      const pack = this.flows.packs.get(lang);
      const shown = pack?.nodes[owner]?.choiceLabels[to] ?? pack?.nodes[to]?.label ?? '';
      words = new Set(this.words(shown));
      this.labelWords.set(key, words);
    }
    return words;
  }

  private words(text: string): string[] {
    return this.folding.tokenize(foldText(text));
  }
}

/**
 * A word typed with more letters after a label's word of three or more: "verlo" for "ver" (Dónde
 * ver el número), "cambiarla" for "cambiar". Pronouns joined to a verb are how people write.
 */
function extends_(typed: string, label: string): boolean {
  return label.length >= 3 && typed.length > label.length && typed.startsWith(label);
}

/** A message of more words than this (common ones left out) says more than a choice's name. */
const MAX_LABEL_ANSWER_WORDS = 3;
/** A message's first sentence, when more follows it: "phone. my english little, is ok?". */
const FIRST_SENTENCE = /^\s*([^.!?;]{1,40}?)\s*[.!;]\s+\S/u;
/** A longer message is not read as a choice's name (nor folded for it). */
const MAX_LABEL_ANSWER_CHARS = 80;
