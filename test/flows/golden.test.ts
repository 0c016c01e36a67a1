import { describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/conversation/content.js';
import { dateLanguage } from '../../src/understanding/date-language.js';
import { TEST_NOW } from '../support/clock.js';
import { type Golden, type GoldenExample, GoldenReader, readGolden } from '../support/golden.js';

/**
 * Every language's golden examples (flows/golden/<lang>.yaml): what people write, and what Huella
 * must read in it or answer, checked through the code the service runs, at the test's instant.
 */
const flows = loadFlows();
const reader = new GoldenReader(flows, TEST_NOW);
/** Enough examples that a language's dates, answers and commands are each tried. */
const MIN_EXAMPLES = 60;

/**
 * At the other instants (`npm test` runs this file again at a new year, a leap day…), only the
 * examples the day can change: those that check a date, a time, a span or what was saved, or whose
 * messages hold a digit, a day written relative to today ("{+11d}") or a word of dates ("tomorrow",
 * "lunes", "mars"). The others read the same on any day; run once, they keep the suite short.
 */
const OTHER_INSTANT = process.env.HUELLA_TEST_NOW !== undefined;
function dayMayChange(example: GoldenExample, lang: string): boolean {
  const words = dateLanguage(flows, lang).dateWords;
  return (
    ['date', 'time', 'span', 'saved'].some((key) => key in example) ||
    [example.text, ...(example.after ?? [])].some((text) => /[\d{]/.test(text) || words.test(text))
  );
}

describe('golden examples', () => {
  for (const lang of flows.languages) {
    // A file that breaks the format fails here, with its reason, rather than the whole file's load.
    let golden: Golden | undefined;
    let broken: unknown;
    try {
      golden = readGolden(lang);
    } catch (error) {
      broken = error;
    }
    it(`${lang}: has flows/golden/${lang}.yaml with ${MIN_EXAMPLES} examples or more`, () => {
      if (broken) throw broken;
      expect(golden, `flows/golden/${lang}.yaml`).toBeDefined();
      expect(golden!.examples.length).toBeGreaterThanOrEqual(MIN_EXAMPLES);
    });
    for (const example of (golden?.examples ?? []).filter((e) => !OTHER_INSTANT || dayMayChange(e, lang))) {
      const context = example.at
        ? ` (at ${example.at})`
        : example.after
          ? ` (after ${example.after.length})`
          : '';
      it(`${lang}: "${example.text}"${context}`, () => {
        const text = reader.written(example.text, golden!, lang);
        expect(reader.actual(example, golden!, lang), text).toEqual(reader.expected(example, lang));
      });
    }
  }
});
