import { DateTime } from 'luxon';
import { type Clock, clockFrom } from '../../src/clock.js';

/**
 * The instant the tests run at. Fixed, so that no test depends on the day it runs; another one
 * can be chosen with HUELLA_TEST_NOW (an ISO instant), which `npm run test:instants` does for a
 * few that matter: 40 and 400 days on, across a change to daylight saving time, a leap day.
 * Every date a test writes or expects is told relative to it (see `dayAhead`).
 */
export const TEST_NOW: DateTime<true> = (() => {
  const iso = process.env.HUELLA_TEST_NOW ?? '2026-11-22T16:00:00Z';
  const at = DateTime.fromISO(iso, { zone: 'utc' });
  if (!at.isValid) throw new Error(`HUELLA_TEST_NOW is not an ISO instant: ${iso}`);
  return at;
})();

/** The clock given to every app a test builds: it reads TEST_NOW, then runs at the wall's pace. */
export const testClock: Clock = clockFrom(TEST_NOW.toJSDate());

/** Now on the test's clock, as luxon sees it. */
export const testNow = (): DateTime => DateTime.fromJSDate(testClock.now());

/** A moment read on the wall (a fake server's log), told on the test's clock. */
export const toTestTime = (wallMs: number): number => wallMs + (testClock.now().getTime() - Date.now());

/** A day as the tests write it in a message and expect it back, in English and in Spanish. */
export interface TestDay {
  at: DateTime;
  /** "2026-12-09" */
  iso: string;
  day: number;
  /** "December 9", "dec 9", "Wednesday", "12/9" */
  en: string;
  enShort: string;
  enWeekday: string;
  /** "9 de diciembre", "miércoles", "9 dic" */
  es: string;
  esWeekday: string;
  esShort: string;
  /** "9 décembre" */
  fr: string;
}

/**
 * The day `days` after the test's today at the place (`zone`), named as people write it. The
 * names come from luxon's own locale data, not from Huella, so a test checks Huella's wording.
 */
export function dayAhead(days: number, zone = 'America/Chicago'): TestDay {
  const at = testClock.now();
  const day = DateTime.fromJSDate(at, { zone }).startOf('day').plus({ days });
  return named(day);
}

/** The first day at least `minDays` ahead whose weekday is `weekday` (1 Monday … 7 Sunday). */
export function nextWeekday(weekday: number, minDays = 2, zone = 'America/Chicago'): TestDay {
  let day = dayAhead(minDays, zone).at;
  while (day.weekday !== weekday) day = day.plus({ days: 1 });
  return named(day);
}

function named(day: DateTime): TestDay {
  const en = day.setLocale('en-US');
  const es = day.setLocale('es');
  return {
    at: day,
    iso: day.toISODate()!,
    day: day.day,
    en: en.toFormat('LLLL d'),
    enShort: en.toFormat('LLL d').toLowerCase(),
    enWeekday: en.toFormat('cccc'),
    es: `${day.day} de ${es.toFormat('LLLL')}`,
    esWeekday: es.toFormat('cccc'),
    // CLDR writes some Spanish short months with a period ("sept."); people type them without.
    esShort: `${day.day} ${es.toFormat('LLL').replace(/\.$/, '')}`,
    fr: `${day.day} ${day.setLocale('fr').toFormat('LLLL')}`,
  };
}

/** The calendar day of `at` (in its own zone), named as people write it. */
export const dayOf = (at: DateTime): TestDay => named(at.startOf('day'));

/** The first day at least `from` days ahead for which `fits` holds (within ten years). */
export function firstDay(from: number, fits: (d: TestDay) => boolean, zone = 'America/Chicago'): TestDay {
  for (let days = from; days < from + 3660; days++) {
    const day = dayAhead(days, zone);
    if (fits(day)) return day;
  }
  throw new Error(`no day from ${from} days ahead fits`);
}

/** The next day, from today on, that is `month`/`day` (1-based), as a date told without a year reads. */
export function nextDate(month: number, day: number, zone = 'America/Chicago'): TestDay {
  return firstDay(0, (d) => d.at.month === month && d.day === day, zone);
}

/**
 * A day at least `from` days ahead that, written with numbers ("3/5"), reads two ways (March 5 or
 * May 3), both within `within` days: `us` is the month-first reading (the day itself), `world` the
 * day-first one, as each next comes.
 */
export function twoReadings(from: number, within = 175): { us: TestDay; world: TestDay; numeric: string } {
  const latest = dayAhead(within).at;
  let world: TestDay | undefined;
  const us = firstDay(from, (d) => {
    if (d.day > 12 || d.day === d.at.month || d.at > latest) return false;
    world = nextDate(d.day, d.at.month);
    return world.at <= latest;
  });
  return { us, world: world!, numeric: `${us.at.month}/${us.day}` };
}

/** "Tuesday, December 15" and "martes 15 de diciembre": a day as Huella reads it back. */
export const enLong = (d: TestDay): string => `${d.enWeekday}, ${d.en}`;
export const esLong = (d: TestDay): string => `${d.esWeekday} ${d.es}`;

/** "15th", "1st", "22nd": a day of the month as English writes it alone. */
export function enOrdinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

const SPANISH_DAYS = (
  'primero,dos,tres,cuatro,cinco,seis,siete,ocho,nueve,diez,once,doce,trece,catorce,quince,' +
  'dieciséis,diecisiete,dieciocho,diecinueve,veinte,veintiuno,veintidós,veintitrés,' +
  'veinticuatro,veinticinco,veintiséis,veintisiete,veintiocho,veintinueve,treinta,treinta y uno'
).split(',');
/** A day of the month in Spanish words, as in "el quince de diciembre", "el primero". */
export const esDayWord = (n: number): string => SPANISH_DAYS[n - 1]!;

/** A regular expression source for text, with its special characters escaped. */
export const re = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
