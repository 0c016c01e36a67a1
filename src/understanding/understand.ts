import { type CommandKey, type Flows, START_AFTER_STOP } from '../conversation/content.js';
import { type BoundedText, boundText, MAX_LOOKED_UP_WORDS } from './bound.js';
import { type Folding, foldingOf } from './folding.js';
import { KnownWords, SHORTEST_BY_STEM } from './known-words.js';
import { foldText, hasWords } from './normalize.js';
import { alternatives, templatePhrases } from './phrase-template.js';
import { SpanReader } from './span.js';
import { type TopicClassifiers, topicClassifiersOf } from './topic-classifiers.js';
import {
  classifierPick,
  combinedPick,
  DEFAULT_PICK_THRESHOLDS,
  intentsOfPick,
  type PickThresholds,
} from './topic-pick.js';

export type CommandName = Exclude<CommandKey, 'switch_to'> | 'language';

export interface RankedIntent {
  node: string;
  score: number;
}

/** What a message says, independent of where the conversation is. Plain data. */
export interface Understood {
  /** The message has at least one letter or digit. */
  hasWords: boolean;
  /** How many words the message has (after shorthand is spelled out). */
  size?: number;
  media: number;
  /** A whole-message command. `lang`: the language a LANGUAGE command switches to; `from`: the
   *  language the command word belongs to, when only one language uses it ("AYUDA" -> es). */
  command?: { name: CommandName; lang?: string; from?: string };
  /** The whole message is a word that is START after STOP only (commands.start_after_stop: YES, SÍ). */
  optIn?: true;
  /** A span of time the message names, in days: "hace 2 meses" 60, "like 3 weeks ago" 21. */
  span?: number;
  /** A bare choice number: "2", "#2", "opcion 2". */
  number?: number;
  /** Answer word lists that match, with the length in words of the longest matching phrase. */
  means: Record<string, number>;
  /** Best intents first (at most five). */
  intents: RankedIntent[];
  language?: { code: string; confident: boolean };
}

interface Phrase {
  node: string;
  /** Content words: every one must be in the message, in any order (typos and endings allowed). */
  content: string[];
  /** Function words ("what", "to", "que"): all must be typed as they are; each adds a little. */
  function: string[];
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
/**
 * Short messages repeat from person to person ("1", "hola", "gracias", "menu", "si"): what such a
 * message means is remembered, by its exact text, up to this many. Longer messages are rarely
 * typed the same way twice and are read each time.
 */
const MAX_REMEMBERED_MESSAGES = 5_000;
const REMEMBERED_MESSAGE_LENGTH = 24;
/** Longest message in which a command phrase ("stop texting me") counts as the command. */
const MAX_COMMAND_SENTENCE_WORDS = 10;
/** Longest message in which a language phrase ("english please") switches the language. */
const MAX_LANGUAGE_SENTENCE_WORDS = 5;
/** commands.stop_phrases: phrases of the stop command, read inside short messages. */
const PHRASES_SUFFIX = '_phrases';

/** A day of the month or an hour as one token: "28", "3rd", "1o", "9am". */
const DAY_NUMBER = /^\d{1,2}\p{L}{0,2}$/u;

/**
 * How topics are picked: the phrase matcher (flows/lang intents), the trained classifier
 * (flows/training), or both (understanding/topic-pick.ts). Measured by `npm run eval:classifier`.
 */
export type TopicPicker = 'matcher' | 'classifier' | 'combined';

export interface UnderstanderOptions {
  picker?: TopicPicker;
  thresholds?: PickThresholds;
  /** Trained otherwise than from the whole of flows/training (a measurement's held-out split). */
  classifiers?: TopicClassifiers;
}

export class Understander {
  private readonly picker: TopicPicker;
  private readonly thresholds: PickThresholds;
  private readonly classifiers: TopicClassifiers | undefined;
  private topicWordsNormalized = false;
  private readonly commands = new Map<string, { name: CommandName; lang?: string; from?: string }>();
  private readonly spans: SpanReader;
  /** commands.start_after_stop of every language, folded. */
  private readonly startAfterStop = new Set<string>();
  private readonly phrases: Phrase[] = [];
  /** `exact`: the words must be typed as they are, in a row (flows write such a phrase with a leading "="). */
  private readonly answers: { means: string; words: string[]; exact: boolean }[] = [];
  private readonly functionWords = new Set<string>();
  /** Every word the content uses: such a word, typed, is taken as itself, not as a typo. */
  private readonly vocabulary = new Set<string>();
  /** Month and weekday words of every language, with their short forms (dates: in flows/lang). */
  private readonly dateWords = new Set<string>();
  /** For each content word of the intent phrases: how strongly it points at each topic (sums to 1). */
  private readonly topicWords = new Map<string, Map<string, number>>();
  private readonly languageWords = new Map<string, Set<string>>();
  private readonly languageLetters = new Map<string, string>();
  /** Words of one language's topic phrases and answers that no other language uses ("cita", "huellas"). */
  private readonly languageOnlyWords = new Map<string, Set<string>>();
  /** Every word a typed word is compared with: topic words first (their order), then answer words. */
  private readonly knownWords: KnownWords;
  private readonly remembered = new Map<string, Set<string>>();
  /**
   * The words of spelled-by-sound languages that only they use, by how they sound (`soundKey`),
   * whole ("cita": "sita") and without an ending ("llevar": "yeb").
   */
  private readonly soundAlike = {
    whole: new Map<string, Set<string>>(),
    stem: new Map<string, Set<string>>(),
  };

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
  /** Indexes into `phrases`, by each phrase's first content word; into `answers` by first word. */
  /**
   * The words of the intent phrases, numbered, and each phrase as numbers: a message marks the
   * numbers of its words in two reused arrays, so checking the few hundred phrases it may match
   * is array lookups instead of string hashing.
   */
  private readonly phraseWordIds = new Map<string, number>();
  private readonly phraseIds: { content: Int32Array; function: Int32Array }[];
  /** By a word's number: the phrases whose first content word it is, in order. */
  private readonly phrasesByWordId: Int32Array[];
  /** Per word number, for the message being read: present (typed, an ending or a typo). */
  private readonly presentMark: Uint8Array;
  /** Per word number, for the message being read: typed as it is, among the topic words. */
  private readonly topicMark: Uint8Array;
  private readonly answersByWord: Map<string, number[]>;

  private readonly folding: Folding;
  /** Words that undo a command phrase right after them: "don't stop sending", "no quiero borrar" (reading.negation). */
  private readonly negated: RegExp;
  /** A bare choice number: "2", "#2", "opcion 2" (reading.choice_words). */
  private readonly choiceNumber: RegExp;
  /** Parts of the day after an hour, folded ("de la manana", "in the morning"): dates.parts_of_day. */
  private readonly partsOfDay: Set<string>;

  constructor(flows: Flows, options: UnderstanderOptions = {}) {
    this.folding = foldingOf(flows);
    const packs = [...flows.packs.values()];
    const folded = (words: string[]) => words.map((w) => foldText(w)).filter((w) => w !== '');
    this.negated = new RegExp(
      `(?:^|\\s)(?:${alternatives(folded(packs.flatMap((p) => p.reading.negation)))})$`,
    );
    this.choiceNumber = new RegExp(
      `^(?:(?:${alternatives(folded(packs.flatMap((p) => p.reading.choiceWords)))})\\s*)?(\\d{1,2})$`,
    );
    this.partsOfDay = new Set(
      folded(
        packs.flatMap((p) => [...p.dates.partsOfDay.am, ...p.dates.partsOfDay.pm].flatMap(templatePhrases)),
      ),
    );
    this.picker = options.picker ?? 'matcher';
    this.thresholds = options.thresholds ?? DEFAULT_PICK_THRESHOLDS;
    this.classifiers =
      this.picker === 'matcher' ? undefined : (options.classifiers ?? topicClassifiersOf(flows));
    this.spans = new SpanReader(flows, this.folding);
    for (const pack of flows.packs.values()) {
      for (const names of [...(pack.dates?.months ?? []), ...(pack.dates?.weekdays ?? [])])
        for (const name of names) this.dateWords.add(foldText(name));
      for (const word of pack.words) this.functionWords.add(foldText(word));
      for (const word of pack.words) this.vocabulary.add(foldText(word));
      this.languageWords.set(pack.code, new Set(pack.words.map(foldText)));
      this.languageLetters.set(pack.code, pack.letters);
    }
    for (const pack of flows.packs.values()) {
      for (const [key, words] of Object.entries(pack.commands)) {
        for (const word of words) {
          const folded = foldText(word);
          if (folded === '') continue;
          if (key === START_AFTER_STOP) {
            this.startAfterStop.add(this.folding.tokenize(folded).join(' '));
            continue;
          }
          if (key.endsWith(PHRASES_SUFFIX)) {
            const base = key.slice(0, -PHRASES_SUFFIX.length);
            const command: Understood['command'] =
              base === 'switch_to'
                ? { name: 'language', lang: pack.code, from: pack.code }
                : { name: base as CommandName, from: pack.code };
            // "?puedo hablar en español": a language phrase that asks for it, so it counts in a
            // question and in a longer message too.
            const anywhere = base === 'switch_to' && word.trimStart().startsWith('?');
            this.commandPhrases.push({ phrase: this.folding.tokenize(folded).join(' '), command, anywhere });
            continue;
          }
          if (key === 'switch_to') {
            this.commands.set(folded, { name: 'language', lang: pack.code });
            continue;
          }
          const existing = this.commands.get(folded);
          // A word both languages use ("menu") says nothing about the language.
          this.commands.set(
            folded,
            existing && existing.from !== pack.code
              ? { name: key as CommandName }
              : { name: key as CommandName, from: pack.code },
          );
        }
      }
      for (const [node, list] of Object.entries(pack.intents)) {
        for (const phrase of list) {
          const words = this.folding.tokenize(foldText(phrase));
          const isFunction = (w: string) => this.functionWords.has(w) || w.length < 2;
          const content = words.filter((w) => !isFunction(w));
          if (content.length === 0) continue;
          this.phrases.push({ node, content, function: words.filter(isFunction) });
          for (const w of words) this.vocabulary.add(w);
        }
      }
      for (const [node, list] of Object.entries(pack.intents)) {
        for (const phrase of list) {
          for (const w of new Set(this.folding.tokenize(foldText(phrase)))) {
            if (this.functionWords.has(w) || w.length < 2) continue;
            const perNode = this.topicWords.get(w) ?? new Map<string, number>();
            perNode.set(node, (perNode.get(node) ?? 0) + 1);
            this.topicWords.set(w, perNode);
          }
        }
      }
      for (const [means, list] of Object.entries(pack.answers)) {
        for (const phrase of list) {
          const words = this.folding.tokenize(foldText(phrase));
          if (words.length > 0)
            this.answers.push({ means, words, exact: phrase.trimStart().startsWith('=') });
          for (const w of words) this.vocabulary.add(w);
        }
      }
    }
    this.findLanguageOnlyWords(flows);
    for (const pack of flows.packs.values()) {
      if (!pack.spelledBySound) continue;
      for (const word of pack.words) {
        const folded = foldText(word);
        if (folded.length >= 2) this.functionWordsBySound.set(this.folding.soundKey(folded), folded);
      }
      for (const word of this.languageOnlyWords.get(pack.code) ?? []) {
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
    // Asking to stop wins over anything else a short message asks for.
    this.commandPhrases.sort((a, b) => Number(b.command.name === 'stop') - Number(a.command.name === 'stop'));
    const id = (w: string): number => {
      let n = this.phraseWordIds.get(w);
      if (n === undefined) {
        n = this.phraseWordIds.size;
        this.phraseWordIds.set(w, n);
      }
      return n;
    };
    this.phraseIds = this.phrases.map((p) => ({
      content: Int32Array.from(p.content.map(id)),
      function: Int32Array.from(p.function.map(id)),
    }));
    const byFirst: number[][] = Array.from({ length: this.phraseWordIds.size }, () => []);
    this.phraseIds.forEach((p, i) => {
      byFirst[p.content[0]!]!.push(i);
    });
    this.phrasesByWordId = byFirst.map((list) => Int32Array.from(list));
    this.presentMark = new Uint8Array(this.phraseWordIds.size);
    this.topicMark = new Uint8Array(this.phraseWordIds.size);
    this.answersByWord = indexByFirstWord(this.answers.map((a) => a.words));
    this.knownWords = new KnownWords(
      [...new Set([...this.topicWords.keys(), ...this.answers.flatMap((a) => a.words)])],
      this.folding,
    );
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

  private readonly rememberedMessages = new Map<string, Understood>();

  /** Function words of spelled-by-sound languages by how they sound: "kuando" is "cuando", "porke" "porque". */
  private readonly functionWordsBySound = new Map<string, string>();

  /** Typed words already looked up by sound (bounded like `remembered`). */
  private readonly soundedWords = new Map<string, string>();

  private functionWordBySound(token: string): string {
    if (token.length < 2 || this.vocabulary.has(token)) return token;
    let word = this.soundedWords.get(token);
    if (word === undefined) {
      word = this.functionWordsBySound.get(this.folding.soundKey(token)) ?? token;
      if (this.soundedWords.size >= MAX_REMEMBERED_WORDS) {
        this.soundedWords.delete(this.soundedWords.keys().next().value!);
      }
      this.soundedWords.set(token, word);
    }
    return word;
  }

  /**
   * Phrases that ask for a command inside a sentence (commands.<command>_phrases in flows/lang:
   * stop_phrases, delete_phrases, appointments_phrases, switch_to_phrases), stops first.
   */
  private readonly commandPhrases: {
    phrase: string;
    command: NonNullable<Understood['command']>;
    anywhere: boolean;
  }[] = [];

  /**
   * "please stop texting me", "borra mis datos por favor", "english please": a short message that
   * holds one of the command phrases is that command, as if STOP (DELETE, ES…) were sent alone.
   * The command words themselves count only alone: "the bus stop" or "no más de 12 horas" is not one.
   */
  private commandWithin(tokens: string[], question: boolean): Understood['command'] {
    if (tokens.length > MAX_COMMAND_SENTENCE_WORDS) return undefined;
    const message = ` ${tokens.join(' ')} `;
    // "no hablo inglés en el teléfono, ¿me van a entender?" or "is the website in spanish?" ask
    // something: only a short message that is not a question switches the language. "¿van a
    // borrar mis datos después?" asks too: it is not a request to erase.
    const short = tokens.length <= MAX_LANGUAGE_SENTENCE_WORDS;
    return this.commandPhrases.find(({ phrase, command, anywhere }) => {
      if (command.name === 'language' && (!short || question) && !anywhere) return false;
      if (command.name === 'delete' && question) return false;
      const at = message.indexOf(` ${phrase} `);
      if (at < 0) return false;
      // "please don't stop sending me reminders": a negated command is not the command.
      const before = message.slice(0, at).trim().split(' ').slice(-2).join(' ');
      return !this.negated.test(before);
    })?.command;
  }

  /** What a message means. The result is shared between equal short messages: do not change it. */
  understand(typed: string, media = 0): Understood {
    const text = boundText(typed);
    if (text.length > REMEMBERED_MESSAGE_LENGTH) return this.read(text, media);
    const key = `${media}:${text}`;
    let understood = this.rememberedMessages.get(key);
    if (understood === undefined) {
      understood = deepFreeze(this.read(text, media));
      if (this.rememberedMessages.size >= MAX_REMEMBERED_MESSAGES) {
        this.rememberedMessages.delete(this.rememberedMessages.keys().next().value!);
      }
      this.rememberedMessages.set(key, understood);
    }
    return understood;
  }

  private read(text: BoundedText, media: number): Understood {
    this.normalizeTopicWords();
    const folded = foldText(text);
    const tokens = this.folding.tokenize(folded).map((t) => this.functionWordBySound(t));
    const result: Understood = {
      hasWords: hasWords(text),
      size: tokens.length,
      media,
      means: {},
      intents: [],
    };
    if (tokens.length === 0) return result;

    const command = this.commands.get(tokens.join(' ')) ?? this.commandWithin(tokens, text.includes('?'));
    if (command) result.command = command;
    if (this.startAfterStop.has(tokens.join(' '))) result.optIn = true;
    const span = this.spans.read(this.folding.tokenize(folded));
    if (span !== undefined) result.span = span;

    const number = this.choiceNumber.exec(tokens.join(' '));
    if (number) result.number = Number(number[1]);

    // "a las 9 de la mañana" is an hour, not "tomorrow": parts of the day after an hour say nothing of the topic.
    const words = withoutPartsOfDay(tokens, this.partsOfDay);
    const typed = new Set(words);
    const dates = this.dateTokens(words);
    // Every known word the message has, as typed or by an ending or a typo (a date only as typed).
    const presentWords = new Set(typed);
    let lookedUp = 0;
    for (const t of typed) {
      if (dates.has(t)) continue;
      for (const word of this.matches(t, lookedUp++ < MAX_LOOKED_UP_WORDS)) presentWords.add(word);
    }
    const present = (word: string): boolean => presentWords.has(word);

    // Only lists whose first word is there can match; taken in their order.
    const sentence = ` ${words.join(' ')} `;
    for (const index of candidatesAmong(this.answersByWord, presentWords)) {
      const answer = this.answers[index]!;
      // A phrase written with "=" is matched word for word, in a row ("y la de" is not "y la cita
      // … de"); others word by word in any order, short ones ("si", "no") only as typed.
      const holds = answer.exact
        ? sentence.includes(` ${answer.words.join(' ')} `)
        : answer.words.every((w) => (w.length < 4 ? typed.has(w) : present(w)));
      if (holds) {
        result.means[answer.means] = Math.max(result.means[answer.means] ?? 0, answer.words.length);
      }
    }

    const topicWords = new Set(words.slice(0, MAX_TOPIC_WORDS));
    const byNode = this.matchPhrases(presentWords, topicWords);
    // Words vote too, so a phrasing nobody wrote down still finds its topic: each content word
    // of the message that the intent phrases use gives its topics a share of one vote.
    const votes = new Map<string, number>();
    const seen = new Set<string>();
    for (const token of topicWords) {
      if (this.functionWords.has(token) || token.length < 2 || dates.has(token)) continue;
      for (const word of this.matches(token)) {
        const perNode = this.topicWords.get(word);
        if (!perNode || seen.has(word)) continue;
        seen.add(word);
        for (const [node, share] of perNode) votes.set(node, (votes.get(node) ?? 0) + share);
      }
    }
    const nodes = new Set([...byNode.keys(), ...votes.keys()]);
    result.intents = [...nodes]
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

    const language = this.detectLanguage(text, tokens);
    if (language) result.language = language;
    if (this.classifiers) result.intents = this.classified(text, result.intents, language?.code);
    return result;
  }

  /** The ranked topics as the classifier, alone or with the matcher, picks them. */
  private classified(text: string, matched: RankedIntent[], lang: string | undefined): RankedIntent[] {
    const scores = this.classifiers!.scores(text, lang);
    const pick =
      this.picker === 'classifier'
        ? classifierPick(scores, this.thresholds)
        : combinedPick(pickIntent(matched), scores, this.thresholds);
    return intentsOfPick(pick, scores);
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
  private matchPhrases(present: Set<string>, topicWords: Set<string>): Map<string, number[]> {
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

  /**
   * A one-word "cita" or "recordarme" has no function word to tell its language: the content
   * words only one language's phrases use tell it instead.
   */
  private findLanguageOnlyWords(flows: Flows): void {
    const usedBy = new Map<string, Set<string>>();
    for (const pack of flows.packs.values()) {
      const lists = [
        ...Object.values(pack.intents),
        ...Object.values(pack.answers),
        ...Object.values(pack.commands),
      ];
      for (const phrase of lists.flat()) {
        for (const w of this.folding.tokenize(foldText(phrase))) {
          const codes = usedBy.get(w) ?? new Set<string>();
          codes.add(pack.code);
          usedBy.set(w, codes);
        }
      }
    }
    for (const pack of flows.packs.values()) this.languageOnlyWords.set(pack.code, new Set());
    for (const [word, codes] of usedBy) {
      if (codes.size !== 1 || word.length < 4 || this.functionWords.has(word)) continue;
      this.languageOnlyWords.get([...codes][0]!)!.add(word);
    }
  }

  private detectLanguage(text: string, tokens: string[]): Understood['language'] {
    const scores: { code: string; score: number }[] = [];
    for (const [code, words] of this.languageWords) {
      const only = this.languageOnlyWords.get(code);
      let score = tokens.reduce((sum, t) => sum + (words.has(t) || only?.has(t) ? 1 : 0), 0);
      const letters = this.languageLetters.get(code) ?? '';
      if (letters !== '') {
        let hints = 0;
        for (const ch of text.slice(0, 400).toLowerCase()) if (letters.includes(ch)) hints++;
        score += Math.min(hints, 2);
      }
      scores.push({ code, score });
    }
    scores.sort((a, b) => b.score - a.score);
    const best = scores[0];
    const second = scores[1]?.score ?? 0;
    if (!best || best.score === 0 || best.score === second) return undefined;
    return { code: best.code, confident: best.score >= 2 && best.score >= 2 * second };
  }
}

/** Freezes an object and everything in it (a remembered result is shared: nobody may change it). */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const field of Object.values(value)) deepFreeze(field);
    Object.freeze(value);
  }
  return value;
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

/** The tokens without "de la mañana", "de la tarde", "in the morning" and the like after a number. */
function withoutPartsOfDay(tokens: string[], partsOfDay: Set<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const after = /^\d/.test(tokens[i - 1] ?? '') || tokens[i - 1] === 'am' || tokens[i - 1] === 'pm';
    // The longest part of the day that starts here (a few words at most).
    const length = after
      ? [4, 3, 2].find((n) => partsOfDay.has(tokens.slice(i, i + n).join(' ')))
      : undefined;
    if (length) {
      i += length - 1;
      continue;
    }
    out.push(tokens[i]!);
  }
  return out;
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

export type IntentPick =
  | { kind: 'sure'; node: string }
  | { kind: 'unsure'; candidates: string[] }
  | { kind: 'none' };

/** Minimum score for a topic to count: one content word of a topic phrase. */
export const INTENT_MIN_SCORE = 1;
/** How far ahead the best topic must be to answer it; closer, and the person is asked which. */
export const INTENT_MARGIN = 0.75;

/** Turns a ranking into a decision: go there, ask which, or nothing found. */
export function pickIntent(intents: RankedIntent[], margin = INTENT_MARGIN): IntentPick {
  const [top, second] = intents;
  if (!top || top.score < INTENT_MIN_SCORE) return { kind: 'none' };
  if (!second || second.score < INTENT_MIN_SCORE || top.score - second.score >= margin) {
    return { kind: 'sure', node: top.node };
  }
  const close = intents.filter((i) => i.score >= INTENT_MIN_SCORE && top.score - i.score < margin);
  return { kind: 'unsure', candidates: close.slice(0, 3).map((i) => i.node) };
}
