import { describe, expect, it } from 'vitest';
import { benchFiring } from '../../bench/firing.js';

/** `npm run bench firing`, small: nothing lost, nothing twice (see benchmarks.test.ts). */
describe('benchmarks, small: firing', () => {
  it('firing sends every reminder exactly once, all its parts', async () => {
    const f = await benchFiring({ reminders: 100, spreadSeconds: 3, leadSeconds: 6 });
    expect(f.peopleReached).toBe(100);
    expect(f.peopleWithDuplicates).toBe(0);
    expect(f.strays).toBe(0);
    // Everyone got the same number of texts (the parts of one reminder), and nothing else.
    const counts = Object.entries(f.textsPerPerson);
    expect(counts).toHaveLength(1);
    expect(Number(counts[0]![0]) * counts[0]![1]).toBe(f.textsSent);
    expect(Number.isFinite(f.latenessMaxMs)).toBe(true);
  }, 120_000);
});
