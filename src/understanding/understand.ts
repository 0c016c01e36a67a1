import { type CommandKey, type Flows, type LanguagePack, START_AFTER_STOP } from '../conversation/content.js';
import {
  type BoundedText,
  boundText,
  MAX_CLASSIFIED_CHARS,
  MAX_LOOKED_UP_WORDS,
  MAX_MESSAGE_CHARS,
} from './bound.js';
import { type CueReader, type Cues, cueReaderOf, gappedPhrase } from './cues.js';
import { Folding, foldingOf, readingPacks } from './folding.js';
import { foldText, hasWords } from './normalize.js';
import { alternatives, foldWord, wordsOfOneLanguage } from './pack-words.js';
import { PhraseIndex, type RankedIntent, type TopicsFound, wordsOnlyIn } from './phrase-index.js';
import { templatePhrases } from './phrase-template.js';
import { SpanReader } from './span.js';
import { type TopicClassifiers, topicClassifiersOf } from './topic-classifiers.js';
import {
  CHECKED_DOUBT,
  checkedPick,
  classifierPick,
  combinedPick,
  DEFAULT_PICK_THRESHOLDS,
  intentsOfPick,
  type PickThresholds,
} from './topic-pick.js';

export type CommandName = Exclude<CommandKey, 'switch_to'> | 'language';

export type { RankedIntent };

/** What a message says, independent of where the conversation is. Plain data. */
export interface Understood {
  /** The message has at least one letter or digit. */
  hasWords: boolean;
  /** How many words the message has (after shorthand is spelled out). */
  size?: number;
  media: number;
  /** A whole-message command. `lang`: the language a LANGUAGE command switches to; `from`: the
   *  language the command word belongs to, when only one language uses it ("AYUDA" -> es). */
  command?: { name: CommandName; lang?: string; from?: string; erase?: true };
  /** The whole message is a word that is START after STOP only (commands.start_after_stop: YES, SÍ). */
  optIn?: true;
  /** A span of time the message names, in days: "hace 2 meses" 60, "like 3 weeks ago" 21. */
  span?: number;
  /**
   * Its topic rests on a word several topics share, alone ("no encuentro mi numero"): the topics
   * are asked about, not one answered with the others offered under it.
   */
  sharedWord?: true;
  /**
   * Topics named only after a word that starts a lesser, second question (reading.afterthought:
   * "…no letter from USCIS. Also when I can ask work permit?"): not the main need.
   */
  afterthought?: string[];
  /**
   * The topic the message names for sure once the parts that ask for reminders are left out
   * ("puedo llevar a mis 2 niños? no tengo con quien dejarlos. y me avisas un dia antes"), when
   * the whole reads as a request for reminders: the question asked beside them.
   */
  besides?: string;
  /**
   * The topic the message's last question names for sure, read alone, when that question is not
   * its first part ("…tengo miedo q ahi me agarre migra. y si llevo mi celular me lo quitan?": the
   * phone): a need to offer beside the one answered.
   */
  lastQuestion?: string;
  /** A bare choice number: "2", "#2", "opcion 2". */
  number?: number;
  /** Answer word lists that match, with the length in words of the longest matching phrase. */
  means: Record<string, number>;
  /** Best intents first (at most five), as the phrase matcher ranks them: what the dialogue reads. */
  intents: RankedIntent[];
  /**
   * The topics as the matcher and the trained classifier pick them together (topic-pick.ts), when
   * the classifiers are loaded: only the choice of a topic reads them (dialogue/kit.ts `pick`);
   * answers, corrections and side questions read `intents`.
   */
  topics?: RankedIntent[];
  language?: { code: string; confident: boolean };
  /** The packs' named cues the message holds ("wait" corrects, "y si…" asks): see cues.ts. */
  cues?: Cues;
}

/** Typed words already looked up by sound that are remembered (a flood pushes out the oldest). */
const MAX_REMEMBERED_WORDS = 20_000;
/**
 * Short messages repeat from person to person ("1", "hola", "gracias", "menu", "si"): what such a
 * message means is remembered, by its exact text, up to this many. Longer messages are rarely
 * typed the same way twice and are read each time.
 */
const MAX_REMEMBERED_MESSAGES = 5_000;
const REMEMBERED_MESSAGE_LENGTH = 24;
/** An afterthought word counts only this many words or more into a message ("also…" first opens it). */
const AFTERTHOUGHT_AFTER_WORDS = 6;
/** Marks that end a part of a message (a sentence, a clause, a line). */
const CLAUSE_MARK = /[.?!;,:\n¿¡]+/u;
/** The same marks, kept by a split: each part is followed by the marks that end it. */
const CLAUSE_MARK_KEPT = new RegExp(`(${CLAUSE_MARK.source})`, 'u');
/** A message's parts between marks, each with whether the marks after it ask ("?"). */
function clauses(text: string): { words: string; asks: boolean }[] {
  const pieces = text.split(CLAUSE_MARK_KEPT);
  const parts: { words: string; asks: boolean }[] = [];
  for (let i = 0; i < pieces.length; i += 2)
    if (pieces[i]!.trim() !== '')
      parts.push({ words: pieces[i]!, asks: (pieces[i + 1] ?? '').includes('?') });
  return parts;
}

/** A message of more parts than this is not read again part by part for a question beside reminders. */
const MAX_PARTS_READ = 8;
/** Longest message in which a command phrase ("stop texting me") counts as the command. */
const MAX_COMMAND_SENTENCE_WORDS = 10;
/** How many words a message may have and still be a request to stop in a sentence. */
const MAX_STOP_SENTENCE_WORDS = 30;
/**
 * The share of a message's words that must be one language's for the message to tell that
 * language for sure: people's own messages hold many of their language's small words; a message
 * in another language holds a few that look like them by chance.
 */
const MIN_LANGUAGE_SHARE = 0.25;
/** Longest message in which a language phrase ("english please") switches the language. */
const MAX_LANGUAGE_SENTENCE_WORDS = 5;
/** commands.stop_phrases: phrases of the stop command, read inside short messages. */
const PHRASES_SUFFIX = '_phrases';
/** A message of more words than this tells more than its shared word (see `askedOnSharedWord`). */
const SHARED_WORD_UP_TO_WORDS = 10;
/** A word several topics share, those topics, and the words that tell one of them (folded). */
interface SharedWord {
  topics: string[];
  /** Per topic, the words beside the shared one that tell it. */
  told: Map<string, string[]>;
}

/** What a shared word makes of a message: its topics asked about, or the one its other words tell. */
interface SharedWordReading {
  asked: boolean;
  intents: RankedIntent[];
}
/** The score of the topic a shared word's neighbours tell: sure, as a phrase's would be. */
const TOLD_SCORE = 3;
/** Up to this many words, the dialogue picks a topic by the phrases alone (`intents`). */
const PHRASES_ALONE_UP_TO_WORDS = 2;
/** Scores of topics asked about: close, so that `pickIntent` asks among them. */
const ASKED_SCORE = 1.5;

/**
 * How topics are picked: the phrase matcher (flows/lang intents), the trained classifier
 * (flows/training), both as `combinedPick` weighs them ('combined', the default), the matcher with
 * the classifier behind it only where the phrases name no topic ('fallback'), or the matcher
 * checked by the classifier ('checked'). Except with 'matcher', the pick is `Understood.topics`,
 * which only the dialogue's choice of a new topic reads. Chosen by `npm run eval:classifier --
 * --tune` on dev and a held-out fifth of the training messages: with the third round of training
 * messages, 'combined' with the classifier answering alone from 0.8 scored best; on every blind
 * set but heldout and fresh (Spanish a little lower there) it has more right and fewer wrong than
 * 'checked' (README).
 */
export type TopicPicker = 'matcher' | 'classifier' | 'combined' | 'fallback' | 'checked';

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
  private readonly commands = new Map<string, { name: CommandName; lang?: string; from?: string }>();
  private readonly spans: SpanReader;
  /** commands.start_after_stop of every language, folded. */
  private readonly startAfterStop = new Set<string>();
  /** Words that ask to erase inside a request to stop ("stop texting me and delete what i told you"). */
  private readonly eraseWords = new Set<string>();
  /** The topics that collect an appointment for reminders (graph.yaml `capture`). */
  private readonly captureNodes: Set<string>;
  /** reading.set_aside of every language, as whole words in a part's folded words. */
  private readonly setAside: RegExp;
  /** reading.afterthought of every language, folded: words that start a lesser, second question. */
  private readonly afterthoughtWords: string[] = [];
  private readonly languageWords = new Map<string, Set<string>>();
  private readonly languageLetters = new Map<string, string>();
  /** Words of one language's topic phrases and answers that no other language uses ("cita", "huellas"). */
  private readonly languageOnlyWords: Map<string, Set<string>>;
  /** One phrase index per language, in the order of flows.languages: topics are read in one language. */
  private readonly indexes = new Map<string, PhraseIndex>();
  private readonly indexesByPacks = new Map<string, PhraseIndex>();
  private readonly folding: Folding;
  /** Words that undo a command phrase right after them: "don't stop sending", "no quiero borrar" (reading.negation). */
  private readonly negated: RegExp;
  /** A bare choice number: "2", "#2", "opcion 2" (reading.choice_words). */
  private readonly choiceNumber: RegExp;
  /** A choice said by its place ("lo primero", "the 2nd one": reading.ordinals), and each one's number. */
  private readonly ordinalChoice: { pattern: RegExp; numbers: Map<string, number> };
  /** Parts of the day after an hour, folded ("de la manana", "in the morning"): dates.parts_of_day. */
  private readonly partsOfDay: Set<string>;
  private readonly cues: CueReader;
  /** Months, weekdays, date words and hour words of every language, and every language's common words, folded. */
  private readonly dateTalk = new Set<string>();
  /**
   * Each shared word as the folding reads it, with the topics that share it (graph `shared_words`)
   * and the words that tell one of them, in every language (people mix them).
   */
  private readonly sharedWords = new Map<string, SharedWord>();
  /** The answers each question offers (its choices): "change it online" is a step of changing it. */
  private readonly stepsOf = new Map<string, Set<string>>();

  constructor(flows: Flows, options: UnderstanderOptions = {}) {
    this.captureNodes = new Set([...flows.nodes.values()].filter((n) => n.capture).map((n) => n.id));
    this.folding = foldingOf(flows);
    this.cues = cueReaderOf(flows);
    this.picker = options.picker ?? 'combined';
    this.thresholds = options.thresholds ?? DEFAULT_PICK_THRESHOLDS;
    this.classifiers =
      this.picker === 'matcher' ? undefined : (options.classifiers ?? topicClassifiersOf(flows));
    this.spans = new SpanReader(flows, this.folding);
    const packs = flows.languages.flatMap((code) => flows.packs.get(code) ?? []);
    const folded = (words: string[]) => words.map((w) => foldText(w)).filter((w) => w !== '');
    this.negated = new RegExp(
      `(?:^|\\s)(?:${alternatives(folded(packs.flatMap((p) => p.reading.negation)))})$`,
    );
    const aside = packs.flatMap((p) =>
      p.reading.setAside.map((w) => this.folding.tokenize(foldText(w)).join(' ')),
    );
    this.setAside = new RegExp(`(?:^| )(?:${alternatives(aside.filter((w) => w !== '')) || '(?!)'})(?: |$)`);
    this.choiceNumber = new RegExp(
      `^(?:(?:${alternatives(folded(packs.flatMap((p) => p.reading.choiceWords)))})\\s*)?(\\d{1,2})$`,
    );
    this.ordinalChoice = ordinalChoice(packs);
    this.partsOfDay = new Set(
      folded(
        packs.flatMap((p) => [...p.dates.partsOfDay.am, ...p.dates.partsOfDay.pm].flatMap(templatePhrases)),
      ),
    );
    for (const pack of packs) {
      this.languageWords.set(pack.code, new Set(pack.words.map(foldText)));
      this.languageLetters.set(pack.code, pack.letters);
      const d = pack.dates;
      for (const w of [...d.months.flat(), ...d.weekdays.flat(), ...d.words, ...d.hourWords, ...pack.words])
        for (const t of this.folding.tokenize(foldText(w))) this.dateTalk.add(t);
    }
    this.addCommands(packs);
    this.addEraseWords(packs);
    for (const pack of packs)
      for (const phrase of pack.reading.afterthought) {
        const folded = this.folding.tokenize(foldText(phrase)).join(' ');
        if (folded !== '') this.afterthoughtWords.push(folded);
      }
    this.addSharedWords(flows, packs);
    for (const node of flows.nodes.values())
      if (node.ask) this.stepsOf.set(node.id, new Set(node.choices.map((c) => c.to)));
    // A one-word "cita" or "recordarme" has no function word to tell its language: the content
    // words only one language's phrases use tell it instead.
    this.languageOnlyWords = wordsOnlyIn(
      packs,
      this.folding,
      new Set(packs.flatMap((p) => p.words.map(foldText))),
    );
    // "le 22 avril 8h", "el 3 de junio": a month's or a weekday's name only one language uses
    // tells it too (a bare date as the first message was read in English: fresh18).
    const dateNames = wordsOfOneLanguage(
      packs.map((p) => [p.code, [...p.dates.months, ...p.dates.weekdays].flat().map(foldText)]),
    );
    for (const [code, names] of dateNames) for (const w of names) this.languageOnlyWords.get(code)?.add(w);
    for (const pack of packs) this.addIndex(flows, pack);
    // Asking to stop wins over anything else a short message asks for.
    this.commandPhrases.sort((a, b) => Number(b.command.name === 'stop') - Number(a.command.name === 'stop'));
  }

  /**
   * `pack`'s phrase index: its phrases and those of the languages its people mix into it
   * (`reading.mixed_with`), in the order of flows.languages; no other language changes it.
   */
  private addIndex(flows: Flows, pack: LanguagePack): void {
    if (pack.spelledBySound)
      for (const word of pack.words) {
        const folded = foldText(word);
        if (folded.length >= 2) this.functionWordsBySound.set(this.folding.soundKey(folded), folded);
      }
    const packs = readingPacks(flows, pack.code);
    // Languages that read the same packs share one index ("en" and "es", each mixed into the other).
    const key = packs.map((p) => p.code).join(' ');
    const same = this.indexesByPacks.get(key) ?? new PhraseIndex(packs, new Folding(packs));
    this.indexesByPacks.set(key, same);
    this.indexes.set(pack.code, same);
  }

  /** Commands of every language: a command works whatever the conversation's language. */
  private addCommands(packs: LanguagePack[]): void {
    for (const pack of packs) {
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
            // "stop * texts": "*" is one word or none ("stop these texts", "stop the texts"); "…"
            // up to four ("ya no quiero … mensajes": "ya no quiero q me lleguen mas mensajes").
            const parts = word.split(/([*…])/).filter((part) => part.trim() !== '');
            const words = parts.flatMap((part) =>
              part === '*' || part === '…' ? [part] : this.folding.tokenize(foldText(part)),
            );
            const phrase = words.join(' ');
            const gapped = parts.length > 1 ? gappedPhrase(words) : undefined;
            this.commandPhrases.push({ phrase, command, anywhere, ...(gapped ? { gapped } : {}) });
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
    }
  }

  /**
   * The delete words and the first word of each delete phrase ("delete", "borren", "effacer"), less
   * any word that starts a stop phrase too ("remove me" stops: "remove" tells no erasing). Read only
   * in a message that already asks to stop, so a word of them alone is enough.
   */
  private addEraseWords(packs: LanguagePack[]): void {
    const first = (phrase: string) => this.folding.tokenize(foldText(phrase.replace(/[*…]/g, ' ')))[0];
    const stopping = new Set<string>();
    const said = (pack: LanguagePack, key: string) =>
      (pack.commands as Record<string, string[] | undefined>)[key] ?? [];
    for (const pack of packs)
      for (const phrase of [...said(pack, 'stop'), ...said(pack, 'stop_phrases')]) {
        const word = first(phrase);
        if (word) stopping.add(word);
      }
    for (const pack of packs)
      for (const phrase of [...said(pack, 'delete'), ...said(pack, 'delete_phrases')]) {
        const word = first(phrase);
        if (word && !stopping.has(word)) this.eraseWords.add(word);
      }
  }

  /** Whether any language's content uses `word` (then it is taken as itself). */
  private knownAnywhere(word: string): boolean {
    for (const index of this.indexes.values()) if (index.knows(word)) return true;
    return false;
  }

  private readonly rememberedMessages = new Map<string, Understood>();

  /** Function words of spelled-by-sound languages by how they sound: "kuando" is "cuando", "porke" "porque". */
  private readonly functionWordsBySound = new Map<string, string>();

  /** Typed words already looked up by sound (bounded like `remembered`). */
  private readonly soundedWords = new Map<string, string>();

  private functionWordBySound(token: string): string {
    if (token.length < 2 || this.knownAnywhere(token)) return token;
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
    /** The phrase as a pattern, when it holds "*" or "…". */
    gapped?: RegExp;
  }[] = [];

  /**
   * "please stop texting me", "borra mis datos por favor", "english please": a short message that
   * holds one of the command phrases is that command, as if STOP (DELETE, ES…) were sent alone.
   * The command words themselves count only alone: "the bus stop" or "no más de 12 horas" is not one.
   */
  private commandWithin(tokens: string[], question: boolean): Understood['command'] {
    if (tokens.length > MAX_STOP_SENTENCE_WORDS) return undefined;
    // A request to stop is honoured in a longer message too ("actually pls stop texting me my
    // cousin said this could be a scam": blind try 15), and so is one to erase ("ok im done with
    // this, please delete everything you have on me": blind try 30; it is asked to be confirmed);
    // other commands only in a short one.
    const long = tokens.length > MAX_COMMAND_SENTENCE_WORDS;
    const message = ` ${tokens.join(' ')} `;
    // "no hablo inglés en el teléfono, ¿me van a entender?" or "is the website in spanish?" ask
    // something: only a short message that is not a question switches the language. "¿van a
    // borrar mis datos después?" asks too: it is not a request to erase.
    const short = tokens.length <= MAX_LANGUAGE_SENTENCE_WORDS;
    return this.commandPhrases.find(({ phrase, command, anywhere, gapped }) => {
      if (long && command.name !== 'stop' && command.name !== 'delete') return false;
      if (command.name === 'language' && (!short || question) && !anywhere) return false;
      if (command.name === 'delete' && question) return false;
      const at = gapped ? message.search(gapped) : message.indexOf(` ${phrase} `);
      if (at < 0) return false;
      // "please don't stop sending me reminders": a negated command is not the command.
      const before = message.slice(0, at).trim().split(' ').slice(-2).join(' ');
      return !this.negated.test(before);
    })?.command;
  }

  /**
   * What a message means. `lang`, the conversation's language, is the one its topics are read in
   * unless the message is plainly in another (see `topicsIn`). The result is shared between equal
   * short messages: do not change it.
   */
  understand(typed: string, media = 0, lang?: string): Understood {
    const text = boundText(typed);
    // Line breaks, which bounding folds away, show where a pasted notice starts and ends.
    const own = ownWords(typed.slice(0, MAX_MESSAGE_CHARS), (part) => this.folding.tokenize(foldText(part)));
    if (text.length > REMEMBERED_MESSAGE_LENGTH) return this.read(text, media, lang, own);
    const key = `${media}:${lang ?? ''}:${own?.tokens.join(' ') ?? ''}:${text}`;
    let understood = this.rememberedMessages.get(key);
    if (understood === undefined) {
      understood = deepFreeze(this.read(text, media, lang, own));
      if (this.rememberedMessages.size >= MAX_REMEMBERED_MESSAGES) {
        this.rememberedMessages.delete(this.rememberedMessages.keys().next().value!);
      }
      this.rememberedMessages.set(key, understood);
    }
    return understood;
  }

  private read(typed: BoundedText, media: number, lang: string | undefined, own?: OwnWords): Understood {
    let text = typed;
    let folded = this.folding.fold(typed);
    let words = this.folding.tokenize(folded);
    // Read again without the parts that say what is not wanted, only when the words are there.
    if (this.setAside.test(words.join(' '))) {
      text = this.withoutAsides(typed);
      folded = this.folding.fold(text);
      words = this.folding.tokenize(folded);
    }
    const tokens = words.map((t) => this.functionWordBySound(t));
    const result: Understood = {
      hasWords: hasWords(text),
      size: tokens.length,
      media,
      means: {},
      intents: [],
    };
    if (tokens.length === 0) return result;

    const command = this.commands.get(tokens.join(' ')) ?? this.commandWithin(tokens, text.includes('?'));
    // "ya no quiero mensajes y borren todo lo mio": the stop, and what the person asked besides.
    if (command?.name === 'stop' && tokens.some((t) => this.eraseWords.has(t)))
      result.command = { ...command, erase: true };
    else if (command) result.command = command;
    if (this.startAfterStop.has(tokens.join(' '))) result.optIn = true;
    result.cues = this.cues.read(folded);
    const span = this.spans.read(this.folding.tokenize(folded));
    if (span !== undefined) result.span = span;

    const number = this.choiceNumber.exec(tokens.join(' '));
    if (number) result.number = Number(number[1]);
    else {
      const said = this.ordinalChoice.pattern.exec(foldWord(text))?.[1];
      if (said !== undefined) result.number = this.ordinalChoice.numbers.get(said.replace(/\s+/g, ' '));
    }

    // Each language's reading of the message's words, made once for telling the language and
    // for reading its topics.
    const readBy = new Map<PhraseIndex, string[]>();
    const language =
      (own && this.languageOf(own.text, own.tokens, new Map())) ?? this.languageOf(text, tokens, readBy);
    if (language) result.language = language;
    const found = this.topicsIn(text, language, lang, readBy);
    result.means = found.means;
    result.intents = found.intents;
    // 'fallback': the classifier weighs in only where the matcher found no topic (and costs only there).
    const foundNothing = pickIntent(result.intents).kind === 'none';
    if (this.classifiers && (this.picker !== 'fallback' || foundNothing))
      result.topics = this.classified(text, result.intents, language?.code, tokens.length);
    const later = this.afterthought(text, tokens, language, lang, result.intents);
    if (later) result.afterthought = later;
    const besides = this.besidesReminders(text, language, lang, result.topics ?? result.intents);
    if (besides) result.besides = besides;
    const lastQuestion = this.lastQuestion(text, language, lang);
    if (lastQuestion) result.lastQuestion = lastQuestion;
    const shared = this.askedOnSharedWord(tokens, result);
    if (shared?.asked) result.sharedWord = true;
    if (shared && result.topics) result.topics = shared.intents;
    // A message of a word or two is picked by its phrases alone (kit.ts CLASSIFIED_MIN_WORDS).
    if (shared && (!result.topics || tokens.length <= PHRASES_ALONE_UP_TO_WORDS))
      result.intents = shared.intents;
    return result;
  }

  /**
   * The topics named after an afterthought word that starts a later part of the message, and not
   * before it: "…no letter from USCIS. Also when I can ask work permit?" names the permit only
   * after "also". Read only where such a word comes after the message's first few words.
   */
  private afterthought(
    text: string,
    tokens: string[],
    language: Understood['language'],
    lang: string | undefined,
    intents: RankedIntent[],
  ): string[] | undefined {
    if (intents.length < 2) return undefined;
    const message = ` ${tokens.join(' ')} `;
    if (!this.afterthoughtWords.some((w) => message.includes(` ${w} `))) return undefined;
    const at = this.afterthoughtAt(text);
    if (at === undefined) return undefined;
    const named = (words: string[]) =>
      new Set(
        this.topicsIn(words.join(' '), language, lang, new Map())
          .intents.filter((i) => i.score >= INTENT_MIN_SCORE)
          .map((i) => i.node),
      );
    const earlier = named(tokens.slice(0, at));
    const later = [...named(tokens.slice(at))];
    const only = later.filter((id) => !earlier.has(id));
    return only.length > 0 ? only : undefined;
  }

  /**
   * The topic the parts of a message that do not ask for reminders name for sure, when the whole
   * names reminders for sure: each part (between marks) that names them is left out, the rest read
   * again. Only for such messages of two parts or more (a turn's hot path reads it rarely).
   */
  private besidesReminders(
    text: string,
    language: Understood['language'],
    lang: string | undefined,
    picked: RankedIntent[],
  ): string | undefined {
    const top = pickIntent(picked);
    if (top.kind !== 'sure' || !this.captureNodes.has(top.node)) return undefined;
    // Each part with the mark after it: a part left must ask ("…puedo llevar a mis 2 niños?"), as
    // "se llama Brayan y su cita es el 14… me lo apunta tambien?" asks only in its request.
    const parts = clauses(text);
    if (parts.length < 2 || parts.length > MAX_PARTS_READ) return undefined;
    const names = (part: string) => this.topicsIn(part, language, lang, new Map()).intents;
    const rest = parts.filter((p) => {
      const pick = pickIntent(names(p.words));
      return !(pick.kind === 'sure' && this.captureNodes.has(pick.node));
    });
    if (rest.length === parts.length || !rest.some((p) => p.asks)) return undefined;
    const pick = this.pickAlone(rest.map((p) => p.words).join('. '), language, lang);
    return pick.kind === 'sure' && !this.captureNodes.has(pick.node) ? pick.node : undefined;
  }

  /**
   * `text` without its parts that say what the person does not want, when another part is left:
   * "no no quiero cambiar la sita. pregunto si puedo entrar con mi celular" asks about the phone,
   * not changing the date (reading.set_aside).
   */
  private withoutAsides(text: BoundedText): BoundedText {
    const pieces = text.split(CLAUSE_MARK_KEPT);
    if (pieces.length < 3 || pieces.length > MAX_PARTS_READ * 2) return text;
    const aside = (piece: string) =>
      this.setAside.test(this.folding.tokenize(this.folding.fold(piece)).join(' '));
    // A part with its mark after it; one set aside is left out with its mark.
    const kept: string[] = [];
    let dropped = false;
    for (let i = 0; i < pieces.length; i += 2) {
      if (aside(pieces[i]!)) dropped = true;
      else kept.push(pieces[i]!, pieces[i + 1] ?? '');
    }
    return dropped && hasWords(kept.join('')) ? boundText(kept.join('')) : text;
  }

  /** See Understood.lastQuestion: messages of two questions or more, in at most MAX_PARTS_READ parts. */
  private lastQuestion(
    text: string,
    language: Understood['language'],
    lang: string | undefined,
  ): string | undefined {
    if (!text.includes('?')) return undefined;
    const parts = clauses(text);
    // Two questions asked: a last one alone is most often the first need said again.
    const asked = parts.filter((p) => p.asks);
    if (parts.length > MAX_PARTS_READ || asked.length < 2) return undefined;
    const pick = this.pickAlone(asked.at(-1)!.words, language, lang);
    return pick.kind === 'sure' ? pick.node : undefined;
  }

  /** The topic a part of a message names read alone, the classifier weighing in as on a whole one. */
  private pickAlone(part: string, language: Understood['language'], lang: string | undefined): IntentPick {
    const found = this.topicsIn(part, language, lang, new Map()).intents;
    const words = this.folding.tokenize(this.folding.fold(part)).length;
    return pickIntent(this.classifiers ? this.classified(part, found, language?.code, words) : found);
  }

  /**
   * The word at which an afterthought word opens a later part of the message, after a mark (".",
   * ",", "?", a new line) and past its first words: "…no letter from USCIS. Also when…", not "a
   * rdv aussi mais…" (an "aussi" inside a sentence adds nothing new).
   */
  private afterthoughtAt(text: string): number | undefined {
    let words = 0;
    for (const part of text.split(CLAUSE_MARK)) {
      const said = this.folding.tokenize(foldText(part));
      const opening = ` ${said.join(' ')} `;
      if (
        words >= AFTERTHOUGHT_AFTER_WORDS &&
        this.afterthoughtWords.some((w) => opening.startsWith(` ${w} `))
      )
        return words;
      words += said.length;
    }
    return undefined;
  }

  private addSharedWords(flows: Flows, packs: LanguagePack[]): void {
    const read = (w: string) => this.folding.tokenize(this.folding.fold(w)).join(' ');
    for (const [name, topics] of flows.sharedWords) {
      const shared: SharedWord = { topics, told: new Map(topics.map((t) => [t, []])) };
      for (const pack of packs) {
        const { words = [], told = {} } = pack.reading.sharedWords[name] ?? {};
        for (const w of words) this.sharedWords.set(read(w), shared);
        for (const [topic, said] of Object.entries(told))
          shared.told.get(topic)?.push(...said.map(read).filter((w) => w !== ''));
      }
    }
  }

  /**
   * "no encuentro mi numero", "can my wife go?", "je veux changer svp": a short message whose
   * topic rests on one word several topics share (graph `shared_words`) is asked about among
   * them. A word beside it that tells one of them (the packs' `told`) settles it: "where do i find
   * my account number" stands; "c'est quoi le numéro de uscis", read as the account number, is
   * the one to call.
   */
  private askedOnSharedWord(tokens: string[], result: Understood): SharedWordReading | undefined {
    if (tokens.length > SHARED_WORD_UP_TO_WORDS || this.sharedWords.size === 0) return undefined;
    const pick = pickIntent(result.topics ?? result.intents);
    // The topic picked, or the one of the word's topics it is a step of ("change it" read as
    // changing online); with no topic found, the word's own ("i lost the number").
    const picked = pick.kind === 'sure' ? pick.node : pick.kind === 'unsure' ? pick.candidates[0] : undefined;
    const homeOf = (s: SharedWord) =>
      picked === undefined
        ? s.topics[0]
        : s.topics.find((t) => t === picked || this.stepsOf.get(t)?.has(picked));
    const [shared, top] =
      tokens
        .map((t) => this.sharedWords.get(t))
        .map((s) => [s, s && homeOf(s)] as const)
        .find(([, home]) => home !== undefined) ?? [];
    if (!shared || !top) return undefined;
    const text = ` ${tokens.join(' ')} `;
    const told = shared.topics.filter((t) =>
      shared.told.get(t)?.some((words) => text.includes(` ${words} `)),
    );
    if (told.length === 1 && told[0] !== top && picked !== undefined)
      return { asked: false, intents: [{ node: told[0]!, score: TOLD_SCORE }] };
    if (told.length > 0) return undefined;
    const offered = [top, ...shared.topics.filter((node) => node !== top)];
    return { asked: true, intents: offered.map((node, i) => ({ node, score: ASKED_SCORE - i * 0.01 })) };
  }

  /**
   * The answers and topics of a message, read in one language: the one it is plainly written in,
   * else the conversation's (`lang`), else the one it leans to. When that finds nothing, the
   * other languages' indexes in the order of flows.languages, each word only as typed (the typo
   * matcher's bound is per message: see MAX_LOOKED_UP_WORDS).
   */
  private topicsIn(
    text: string,
    language: Understood['language'],
    lang: string | undefined,
    readBy: Map<PhraseIndex, string[]>,
  ): TopicsFound {
    const first = language?.confident ? language.code : (lang ?? language?.code);
    const order = new Set([
      ...(first && this.indexes.has(first) ? [this.indexes.get(first)!] : []),
      ...this.indexes.values(),
    ]);
    let found: TopicsFound = { means: {}, intents: [] };
    let weak: TopicsFound | undefined;
    let lookUps = MAX_LOOKED_UP_WORDS;
    for (const index of order) {
      found = index.read(this.topicWords(tokensOf(index, text, readBy)), lookUps);
      // A stray word of the first language's ("uscis" in "compte uscis", read in English) names
      // no topic: another language that names one is read instead, with the answer words of both.
      if (pickIntent(found.intents).kind !== 'none')
        return weak ? { ...found, means: { ...found.means, ...weak.means } } : found;
      if (found.intents.length > 0 || Object.keys(found.means).length > 0) weak ??= found;
      lookUps = 0;
    }
    return weak ?? found;
  }

  /**
   * The words of a message as its language reads them (`tokensOf`), for its topics: "a las 9 de
   * la mañana" is an hour, not "tomorrow": parts of the day after an hour say nothing of the topic.
   */
  private topicWords(read: string[]): string[] {
    return withoutPartsOfDay(
      read.map((t) => this.functionWordBySound(t)),
      this.partsOfDay,
    );
  }

  /** The ranked topics as the classifier, alone or with the matcher, picks them. */
  private classified(
    text: string,
    matched: RankedIntent[],
    lang: string | undefined,
    words: number,
  ): RankedIntent[] {
    const { topics: scores, ask } = this.classifiers!.read(text.slice(0, MAX_CLASSIFIED_CHARS), lang);
    const pick =
      this.picker === 'classifier'
        ? classifierPick(scores, this.thresholds)
        : this.picker === 'checked'
          ? checkedPick(pickIntent(matched), scores, this.thresholds, CHECKED_DOUBT)
          : combinedPick(pickIntent(matched), scores, this.thresholds, words, ask);
    return intentsOfPick(pick, scores);
  }

  /**
   * The language of `text`, by the words only it uses. (Beside a long pasted block, the message's
   * language is that of the person's own words around it: see `ownWords`.)
   */
  private languageOf(
    text: string,
    tokens: string[],
    readBy: Map<PhraseIndex, string[]>,
  ): Understood['language'] {
    const scores: { code: string; score: number }[] = [];
    for (const [code, words] of this.languageWords) {
      const only = this.languageOnlyWords.get(code);
      // Each language counts its words as it reads them: its own shorthand, no other's (Spanish
      // "n" is "en", a Spanish word, in "je n arrive pas"; French reads it past).
      const index = this.indexes.get(code);
      const own = index ? tokensOf(index, text, readBy) : tokens;
      let score = own.reduce((sum, t) => sum + (words.has(t) || only?.has(t) ? 1 : 0), 0);
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
    // A message in a language Huella does not speak (Haitian Creole: "pitit gason m nan gen 12 an
    // li pa gen paspò…") holds a few short words of one it does ("m", "an", "a"): too few of its
    // words to tell that language (blind try 23 got an English reply in a French conversation).
    const confident =
      best.score >= 2 &&
      best.score >= 2 * second &&
      best.score >= tokens.length * MIN_LANGUAGE_SHARE &&
      !this.onlyADate(tokens);
    return { code: best.code, confident };
  }

  /**
   * "le 5 mars a 10h", "05/03 à 8h", "el 3 de junio": a date and the short words around it say
   * too little of a language to change the conversation's (its words are shared: "le", "a").
   */
  private onlyADate(tokens: string[]): boolean {
    return tokens.some((t) => /\d/.test(t)) && tokens.every((t) => /\d/.test(t) || this.dateTalk.has(t));
  }
}

/**
 * The words of `text` as `index`'s language reads them (its elisions and shorthand: "pq" is
 * "porque" in Spanish only), read once per message and index.
 */
function tokensOf(index: PhraseIndex, text: string, readBy: Map<PhraseIndex, string[]>): string[] {
  let read = readBy.get(index);
  if (!read) {
    read = index.tokens(text);
    readBy.set(index, read);
  }
  return read;
}

/** A block of at least this many words, in a message with a few words of one's own besides, was pasted. */
const PASTED_WORDS = 20;

/** Where a pasted block starts or ends: a line break, a quotation mark, a colon before a space. */
const PASTE_EDGE = /\n+|["\u201c\u201d\u00ab\u00bb]|:\s/u;

interface OwnWords {
  text: string;
  tokens: string[];
}

/**
 * The person's own words around a long pasted block (a notice copied in), if the message has one
 * and they are a few words: they decide its language ("que significa esto: You are scheduled…").
 */
function ownWords(text: string, tokenize: (part: string) => string[]): OwnWords | undefined {
  const parts = text.split(PASTE_EDGE).map((part) => ({ part, tokens: tokenize(part) }));
  const pasted = parts.filter((p) => p.tokens.length >= PASTED_WORDS);
  if (pasted.length === 0) return undefined;
  const own = parts.filter((p) => p.tokens.length < PASTED_WORDS);
  const tokens = own.flatMap((p) => p.tokens);
  if (tokens.length < 2) return undefined;
  return { text: own.map((p) => p.part).join(' '), tokens };
}

/** Freezes an object and everything in it (a remembered result is shared: nobody may change it). */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const field of Object.values(value)) deepFreeze(field);
    Object.freeze(value);
  }
  return value;
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

/**
 * "lo primero, no me ha llegado nada", "the second one pls", "le premier": an ordinal (the packs'
 * `reading.ordinals`) first in the message, up to two of its following words, then the end or a
 * mark (read in text folded as `foldWord` folds it, which keeps the marks).
 */
function ordinalChoice(packs: LanguagePack[]): { pattern: RegExp; numbers: Map<string, number> } {
  const numbers = new Map<string, number>();
  for (const pack of packs)
    for (const [i, forms] of (pack.reading.ordinals?.said ?? []).entries())
      for (const said of forms) numbers.set(foldWord(said), i + 1);
  const after = packs.flatMap((p) => (p.reading.ordinals?.after ?? []).map(foldWord));
  if (numbers.size === 0) return { pattern: /(?!)/, numbers };
  const follow = after.length > 0 ? `(?:\\s+(?:${alternatives(after)})){0,2}` : '';
  return {
    pattern: new RegExp(`^\\s*(${alternatives([...numbers.keys()])})${follow}\\s*(?:$|[,.;:!?])`, 'u'),
    numbers,
  };
}
