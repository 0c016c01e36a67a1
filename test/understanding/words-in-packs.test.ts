import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DEFAULT_FLOWS_DIR, FlowsError, loadFlows } from '../../src/conversation/content.js';
import { foldText } from '../../src/understanding/normalize.js';

const ROOT = resolve(import.meta.dirname, '../..');
/** The folders that read what people write: no word of a language in their code. */
const FOLDERS = ['src/understanding', 'src/conversation'];
const flows = loadFlows();

/** Maps in a pack whose keys are words ("q": que, "semanas": 7, "nueva york": NY). */
const WORD_KEYS = new Set(['shorthand', 'units', 'counts', 'place_names', 'number_words', 'read_as']);

/** Every word the packs hold (folded, three letters or more): the words of the languages we read. */
function packWords(): Set<string> {
  const words = new Set<string>();
  const add = (text: string) => {
    for (const w of foldText(text).split(' ')) if (/^\p{L}{3,}$/u.test(w)) words.add(w);
  };
  const walk = (value: unknown, key = ''): void => {
    if (typeof value === 'string') add(value);
    else if (Array.isArray(value)) for (const v of value) walk(v);
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) {
        if (WORD_KEYS.has(key)) add(k);
        walk(v, k);
      }
  };
  for (const code of flows.languages)
    walk(parse(readFileSync(join(DEFAULT_FLOWS_DIR, 'lang', `${code}.yaml`), 'utf8')));
  return words;
}

/**
 * The placeholders of the packs' templates ("{hour}", "{day}"): names the packs and the code
 * share, as a list of names or an object's keys they are no word read from people.
 */
function placeholderNames(): Set<string> {
  const names = new Set<string>();
  for (const code of flows.languages)
    for (const m of readFileSync(join(DEFAULT_FLOWS_DIR, 'lang', `${code}.yaml`), 'utf8').matchAll(
      /\{(\w+)\}/g,
    ))
      for (const part of m[1]!.split('_')) names.add(part);
  return names;
}

/** The evaluation's report and file reader: their own labels and messages, not words they read. */
const NOT_READERS = new Set(['evaluate.ts', 'labelled-set.ts']);

/** The text a literal writes (a template's written parts, not what it interpolates). */
function literalText(node: ts.Node | undefined): string {
  if (!node) return '';
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node))
    return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
  return '';
}

/**
 * Regular expressions, alternations in strings, lists of strings and object literals in the
 * folders that hold two or more of the packs' words: a word list or alternation in code
 * ("hijo|esposa", { una: 1, dos: 2 }).
 */
function wordListsInCode(): { at: string; words: string[] }[] {
  const known = packWords();
  const placeholders = placeholderNames();
  const found: { at: string; words: string[] }[] = [];
  const files = FOLDERS.flatMap((folder) =>
    readdirSync(join(ROOT, folder))
      .filter((f) => f.endsWith('.ts') && !NOT_READERS.has(f))
      .map((f) => `${folder}/${f}`),
  );
  for (const path of files) {
    const file = ts.createSourceFile(
      path,
      readFileSync(join(ROOT, path), 'utf8'),
      ts.ScriptTarget.Latest,
      true,
    );
    const check = (node: ts.Node, text: string, names = false) => {
      const words = [...new Set(text.toLowerCase().split(/[^\p{L}]+/u))].filter(
        (w) => known.has(foldText(w)) && !(names && placeholders.has(w)),
      );
      if (words.length >= 2) {
        const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
        found.push({ at: `${path}:${line}`, words });
      }
    };
    const isText = (n: ts.Node) =>
      ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateExpression(n);
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node)) return;
      // A regular expression, a pattern built from a string, a list of strings, an object's keys.
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) check(node, node.getText(file));
      else if (ts.isNewExpression(node) && node.expression.getText(file) === 'RegExp')
        check(node, literalText(node.arguments?.[0]));
      else if (isText(node) && literalText(node).includes('|') && !ts.isNewExpression(node.parent))
        check(node, literalText(node));
      else if (ts.isArrayLiteralExpression(node))
        check(
          node,
          node.elements
            .filter(isText)
            .map((e) => literalText(e))
            .join(' '),
          true,
        );
      else if (ts.isObjectLiteralExpression(node))
        // A table of words: keys with a number or a string each ({ una: 1 }, { dic: 'december' }).
        check(
          node,
          node.properties
            .filter(
              (p) =>
                ts.isPropertyAssignment(p) && (ts.isNumericLiteral(p.initializer) || isText(p.initializer)),
            )
            .map((p) => p.name?.getText(file) ?? '')
            .join(' '),
          true,
        );
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}

/**
 * What is still in code, by file (issue 15 moves them a slice at a time): none in
 * src/understanding. The test fails when a file holds more than listed here, and when it holds
 * fewer (then shrink this).
 */
const REMAINING: Record<string, number> = {
  // MONTHS, COUNT_WORDS, NOT_NAMES and the other word lists of reading an appointment's parts.
  'src/conversation/appointments.ts': 30,
  // SYSTEM_KEYS and COMMAND_KEYS: the packs' key names, not words read.
  'src/conversation/content.ts': 2,
  // Words that tell what a message holds while an appointment is collected.
  'src/conversation/inbound-event.ts': 4,
  // FAMILY_WORD, APPLIED, WHAT_IF, WEEKDAY_ONLY, CORRECTING and the other cues of the dialogue.
  'src/conversation/machine.ts': 17,
};

describe('the words understanding reads are the packs', () => {
  it('holds no word list or alternation in src/understanding, and in src/conversation beyond those not yet moved', () => {
    const byFile: Record<string, number> = {};
    for (const { at } of wordListsInCode()) {
      const file = at.replace(/:\d+$/, '');
      byFile[file] = (byFile[file] ?? 0) + 1;
    }
    expect(byFile, JSON.stringify(wordListsInCode(), null, 1)).toEqual(REMAINING);
  });
});

describe('pack conformance', () => {
  it('gives every language every key of the others (the schema requires them)', () => {
    const keys = (value: unknown, prefix = ''): string[] =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value).flatMap(([k, v]) =>
            ['nodes', 'intents', 'answers', 'system', 'commands', ...WORD_KEYS].includes(k)
              ? [`${prefix}${k}`]
              : [`${prefix}${k}`, ...keys(v, `${prefix}${k}.`)],
          )
        : [];
    const byLang = flows.languages.map((code) => ({
      code,
      keys: new Set(keys(parse(readFileSync(join(DEFAULT_FLOWS_DIR, 'lang', `${code}.yaml`), 'utf8')))),
    }));
    const all = new Set(byLang.flatMap((l) => [...l.keys]));
    // Keys with a default: a pack's own name, state names unlike English, fixes to rendered dates.
    const optional = new Set(['name', 'place_names', 'formats.fixes']);
    for (const { code, keys: own } of byLang)
      expect(
        [...all].filter((k) => !own.has(k) && !optional.has(k)),
        code,
      ).toEqual([]);
  });

  it('names the language and the missing key when a pack lacks one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'huella-flows-'));
    const copy = (from: string, to = from) =>
      writeFileSync(join(dir, to), readFileSync(join(DEFAULT_FLOWS_DIR, from), 'utf8'));
    copy('graph.yaml');
    copy('places.yaml');
    mkdirSync(join(dir, 'lang'));
    for (const code of flows.languages) copy(`lang/${code}.yaml`);
    const es = parse(readFileSync(join(dir, 'lang/es.yaml'), 'utf8')) as { dates: Record<string, unknown> };
    delete es.dates.corrections;
    writeFileSync(join(dir, 'lang/es.yaml'), stringify(es));
    expect(() => loadFlows(dir)).toThrow(FlowsError);
    expect(() => loadFlows(dir)).toThrow(/lang\/es\.yaml: dates\.corrections/);
  });
});
