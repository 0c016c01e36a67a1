/**
 * `npm run abuse:attacks`: asks the ReDoS checker recheck for an attack string against every
 * regular expression Huella runs on a person's text (patterns.ts) and writes its verdicts and
 * attacks to attacks.json. Verdicts already there are kept: only new patterns are checked (seconds
 * each; all of them, about 9 minutes, after chrono-node changes). attacks.test.ts fails while a
 * pattern has no verdict.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { check } from 'recheck';
import {
  type AttackFile,
  chronoPatterns,
  chronoVersion,
  type Pattern,
  patternKey,
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
    // The packs' words are built into patterns (Folding, an Understander's, and the dates').
    const { loadFlows } = await import('../../src/conversation/content.js');
    const { Understander } = await import('../../src/understanding/understand.js');
    const { foldingOf } = await import('../../src/understanding/folding.js');
    const { messageCues } = await import('../../src/understanding/message-cues.js');
    const { readMessage } = await import('../../src/understanding/reading.js');
    const flows = loadFlows();
    new Understander(flows).understand('what do i bring');
    foldingOf(flows).hasQuestionWords('what do i bring');
    const now = DateTime.fromISO('2026-11-22T10:00', { zone: 'America/Chicago' });
    for (const text of ['dec 3 at 9am 77060 houston', 'hace 3 meses', 'el martes 9 a las 8 y media 60601'])
      for (const lang of flows.languages) {
        findAppointmentDetails(text, now, flows, lang);
        // The names and cues of a message (inbound-event.ts reads them for every message).
        messageCues(flows, lang);
        readMessage(flows, lang, text, '2026-11-22');
      }
  } finally {
    globalThis.RegExp = original;
  }
  return built;
}

const FILE = join(import.meta.dirname, 'attacks.json');

/** The verdicts and attacks of the file as it is, unless chrono-node changed since (then none). */
function previous(): AttackFile | undefined {
  if (!existsSync(FILE)) return undefined;
  const file = JSON.parse(readFileSync(FILE, 'utf8')) as Partial<AttackFile>;
  return file.verdicts && file.chrono === chronoVersion() ? (file as AttackFile) : undefined;
}

async function verdictOf(pattern: Pattern, out: AttackFile): Promise<void> {
  // A fixed seed: recheck fuzzes, and the same patterns should give the same attacks.
  const diagnostics = await check(pattern.source, pattern.flags, {
    timeout: CHECK_TIMEOUT_MS,
    randomSeed: 1,
  });
  out.verdicts[patternKey(pattern)] = diagnostics.status;
  if (diagnostics.status === 'unknown') out.undecided.push(pattern.from);
  if (diagnostics.status !== 'vulnerable') return;
  const { attack, complexity } = diagnostics;
  out.attacks.push({
    key: patternKey(pattern),
    from: pattern.from,
    complexity: complexity.type === 'polynomial' ? `polynomial ${complexity.degree}` : complexity.type,
    pumps: attack.pumps.map(({ prefix, pump }) => ({ prefix, pump })),
    suffix: attack.suffix,
  });
  process.stdout.write(`${pattern.from}: ${complexity.type} ${attack.pattern.slice(0, 80)}\n`);
}

async function main(): Promise<void> {
  const { literals, constructed } = writtenPatterns(ROOT);
  const patterns = [...chronoPatterns(), ...literals, ...(await constructedPatterns())];
  const unique = new Map<string, Pattern>();
  for (const p of patterns) if (!unique.has(patternKey(p))) unique.set(patternKey(p), p);
  const before = previous();
  const out: AttackFile = { chrono: chronoVersion(), verdicts: {}, constructed, undecided: [], attacks: [] };
  let checked = 0;
  for (const [key, pattern] of unique) {
    const verdict = before?.verdicts[key];
    if (verdict === undefined) {
      await verdictOf(pattern, out);
      checked += 1;
      continue;
    }
    out.verdicts[key] = verdict;
    if (verdict === 'unknown') out.undecided.push(pattern.from);
    const attack = before?.attacks.find((a) => a.key === key);
    if (attack) out.attacks.push({ ...attack, from: pattern.from });
  }
  writeFileSync(FILE, `${JSON.stringify(out, null, 2)}\n`);
  const counts = Object.values(out.verdicts).reduce<Record<string, number>>(
    (n, v) => Object.assign(n, { [v]: (n[v] ?? 0) + 1 }),
    {},
  );
  process.stdout.write(`${unique.size} patterns (${checked} newly checked): ${JSON.stringify(counts)}\n`);
}

await main();
