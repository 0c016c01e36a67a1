import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as chrono from 'chrono-node';
import ts from 'typescript';

/**
 * The regular expressions Huella runs on a person's text, for the adversarial suite: every one
 * written in the folders that read messages, and chrono-node's English and Spanish parsers'.
 * `uncheckedPatterns` tells which of them attacks.json has no verdict on.
 */
export const PATTERN_FOLDERS = ['src/understanding', 'src/conversation', 'src/channels', 'src/routes'];

export interface Pattern {
  /** Where it is: "src/understanding/when.ts:57" or "chrono en ENMonthNameLittleEndianParser". */
  from: string;
  source: string;
  flags: string;
}

/** What generate-attacks.ts writes to attacks.json. */
export interface AttackFile {
  chrono: string;
  /**
   * recheck's verdict on every pattern it was asked about, by `patternKey`: a pattern with no
   * verdict here has not been checked (attacks.test.ts fails; `npm run abuse:attacks` checks only
   * the new ones, so a changed pattern costs seconds, not the whole run).
   */
  verdicts: Record<string, 'safe' | 'vulnerable' | 'unknown'>;
  /** The `new RegExp(…)` calls as written when it was made (those run while generating are checked). */
  constructed: string[];
  /** Patterns recheck could not decide within its time limit. */
  undecided: string[];
  /** For each vulnerable pattern, recheck's attack: each prefix then its pump repeated, then the suffix. */
  attacks: {
    key: string;
    from: string;
    complexity: string;
    pumps: { prefix: string; pump: string }[];
    suffix: string;
  }[];
}

/** How a pattern is named in attacks.json: its source and flags. */
export const patternKey = (p: Pick<Pattern, 'source' | 'flags'>): string => `/${p.source}/${p.flags}`;

/** Each regular expression literal, and each `new RegExp(…)` call as written, in the folders. */
export function writtenPatterns(root: string): { literals: Pattern[]; constructed: string[] } {
  const literals: Pattern[] = [];
  const constructed: string[] = [];
  for (const folder of PATTERN_FOLDERS) {
    for (const name of readdirSync(join(root, folder))
      .filter((f) => f.endsWith('.ts'))
      .sort()) {
      const path = `${folder}/${name}`;
      const file = ts.createSourceFile(path, readFileSync(join(root, path), 'utf8'), ts.ScriptTarget.Latest);
      const visit = (node: ts.Node): void => {
        if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
          const text = node.getText(file);
          const end = text.lastIndexOf('/');
          const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
          literals.push({ from: `${path}:${line}`, source: text.slice(1, end), flags: text.slice(end + 1) });
        } else if (ts.isNewExpression(node) && node.expression.getText(file) === 'RegExp') {
          constructed.push(`${path}: ${node.getText(file)}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
    }
  }
  return { literals, constructed };
}

/** chrono-node's parsers' patterns, as they run (each parser builds its pattern on first use). */
export function chronoPatterns(): Pattern[] {
  const patterns: Pattern[] = [];
  for (const [lang, casual] of [
    ['en', chrono.en.casual],
    ['es', chrono.es.casual],
  ] as const) {
    const copy = casual.clone();
    for (const parser of copy.parsers) {
      const pattern = parser.pattern.bind(parser);
      parser.pattern = (context) => {
        const built = pattern(context);
        patterns.push({
          from: `chrono ${lang} ${parser.constructor.name}`,
          source: built.source,
          flags: built.flags,
        });
        return built;
      };
    }
    copy.parse('x', new Date(0)); // any instant: only the patterns it builds are kept
  }
  return patterns;
}

/** The chrono-node version in use: its patterns are part of the fingerprint. */
export function chronoVersion(): string {
  // The package's exports hide package.json: read it beside the entry point.
  const entry = createRequire(import.meta.url).resolve('chrono-node');
  const root = entry.slice(
    0,
    entry.lastIndexOf('/node_modules/chrono-node/') + '/node_modules/chrono-node/'.length,
  );
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * What attacks.json lacks: the written and chrono patterns with no verdict, and `new RegExp` calls
 * written since it was made. Empty when it covers every pattern as it is now.
 */
export function uncheckedPatterns(root: string, file: AttackFile): string[] {
  const { literals, constructed } = writtenPatterns(root);
  const missing = [...literals, ...chronoPatterns()]
    .filter((p) => !(patternKey(p) in file.verdicts))
    .map((p) => `${p.from} ${patternKey(p)}`);
  const known = new Set(file.constructed.map(withoutPath));
  for (const call of constructed) if (!known.has(withoutPath(call))) missing.push(call);
  if (file.chrono !== chronoVersion())
    missing.push(`chrono-node ${chronoVersion()} (checked: ${file.chrono})`);
  return missing;
}

const withoutPath = (call: string) => call.replace(/^[^:]+: /, '');
