import { describe, expect, it } from 'vitest';
import { benchScheduling } from '../../bench/scheduling.js';
import { benchTurnCpu } from '../../bench/turn-cpu.js';
import { benchWebhook } from '../../bench/webhook.js';
import { windowRates } from '../../bench/weekly.js';

/**
 * Every benchmark of `npm run bench`, with small counts: the same code paths, processes and
 * checks, asserting only what must hold at any speed (nothing lost, nothing twice, every request
 * answered). Speed is printed by `npm run bench`, never asserted. Firing and the weekly fan-out,
 * which mostly wait for their reminders to come due, are files of their own (firing.test.ts,
 * weekly.test.ts), so that they wait side by side with the rest of the suite.
 */
describe('benchmarks, small', () => {
  it('scheduling adds every reminder once, in Redis', async () => {
    const s = await benchScheduling(150);
    expect(s.reminders).toBe(600);
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
      requests: 300,
      phones: 60,
      warmup: 60,
      connections: 20,
      rounds: 2,
      plumbing: true,
      // Every message answered, not how fast: a machine busy with other tests may queue some for
      // seconds (the webhook's own time limits still answer "write again" past 4 s of a turn).
      clientTimeoutSec: 120,
    });
    const { summary, memory } = r;
    expect(summary.non2xx).toBe(0);
    expect(summary.errors).toBe(0);
    expect(summary.silentReplies).toBe(0);
    // Warm-up and rounds of Huella and of the plumbing side (the bare route saves no turn).
    expect(summary.answered).toBe(720);
    // On a machine so busy that Redis does not answer within the webhook's time (a command past
    // 2 s, a turn past 4 s), the person is asked to write again shortly (README): asked again,
    // not lost. Each such answer is one logged timeout, never a failure of the conversation.
    const trouble = summary.troubleReplies;
    const logged = Object.values(summary.errorLog).reduce((a, b) => a + b, 0);
    expect(logged, JSON.stringify(summary.errorLog)).toBeGreaterThanOrEqual(trouble);
    for (const line of Object.keys(summary.errorLog)) expect(line).toMatch(/timed out|answer time/);
    // Every other message is one saved turn, on as many conversations as phones written from (a
    // turn that ran out of time may still have been saved).
    expect(summary.savedTurns).toBeGreaterThanOrEqual(summary.answered - trouble);
    expect(summary.savedTurns).toBeLessThanOrEqual(summary.answered);
    expect(summary.conversations).toBe(60);
    // Two rounds, each side taking its turn: bare, ours, plumbing, twice.
    expect(r.runs.map((run) => `${run.target} ${run.requests}`)).toEqual([
      'bare 150',
      'huella 150',
      'plumbing 150',
      'bare 150',
      'huella 150',
      'plumbing 150',
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
