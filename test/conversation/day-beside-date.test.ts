import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { TEST_NOW } from '../support/clock.js';
import { partsOf, talkIn } from '../support/dialogue.js';

/**
 * Blind try 21: "jan 6", then "8 in the morning. my husband has one too same place but on the 7th
 * at 1pm", said on December 7: the husband's was read as that very day, not January 7. A day of
 * the month alone, told beside another appointment's date, is the first such day on or after it;
 * a month named keeps its own.
 */
const ref = TEST_NOW.plus({ days: 45 });
const monthDay = (d: DateTime) => d.setLocale('en').toFormat('LLLL d');
const ordinal = (n: number) =>
  `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;
/** The first day numbered `day` on or after `from`. */
function firstOnOrAfter(day: number, from: DateTime): string {
  for (let m = from.startOf('month'); ; m = m.plus({ months: 1 })) {
    const d = DateTime.fromObject({ year: m.year, month: m.month, day });
    if (d.isValid && d.month === m.month && d >= from.startOf('day')) return d.toISODate()!;
  }
}
const queuedDate = (snap: ReturnType<typeof talkIn>) => snap.context.queued?.[0]?.date;

describe('a day told alone beside another appointment', () => {
  it('is read after the date being collected, not as today (the day the message is sent)', () => {
    const snap = talkIn(
      'en',
      'hi',
      'remind me',
      monthDay(ref),
      `8 in the morning. my husband has one too same place but on the ${ordinal(TEST_NOW.day)} at 1pm. its in the office in charlotte nc`,
    );
    expect(queuedDate(snap)).toBe(firstOnOrAfter(TEST_NOW.day, ref));
  });

  it('is read after the date told before it in the same message', () => {
    const snap = talkIn(
      'en',
      'hi',
      `remind me: mine is ${monthDay(ref)} at 8am and my husband has one on the ${ordinal(TEST_NOW.day)} at 1pm in charlotte nc`,
    );
    expect(queuedDate(snap)).toBe(firstOnOrAfter(TEST_NOW.day, ref));
  });

  it('keeps a month named, even one before the other date', () => {
    const earlier = TEST_NOW.plus({ days: 10 });
    const snap = talkIn(
      'en',
      'hi',
      `remind me: mine is ${monthDay(ref)} at 8am and my husband has one ${monthDay(earlier)} at 1pm in charlotte nc`,
    );
    expect(queuedDate(snap)).toBe(earlier.toISODate());
  });
});

/**
 * Blind try 22: "yes but my wife has one too hers is 01/05/2027 at 1030" at "Is that right?" queued
 * hers on the day of the one being saved (December 9): a date read two ways is asked about.
 */
describe("a relative's date read two ways, told at the read-back", () => {
  const twoWays = (() => {
    let d = TEST_NOW.plus({ days: 60 });
    const swapped = (x: DateTime) => DateTime.fromObject({ year: x.year, month: x.day, day: x.month });
    while (d.day > 12 || d.day === d.month || swapped(d) < TEST_NOW.plus({ days: 7 }))
      d = d.plus({ days: 1 });
    return d;
  })();

  it('is not given the day of the one being saved, and is asked about after the name', () => {
    const own = TEST_NOW.plus({ days: 17 });
    const told = [
      'hi',
      `remind me my appointment ${monthDay(own)} at 8am in newark nj`,
      `yes but my wife has one too hers is ${twoWays.toFormat('MM/dd/yyyy')} at 1030`,
    ];
    const queued = talkIn('en', ...told);
    expect(queued.context.appointments).toHaveLength(1);
    // "Now the next one you told me: <her day>": not the day of the one just saved.
    const next = partsOf(queued).find((p) => 'system' in p.say && p.say.system.startsWith('appt_next'));
    expect(next).toBeDefined();
    expect(next?.params?.date).not.toBe(own.toISODate());
    const asked = talkIn('en', ...told, 'Maria');
    expect(asked.context.draft?.step).toBe('which_date');
  });
});
