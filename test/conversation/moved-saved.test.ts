import { describe, expect, it } from 'vitest';
import { TEST_NOW } from '../support/clock.js';
import { talkIn } from '../support/dialogue.js';

/**
 * Blind try 21: with her own and her husband Marvin's saved, "the 2nd one is my husband marvin. and
 * it got moved to jan 14 same time" started a third appointment and kept the old one, reminders and
 * all. News that a saved one moved ("got moved", "la movieron para", "a été reporté") changes that
 * one; a relative whose appointment is saved names it, not another.
 */
const day = (n: number) => TEST_NOW.plus({ days: n });
const said = (n: number) => day(n).setLocale('en').toFormat('LLLL d');

describe('a saved appointment that moved', () => {
  const saved = [
    'hi',
    `remind me my appointment ${said(45)} at 8am in charlotte nc`,
    'yes',
    `and my husband marvin has one ${said(46)} at 1pm same place`,
    'yes',
    'yes',
  ];

  it('is changed, not added, when the person names it and says it moved', () => {
    const before = talkIn('en', ...saved);
    expect(before.context.appointments).toHaveLength(2);
    const moved = talkIn(
      'en',
      ...saved,
      `the 2nd one is my husband marvin. and it got moved to ${said(53)} same time`,
      'yes',
    );
    expect(moved.context.appointments).toHaveLength(2);
    const marvin = moved.context.appointments.find((a) => a.name?.toLowerCase() === 'marvin');
    expect(marvin?.date).toBe(day(53).toISODate());
    expect(marvin?.time?.slice(0, 5)).toBe('13:00');
    expect(moved.context.appointments.some((a) => a.date === day(46).toISODate())).toBe(false);
  });

  it('is changed when said in few words ("marvins got moved to …")', () => {
    const moved = talkIn('en', ...saved, `marvins got moved to ${said(53)}`, 'yes');
    expect(moved.context.appointments).toHaveLength(2);
    expect(moved.context.appointments.map((a) => a.date).sort()).toEqual([
      day(45).toISODate(),
      day(53).toISODate(),
    ]);
  });
});
