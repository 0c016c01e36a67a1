import { parse } from 'yaml';
import { z } from 'zod';
import type { Flows } from '../conversation/content.js';
import type { LabelledMessage } from './evaluate.js';

/** A labelled file that cannot be scored: what is wrong, item by item. */
export class LabelledSetError extends Error {}

/** One labelled message as written: `node` is another name for `expect`. */
const itemSchema = z
  .object({
    lang: z.string().min(1),
    text: z.string(),
    expect: z.string().min(1).optional(),
    node: z.string().min(1).optional(),
  })
  .strict()
  .refine((item) => (item.expect === undefined) !== (item.node === undefined), {
    message: 'needs exactly one of `expect` and `node`',
  });

/** Problems listed at most, so that a wholly wrong file gives a readable error. */
const MAX_PROBLEMS = 10;

/**
 * The labelled messages in a JSON or YAML text: a list of `{lang, text, expect}` (or `node`),
 * or, given `set`, that list out of a mapping of named lists (as test/fixtures/paraphrases.yaml).
 * Every language must be one of flows/, every expected node one of its nodes or "clarify".
 */
export function readLabelledSet(source: string, flows: Flows, set?: string): LabelledMessage[] {
  let data: unknown;
  try {
    data = parse(source);
  } catch (error) {
    throw new LabelledSetError(`not JSON or YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const list = pickList(data, set);
  const problems: string[] = [];
  const messages: LabelledMessage[] = [];
  list.forEach((raw, index) => {
    const at = `item ${index + 1}`;
    const item = itemSchema.safeParse(raw);
    if (!item.success) {
      problems.push(
        `${at}: ${item.error.issues.map((i) => `${i.path.join('.') || 'item'}: ${i.message}`).join('; ')}`,
      );
      return;
    }
    const expect = (item.data.expect ?? item.data.node)!;
    if (!flows.languages.includes(item.data.lang))
      problems.push(`${at}: unknown lang "${item.data.lang}" (known: ${flows.languages.join(', ')})`);
    if (expect !== 'clarify' && !flows.nodes.has(expect))
      problems.push(`${at}: unknown node "${expect}" (a node of flows/graph.yaml, or "clarify")`);
    messages.push({ lang: item.data.lang, text: item.data.text, expect });
  });
  if (problems.length > 0) {
    const more = problems.length > MAX_PROBLEMS ? [`… and ${problems.length - MAX_PROBLEMS} more`] : [];
    throw new LabelledSetError([...problems.slice(0, MAX_PROBLEMS), ...more].join('\n'));
  }
  if (messages.length === 0) throw new LabelledSetError('no labelled messages');
  return messages;
}

/** The list to score: the file's own, or the named one of a mapping of lists. */
function pickList(data: unknown, set: string | undefined): unknown[] {
  if (Array.isArray(data)) {
    if (set !== undefined) throw new LabelledSetError(`--set ${set}: the file is one list, not named sets`);
    return data;
  }
  if (data === null || typeof data !== 'object')
    throw new LabelledSetError('expected a list of {lang, text, expect} (or a mapping of such lists)');
  const sets = Object.entries(data).filter(([, value]) => Array.isArray(value));
  const names = sets.map(([name]) => name).join(', ');
  // One named list (a fixture file of one set): that is the one meant.
  if (set === undefined && sets.length === 1) return sets[0]![1] as unknown[];
  if (set === undefined)
    throw new LabelledSetError(
      `the file holds named sets (${names || 'none'}): choose one with --set <name>`,
    );
  const chosen = sets.find(([name]) => name === set);
  if (!chosen) throw new LabelledSetError(`no set "${set}" in the file (sets: ${names || 'none'})`);
  return chosen[1] as unknown[];
}
