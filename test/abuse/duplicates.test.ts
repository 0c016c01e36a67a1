import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/store/keys.js';
import { plantedBody } from '../privacy/planted.js';
import { buildWiredTestApp, inboundParams, type TestApp, twimlMessages } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildWiredTestApp();
});
afterAll(async () => t.close());

/** Runs `task` `total` times with at most `parallel` under way at once. */
async function inPool<T>(total: number, parallel: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(total);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < total) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

async function revOf(from: string): Promise<number> {
  return Number((await t.redis.hget(keys.conversation(t.huella.crypto.personId(from)), 'rev')) ?? 0);
}

describe('the same MessageSid 1,000 times, 50 at once', () => {
  for (const [name, from, body] of [
    ['a first message', '+15553100001', plantedBody('hola, que llevo a mi cita?')],
    ['a message that asks for reminders', '+15553100002', 'remind me of my appointment on March 5 at 10am'],
  ] as const) {
    it(`changes the conversation once and gives one answer: ${name}`, async () => {
      const params = inboundParams(from, body);
      const results = await inPool(1000, 50, () => t.sendSigned(params));
      const statuses = new Set(results.map((r) => r.statusCode));
      const answers = new Set(results.map((r) => r.body));
      expect([...statuses]).toEqual([200]);
      expect(answers.size).toBe(1);
      expect(twimlMessages([...answers][0]!).length).toBeGreaterThan(0);
      expect(await revOf(from)).toBe(1);
      const jobs = await t.redis.smembers(keys.jobs(t.huella.crypto.personId(from)));
      console.log(
        `duplicates (${name}): 1000 requests, statuses ${[...statuses]}, ${answers.size} distinct answer, rev ${await revOf(from)}, ${jobs.length} reminder jobs`,
      );
    });
  }
});
