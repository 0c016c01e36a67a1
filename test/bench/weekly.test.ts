import { describe, expect, it } from 'vitest';
import { benchWeekly } from '../../bench/weekly.js';

/** `npm run bench weekly`, small: everyone reached once through the rate-limited queue (see benchmarks.test.ts). */
describe('benchmarks, small: the weekly fan-out', () => {
  it('the weekly fan-out reaches everyone exactly once through the rate-limited queue', async () => {
    const w = await benchWeekly({ people: 400, mps: 200, quietAfterMs: 15_000, leadMs: 8_000 });
    expect(w.checksDue).toBe(400);
    expect(w.peopleReached).toBe(400);
    expect(w.peopleWithDuplicates).toBe(0);
    expect(w.strays).toBe(0);
    expect(Object.keys(w.textsPerPerson)).toHaveLength(1);
  }, 120_000);
});
