/**
 * CPU of one conversation turn (understanding, date reading, the machine, the Redis round trips
 * of this process), measured with process.cpuUsage around handleInbound: the worst over the
 * adversarial bodies of test/abuse (recheck's attacks and the known slow ones, at the body
 * limit, for a new person and for one asked for their appointment's date), and the median over
 * the paraphrase fixtures; each after a first pass over the same texts, so that compiling counts
 * for neither. BENCH_TURN_BODIES=N tries only the first N adversarial bodies,
 * BENCH_TURN_PARAPHRASES=N only the first N paraphrases.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { InboundMessage } from '../src/conversation/service.js';
import { attackFile, handWrittenBodies, recheckBodies } from '../test/abuse/attack-bodies.js';
import { benchPhone, percentile, startBenchHuella } from './support.js';

export interface TurnCpu {
  bodies: number;
  worstMs: number;
  worstInput: string;
  paraphrases: number;
  medianMs: number;
  p99Ms: number;
}

const ASKED_FOR_DATE = 'remind me of my appointment';

function paraphraseTexts(): string[] {
  const texts: string[] = [];
  for (const name of ['paraphrases.yaml', 'paraphrases-fresh.yaml']) {
    const sets = parse(readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url), 'utf8')) as Record<
      string,
      { text: string }[]
    >;
    for (const list of Object.values(sets)) texts.push(...list.map((entry) => entry.text));
  }
  return texts;
}

const fromEnv = (name: string) => Number(process.env[name] ?? Number.POSITIVE_INFINITY);

export async function benchTurnCpu(
  counts = { bodies: fromEnv('BENCH_TURN_BODIES'), paraphrases: fromEnv('BENCH_TURN_PARAPHRASES') },
): Promise<TurnCpu> {
  const bench = await startBenchHuella();
  let phone = 0;
  const message = (from: string, body: string): InboundMessage => ({
    messageSid: `SM${String(phone).padStart(8, '0')}${Math.random().toString(16).slice(2, 14)}`,
    from,
    channel: 'sms',
    body,
    numMedia: 0,
    receivedAt: new Date(),
  });
  /** CPU of one turn, in ms. */
  const turn = async (from: string, body: string): Promise<number> => {
    const before = process.cpuUsage();
    await bench.huella.conversations.handleInbound(message(from, body));
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000;
  };
  try {
    const texts = paraphraseTexts().slice(0, counts.paraphrases);
    // Warm up: the first turns compile the code paths.
    for (const text of texts) await turn(benchPhone(phone++), text);
    const costs = [];
    for (const text of texts) costs.push(await turn(benchPhone(phone++), text));
    costs.sort((a, b) => a - b);

    const bodies = [...handWrittenBodies(), ...recheckBodies(attackFile())].slice(0, counts.bodies);
    // Once each first: V8 compiles a pattern to machine code on its second use (about 100 ms for
    // chrono's largest, once per process), a cost of starting up, not of the body.
    for (const { body } of bodies) await turn(benchPhone(phone++), body);
    let worstMs = 0;
    let worstInput = '';
    for (const { name, body } of bodies) {
      for (const before of [[], [ASKED_FOR_DATE]]) {
        const from = benchPhone(phone++);
        for (const text of before) await turn(from, text);
        const ms = await turn(from, body);
        if (ms > worstMs) {
          worstMs = ms;
          worstInput = `${name}, ${body.length.toLocaleString('en-US')} chars, ${before.length ? 'asked for the date' : 'new number'}`;
        }
      }
    }
    return {
      bodies: bodies.length,
      worstMs,
      worstInput,
      paraphrases: costs.length,
      medianMs: percentile(costs, 50),
      p99Ms: percentile(costs, 99),
    };
  } finally {
    await bench.close();
  }
}
