import { describe, expect, it } from 'vitest';
import { benchWeekly } from '../../bench/weekly.js';

/** `npm run bench weekly`, small: everyone reached once through the rate-limited queue (see benchmarks.test.ts). */
describe('benchmarks, small: the weekly fan-out', () => {
  it('the weekly fan-out reaches everyone exactly once through the rate-limited queue', async () => {
    const w = await benchWeekly({ people: 200, mps: 100, maxWaitMs: 100_000, leadMs: 8_000 });
    // The whole result in the message: a run that stops short says whether it stalled or failed.
    const said = JSON.stringify({ ...w, windowRates: undefined, firstTenths: undefined });
    expect(w.checksDue, said).toBe(200);
    expect(w.peopleReached, said).toBe(200);
    expect(w.stoppedBy, said).toBe('done');
    expect(w.failedJobs, said).toBe(0);
    expect(w.peopleWithDuplicates).toBe(0);
    expect(w.strays).toBe(0);
    expect(Object.keys(w.textsPerPerson)).toHaveLength(1);
  }, 150_000);
});
