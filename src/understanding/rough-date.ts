import { DateTime } from 'luxon';
import type { LanguagePack } from '../conversation/content.js';
import { alternatives, foldWord, perLanguage } from './pack-words.js';

/**
 * A month named alone ("es en marzo") and a day said only roughly ("como en junio", "like 5
 * months ago"). The words are the packs' (`dates.months`, `cues.months_ago`).
 */
export interface RoughDateWords {
  /** A month's names and short forms, each with its number (1 January). */
  months: [RegExp, number][];
  /** A weekday's full names, each with its number (1 Monday); short forms ("sun", "mar") are words too. */
  weekdays: [RegExp, number][];
  /** "hace como N meses", "N months ago", each language's own words together. */
  ago: { pattern: RegExp; years: Set<string> }[];
  /** Count words of every language read ("two", "dos"). */
  counts: Map<string, number>;
  /** Per weekday, the weekday told in the past: a `soft_past` word, one word at most, then the name ("was monday", "era el lunes"). */
  pastWeekdays: [RegExp, number][];
}

/** A year written in digits ("2025"); not a form's number ("589"). */
const YEAR = /(?<![\p{L}\d])(?:19|20)\d\d(?![\d])/u;
/** A day of the month in digits ("3", "21st"). */
const DAY = /(?<![\p{L}\d])\d{1,2}(?![\d])/u;
/** How far from a month's name its day is looked for ("june 12", "12 de junio", "le 12 juin"). */
const DAY_REACH = 8;

/** A count: digits or a word. */
const COUNT = '(\\d{1,2}|[a-z]+)';

function agoPatterns(pack: LanguagePack): RoughDateWords['ago'] {
  const words = pack.cues.monthsAgo;
  const fold = (list: string[]) => list.map(foldWord);
  const units = alternatives(fold([...words.months, ...words.years]));
  const years = new Set(fold(words.years));
  const hedges = words.hedges.length > 0 ? `(?:(?:${alternatives(fold(words.hedges))})\\s+)?` : '';
  const patterns: RoughDateWords['ago'] = [];
  if (words.before.length > 0)
    patterns.push({
      pattern: new RegExp(`\\b(?:${alternatives(fold(words.before))})\\s+${hedges}${COUNT}\\s+(${units})\\b`),
      years,
    });
  if (words.after.length > 0)
    patterns.push({
      pattern: new RegExp(`\\b${COUNT}\\s+(${units})\\s+(?:${alternatives(fold(words.after))})\\b`),
      years,
    });
  return patterns;
}

function build(packs: LanguagePack[]): RoughDateWords {
  const months: [RegExp, number][] = [];
  for (let i = 0; i < 12; i++) {
    // A month by its name; a short form ("ago", "mar", "dec") only beside a day's number ("15 de
    // ago", "dec 3"): alone, "ago" is "hago" as people type it ("se me paso la cita q ago").
    const full = alternatives(packs.flatMap((p) => p.dates.months[i]?.[0] ?? []).map(foldWord));
    const short = alternatives(packs.flatMap((p) => p.dates.months[i]?.slice(1) ?? []).map(foldWord));
    const shortByDay = short
      ? `|\\b\\d{1,2}\\s+(?:\\S+\\s+)?(?:${short})\\b|\\b(?:${short})\\.?\\s+\\d{1,2}\\b`
      : '';
    months.push([new RegExp(`\\b(?:${full})\\b${shortByDay}`), i + 1]);
  }
  const past = alternatives(packs.flatMap((p) => p.dates.softPast).map(foldWord));
  const weekdays: [RegExp, number][] = [];
  const pastWeekdays: [RegExp, number][] = [];
  for (let i = 0; i < 7; i++) {
    const names = alternatives(packs.flatMap((p) => p.dates.weekdays[i]?.[0] ?? []).map(foldWord));
    weekdays.push([new RegExp(`\\b(?:${names})\\b`), i + 1]);
    pastWeekdays.push([new RegExp(`\\b(?:${past})\\s+(?:\\S+\\s+)?(?:${names})\\b`), i + 1]);
  }
  const counts = new Map<string, number>();
  for (const pack of packs)
    for (const [word, n] of Object.entries(pack.cues.monthsAgo.counts))
      if (!counts.has(foldWord(word))) counts.set(foldWord(word), n);
  return { months, weekdays, ago: packs.flatMap(agoPatterns), counts, pastWeekdays };
}

/** The rough-date words of `lang` (its pack, then those it also reads), worked out once. */
export const roughDateWords = perLanguage(build);

/** The one month a message names, if exactly one. */
export function monthIn(words: RoughDateWords, text: string): number | undefined {
  const named = monthsNamed(words, text);
  return named.length === 1 ? named[0] : undefined;
}

/** Whether a day or a year in digits is written next to the month's name ("june 12", "july 2025"). */
function dayBeside(words: RoughDateWords, folded: string, month: number): boolean {
  const pattern = words.months.find(([, n]) => n === month)?.[0];
  const at = pattern ? new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(folded) : null;
  const near = at
    ? folded.slice(Math.max(0, at.index - DAY_REACH), at.index + at[0].length + DAY_REACH)
    : folded;
  return DAY.test(near) || YEAR.test(near);
}

/** The months a message names ("remplace le 14 decembre par le 5 janvier": 12 and 1). */
export function monthsNamed(words: RoughDateWords, text: string): number[] {
  const folded = foldWord(text);
  return words.months.filter(([pattern]) => pattern.test(folded)).map(([, n]) => n);
}

/** The one weekday a message names by its full name ("on monday", "fue el martes"), if exactly one. */
export function weekdayIn(words: RoughDateWords, text: string): number | undefined {
  const folded = foldWord(text);
  const named = words.weekdays.filter(([pattern]) => pattern.test(folded)).map(([, n]) => n);
  return named.length === 1 ? named[0] : undefined;
}

/**
 * The weekdays a message tells in the past, 1 Monday to 7 Sunday: "the appointment was monday…
 * today is wednesday" holds Monday; "it was moved to monday" holds none.
 */
export function weekdaysToldPast(words: RoughDateWords, text: string): number[] {
  const folded = foldWord(text);
  return words.pastWeekdays.filter(([pattern]) => pattern.test(folded)).map(([, n]) => n);
}

/**
 * A filing date said only roughly ("como en junio", "i applied like 5 months ago"), at `today`
 * (ISO): the latest day it can be, so that no text about 3 months or 150 days comes early.
 */
export function roughFiledDate(words: RoughDateWords, text: string, today: string): string | undefined {
  const folded = foldWord(text);
  // Today is read only for a message that tells a rough date: most do not (a turn's hot path).
  const at = () => {
    const now = DateTime.fromISO(today);
    return now.isValid ? now : undefined;
  };
  for (const { pattern, years } of words.ago) {
    const ago = pattern.exec(folded);
    if (!ago) continue;
    const n = /^\d+$/.test(ago[1]!) ? Number(ago[1]) : words.counts.get(ago[1]!);
    if (!n || n > 24) return undefined;
    const months = years.has(ago[2]!) ? n * 12 : n;
    return at()?.minus({ months }).toISODate() ?? undefined;
  }
  // A month without a day: its last day (this year's, or last year's when still ahead). A day
  // beside it or a year is no rough date; a form's number is ("filed my i589 in august"), and so
  // is a count elsewhere ("i sent it in june and i have 2 kids": blind try 32).
  const month = monthIn(words, folded);
  if (month === undefined || dayBeside(words, folded, month)) return undefined;
  const now = at();
  if (now === undefined) return undefined;
  const year = month > now.month ? now.year - 1 : now.year;
  const end = DateTime.fromObject({ year, month, day: 1 }).endOf('month');
  return (end > now ? now : end).toISODate() ?? undefined;
}
