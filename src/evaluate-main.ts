/**
 * `npm run eval:understanding -- <file> [--set <name>] [--json]`: how the first reply meets each
 * labelled message of a JSON or YAML file (a list of `{lang, text, expect}`), per language: right,
 * on path, clarify, wrong, nothing (the rule: understanding/evaluate.ts, README "How well it
 * understands free text"). Exit 2 when the file cannot be scored; nothing is stored or sent.
 */
import { readFileSync } from 'node:fs';
import { systemClock } from './clock.js';
import { loadFlows } from './conversation/content.js';
import { firstReplies } from './conversation/first-reply.js';
import { configOrExit } from './process.js';
import {
  evaluateFirstReplies,
  type LanguageScore,
  OUTCOMES,
  type Outcome,
} from './understanding/evaluate.js';
import { LabelledSetError, readLabelledSet } from './understanding/labelled-set.js';

const USAGE = 'usage: npm run eval:understanding -- <file.yaml|file.json> [--set <name>] [--json]';

/** Stops with exit code 2: the input cannot be scored. */
function refuse(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(args: string[]): { file: string; json: boolean; set?: string } {
  let file: string | undefined;
  let set: string | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--set') set = args[++i] ?? refuse('--set needs a name');
    else if (arg.startsWith('-')) refuse(`unknown option ${arg}`);
    else if (file === undefined) file = arg;
    else refuse(`one file at a time (got ${file} and ${arg})`);
  }
  if (file === undefined) refuse('no file given');
  return { file, json, ...(set !== undefined ? { set } : {}) };
}

const HEADINGS: Record<Outcome, string> = {
  right: 'right',
  onPath: 'on path',
  clarify: 'clarify',
  wrong: 'wrong',
  nothing: 'nothing',
};

const percent = (count: number, n: number) => `${((count / n) * 100).toFixed(1)}%`;

/** The table per language, then one line for all of them. */
function tableLines(byLang: Record<string, LanguageScore>): string[] {
  const rows = Object.entries(byLang).map(([lang, s]) => [
    lang,
    String(s.n),
    ...OUTCOMES.map((o) => `${s[o]} ${percent(s[o], s.n)}`),
  ]);
  const header = ['lang', 'n', ...OUTCOMES.map((o) => HEADINGS[o])];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const all = Object.values(byLang).reduce(
    (sum, s) => {
      sum.n += s.n;
      for (const o of OUTCOMES) sum[o] += s[o];
      return sum;
    },
    { n: 0, right: 0, onPath: 0, clarify: 0, wrong: 0, nothing: 0 },
  );
  const reached = all.right + all.onPath + all.clarify;
  return [
    line(header),
    ...rows.map(line),
    '',
    `all: n=${all.n}, right ${percent(all.right, all.n)}, reached ${percent(reached, all.n)} ` +
      `(right, on path or clarify), wrong ${percent(all.wrong, all.n)}, nothing ${percent(all.nothing, all.n)}`,
  ];
}

const { file, json, set } = parseArgs(process.argv.slice(2));
let source: string;
try {
  source = readFileSync(file, 'utf8');
} catch (error) {
  refuse(`cannot read ${file}: ${(error as Error).message}`);
}
const config = configOrExit();
const flows = loadFlows();
let messages: ReturnType<typeof readLabelledSet>;
try {
  messages = readLabelledSet(source, flows, set);
} catch (error) {
  if (error instanceof LabelledSetError) refuse(`${file}: ${error.message}`);
  throw error;
}
const reply = firstReplies(flows, { zone: config.defaultTimezone, defaultLanguage: config.defaultLanguage });
const now = systemClock.now();
const { byLang } = evaluateFirstReplies(flows, (text) => reply(text, now), messages);
if (json) process.stdout.write(`${JSON.stringify(byLang)}\n`);
else
  process.stdout.write(
    `First replies to ${file}${set ? ` (${set})` : ''}\n\n${tableLines(byLang).join('\n')}\n`,
  );
