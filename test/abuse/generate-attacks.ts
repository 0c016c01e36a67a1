/**
 * `npm run abuse:attacks`: asks the ReDoS checker recheck for an attack string against every
 * regular expression Huella runs on a person's text (patterns.ts) and writes them, with the
 * patterns' fingerprint, to attacks.json. attacks.test.ts fails when the fingerprint no longer
 * matches (a pattern or chrono-node changed): then run this again (a few minutes).
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { check } from 'recheck';
import {
  type AttackFile,
  chronoPatterns,
  chronoVersion,
  type Pattern,
  patternsFingerprint,
  writtenPatterns,
} from './patterns.js';

const ROOT = resolve(import.meta.dirname, '../..');
/** Per pattern: recheck gives up (status "unknown") after this long. */
const CHECK_TIMEOUT_MS = 10_000;

/** Patterns built with `new RegExp` at load, and those built while reading a few messages. */
async function constructedPatterns(): Promise<Pattern[]> {
  const built: Pattern[] = [];
  const original = globalThis.RegExp;
  globalThis.RegExp = new Proxy(original, {
    construct(target, args: [string | RegExp, string?]) {
      const made = new target(...args);
      // Named by the line of ours that built it ("src/understanding/when.ts:33"), else by chrono.
      const frames = (new Error().stack ?? '').split('\n').slice(2);
      const at = frames.findIndex((line) => line.includes(`${ROOT}/src/`));
      const caller = /\/(src\/[\w/.-]+\.ts):(\d+)/.exec(frames[at] ?? '');
      const ours = caller ? `${caller[1]}:${caller[2]}` : 'a test';
      const inChrono = frames
        .slice(0, Math.max(at, 0))
        .some((line) => line.includes('node_modules/chrono-node'));
      const from = inChrono ? `chrono-node, parsing for ${ours}` : ours;
      built.push({ from, source: made.source, flags: made.flags });
      return made;
    },
  });
  try {
    const { DateTime } = await import('luxon');
    const { findAppointmentDetails } = await import('../../src/understanding/appointment-details.js');
    await import('../../src/conversation/machine.js');
    const now = DateTime.fromISO('2026-11-22T10:00', { zone: 'America/Chicago' });
    for (const text of ['dec 3 at 9am 77060 houston', 'hace 3 meses', 'el martes 9 a las 8 y media 60601'])
      findAppointmentDetails(text, now, {});
  } finally {
    globalThis.RegExp = original;
  }
  return built;
}

async function main(): Promise<void> {
  const { literals, constructed } = writtenPatterns(ROOT);
  const patterns = [...chronoPatterns(), ...literals, ...(await constructedPatterns())];
  const unique = new Map<string, Pattern>();
  for (const p of patterns)
    if (!unique.has(`/${p.source}/${p.flags}`)) unique.set(`/${p.source}/${p.flags}`, p);
  const out: AttackFile = {
    fingerprint: patternsFingerprint(ROOT),
    chrono: chronoVersion(),
    checked: { safe: 0, vulnerable: 0, unknown: 0 },
    constructedCalls: constructed.length,
    undecided: [],
    attacks: [],
  };
  for (const pattern of unique.values()) {
    // A fixed seed: recheck fuzzes, and the same patterns should give the same attacks.
    const diagnostics = await check(pattern.source, pattern.flags, {
      timeout: CHECK_TIMEOUT_MS,
      randomSeed: 1,
    });
    if (diagnostics.status === 'unknown') out.undecided.push(pattern.from);
    out.checked[diagnostics.status] += 1;
    if (diagnostics.status !== 'vulnerable') continue;
    const { attack, complexity } = diagnostics;
    out.attacks.push({
      from: pattern.from,
      complexity: complexity.type === 'polynomial' ? `polynomial ${complexity.degree}` : complexity.type,
      pumps: attack.pumps.map(({ prefix, pump }) => ({ prefix, pump })),
      suffix: attack.suffix,
    });
    process.stdout.write(`${pattern.from}: ${complexity.type} ${attack.pattern.slice(0, 80)}\n`);
  }
  writeFileSync(join(import.meta.dirname, 'attacks.json'), `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`${unique.size} patterns: ${JSON.stringify(out.checked)}\n`);
}

await main();
