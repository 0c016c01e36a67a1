import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadFlows } from '../../src/conversation/content.js';

/**
 * The training messages (flows/training/<lang>.yaml), written blind, are kept apart from every test
 * set: a test message found there (case, accents, punctuation and spacing aside) would make the
 * sets measure what was tuned on. Each askable topic has enough of them in every language.
 */
interface Training {
  topics: Record<string, string[]>;
  ambiguous: { text: string; topics: string[] }[];
}

const ROOT = join(import.meta.dirname, '../..');
const flows = loadFlows();
/** Topics a person can ask about: the ones with intents in the pack. */
const askable = (lang: string) => Object.keys(flows.packs.get(lang)!.intents ?? {});
const training = (lang: string) =>
  parse(readFileSync(join(ROOT, 'flows/training', `${lang}.yaml`), 'utf8')) as Training;
const same = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** Every message of every labelled set under test/fixtures, whatever its shape. */
function testMessages(): Set<string> {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const { text } = value as { text?: unknown };
      if (typeof text === 'string') found.add(same(text));
      else Object.values(value).forEach(walk);
    }
  };
  for (const file of readdirSync(join(ROOT, 'test/fixtures')).filter((f) => /\.(ya?ml|json)$/.test(f)))
    walk(parse(readFileSync(join(ROOT, 'test/fixtures', file), 'utf8')));
  return found;
}

describe('training messages', () => {
  const tests = testMessages();
  for (const lang of flows.languages) {
    it(`${lang}: 30 or more for each askable topic, only known topics, none from a test set`, () => {
      const data = training(lang);
      const nodes = new Set(flows.nodes.keys());
      for (const topic of askable(lang))
        expect(data.topics[topic]?.length ?? 0, topic).toBeGreaterThanOrEqual(30);
      for (const topic of Object.keys(data.topics)) expect(nodes.has(topic), topic).toBe(true);
      for (const { topics } of data.ambiguous)
        for (const topic of topics) expect(nodes.has(topic), topic).toBe(true);
      const all = [...Object.values(data.topics).flat(), ...data.ambiguous.map((a) => a.text)];
      expect(all.filter((text) => tests.has(same(text)))).toEqual([]);
      // About one in ten is a message a good bot should ask about.
      expect(data.ambiguous.length / all.length).toBeGreaterThan(0.04);
    });
  }

  it('finds a test message copied into the training messages', () => {
    const [one] = tests;
    expect(one).toBeDefined();
    expect(tests.has(same(`  ${one!.toUpperCase()}!! `))).toBe(true);
  });
});
