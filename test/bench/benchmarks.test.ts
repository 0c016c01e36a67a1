import { describe, expect, it } from 'vitest';
import { benchFiring } from '../../bench/firing.js';
import { benchScheduling } from '../../bench/scheduling.js';
import { benchTurnCpu } from '../../bench/turn-cpu.js';
import { benchWebhook } from '../../bench/webhook.js';
import { benchWeekly, windowRates } from '../../bench/weekly.js';

/**
 * Every benchmark of `npm run bench`, with small counts: the same code paths, processes and
 * checks, asserting only what must hold at any speed (nothing lost, nothing twice, every request
 * answered). Speed is printed by `npm run bench`, never asserted.
 */
describe('benchmarks, small', () => {
  it('scheduling adds every reminder once, in Redis', async () => {
    const s = await benchScheduling(300);
    expect(s.reminders).toBe(1200);
    expect(s.scheduled).toBe(s.reminders);
    expect(s.jobsInRedis).toBe(s.reminders);
    expect(s.ourBytesPerReminder).toBeGreaterThan(0);
    expect(s.bareBytesPerJob).toBeGreaterThan(0);
  }, 60_000);

  it('turn CPU is measured for adversarial bodies and paraphrases, naming the worst input', async () => {
    const c = await benchTurnCpu({ bodies: 3, paraphrases: 10 });
    expect(c.bodies).toBe(3);
    expect(c.paraphrases).toBe(10);
    expect(c.worstInput).not.toBe('');
    expect(Number.isFinite(c.medianMs)).toBe(true);
  }, 60_000);

  it('firing sends every reminder exactly once, all its parts', async () => {
    const f = await benchFiring({ reminders: 150, spreadSeconds: 3, leadSeconds: 6 });
    expect(f.peopleReached).toBe(150);
    expect(f.peopleWithDuplicates).toBe(0);
    expect(f.strays).toBe(0);
    // Everyone got the same number of texts (the parts of one reminder), and nothing else.
    const counts = Object.entries(f.textsPerPerson);
    expect(counts).toHaveLength(1);
    expect(Number(counts[0]![0]) * counts[0]![1]).toBe(f.textsSent);
    expect(Number.isFinite(f.latenessMaxMs)).toBe(true);
  }, 120_000);

  it('the weekly fan-out reaches everyone exactly once through the rate-limited queue', async () => {
    const w = await benchWeekly({ people: 400, mps: 200, quietAfterMs: 15_000, leadMs: 8_000 });
    expect(w.checksDue).toBe(400);
    expect(w.peopleReached).toBe(400);
    expect(w.peopleWithDuplicates).toBe(0);
    expect(w.strays).toBe(0);
    expect(Object.keys(w.textsPerPerson)).toHaveLength(1);
  }, 120_000);

  it('counts sends per full 10-second window and leaves the partial last one out', () => {
    const times = [
      ...Array.from({ length: 50 }, (_, i) => 1_000 + i * 200), // 0–10 s: 50 sends
      ...Array.from({ length: 40 }, (_, i) => 11_000 + i * 200), // 10–20 s: 40 sends
      21_000,
      22_500, // 20–21.5 s: partial
    ];
    expect(windowRates(times)).toEqual({ rates: [5, 4], partial: 2 });
    expect(windowRates([])).toEqual({ rates: [], partial: 0 });
  });

  it('the webhook answers every signed message, saves each turn once, and measures memory', async () => {
    const r = await benchWebhook({
      requests: 500,
      phones: 100,
      warmup: 100,
      connections: 20,
      rounds: 2,
      plumbing: true,
    });
    const { summary, memory } = r;
    expect(summary.non2xx).toBe(0);
    expect(summary.errors).toBe(0);
    expect(summary.troubleReplies).toBe(0);
    expect(summary.silentReplies).toBe(0);
    // Warm-up and rounds of Huella and of the plumbing side (the bare route saves no turn).
    expect(summary.answered).toBe(1200);
    // One saved turn per answered message, on as many conversations as phones written from.
    expect(summary.savedTurns).toBe(summary.answered);
    expect(summary.conversations).toBe(100);
    // Two rounds, each side taking its turn: bare, ours, plumbing, twice.
    expect(r.runs.map((run) => `${run.target} ${run.requests}`)).toEqual([
      'bare 250',
      'huella 250',
      'plumbing 250',
      'bare 250',
      'huella 250',
      'plumbing 250',
    ]);
    // The plumbing side answers only its fixed reply (its patch applied); Huella never does.
    for (const run of r.runs) {
      expect(run.fixedReplies).toBe(run.target === 'plumbing' ? run.requests : 0);
    }
    expect(summary.plumbing?.roundRatios).toHaveLength(2);
    expect(summary.roundRatios).toHaveLength(2);
    for (const value of Object.values(memory)) expect(value).toBeGreaterThan(0);
  }, 120_000);
});
