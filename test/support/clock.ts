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
  /** "9 de diciembre", "miércoles" */
  es: string;
  esWeekday: string;
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
  };
}

/** A regular expression source for text, with its special characters escaped. */
export const re = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
