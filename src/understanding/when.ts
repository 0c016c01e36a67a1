import type * as chrono from 'chrono-node';
import { DateTime } from 'luxon';
import { boundForDates, type DateText, MAX_CORRECTIONS } from './bound.js';
import type { DateLanguage } from './date-language.js';
import { type DateRules, rewrite } from './date-rules.js';
import { editDistance, foldText } from './normalize.js';

/** A wall-clock date at the appointment's place. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}
export interface LocalTime {
  hour: number;
  minute: number;
}

export interface WhenFound {
  date?: LocalDate;
  time?: LocalTime;
  /** "3/5": March 5 or May 3? Both readings, the language's order first; the person must choose. */
  ambiguous?: [LocalDate, LocalDate];
  /** It told the time it is now ("its 4:44 right now"): left out, no appointment time. */
  clockNow?: true;
}

export const NUMERIC_DATE = /\b(\d{1,2})[/\-.](\d{1,2})(?:[/\-.](\d{2,4}))?\b/;

/** The hour before `hour` on a 12-hour clock ("la 1 menos cuarto" is 12:45). */
const hourBefore = (hour: string) => String(((Number(hour) + 10) % 12) + 1);

type Groups = Record<string, string | undefined>;
/** The named groups of a `replace` callback's arguments (the last one). */
const groupsOf = (args: unknown[]): Groups => (args.at(-1) ?? {}) as Groups;

/**
 * Times said in words around a number, which chrono reads as the full hour ("8 y media" as 8:00),
 * written as digits first: "8 y media" 8:30, "9 menos cuarto" 8:45, "a las 8 y 20" 8:20, "half
 * past 8" 8:30 (the pack's `dates.spoken_times`).
 */
function digitsForSpokenTimes(text: string, rules: DateRules): string {
  let out = text;
  for (const { pattern, as } of rules.spokenTimes)
    out = out.replace(pattern, (...args) => {
      const { hour = '', minute = '' } = groupsOf(args);
      return as
        .replace('{hour_before}', hourBefore(hour))
        .replace('{hour}', hour)
        .replace('{minute}', minute);
    });
  return out;
}

/**
 * The part of the day after an hour, as am or pm: in "a las 8 de la mañana" the "mañana" is the
 * morning, but chrono reads it as "tomorrow" and the day the person gave before is lost; "7 de la
 * tarde" would stay 7:00 and "7 de la noche" would be no time at all. "mañana a las 8 de la
 * mañana" keeps its first "mañana": tomorrow, at 8 am. "al mediodía" alone is noon, which
 * chrono's Spanish parser does not read.
 */
function meridiemForPartsOfDay(text: string, rules: DateRules): string {
  let out = text.replace(rules.amAfterHour, '$1 am').replace(rules.pmAfterHour, '$1 pm');
  if (rules.noonAfterTwelve) out = out.replace(rules.noonAfterTwelve, '$1 pm');
  if (rules.noonAlone) out = out.replace(rules.noonAlone, '12 pm');
  return out;
}

/** Ways chrono misreads, written the English way: "dic 15", "el martes pasado" (`dates.rewrites`). */
function rewritten(text: string, rules: DateRules): string {
  let out = text;
  for (const rule of rules.rewrites)
    out = out.replace(rule.pattern, (...args) => rewrite(rule, groupsOf(args)));
  return out;
}

/** Numbers said in words, for days and hours: "el quince", "a las nueve", "la una", "at nine". */
function digitsForNumberWords(text: string, rules: DateRules): string {
  const value = (word: string) => rules.numberValues.get(foldText(word));
  return text
    .replace(rules.numberAfter, (match: string) => {
      // The words before the number, then the number ("treinta y uno" is three words).
      const words = match.split(/\s+/);
      for (let k = words.length - 1; k >= 1; k--) {
        const n = value(words.slice(-k).join(' '));
        if (n !== undefined) return `${words.slice(0, -k).join(' ')} ${n}`;
      }
      return match;
    })
    .replace(rules.numberBeforeHour, (word: string) => String(value(word) ?? word));
}

/** The next day-of-month `day` from today (this month if it has not passed, else the next that has it). */
export function nextDayOfMonth(day: number, now: DateTime): LocalDate | undefined {
  return dayOfMonthFrom(day, now, 1);
}

/** The last day-of-month `day` up to today (this month if it has come, else the one before that has it). */
function lastDayOfMonth(day: number, now: DateTime): LocalDate | undefined {
  return dayOfMonthFrom(day, now, -1);
}

/** The first day-of-month `day` from today on, ahead (`step` 1) or back (-1), within three months. */
function dayOfMonthFrom(day: number, now: DateTime, step: 1 | -1): LocalDate | undefined {
  if (day < 1 || day > 31) return undefined;
  const today = now.startOf('day');
  for (let months = 0; months < 3; months++) {
    const month = today.startOf('month').plus({ months: months * step });
    const candidate = DateTime.fromObject({ year: month.year, month: month.month, day }, { zone: now.zone });
    const onSide = step === 1 ? candidate >= today : candidate <= today;
    if (candidate.isValid && candidate.month === month.month && onSide)
      return { year: candidate.year, month: candidate.month, day };
  }
  return undefined;
}

/** How far back such a date may be: a missed appointment of the last weeks. */
const RECENT_PAST_DAYS = 90;
/** A day this close behind, told without a year or a past word, is still taken as passed. */
const JUST_PASSED_DAYS = 45;

/**
 * Whether chrono could find a day or an hour in the text: without a digit or one of the words of
 * the language's `dates:` (days, parts of the day, months, weekdays, time units) it finds none,
 * so the text is not parsed: the parsers are most of the cost of reading a message while an
 * appointment is collected. (test/understanding/when.test.ts checks that chrono finds nothing in
 * the texts this skips.)
 */
export function mayHoldDate(text: string, language: DateLanguage): boolean {
  return /\d/.test(text) || language.dateWords.test(text);
}

/**
 * "a las 8.30", "à 9.15", "8.30 am": an hour and its minutes written with a dot read as a month
 * and a day (August 30), which replaced the day told beside it. Such a pair, in minutes of five,
 * is the clock (8:30) unless the rest of the text read tells the time ("12.20 at 9am": December
 * 20); after "i mean", only what follows it is that text.
 * A dotted date with a year ("22.12.2026") keeps its dots.
 */
const DOTTED_CLOCK = /(?<![\d./-])([01]?\d|2[0-3])\.([0-5][05])(?!\d|[./-]\d)/;
function withDottedClock(text: DateText, now: DateTime, language: DateLanguage): string {
  const dotted = DOTTED_CLOCK.exec(text);
  if (!dotted) return text;
  const rest = `${text.slice(0, dotted.index)} ${text.slice(dotted.index + dotted[0].length)}`;
  if (readWhen(boundForDates(rest), now, language, false).time) return text;
  return `${text.slice(0, dotted.index)}${dotted[1]}:${dotted[2]}${text.slice(dotted.index + dotted[0].length)}`;
}

/**
 * The hours said to be wrong ("mine is at 8:30 not 9": 9), each as on a 12-hour clock (1 to 12):
 * which of the saved appointments a correction is about.
 */
export function deniedHours(text: string, language: DateLanguage): number[] {
  return [...text.slice(0, MAX_DENIED_CHARS).matchAll(language.rules.deniedTime)]
    .map((m) => /\d{1,2}/.exec(m[0]))
    .filter((d): d is RegExpExecArray => d !== null)
    .map((d) => onTwelveHourClock(Number(d[0])));
}

/** An hour as a 12-hour clock shows it (1 to 12): 9 and 21 are both 9. */
export const onTwelveHourClock = (hour: number): number => ((hour + 11) % 12) + 1;
/** Where a correction's denied hour is looked for: its first sentences. */
const MAX_DENIED_CHARS = 300;
/** Whether a word after chrono's date puts another date, read later in the text, in its place. */
function replacedByLater(
  result: chrono.ParsedResult,
  results: chrono.ParsedResult[],
  text: string,
  replacedBy: RegExp,
): boolean {
  if (!replacedBy.test(text.slice(result.index + result.text.length))) return false;
  return results.some(
    (r) => r.index > result.index && (r.start.isCertain('day') || r.start.isCertain('weekday')),
  );
}

/** How far before a date the words that make it the new one are looked for ("me la movieron pal "). */
const MOVED_REACH = 40;

/** Whether the words just before `result` (within MOVED_REACH) end with `words`. */
const before = (result: chrono.ParsedResult, text: string, words: RegExp): boolean =>
  words.test(text.slice(Math.max(0, result.index - MOVED_REACH), result.index));

/** Whether a later date with its day told is said to be the new one ("they moved it to jan 5"). */
function movedLater(
  result: chrono.ParsedResult,
  results: chrono.ParsedResult[],
  text: string,
  movedTo: RegExp,
): boolean {
  return results.some(
    (r) =>
      r.index > result.index &&
      (r.start.isCertain('day') || r.start.isCertain('weekday')) &&
      before(r, text, movedTo),
  );
}

/** How far before a date its "since" is looked for: the word and the spaces after it. */
const SINCE_REACH = 16;

/**
 * `text` without the times that are not the appointment's: those it says are wrong ("11:30 not
 * 10:30" holds one time, not two), the time it is now ("mon rdv c'est à 10h et il est 9h50"), and
 * hours counted ("le rappel de 3h avant").
 */
export function withoutDeniedTimes(text: string, language: DateLanguage): string {
  const { rules } = language;
  return text.replace(rules.deniedTime, ' ').replace(rules.clockNow, ' ').replace(rules.counts, ' ');
}

/**
 * Finds a date and a time in what a person typed ("March 5 at 10am", "3/5 10:00",
 * "5 de marzo a las 10", "tomorrow at 8:30", "mañana 8:30"), read from `now` at the place.
 * Nothing is guessed silently: a numeric date that reads two ways comes back as `ambiguous`,
 * a missing part is simply absent, and the caller asks.
 */
export function findWhen(typed: string, now: DateTime, language: DateLanguage): WhenFound {
  const text = boundForDates(typed);
  // "a las 8 de la noche no, de la mañana", "9 at night no wait 9 in the morning": what follows
  // the last such correction that tells a time or a day wins over what came before it (only the
  // last few are tried: see MAX_CORRECTIONS).
  for (const marker of [...text.matchAll(language.selfCorrection)].slice(-MAX_CORRECTIONS).reverse()) {
    const head = boundForDates(text.slice(0, marker.index));
    const tail = boundForDates(text.slice(marker.index + marker[0].length));
    const after = readWhen(tail, now, language);
    const part = partOfDayAlone(tail, language.rules);
    if (!after.time && !after.date && !after.ambiguous && !part) continue;
    const before = readWhen(head, now, language);
    const found: WhenFound = {};
    if (after.date) found.date = after.date;
    else if (after.ambiguous) found.ambiguous = after.ambiguous;
    else if (before.date) found.date = before.date;
    else if (before.ambiguous) found.ambiguous = before.ambiguous;
    const time = after.time ?? (before.time && part ? withPartOfDay(before.time, part) : before.time);
    if (time) found.time = time;
    if (after.clockNow || before.clockNow) found.clockNow = true;
    return found;
  }
  const found = readWhen(text, now, language);
  const apart = monthBeforeDay(found, text, language);
  const again = apart ? readWhen(boundForDates(apart), now, language, false) : undefined;
  if (again?.date && again.date.month !== found.date?.month) found.date = again.date;
  return found;
}

/** A number of one or two digits, a comma, then a word ("14, et"). */
const DAY_COMMA = /(?<!\d)(\d{1,2}),\s+(?=\p{L})/gu;

/** How many words may stand between a month and the day that follows it ("debut octobre je crois le 3"). */
const MONTH_TO_DAY_WORDS = 3;

/**
 * "debut octobre je crois le 3", "october, the 3rd", "octubre el 3": the month, then a few words,
 * then the day alone; chrono reads the day as the next 3rd and leaves the month (blind try 14:
 * a filing date read as January 3 told that 150 days had passed). The day and its month, written
 * together to be read again; undefined when the message is not so.
 */
function monthBeforeDay(found: WhenFound, text: string, language: DateLanguage): string | undefined {
  if (!found.date) return undefined;
  const words = foldText(text).split(' ');
  // Full month names only: "may", "mar" and "sept" are other words too.
  const at = words.flatMap((w, i) => (w.length >= 4 && language.monthForms.includes(w) ? [i] : []));
  if (new Set(at.map((i) => words[i])).size !== 1) return undefined;
  const { day } = found.date;
  const month = at[0]!;
  const after = words.slice(month + 1, month + 2 + MONTH_TO_DAY_WORDS);
  // The day's number, with its ending if any ("3", "3rd", "1er").
  return after.some((w) => /^\d/.test(w) && Number.parseInt(w, 10) === day)
    ? `${day} ${words[month]}`
    : undefined;
}

/** A part of the day with no hour: "de la mañana", "in the morning", "at night", "pm". */
function partOfDayAlone(text: string, rules: DateRules): 'am' | 'pm' | undefined {
  if (/\d/.test(text.replace(/\b\d{5}\b/g, ''))) return undefined;
  if (rules.amAlone.test(text)) return 'am';
  if (rules.pmAlone.test(text)) return 'pm';
  return undefined;
}

function withPartOfDay(time: LocalTime, part: 'am' | 'pm'): LocalTime {
  const hour12 = time.hour % 12;
  return { hour: part === 'am' ? hour12 : hour12 + 12, minute: time.minute };
}

/** The text as chrono is to read it: number words as digits, said-wrong parts and ZIP codes out. */
interface Prepared {
  /** After the pack's rewrites of words ("pasado mañana"), before anything is taken out. */
  text: string;
  /** Without what was said to be wrong, bounded: what chrono reads. */
  cleaned: ReturnType<typeof boundForDates>;
  /** Without a day said to be wrong, a time said to be wrong still in ("no 10am"). */
  unnegated: string;
  /** The time it is now was said ("its 4:44 right now") and taken out. */
  clockNow: boolean;
}

function prepared(typed: DateText, language: DateLanguage): Prepared {
  const rules = language.rules;
  // "tomorow", "tmrw": tomorrow; "pasado mañana" is the day after tomorrow (not a past day).
  let text = digitsForNumberWords(typed, rules);
  for (const { pattern, as } of rules.readAs) text = text.replace(pattern, as);
  // "1 de la tarde no de la mañana", "not in the morning": the part of the day said to be wrong.
  text = text.replace(rules.deniedPartOfDay, ' ');
  // ZIP codes are places, not years: "march 12 2pm 77002" must not read as the year 7700.
  // "its 4:44 right now", "ahorita son las 4 y media": the time it is, never the appointment's.
  const withClock = digitsForSpokenTimes(text.replace(/\b\d{5}(?:-\d{4})?\b/g, ' '), rules);
  const spoken = withClock.replace(rules.clockNow, ' ');
  // "c le 15 pas le 14, et c a 10h30": a comma after a day's number is no break between the day
  // and what follows; the packs' rewrites read the words after it (blind try 15 saved 14h00).
  const unnegated = rewritten(meridiemForPartsOfDay(spoken, rules).replace(DAY_COMMA, '$1 '), rules)
    .replace(rules.counts, ' ')
    // "es en la mañana": the morning, never "tomorrow" (after an hour it was made "am" above).
    .replace(rules.morning, ' ')
    // "no es el 12 de enero", "it's not dec 3": a day said to be wrong is never the day.
    .replace(rules.deniedDate, ' ');
  // Only with the right value in the message too: "no 10am" at "Is that right?" is "No: 10am".
  const stripped = unnegated.replace(rules.deniedTime, ' ').replace(rules.deniedDay, ' ');
  // The rewriting above may leave runs of spaces or lengthen the text: bounded again for chrono.
  const cleaned = boundForDates(mayHoldDate(stripped, language) ? stripped : unnegated);
  return { text, cleaned, unnegated, clockNow: spoken !== withClock };
}

/** `dotted`: an hour written with a dot is looked for (each part a correction splits is read so). */
function readWhen(given: DateText, now: DateTime, language: DateLanguage, dotted = true): WhenFound {
  const typed = dotted ? boundForDates(withDottedClock(given, now, language)) : given;
  const { text, cleaned, unnegated, clockNow } = prepared(typed, language);
  const found: WhenFound = clockNow ? { clockNow: true } : {};
  // Dates are read forward ("June 3" is next June), unless the message points back: "el martes
  // pasado", "last tuesday", "hace 2 semanas" are in the past, not next week.
  const forward = !language.past.test(text);
  const numeric = NUMERIC_DATE.exec(cleaned);
  if (numeric && !/\d:\d/.test(numeric[0]))
    Object.assign(found, numericDate(numeric, now, language.dayFirst));
  if (!mayHoldDate(cleaned, language)) return found;
  const yearGiven = readChrono(found, cleaned, now, forward, language);
  if (!found.time) {
    const corrected = correctedTime(unnegated, language.rules);
    if (corrected) found.time = corrected;
  }
  lastYearIfJustPassed(found, language.softPast.test(text), yearGiven, now);
  lastWeekIfToldPast(found, text, now, language);
  dayFromWords(found, cleaned, numeric !== null, now, language);
  if (!numeric) lastMonthIfToldPast(found, cleaned, now, language);
  return found;
}

/**
 * "dice que su cita fue el 3", "it was on the 3rd", "c'était le 3": a day of the month with no
 * month, read ahead as the next one, told in the past is the last one, this month's or last
 * month's (fresh16: "fue el 3 de este mes", said on the 22nd, read as the 3rd of next month).
 */
function lastMonthIfToldPast(found: WhenFound, cleaned: string, now: DateTime, language: DateLanguage): void {
  if (!found.date || language.monthNamed.test(cleaned)) return;
  const said = language.rules.dayAlone.exec(cleaned);
  const day = said ? Number(said[1] ?? said[2]) : undefined;
  if (!said || day !== found.date.day || !language.pastBefore.test(cleaned.slice(0, said.index))) return;
  if (DateTime.fromObject(found.date, { zone: now.zone }) <= now.startOf('day')) return;
  const last = lastDayOfMonth(day, now);
  if (last) found.date = last;
}

/** What chrono reads: the day and the hour, into `found`; whether a year was written. */
function readChrono(
  found: WhenFound,
  cleaned: ReturnType<typeof boundForDates>,
  now: DateTime,
  forwardDate: boolean,
  language: DateLanguage,
): boolean {
  const rules = language.rules;
  const reference = { instant: now.toJSDate(), timezone: now.offset };
  let yearGiven = false;
  const dayAfterWeekday = language.weekdayAndDay.exec(cleaned);
  // A day written with numbers ("December 10") before one said in words ("last week", "mañana"):
  // "i got the letter last week, it says December 10 at 11" is about December 10.
  const results = parseDates(cleaned, reference, { forwardDate }, language)
    .filter((read) => !misread(read, cleaned, language))
    .map((read) => read.result)
    .sort((a, b) => Number(!/\d/.test(a.text)) - Number(!/\d/.test(b.text)));
  for (const result of results) {
    // "now it's at 10", "ahora es a las 10": "now" is when the change happened, not the day;
    // "un día antes", "a day before": how long before, not a day.
    if (rules.now.test(result.text) || rules.span.test(result.text)) continue;
    // "my baby is in the hospital since last night": when that began, not the appointment's day;
    // "ok we call tmrw. can you remind my mom…": the call's day (blind try 33).
    const told = cleaned.slice(Math.max(0, result.index - SINCE_REACH), result.index);
    if (rules.since.test(told) || rules.otherAct.test(told)) continue;
    // "remplace le 14 decembre par le 5 janvier", "change dec 14 to jan 5": the date put in its place.
    if (replacedByLater(result, results, cleaned, rules.replacedBy)) continue;
    // "tenia cita el 10 pero me la movieron pal 22", "my appt was dec 14, they moved it to jan 5".
    if (movedLater(result, results, cleaned, rules.movedTo)) continue;
    // "it moved from dec 14 to jan 5": the range's second date is the new one.
    const start = result.end && before(result, cleaned, rules.movedFrom) ? result.end : result.start;
    const date = found.date || found.ambiguous ? undefined : dayRead(start, now, forwardDate);
    if (date) {
      found.date = date;
      yearGiven = start.isCertain('year');
    }
    // "la del 1 ya no existe" (the one on the 1st): chrono's Spanish reads "del 1" as one o'clock;
    // "thursday 17 at 9", "martes 15 a las 10": chrono reads the day after a weekday as the hour.
    if (
      !found.time &&
      start.isCertain('hour') &&
      !/^del?\s+\d{1,2}$/i.test(result.text.trim()) &&
      !dayAsHour(result, dayAfterWeekday)
    ) {
      let hour = start.get('hour')!;
      // "a las 2" with no am/pm: offices open by day, so 1 to 6 means the afternoon.
      if (!start.isCertain('meridiem') && hour >= 1 && hour <= 6) hour += 12;
      found.time = { hour, minute: start.get('minute') ?? 0 };
    }
  }
  return yearGiven;
}

/** Whether chrono's hour is the day of the month said after a weekday ("thursday 17": the 17th). */
function dayAsHour(result: chrono.ParsedResult, dayAfterWeekday: RegExpExecArray | null): boolean {
  if (!dayAfterWeekday) return false;
  const day = Number(dayAfterWeekday[2]);
  return result.start.get('hour') === day && result.text.includes(dayAfterWeekday[0].trim());
}

/**
 * "la cita ya pasó, era el 18 de noviembre", "the appointment was nov 16": read forward, a day of
 * the last weeks became next year's; said in the past, it is this year's. "mi cita es el 2 de
 * noviembre", said on November 22 with no year: a day of the last weeks, not one eleven months
 * ahead (then it reads as passed, and the person is asked about it).
 */
function lastYearIfJustPassed(found: WhenFound, soft: boolean, yearGiven: boolean, now: DateTime): void {
  if (!found.date || (!soft && yearGiven)) return;
  const back = DateTime.fromObject({ ...found.date, year: found.date.year - 1 }, { zone: now.zone });
  const days = now.diff(back, 'days').days;
  if (back.isValid && back < now && days <= (soft ? RECENT_PAST_DAYS : JUST_PASSED_DAYS))
    found.date = { ...found.date, year: back.year };
}

/**
 * "my appointment was on monday", "mi cita era el lunes", "j'ai raté lundi": a weekday read ahead
 * (chrono reads the next one) that is told in the past is last week's (fresh13).
 */
function lastWeekIfToldPast(found: WhenFound, text: string, now: DateTime, language: DateLanguage): void {
  if (!found.date) return;
  const said = language.pastWeekday.exec(text);
  const weekday = said ? language.weekdayNumbers.get(foldText(said[1]!)) : undefined;
  if (weekday === undefined) return;
  const day = DateTime.fromObject(found.date, { zone: now.zone });
  const ahead = day.diff(now.startOf('day'), 'days').days;
  // Said on that very weekday, it is a week ago, as "last monday" is (never today).
  if (day.weekday === weekday && ahead >= 0 && ahead <= 7) {
    const back = day.minus({ days: ahead === 7 ? 14 : 7 });
    found.date = { year: back.year, month: back.month, day: back.day };
  }
}

/**
 * A day of the month alone ("el 15"), or a weekday with a day ("el martes 9", "tuesday the 9th"):
 * the day of the month that falls on that weekday; when none does soon, both readings, for the
 * person to choose (chrono keeps only the weekday).
 */
function dayFromWords(
  found: WhenFound,
  cleaned: string,
  numeric: boolean,
  now: DateTime,
  language: DateLanguage,
): void {
  if (!found.date && !found.ambiguous) {
    const day = language.rules.dayAlone.exec(cleaned);
    const withMonth = day && monthAfter(cleaned.slice(day.index + day[0].length), language);
    const date = day && !withMonth ? nextDayOfMonth(Number(day[1] ?? day[2]), now) : undefined;
    if (date) found.date = date;
  }
  const weekdayDay = language.weekdayAndDay.exec(cleaned);
  if (!weekdayDay || numeric || language.monthNamed.test(cleaned)) return;
  const weekday = language.weekdayNumbers.get(foldText(weekdayDay[1]!));
  const day = Number(weekdayDay[2]);
  const fitting = weekday ? dayOnWeekday(day, weekday, now) : undefined;
  const plain = nextDayOfMonth(day, now);
  if (fitting) found.date = fitting;
  else if (plain && found.date && !sameDate(plain, found.date)) {
    found.ambiguous = [found.date, plain];
    delete found.date;
  } else if (plain && !found.date) found.date = plain;
}

/** Enough characters after a day for a joiner and the longest month name ("de septiembre"). */
const MONTH_LOOKAHEAD_CHARS = 40;

/**
 * Whether a month follows a day that chrono did not read as a date: a month misspelled ("12 de
 * febreo", "20 janvie") or a day it does not have ("31 de febrero", "30 fevrier"). The day alone
 * is then no day: taken as the next 12th or 31st, it was read back as a December date, ready to
 * save with one "yes". Nothing is guessed; the person is asked for the date again.
 */
function monthAfter(rest: string, language: DateLanguage): boolean {
  // Only the next two words count: the rest of a long message is not folded for them.
  const words = foldText(rest.slice(0, MONTH_LOOKAHEAD_CHARS))
    .split(' ')
    .filter((w) => w !== '');
  const word = language.monthJoiners.has(words[0] ?? '') ? words[1] : words[0];
  if (!word || !/^\p{L}+$/u.test(word)) return false;
  if (language.monthForms.includes(word)) return true;
  // A misspelling: one letter off a month of 4 to 5 letters, two off a longer one.
  if (word.length < 4) return false;
  return language.monthForms.some(
    (month) =>
      month.length >= 4 &&
      month[0] === word[0] &&
      editDistance(word, month, 2) <= (month.length >= 6 ? 2 : 1),
  );
}

/** The first of the language's hour corrections the text holds ("its 10 not 9"), if one. */
function timeCorrection(text: string, rules: DateRules): RegExpExecArray | undefined {
  for (const pattern of rules.timeCorrections) {
    const match = pattern.exec(text);
    if (match?.groups) return match;
  }
  return undefined;
}

/**
 * The number a correction puts in place of another, as said ("it is 13 not 12": 13), with no
 * minutes or "am"/"pm" of its own: an hour, or, beside a date, a day (inbound-event.ts).
 */
export function correctedNumber(
  text: string,
  language: DateLanguage,
): { said: number; denied: number } | undefined {
  const match = timeCorrection(text, language.rules);
  const corrected = match?.groups;
  if (!match || !corrected?.hour || corrected.minute !== undefined || corrected.meridiem) return undefined;
  // The number said wrong, right after the correction's denial ("13 not 12").
  const denied = /^\s*(\d{1,2})(?!\d|:)/.exec(text.slice(match.index + match[0].length));
  return denied ? { said: Number(corrected.hour), denied: Number(denied[1]) } : undefined;
}

/** "its 10 not 9", "es a las 10 no a las 9": an hour put right, which chrono does not read. */
function correctedTime(text: string, rules: DateRules): LocalTime | undefined {
  const corrected = timeCorrection(text, rules)?.groups;
  if (!corrected) return undefined;
  let hour = Number(corrected.hour);
  const pm = /^p/i.test(corrected.meridiem ?? '');
  if (hour >= 1 && hour <= 12 && (pm || (!corrected.meridiem && hour <= 6)) && hour !== 12) hour += 12;
  return hour <= 23 ? { hour, minute: Number(corrected.minute ?? 0) } : undefined;
}

/**
 * The day chrono read, if it names one (a day of the month or a weekday) of the years read around
 * now; a day before today is passed, and the caller says so. A weekday named without its day on
 * that same weekday ("el lunes", "on monday", said on a Monday) is the coming one, a week on:
 * chrono reads it as today, but people call today "today" ("hoy"), so by then its hour has most
 * likely passed or is not meant. A message about the past (`forward` false) keeps chrono's day.
 */
function dayRead(start: chrono.ParsedComponents, now: DateTime, forward: boolean): LocalDate | undefined {
  if (!start.isCertain('day') && !start.isCertain('weekday')) return undefined;
  let date = { year: start.get('year')!, month: start.get('month')!, day: start.get('day')! };
  if (forward && !start.isCertain('day') && isoDate(date) === now.toISODate()) {
    const weekOn = now.plus({ days: 7 });
    date = { year: weekOn.year, month: weekOn.month, day: weekOn.day };
  }
  // A day of the years around this one; a day before today is passed (the caller says so).
  return DateTime.fromObject(date).isValid && withinYearsRead(date.year, now) ? date : undefined;
}

/** What one of chrono's parsers read; `own`: the language's own parser, not one of `dates.also`. */
interface ChronoRead {
  result: chrono.ParsedResult;
  own: boolean;
}

/** The only call into chrono: the language's casual parsers (its own first), on bounded text only. */
function parseDates(
  text: DateText,
  reference: chrono.ParsingReference,
  options: chrono.ParsingOption,
  language: DateLanguage,
): ChronoRead[] {
  return language.parsers.flatMap((parser, i) =>
    parser.parse(text, reference, options).map((result) => ({ result, own: i === 0 })),
  );
}

/**
 * Readings of chrono that are none. Its word boundaries know only unaccented letters: it cuts
 * "a d" out of "a déjà" (a day) and "a m" out of "ça m'aide" (a minute), so a reading with a
 * letter of any alphabet on either side is a piece of a word. A count and a unit with no word
 * before them ("10h", "3 days") is a length, not a time from now ("in 3 days", "dans 2h" are).
 * And the parser of a language the pack also reads does not take one of the language's own
 * common words (`words`) for a date: French "mon" is "my", not Monday.
 */
/** How far before a count its bound words are looked for ("pas plus de "). */
const BOUND_REACH = 24;

function misread({ result, own }: ChronoRead, text: string, language: DateLanguage): boolean {
  const read = result.text.trim();
  const start = result.index + result.text.indexOf(read);
  const end = start + read.length;
  if (/\p{L}/u.test(text[start - 1] ?? '') || /\p{L}/u.test(text[end] ?? '')) return true;
  if (result.tags().has('result/relativeDate')) {
    if (/^\d/.test(read)) return true;
    // "c dans moins de 12h": less than a count is a bound, not the time it will be then.
    const count = /\d/.exec(read);
    const at = start + (count?.index ?? 0);
    if (count && language.boundBefore?.test(text.slice(Math.max(0, at - BOUND_REACH), at))) return true;
  }
  return !own && language.ownWords.has(foldText(read));
}

function sameDate(a: LocalDate, b: LocalDate): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}

/**
 * The day-of-month `day` of this month or the next that falls on `weekday` (1 Monday … 7 Sunday),
 * if it has not passed: a fit further ahead is more likely a slip in the weekday or the day.
 */
function dayOnWeekday(day: number, weekday: number, now: DateTime): LocalDate | undefined {
  for (let ahead = 0; ahead < 2; ahead++) {
    const month = now.startOf('month').plus({ months: ahead });
    const candidate = DateTime.fromObject({ year: month.year, month: month.month, day }, { zone: now.zone });
    if (candidate.isValid && candidate.month === month.month && candidate >= now.startOf('day')) {
      if (candidate.weekday === weekday) return { year: candidate.year, month: candidate.month, day };
    }
  }
  return undefined;
}

function normalizeYear(year: number): number {
  return year < 100 ? 2000 + year : year;
}

/**
 * Years a day is read in, around now: an appointment is at most two years ahead, and a day said
 * with its year up to two years back is a passed appointment or a filing date. A year further off
 * is a misreading (a ZIP code, a count), and the person is asked for the date.
 */
const YEARS_READ = { back: 2, ahead: 2 };
const withinYearsRead = (year: number, now: DateTime): boolean =>
  year >= now.year - YEARS_READ.back && year <= now.year + YEARS_READ.ahead;

/**
 * "3/5", "12/03/2026": both readings of a numeric date. Two days ahead are for the person to
 * choose from, US order first as people have been asked so far (the conversation's language is
 * not always the notice's: a Spanish speaker pastes a US notice); one ahead is the date
 * ("12/03/2026" on 22 November 2026 can only be December 3: March 12 has passed). With none ahead
 * (a year given that is behind) it is passed, read in the language's order (`dayFirst`), and
 * said as passed, not taken for no date. A day of the last weeks written without a year ("12/1"
 * on December 5) is that passed day, not next year's: in the language's order it is said as
 * passed (as "December 1" is), in the other it is no reading.
 */
function numericDate(
  numeric: RegExpExecArray,
  now: DateTime,
  dayFirst: boolean,
): Pick<WhenFound, 'date' | 'ambiguous'> {
  const a = Number(numeric[1]);
  const b = Number(numeric[2]);
  const year = numeric[3] ? normalizeYear(Number(numeric[3])) : undefined;
  const readings = [validDate(a, b, year, now), a === b ? undefined : validDate(b, a, year, now)].filter(
    (d): d is LocalDate => d !== undefined,
  );
  if (dayFirst) readings.reverse();
  const justPassed = year === undefined ? readings.map((d) => yearBackIfJustPassed(d, now)) : [];
  if (justPassed[0]) return { date: justPassed[0] };
  const kept = readings.filter((_, i) => !justPassed[i]);
  const today = now.toISODate();
  const ahead = kept.filter((d) => isoDate(d) >= today!);
  if (ahead.length === 2) return { ambiguous: dayFirst ? [ahead[1]!, ahead[0]!] : [ahead[0]!, ahead[1]!] };
  const date = ahead[0] ?? kept[0];
  return date ? { date } : {};
}

/** The same day a year before, if that is a day of the last weeks (`JUST_PASSED_DAYS`). */
function yearBackIfJustPassed(date: LocalDate, now: DateTime): LocalDate | undefined {
  const back = DateTime.fromObject({ ...date, year: date.year - 1 }, { zone: now.zone });
  const days = now.startOf('day').diff(back, 'days').days;
  return back.isValid && days > 0 && days <= JUST_PASSED_DAYS ? { ...date, year: back.year } : undefined;
}

const isoDate = (d: LocalDate): string =>
  `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

/** The date month/day (year given, or the next one from now), if such a day exists. */
function validDate(
  month: number,
  day: number,
  year: number | undefined,
  now: DateTime,
): LocalDate | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  let candidate = DateTime.fromObject({ year: year ?? now.year, month, day }, { zone: now.zone });
  if (!candidate.isValid || !withinYearsRead(candidate.year, now)) return undefined;
  // Without a year, a day that has passed this year is next year's.
  if (year === undefined && candidate < now.startOf('day')) candidate = candidate.plus({ years: 1 });
  if (!candidate.isValid || candidate.month !== month) return undefined;
  return { year: candidate.year, month, day };
}

/** The appointment as an instant, or undefined if that wall-clock time does not exist there. */
export function toInstant(date: LocalDate, time: LocalTime, zone: string): DateTime | undefined {
  const dt = DateTime.fromObject({ ...date, ...time }, { zone });
  if (!dt.isValid || dt.hour !== time.hour) return undefined; // skipped by a DST change
  return dt;
}
