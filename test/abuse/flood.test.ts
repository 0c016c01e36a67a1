import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FLOOD_LIMITS } from '../../src/channels/throttle.js';
import { keys } from '../../src/store/keys.js';
import { plantedBody } from '../privacy/planted.js';
import { buildWiredTestApp, inboundParams, type TestApp, twimlMessages } from '../support/app.js';

/**
 * One number sending 100 messages a second is slowed (a token bucket per person id in Redis):
 * a burst is read as usual, then one "slow down" answer, then empty answers until the allowance
 * refills. Everyone else is answered normally meanwhile. Their latency is printed, not asserted.
 */
let t: TestApp;
beforeAll(async () => {
  t = await buildWiredTestApp();
});
afterAll(async () => t.close());

const FLOOD_PER_SECOND = 100;
const FLOOD_SECONDS = 3;
const OTHERS = 10;
const slowDown = () => t.huella.flows.languages.map((lang) => t.huella.renderer.pack(lang).system.slow_down);

const rev = async (from: string) =>
  Number((await t.redis.hget(keys.conversation(t.huella.crypto.personId(from)), 'rev')) ?? 0);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Each of the other people writes `count` messages, one after the other; returns the latencies. */
async function othersWrite(
  round: number,
  count: number,
): Promise<{ latencies: number[]; answers: string[][] }> {
  const latencies: number[] = [];
  const answers: string[][] = [];
  await Promise.all(
    Array.from({ length: OTHERS }, async (_, p) => {
      for (let i = 0; i < count; i++) {
        const started = performance.now();
        const res = await t.sendSigned(
          inboundParams(
            `+1555330${String(p).padStart(4, '0')}`,
            i === 0 && round === 0 ? 'hola' : 'what do i bring',
          ),
        );
        latencies.push(performance.now() - started);
        expect(res.statusCode).toBe(200);
        answers.push(twimlMessages(res.body));
      }
    }),
  );
  return { latencies, answers };
}

describe('one number flooding at 100 messages a second', () => {
  it('is limited to its allowance, told once, and does not keep anyone else from an answer', async () => {
    const flooder = '+15553399999';
    const before = await othersWrite(0, 3);

    const floodAnswers: Promise<string[]>[] = [];
    const started = performance.now();
    const flooding = new Promise<void>((resolve) => {
      let sent = 0;
      const timer = setInterval(() => {
        for (let k = 0; k < FLOOD_PER_SECOND / 100; k++) {
          floodAnswers.push(
            t.sendSigned(inboundParams(flooder, plantedBody(`msg ${sent}`))).then((res) => {
              expect(res.statusCode).toBe(200);
              return twimlMessages(res.body);
            }),
          );
          sent += 1;
        }
        if (sent >= FLOOD_PER_SECOND * FLOOD_SECONDS) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
    const during = await othersWrite(1, 3);
    await flooding;
    const flood = await Promise.all(floodAnswers);
    const elapsedSeconds = (performance.now() - started) / 1000;

    const notices = flood.filter((m) => m.length > 0 && m.every((text) => slowDown().includes(text)));
    const empty = flood.filter((m) => m.length === 0);
    const read = flood.length - notices.length - empty.length;
    const { burst, refillPerSecond } = DEFAULT_FLOOD_LIMITS;
    console.log(
      `flood: ${flood.length} messages from one number in ${elapsedSeconds.toFixed(1)} s: ${read} read, ${notices.length} "slow down", ${empty.length} empty; ` +
        `others: ${during.answers.length} answered, median latency ${median(before.latencies).toFixed(1)} ms before vs ${median(during.latencies).toFixed(1)} ms during (ratio ${(median(during.latencies) / median(before.latencies)).toFixed(2)})`,
    );
    // The flooder: a burst read, then one notice, the rest not read; every message read was applied.
    expect(read).toBeGreaterThanOrEqual(burst);
    expect(read).toBeLessThanOrEqual(burst + Math.ceil(refillPerSecond * (elapsedSeconds + 1)));
    expect(notices.length).toBe(1);
    expect(await rev(flooder)).toBe(read);
    // Everyone else: answered normally, every message applied.
    const trouble = t.huella.renderer.pack('en').system.error_later;
    for (const answer of during.answers) {
      expect(answer.length).toBeGreaterThan(0);
      expect(answer.some((text) => slowDown().includes(text) || text === trouble)).toBe(false);
    }
    for (let p = 0; p < OTHERS; p++) expect(await rev(`+1555330${String(p).padStart(4, '0')}`)).toBe(6);
  });

  it('a repeated MessageSid from a limited number gets the same answer as the first time', async () => {
    const from = '+15553388888';
    const messages = Array.from({ length: DEFAULT_FLOOD_LIMITS.burst + 3 }, (_, i) =>
      inboundParams(from, `hola ${i}`),
    );
    const first = [];
    for (const params of messages) first.push((await t.sendSigned(params)).body);
    const again = await Promise.all(messages.map((params) => t.sendSigned(params)));
    expect(again.map((res) => res.body)).toEqual(first);
    expect(twimlMessages(first.at(-3)!)).toEqual(slowDown());
  });
});
