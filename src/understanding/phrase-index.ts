import type { LanguagePack } from '../conversation/content.js';
import { MAX_LOOKED_UP_WORDS } from './bound.js';
import type { Folding } from './folding.js';
import { KnownWords, SHORTEST_BY_STEM } from './known-words.js';
import { foldText } from './normalize.js';
import { oneWordDenials, wordsOfOneLanguage } from './pack-words.js';

export interface RankedIntent {
  node: string;
  score: number;
}

interface Phrase {
  node: string;
  /** Content words: every one must be in the message, in any order (typos and endings allowed). */
  content: string[];
  /** Function words ("what", "to", "que"): all must be typed as they are; each adds a little. */
  function: string[];
  /**
   * The words a denial in the phrase denies ("dont have documents": "have", "documents"): in the
   * message a denial ("dont", "never", "no", "nunca", "pas") must come before one of them, a few
   * words at most. "dont want them to send me back", said after "what documents i have", denies no
   * documents.
   */
  denies?: { words: string[] };
}

/** What one language's phrases find in a message: the answers it gives, its topics, best first. */
export interface TopicsFound {
  means: Record<string, number>;
  intents: RankedIntent[];
}

/** What a function word of a phrase is worth; a content word is worth 1. */
const FUNCTION_WORD_WEIGHT = 0.25;

/** What one word's vote is worth next to a whole phrase (a content word of a phrase is worth 1). */
const WORD_VOTE_WEIGHT = 0.6;

/** How many words of a long message are read for topics: enough for a rambling SMS. */
const MAX_TOPIC_WORDS = 120;

/**
 * Typed words whose matches are remembered. People use the same few thousand words, so a word
 * is compared with the content's words once, not in every message; a flood of new words only
 * pushes out the oldest.
 */
const MAX_REMEMBERED_WORDS = 20_000;

/** The answer list of social formulas, whose words name no topic (flows/lang `answers.formula`). */
const FORMULA = 'formula';

/** A day of the month or an hour as one token: "28", "3rd", "1o", "9am". */
const DAY_NUMBER = /^\d{1,2}\p{L}{0,2}$/u;

/**
 * The intent phrases and answers of one language, and the words they use: a typed word is
 * compared with this language's words only, so a typo is never taken for a word of another
 * language ("permis" is not "permit") and adding a language changes no other's reading.
 */
export class PhraseIndex {
  private topicWordsNormalized = false;
  private readonly phrases: Phrase[] = [];
  /**
   * `exact`: the words must be typed as they are, in a row (a phrase written with a leading "=");
   * `ordered`: in this order, other words between allowed (a leading ">"); else in any order.
   */
  private readonly answers: { means: string; words: string[]; order: AnswerOrder }[] = [];
  private readonly functionWords: Set<string>;
  /** The social formulas (`answers.formula`), each as " word word " to cut out of a sentence. */
  private readonly formulas: string[];
  /** The one-word denials of the languages read (`reading.negation`: "dont", "no", "pas"). */
  private readonly denials: Set<string>;
  /** Words that deny the answer word right after them (`reading.answer_denials`: "not uscis"). */
  private readonly answerDenials: Set<string>;
  /** Every word the content uses: such a word, typed, is taken as itself, not as a typo. */
  private readonly vocabulary = new Set<string>();
  /** Month and weekday words of the language and those whose dates it reads too, with their short forms. */
  private readonly dateWords = new Set<string>();
  /** For each content word of the intent phrases: how strongly it points at each topic (sums to 1). */
  private readonly topicWords = new Map<string, Map<string, number>>();
  /** Every word a typed word is compared with: topic words first (their order), then answer words. */
  private readonly knownWords: KnownWords;
  private readonly remembered = new Map<string, Set<string>>();
  /**
   * The words of a spelled-by-sound language that only it uses among the index's, by how they sound (`soundKey`),
   * whole ("cita": "sita") and without an ending ("llevar": "yeb").
   */
  private readonly soundAlike = {
    whole: new Map<string, Set<string>>(),
    stem: new Map<string, Set<string>>(),
  };
  /**
   * The words of the intent phrases, numbered, and each phrase as numbers: a message marks the
   * numbers of its words in two reused arrays, so checking the few hundred phrases it may match
   * is array lookups instead of string hashing.
   */
  private readonly phraseWordIds: Map<string, number>;
  private readonly phraseIds: { content: Int32Array; function: Int32Array }[];
  /** By a word's number: the phrases whose first content word it is, in order. */
  private readonly phrasesByWordId: Int32Array[];
  /** Per word number, for the message being read: present (typed, an ending or a typo). */
  private readonly presentMark: Uint8Array;
  /** Per word number, for the message being read: typed as it is, among the topic words. */
  private readonly topicMark: Uint8Array;
  private readonly answersByWord: Map<string, number[]>;

  /**
   * The phrases and answers of `packs`: a language and those its people mix into it
   * (`reading.mixed_with`), in the order of flows.languages; their words folded and cut by `folding`.
   */
  constructor(
    packs: LanguagePack[],
    private readonly folding: Folding,
  ) {
    this.functionWords = new Set(packs.flatMap((p) => p.words.map(foldText)));
    this.denials = oneWordDenials(packs, foldText);
    this.answerDenials = new Set(packs.flatMap((p) => p.reading.answerDenials.map(foldText)));
    for (const w of this.functionWords) this.vocabulary.add(w);
    for (const p of packs)
      for (const names of [...p.dates.months, ...p.dates.weekdays])
        for (const name of names) this.dateWords.add(foldText(name));
    for (const pack of packs) this.addPhrases(pack);
    const ownWords = wordsOnlyIn(packs, this.folding, this.functionWords);
    for (const pack of packs) if (pack.spelledBySound) this.addSoundAlikes(ownWords.get(pack.code)!);
    const ids = numberedPhrases(this.phrases);
    this.phraseWordIds = ids.wordIds;
    this.phraseIds = ids.phraseIds;
    this.phrasesByWordId = ids.byFirst;
    this.presentMark = new Uint8Array(this.phraseWordIds.size);
    this.topicMark = new Uint8Array(this.phraseWordIds.size);
    this.answersByWord = indexByFirstWord(this.answers.map((a) => a.words));
    this.formulas = this.answers.filter((a) => a.means === FORMULA).map((a) => ` ${a.words.join(' ')} `);
    this.knownWords = new KnownWords(
      [...new Set([...this.topicWords.keys(), ...this.answers.flatMap((a) => a.words)])],
      this.folding,
    );
  }

  private addPhrases(pack: LanguagePack): void {
    const isFunction = (w: string) => this.functionWords.has(w) || w.length < 2;
    for (const [node, list] of Object.entries(pack.intents)) {
      for (const phrase of list) {
        const words = this.tokens(phrase);
        const content = words.filter((w) => !isFunction(w));
        if (content.length === 0) continue;
        const denies = this.denialIn(words, isFunction);
        this.phrases.push({
          node,
          content,
          function: words.filter(isFunction),
          ...(denies ? { denies } : {}),
        });
        for (const w of words) this.vocabulary.add(w);
        for (const w of new Set(content)) {
          const perNode = this.topicWords.get(w) ?? new Map<string, number>();
          perNode.set(node, (perNode.get(node) ?? 0) + 1);
          this.topicWords.set(w, perNode);
        }
      }
    }
    for (const [means, list] of Object.entries(pack.answers)) {
      for (const phrase of list) {
        const words = this.tokens(phrase);
        if (words.length > 0) this.answers.push({ means, words, order: answerOrder(phrase) });
        for (const w of words) this.vocabulary.add(w);
      }
    }
  }

  /** The words a phrase's first denial denies: the next one, and the content words after it. */
  private denialIn(words: string[], isFunction: (w: string) => boolean): Phrase['denies'] {
    const at = words.findIndex((w) => this.denials.has(w));
    if (at < 0 || at + 1 >= words.length) return undefined;
    const after = words.slice(at + 1);
    return { words: [...new Set([after[0]!, ...after.filter((w) => !isFunction(w))])] };
  }

  private addSoundAlikes(ownWords: Set<string>): void {
    for (const word of ownWords) {
      const key = this.folding.soundKey(word);
      for (const [map, k] of [
        [this.soundAlike.whole, key],
        [this.soundAlike.stem, this.folding.soundStem(key)],
      ] as const) {
        const alike = map.get(k) ?? new Set<string>();
        alike.add(word);
        map.set(k, alike);
      }
    }
  }

  /**
   * Written by ear: "sita" sounds like "cita", "yebo" like "llevar" without its ending. A word of
   * ours sounds like another only whole ("sita" and "cita"; "casa" is not "caso").
   */
  private soundsLike(typed: string, isKnown: boolean): Set<string> | undefined {
    const key = this.folding.soundKey(typed);
    const whole = this.soundAlike.whole.get(key);
    // A short word is too little of a longer one to stand for it ("mar" is not "marido", "abr"
    // not "abrir"): like a typo or an ending, a sound-alike stem needs SHORTEST_BY_STEM letters.
    if (isKnown || typed.length < SHORTEST_BY_STEM) return whole;
    const stem = this.soundAlike.stem.get(this.folding.soundStem(key));
    if (!whole) return stem;
    return stem ? new Set([...whole, ...stem]) : whole;
  }
  /**
   * The known words a typed word stands for (itself, an ending, a typo), in knownWords order. A
   * word past the first MAX_LOOKED_UP_WORDS of its message (`lookUp` false) stands only for itself.
   */
  private matches(typed: string, lookUp = true): Set<string> {
    if (!lookUp) return this.knownWords.has(typed) ? new Set([typed]) : new Set();
    let found = this.remembered.get(typed);
    if (found === undefined) {
      const isKnown = this.vocabulary.has(typed);
      const sounds = typed.length >= 3 ? this.soundsLike(typed, isKnown) : undefined;
      found = this.knownWords.matching(typed, isKnown, sounds);
      if (this.remembered.size >= MAX_REMEMBERED_WORDS) {
        this.remembered.delete(this.remembered.keys().next().value!);
      }
      this.remembered.set(typed, found);
    }
    return found;
  }

  /** The words of `text` as this language reads them: its elisions, its shorthand spelled out. */
  tokens(text: string): string[] {
    return this.folding.tokenize(this.folding.fold(text));
  }

  /** Whether this language's content uses `word`. */
  knows(word: string): boolean {
    return this.vocabulary.has(word);
  }

  /**
   * The answers and topics `words` (a message's, parts of the day left out) hold in this language.
   * Only the first `lookUps` words are looked up (an ending, a typo, a sound-alike); with none,
   * every word stands only for itself.
   */
  read(words: string[], lookUps = MAX_LOOKED_UP_WORDS): TopicsFound {
    this.normalizeTopicWords();
    const typed = new Set(words);
    const dates = this.dateTokens(words);
    // Every known word the message has, as typed or by an ending or a typo (a date only as typed).
    const presentWords = new Set(typed);
    const byTyped = new Map<string, Set<string>>();
    let lookedUp = 0;
    for (const t of typed) {
      if (dates.has(t)) continue;
      const found = this.matches(t, lookedUp++ < lookUps);
      byTyped.set(t, found);
      for (const word of found) presentWords.add(word);
    }
    const means = this.answersHeld(words, typed, presentWords, byTyped);
    const topical = this.withoutFormulas(words, means);
    const topicWords = new Set(topical.slice(0, MAX_TOPIC_WORDS));
    const topicPresent =
      topical === words ? presentWords : new Set(topical.flatMap((t) => [t, ...(byTyped.get(t) ?? [])]));
    return {
      means,
      intents: this.rankedTopics(
        this.matchPhrases(topicPresent, topicWords, { words: topical, byTyped }),
        this.votes(topicWords, dates, lookUps > 0),
      ),
    };
  }

  /**
   * The words without the social formulas the message holds in a row (the pack's `answers.formula`:
   * "hold on", "thank you in advance", "disculpe la molestia"): they name no topic ("hold on" is
   * not "on hold", "in advance" is no topic's).
   */
  private withoutFormulas(words: string[], means: Record<string, number>): string[] {
    if ((means[FORMULA] ?? 0) === 0) return words;
    let sentence = ` ${words.join(' ')} `;
    for (const formula of this.formulas) sentence = sentence.split(formula).join(' ');
    return sentence.split(' ').filter((w) => w !== '');
  }

  /** The answer lists the message holds, with the length in words of the longest phrase matched. */
  private answersHeld(
    words: string[],
    typed: Set<string>,
    presentWords: Set<string>,
    byTyped: Map<string, Set<string>>,
  ): Record<string, number> {
    const means: Record<string, number> = {};
    // Only lists whose first word is there can match; taken in their order.
    const sentence = ` ${words.join(' ')} `;
    for (const index of candidatesAmong(this.answersByWord, presentWords)) {
      const answer = this.answers[index]!;
      // A phrase written with "=" is matched word for word, in a row ("y la de" is not "y la cita
      // … de"); others word by word, short ones ("si", "no") only as typed: with ">" in their
      // order ("when … reminders" is not "remind me when"), else in any order.
      const stands = (w: string, at: string) =>
        w === at || (w.length >= 4 && byTyped.get(at)?.has(w) === true);
      const holds =
        answer.order === 'exact'
          ? sentence.includes(` ${answer.words.join(' ')} `)
          : answer.order === 'ordered'
            ? inOrder(answer.words, words, stands)
            : answer.words.every((w) => (w.length < 4 ? typed.has(w) : presentWords.has(w)));
      if (holds && !this.deniedWord(answer.words, words))
        means[answer.means] = Math.max(means[answer.means] ?? 0, answer.words.length);
    }
    return means;
  }

  /**
   * An answer with a word each of whose uses is denied right before it ("filed with the judge not
   * uscis", "au tribunal pas a uscis": one of `reading.answer_denials`, maybe a short word
   * between): it is not said. An answer that holds such a word itself ("pas alle") is as written.
   */
  private deniedWord(answer: string[], words: string[]): boolean {
    if (answer.some((w) => this.answerDenials.has(w))) return false;
    const denial = (w: string | undefined) => w !== undefined && this.answerDenials.has(w);
    const denied = (i: number) => {
      const before = words[i - 1];
      return denial(before) || (before !== undefined && before.length <= 3 && denial(words[i - 2]));
    };
    return answer.some((word) => {
      const at = words.flatMap((w, i) => (w === word ? [i] : []));
      return at.length > 0 && at.every(denied);
    });
  }

  /**
   * Words vote too, so a phrasing nobody wrote down still finds its topic: each content word of
   * the message that the intent phrases use gives its topics a share of one vote.
   */
  private votes(topicWords: Set<string>, dates: Set<string>, lookUp: boolean): Map<string, number> {
    const votes = new Map<string, number>();
    const seen = new Set<string>();
    for (const token of topicWords) {
      if (this.functionWords.has(token) || token.length < 2 || dates.has(token)) continue;
      for (const word of this.matches(token, lookUp)) {
        const perNode = this.topicWords.get(word);
        if (!perNode || seen.has(word)) continue;
        seen.add(word);
        for (const [node, share] of perNode) votes.set(node, (votes.get(node) ?? 0) + share);
      }
    }
    return votes;
  }

  /** Topics by their phrases' scores and their words' votes, best first (at most five). */
  private rankedTopics(byNode: Map<string, number[]>, votes: Map<string, number>): RankedIntent[] {
    const nodes = new Set([...byNode.keys(), ...votes.keys()]);
    return [...nodes]
      .map((node) => {
        const scores = (byNode.get(node) ?? []).sort((a, b) => b - a);
        // The best phrase decides; other matching phrases for the same topic add a little.
        const phrase =
          scores.length > 0
            ? scores[0]! + scores.slice(1, 4).reduce((sum, s) => sum + 0.2 * Math.min(s, 2), 0)
            : 0;
        return { node, score: round(phrase + WORD_VOTE_WEIGHT * (votes.get(node) ?? 0)) };
      })
      .sort((a, b) => b.score - a.score)
      .slice(0, 5);
  }

  /**
   * The month and weekday words of a message that name a day: next to a day of the month or an
   * hour ("mar 28", "23 de mar", "sat 9am"), or any that the content uses for nothing else ("mar",
   * "marzo", "jue"). They match only as typed (never a typo or a sound-alike of another word) and
   * say nothing of the topic. A word the content also uses ("ago", "monday") counts only by a number.
   */
  private dateTokens(words: string[]): Set<string> {
    const dates = new Set<string>();
    words.forEach((word, i) => {
      if (!this.dateWords.has(word)) return;
      if (!this.vocabulary.has(word) || this.nextToDayNumber(words, i)) dates.add(word);
    });
    return dates;
  }

  /** Whether a day number or an hour ("28", "3rd", "9am") stands by `words[i]`, a function word ("de", "the") apart at most. */
  private nextToDayNumber(words: string[], i: number): boolean {
    for (const step of [-1, 1]) {
      let at = i + step;
      if (this.functionWords.has(words[at] ?? '')) at += step;
      if (DAY_NUMBER.test(words[at] ?? '')) return true;
    }
    return false;
  }

  /**
   * The intent phrases the message holds, their scores by topic: every word must be there, content
   * words as typed or by an ending or a typo (`present`), function words as typed among the topic
   * words. Only phrases whose first content word is present are looked at, in their order.
   */
  private matchPhrases(
    present: Set<string>,
    topicWords: Set<string>,
    message: { words: string[]; byTyped: Map<string, Set<string>> },
  ): Map<string, number[]> {
    const marked: number[] = [];
    for (const w of present) {
      const n = this.phraseWordIds.get(w);
      if (n === undefined) continue;
      this.presentMark[n] = 1;
      if (topicWords.has(w)) this.topicMark[n] = 1;
      marked.push(n);
    }
    const byNode = new Map<string, number[]>();
    try {
      let count = 0;
      for (const n of marked) count += this.phrasesByWordId[n]!.length;
      const candidates = new Int32Array(count);
      count = 0;
      for (const n of marked) {
        candidates.set(this.phrasesByWordId[n]!, count);
        count += this.phrasesByWordId[n]!.length;
      }
      candidates.sort();
      for (const index of candidates) {
        const ids = this.phraseIds[index]!;
        if (!allMarked(ids.content, this.presentMark) || !allMarked(ids.function, this.topicMark)) continue;
        const phrase = this.phrases[index]!;
        if (phrase.denies && !deniedInOrder(phrase.denies, this.denials, message)) continue;
        const score = phrase.content.length + FUNCTION_WORD_WEIGHT * phrase.function.length;
        const scores = byNode.get(phrase.node);
        if (scores) scores.push(score);
        else byNode.set(phrase.node, [score]);
      }
    } finally {
      for (const n of marked) {
        this.presentMark[n] = 0;
        this.topicMark[n] = 0;
      }
    }
    return byNode;
  }

  /** Turns phrase counts into shares: a word used by one topic only gives it a full vote. */
  private normalizeTopicWords(): void {
    if (this.topicWordsNormalized) return;
    for (const perNode of this.topicWords.values()) {
      const total = [...perNode.values()].reduce((a, b) => a + b, 0);
      for (const [node, count] of perNode) perNode.set(node, count / total);
    }
    this.topicWordsNormalized = true;
  }
}

/** How many words after a denial the word it denies may come ("no tengo ningun pasaporte"). */
const DENIAL_REACH = 4;

/** Whether the message has a denial before the word a phrase denies, within DENIAL_REACH words. */
function deniedInOrder(
  denies: NonNullable<Phrase['denies']>,
  denials: Set<string>,
  message: { words: string[]; byTyped: Map<string, Set<string>> },
): boolean {
  const { words, byTyped } = message;
  const standsFor = (typed: string) =>
    denies.words.some((word) => typed === word || byTyped.get(typed)?.has(word) === true);
  return words.some((w, i) => denials.has(w) && words.slice(i + 1, i + 1 + DENIAL_REACH).some(standsFor));
}

/**
 * Words of one pack's topic phrases, answers and commands that no other of `packs` uses ("cita",
 * "huellas"), by language: four letters or more, no function word.
 */
export function wordsOnlyIn(
  packs: LanguagePack[],
  folding: Folding,
  functionWords: Set<string>,
): Map<string, Set<string>> {
  return wordsOfOneLanguage(
    packs.map((pack) => [
      pack.code,
      [...Object.values(pack.intents), ...Object.values(pack.answers), ...Object.values(pack.commands)]
        .flat()
        .flatMap((phrase) => folding.tokenize(folding.fold(phrase))),
    ]),
    (word) => functionWords.has(word),
  );
}

/** The words of the phrases, numbered; each phrase as numbers; the phrases by their first content word's number. */
function numberedPhrases(phrases: Phrase[]): {
  wordIds: Map<string, number>;
  phraseIds: { content: Int32Array; function: Int32Array }[];
  byFirst: Int32Array[];
} {
  const wordIds = new Map<string, number>();
  const id = (w: string): number => {
    let n = wordIds.get(w);
    if (n === undefined) {
      n = wordIds.size;
      wordIds.set(w, n);
    }
    return n;
  };
  const phraseIds = phrases.map((p) => ({
    content: Int32Array.from(p.content.map(id)),
    function: Int32Array.from(p.function.map(id)),
  }));
  const byFirst: number[][] = Array.from({ length: wordIds.size }, () => []);
  phraseIds.forEach((p, i) => {
    byFirst[p.content[0]!]!.push(i);
  });
  return { wordIds, phraseIds, byFirst: byFirst.map((list) => Int32Array.from(list)) };
}

type AnswerOrder = 'exact' | 'ordered' | 'any';

/** How an answer phrase is matched, by its lead: "=" word for word, ">" in order, else any order. */
function answerOrder(phrase: string): AnswerOrder {
  const lead = phrase.trimStart()[0];
  return lead === '=' ? 'exact' : lead === '>' ? 'ordered' : 'any';
}

/** Whether each of `wanted` stands for one of `words`, in that order (others may come between). */
function inOrder(
  wanted: string[],
  words: string[],
  stands: (wanted: string, typed: string) => boolean,
): boolean {
  let at = 0;
  for (const w of wanted) {
    while (at < words.length && !stands(w, words[at]!)) at++;
    if (at === words.length) return false;
    at++;
  }
  return true;
}

/** Positions of word lists by their first word. */
function indexByFirstWord(lists: string[][]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  lists.forEach((words, i) => {
    const first = words[0]!;
    index.set(first, [...(index.get(first) ?? []), i]);
  });
  return index;
}

/** Whether every number in `ids` is marked. */
function allMarked(ids: Int32Array, marks: Uint8Array): boolean {
  for (let i = 0; i < ids.length; i++) if (marks[ids[i]!] === 0) return false;
  return true;
}

/** The positions, in order, of the lists whose first word is among `words`. */
function candidatesAmong(index: Map<string, number[]>, words: Set<string>): number[] {
  const found: number[] = [];
  for (const word of words) found.push(...(index.get(word) ?? []));
  return found.sort((a, b) => a - b);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
