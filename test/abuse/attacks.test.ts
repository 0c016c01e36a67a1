import { join } from 'node:path';
import * as chrono from 'chrono-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { InboundMessage } from '../../src/conversation/service.js';
import {
  MAX_CORRECTIONS,
  MAX_DATE_CHARS,
  MAX_LOOKED_UP_WORDS,
  MAX_MESSAGE_CHARS,
} from '../../src/understanding/bound.js';
import { KnownWords } from '../../src/understanding/known-words.js';
import { Understander } from '../../src/understanding/understand.js';
import { buildTestApp, inboundParams, newMessageSid, type TestApp } from '../support/app.js';
import { testClock } from '../support/clock.js';
import { attackFile, handWrittenBodies, recheckBodies } from './attack-bodies.js';
import { uncheckedPatterns } from './patterns.js';

/**
 * Adversarial bodies, beside the random fuzz of bodies.test.ts: recheck's attack string for
 * every regular expression we and chrono run (attacks.json), and the known slow ones, each at the
 * webhook's body limit, through a whole turn for people in several states. What is checked is the
 * bound each reader gets (bound.ts), not the time taken: chrono sees at most MAX_DATE_CHARS with
 * no whitespace run, a few times per turn; the understander at most MAX_MESSAGE_CHARS; the typo
 * matcher at most MAX_LOOKED_UP_WORDS new words. Without those bounds these bodies took from
 * seconds to minutes of CPU.
 */

/** Two parsers (English, Spanish) per reading; one reading per correction tried, and one more. */
const MAX_CHRONO_PARSES_PER_TURN = 2 * (MAX_CORRECTIONS + 1);

/** Where a person may be when the attack comes: the messages that bring them there. */
const STATES: { name: string; before: string[] }[] = [
  { name: 'a new number', before: [] },
  { name: 'at the menu', before: ['hola'] },
  { name: 'asked for the date of their appointment', before: ['remind me of my appointment'] },
  {
    name: 'asked for the place, date and time given',
    before: ['kiero q me recuerde mi cita', 'mañana a las 8'],
  },
  { name: 'at the read-back', before: ['remind me my appt tomorrow 9am 60601'] },
  { name: 'right after saving', before: ['remind me my appt tomorrow 9am 60601', 'yes'] },
];

interface Seen {
  chronoCalls: number;
  longestChronoText: number;
  chronoWhitespaceRuns: number;
  longestUnderstood: number;
  lookups: number;
}

let t: TestApp;
let seen: Seen;
const fresh = (): Seen => ({
  chronoCalls: 0,
  longestChronoText: 0,
  chronoWhitespaceRuns: 0,
  longestUnderstood: 0,
  lookups: 0,
});

/** Wraps chrono's parsers, the understander and the typo matcher to record what reaches them. */
function watchReaders(): void {
  for (const casual of [chrono.en.casual, chrono.es.casual]) {
    const parse = casual.parse.bind(casual);
    vi.spyOn(casual, 'parse').mockImplementation((text, ref, option) => {
      seen.chronoCalls += 1;
      seen.longestChronoText = Math.max(seen.longestChronoText, text.length);
      if (/\s{2,}/.test(text)) seen.chronoWhitespaceRuns += 1;
      return parse(text, ref, option);
    });
  }
  const understand = Understander.prototype.understand;
  vi.spyOn(Understander.prototype, 'understand').mockImplementation(function (
    this: Understander,
    text,
    media,
    lang,
  ) {
    seen.longestUnderstood = Math.max(seen.longestUnderstood, text.length);
    return understand.call(this, text, media, lang);
  });
  const matching = KnownWords.prototype.matching;
  vi.spyOn(KnownWords.prototype, 'matching').mockImplementation(function (this: KnownWords, ...args) {
    seen.lookups += 1;
    return matching.apply(this, args);
  });
}

let phone = 0;
const message = (from: string, body: string): InboundMessage => ({
  messageSid: newMessageSid(),
  from,
  channel: 'sms',
  body,
  numMedia: 0,
  receivedAt: testClock.now(),
});

beforeAll(async () => {
  t = await buildTestApp();
  seen = fresh();
  watchReaders();
});
afterAll(async () => {
  vi.restoreAllMocks();
  await t.close();
});

describe('adversarial bodies', () => {
  it('attacks.json has a verdict on every pattern as it is (else: npm run abuse:attacks)', () => {
    expect(uncheckedPatterns(join(import.meta.dirname, '../..'), attackFile())).toEqual([]);
  });

  it('recheck found attacks to try, chrono-node among them', () => {
    const file = attackFile();
    expect(file.attacks.filter((a) => a.from.startsWith('chrono')).length).toBeGreaterThan(0);
  });

  const bodies = [...handWrittenBodies(), ...recheckBodies(attackFile())];
  for (const state of STATES) {
    it(`reach every reader bounded, for a person ${state.name}`, async () => {
      let worstCpuMs = 0;
      let worst = '';
      for (const { name, body } of bodies) {
        const from = `+1555${String(4100000 + phone++).padStart(7, '0')}`;
        for (const text of state.before) await t.huella.conversations.handleInbound(message(from, text));
        seen = fresh();
        const cpu = process.cpuUsage();
        const result = await t.huella.conversations.handleInbound(message(from, body));
        const used = process.cpuUsage(cpu);
        if ((used.user + used.system) / 1000 > worstCpuMs)
          [worstCpuMs, worst] = [(used.user + used.system) / 1000, name];
        expect(result.duplicate, name).toBe(false);
        expect(seen.chronoCalls, name).toBeLessThanOrEqual(MAX_CHRONO_PARSES_PER_TURN);
        expect(seen.longestChronoText, name).toBeLessThanOrEqual(MAX_DATE_CHARS);
        expect(seen.chronoWhitespaceRuns, name).toBe(0);
        expect(seen.longestUnderstood, name).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
        expect(seen.lookups, name).toBeLessThanOrEqual(MAX_LOOKED_UP_WORDS);
      }
      // Reported only: a loaded machine must not fail the test.
      console.log(
        `${state.name}: ${bodies.length} bodies; most CPU for one turn ${worstCpuMs.toFixed(1)} ms (${worst})`,
      );
    }, 120_000);
  }

  it('answers the measured body and one at the limit through the signed webhook', async () => {
    for (const body of [`5${' '.repeat(66)}5${' '.repeat(134)}`, `5${' '.repeat(60_000)}5`]) {
      seen = fresh();
      const res = await t.sendSigned(inboundParams(`+1555${String(4200000 + phone++)}`, body));
      expect(res.statusCode).toBe(200);
      expect(seen.longestChronoText).toBeLessThanOrEqual(MAX_DATE_CHARS);
      expect(seen.chronoWhitespaceRuns).toBe(0);
    }
  });
});
