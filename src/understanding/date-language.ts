import * as chrono from 'chrono-node';
import type { Flows, LanguagePack } from '../conversation/content.js';
import { type DateRules, dateRules, hourFollowers } from './date-rules.js';
import { foldText } from './normalize.js';
import { alternatives, anyWord, perLanguage } from './pack-words.js';
import { looseAlternatives } from './phrase-template.js';

/** chrono-node's casual parsers a pack may name (`dates.chrono`), by language code. */
export const CHRONO_LOCALES = {
  en: chrono.en.casual,
  es: chrono.es.casual,
  fr: chrono.fr.casual,
  pt: chrono.pt.casual,
  de: chrono.de.casual,
  it: chrono.it.casual,
  nl: chrono.nl.casual,
} as const;
export type ChronoLocale = keyof typeof CHRONO_LOCALES;
export const CHRONO_LOCALE_NAMES = Object.keys(CHRONO_LOCALES) as [ChronoLocale, ...ChronoLocale[]];

/**
 * How dates are read for one language: its pack's `dates:` first, then those of the languages it
 * names in `dates.also` (people mix them: "dec 3 a las 9"). The words are the packs'; this turns
 * them into the patterns the date reader runs, and knows none itself.
 */
export interface DateLanguage {
  /** chrono's parsers, the language's own first. */
  parsers: chrono.Chrono[];
  /** "5/3": 5 March first (day first) or 3 May first (month first), for the person to choose. */
  dayFirst: boolean;
  /** A word without which chrono finds no day, weekday or hour (see `mayHoldDate`). */
  dateWords: RegExp;
  /** Words that put a day in the past ("last", "hace"). */
  past: RegExp;
  /** Softer signs of the past ("was", "era"): they only turn back a date that would be next year's. */
  softPast: RegExp;
  /** A person putting right what they just wrote ("no,", "no wait", "perdón", "I mean"). */
  selfCorrection: RegExp;
  /** Folded weekday names and short forms -> 1 (Monday) … 7 (Sunday). */
  weekdayNumbers: Map<string, number>;
  /**
   * A weekday told in the past: a word of `past` or `soft_past`, one word at most, then its name
   * ("was on monday", "era el lunes", "missed monday"); group 1 is the weekday's word. "it was
   * moved to monday" is none (two words between).
   */
  pastWeekday: RegExp;
  /**
   * A word of `past` or `soft_past` and at most one word more, at the end of a text: what stands
   * before a day of the month told in the past ("fue el 3", "it was on the 3rd", "c'était le 3").
   */
  pastBefore: RegExp;
  /** A weekday followed by a day of the month: "martes 9", "el jueves 3", "tuesday the 9th". */
  weekdayAndDay: RegExp;
  /** A month named in words: the date then is chrono's to read. */
  monthNamed: RegExp;
  /** Month names and short forms, folded; and the words that may join a day to its month ("de", "of"). */
  monthForms: string[];
  monthJoiners: Set<string>;
  /** What is rewritten or left out before chrono reads a text (see DateRules). */
  rules: DateRules;
  /** The language's own common words (`words`), folded: another language's parser never reads one as a date. */
  ownWords: Set<string>;
  /**
   * Words that make a count a bound, not a time from now, at the end of what stands before it
   * (`durations.under` and `over`: "dans moins de 12h", "en menos de 12 horas" is no hour).
   */
  boundBefore: RegExp | undefined;
}

function build(packs: LanguagePack[]): DateLanguage {
  const dates = packs.map((p) => p.dates);
  const months = dates.flatMap((d) => d.months.flat());
  const weekdays = dates.flatMap((d) => d.weekdays.flat());
  const weekdayNumbers = new Map<string, number>();
  for (const d of dates)
    d.weekdays.forEach((forms, i) => {
      for (const form of forms) weekdayNumbers.set(foldText(form), i + 1);
    });
  const c = dates.map((d) => d.corrections);
  const interjections = alternatives(c.flatMap((x) => x.interjections));
  const negations = alternatives(c.flatMap((x) => x.negation));
  const alone = alternatives(c.flatMap((x) => [...x.interjections, ...x.phrases]));
  return {
    parsers: [...new Set(dates.map((d) => d.chrono))].map((code) => CHRONO_LOCALES[code]),
    dayFirst: dates[0]!.numericOrder === 'day_first',
    dateWords: anyWord([...months, ...weekdays, ...dates.flatMap((d) => d.words)], 'iu'),
    past: anyWord(
      dates.flatMap((d) => d.past),
      'iu',
    ),
    softPast: anyWord(
      dates.flatMap((d) => d.softPast),
      'iu',
    ),
    selfCorrection: new RegExp(
      `(?<![\\p{L}])(?:(?:${negations})\\s*[,.;!]+|(?:${negations})\\s+(?:${interjections})|(?:${alone})(?:\\s*[,.;!]+)?)(?![\\p{L}])`,
      'giu',
    ),
    weekdayNumbers,
    pastWeekday: new RegExp(
      `(?<![\\p{L}])(?:${alternatives(dates.flatMap((d) => [...d.past, ...d.softPast]))})\\s+(?:[\\p{L}']+\\s+)?(${alternatives(weekdays)})(?![\\p{L}])`,
      'iu',
    ),
    pastBefore: new RegExp(
      `(?<![\\p{L}])(?:${alternatives(dates.flatMap((d) => [...d.past, ...d.softPast]))})\\s+(?:[\\p{L}']+\\s+)?$`,
      'iu',
    ),
    weekdayAndDay: new RegExp(
      `(?<![\\p{L}])(${alternatives(weekdays)}),?\\s+(?:(?:${looseAlternatives(dates.flatMap((d) => d.dayBefore))})\\s+)?(\\d{1,2})(?:${looseAlternatives(dates.flatMap((d) => d.daySuffixes))})?(?![\\d:/.]|\\s*(?:${hourFollowers(packs)}))`,
      'iu',
    ),
    monthNamed: anyWord(months, 'iu'),
    monthForms: [...new Set(months.map(foldText))],
    monthJoiners: new Set(dates.flatMap((d) => d.monthJoiner).map(foldText)),
    rules: dateRules(packs),
    ownWords: new Set(packs[0]!.words.map(foldText)),
    boundBefore: boundWordsBefore(packs),
  };
}

/** `durations.under` and `over` of the packs, at the end of a text (see DateLanguage.boundBefore). */
function boundWordsBefore(packs: LanguagePack[]): RegExp | undefined {
  const words = packs.flatMap((p) => [...(p.durations?.under ?? []), ...(p.durations?.over ?? [])]);
  return words.length === 0 ? undefined : new RegExp(`(?<![\\p{L}])(?:${alternatives(words)})\\s*$`, 'iu');
}

/** How dates are read in `lang` (its pack, then the languages it also reads), worked out once. */
export const dateLanguage: (flows: Flows, lang: string) => DateLanguage = perLanguage(build);
