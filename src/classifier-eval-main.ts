/**
 * `npm run eval:classifier [-- --tune]`: the ways of picking a topic (understanding/understand.ts
 * `TopicPicker`: the phrase matcher, the trained classifier, both) side by side, on the paraphrase
 * sets (dev, heldout, fresh, fresh2, fresh3, fr, fresh4, fresh5, fresh6, fresh7, fresh8, fresh9, fresh10, fresh11, fresh12, fresh13, fresh14, fresh15, fresh16, fresh17, fresh18, fresh19, fresh20, fresh21, fresh22, fresh23), per language, scored as `npm run eval:understanding` scores; then the
 * classifier's training time and the CPU of a turn's understanding. `--tune` also searches the
 * pick thresholds on dev and on a held-out fifth of the training messages (never on heldout or
 * fresh). Nothing is stored or sent.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { systemClock } from './clock.js';
import { type Flows, loadFlows } from './conversation/content.js';
import { firstReplies } from './conversation/first-reply.js';
import { readTrainingSet } from './understanding/classifier.js';
import { evaluateFirstReplies, type LabelledMessage, type LanguageScore } from './understanding/evaluate.js';
import { TopicClassifiers, topicClassifiersOf } from './understanding/topic-classifiers.js';
import {
  CLASSIFIER_ALONE_THRESHOLDS,
  DEFAULT_PICK_THRESHOLDS,
  type PickThresholds,
} from './understanding/topic-pick.js';
import { type TopicPicker, Understander, type UnderstanderOptions } from './understanding/understand.js';

const PICKERS: TopicPicker[] = ['matcher', 'classifier', 'combined', 'fallback', 'checked'];
const fixture = (name: string) =>
  parse(readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    LabelledMessage[]
  >;

/** Scores per language of the first replies to `messages` with these understanding options. */
function score(flows: Flows, messages: LabelledMessage[], understanding: UnderstanderOptions) {
  const reply = firstReplies(flows, { zone: 'America/New_York', defaultLanguage: 'en', understanding });
  const now = systemClock.now();
  return evaluateFirstReplies(flows, (text) => reply(text, now), messages).byLang;
}

const pct = (n: number, d: number) => `${((n / d) * 100).toFixed(1)}%`;
function row(set: string, lang: string, picker: string, s: LanguageScore): string {
  const right = s.right + s.onPath;
  return `| ${set} | ${lang} | ${picker} | ${s.n} | ${pct(right, s.n)} | ${pct(right + s.clarify, s.n)} | ${pct(s.clarify, s.n)} | ${pct(s.wrong, s.n)} | ${pct(s.nothing, s.n)} |`;
}

/** Each picker at its own tuned thresholds. */
const thresholdsOf = (picker: TopicPicker) =>
  picker === 'classifier' ? CLASSIFIER_ALONE_THRESHOLDS : DEFAULT_PICK_THRESHOLDS;

/** The sets side by side: right (incl. on path), reached within one question, clarify, wrong, nothing. */
function compare(flows: Flows, sets: Record<string, LabelledMessage[]>): void {
  process.stdout.write(
    '| set | lang | picker | n | right | reached | clarify | wrong | nothing |\n|---|---|---|---|---|---|---|---|---|\n',
  );
  for (const [name, messages] of Object.entries(sets)) {
    const byPicker = PICKERS.map(
      (picker) => [picker, score(flows, messages, { picker, thresholds: thresholdsOf(picker) })] as const,
    );
    for (const lang of flows.languages)
      for (const [picker, byLang] of byPicker)
        if (byLang[lang]) process.stdout.write(`${row(name, lang, picker, byLang[lang])}\n`);
  }
}

/** Median and 99th percentile, in milliseconds, of understanding each message (each read fresh). */
function turnCpu(flows: Flows, messages: LabelledMessage[], picker: TopicPicker): string {
  const understander = new Understander(flows, { picker, thresholds: thresholdsOf(picker) });
  const times: number[] = [];
  // A first pass, untimed: the matcher remembers each typed word's matches, and the JIT warms up.
  for (const { text } of messages) understander.understand(`${text}w`);
  for (let pass = 0; pass < 5; pass++) {
    for (const { text } of messages) {
      // A space makes each pass a new text, so no remembered short message is reused.
      const started = performance.now();
      understander.understand(`${text}${' '.repeat(pass)}x`);
      times.push(performance.now() - started);
    }
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(3);
  return `${picker}: median ${at(0.5)} ms, p99 ${at(0.99)} ms (n=${times.length})`;
}

/** A score to maximise in tuning: right, then reached, and wrong weighs three times. */
function merit(byLang: Record<string, LanguageScore>): number {
  let total = 0;
  for (const s of Object.values(byLang))
    total += (s.right + s.onPath + 0.5 * s.clarify - 3 * s.wrong - 0.5 * s.nothing) / s.n;
  return total;
}

/** Searches the thresholds on dev and on a held-out fifth of the training messages. */
function tune(flows: Flows, dev: LabelledMessage[]): void {
  const split = new TopicClassifiers(flows, (lang) => readTrainingSet(lang).filter((_, i) => i % 5 !== 0));
  const heldOut: LabelledMessage[] = flows.languages.flatMap((lang) =>
    readTrainingSet(lang)
      .filter((_, i) => i % 5 === 0)
      .map((e) => ({ lang, text: e.text, expect: e.topics.length === 1 ? e.topics[0]! : 'clarify' })),
  );
  const results: { t: PickThresholds; picker: TopicPicker; dev: number; split: number }[] = [];
  const measure = (picker: TopicPicker, t: PickThresholds) =>
    results.push({
      t,
      picker,
      dev: merit(score(flows, dev, { picker, thresholds: t })),
      split: merit(score(flows, heldOut, { picker, thresholds: t, classifiers: split })),
    });
  const base = DEFAULT_PICK_THRESHOLDS;
  for (const answerAt of [0.5, 0.6, 0.7])
    for (const askAt of [0.1, 0.2]) measure('classifier', { ...base, answerAt, askAt });
  for (const answerAt of [0.6, 0.7, 0.8, 1.01])
    for (const agreeAt of [0.2, 0.4])
      for (const keepAt of [0.1, 0.2, 1.01]) measure('combined', { ...base, answerAt, agreeAt, keepAt });
  for (const aloneFromWords of [3, 4, 5, 6])
    measure('combined', { ...base, answerAt: 0.8, agreeAt: 0.2, keepAt: 1.01, aloneFromWords });
  for (const answerAt of [0.7, 0.8])
    for (const clarifyFrom of [0.15, 0.2, 0.3, 1.01])
      for (const clarifyUpToWords of [6, 8, 12, 100])
        measure('combined', { ...base, answerAt, agreeAt: 0.2, keepAt: 1.01, clarifyFrom, clarifyUpToWords });
  results.sort((a, b) => b.dev + b.split - (a.dev + a.split));
  const matcherOnly = { picker: 'matcher' } as const;
  const matcher = {
    dev: merit(score(flows, dev, matcherOnly)),
    split: merit(score(flows, heldOut, matcherOnly)),
  };
  process.stdout.write(`matcher dev ${matcher.dev.toFixed(3)} split ${matcher.split.toFixed(3)}\n`);
  for (const r of results.slice(0, 24))
    process.stdout.write(
      `${r.picker} ${JSON.stringify(r.t)} dev ${r.dev.toFixed(3)} split ${r.split.toFixed(3)}\n`,
    );
}

const flows = loadFlows();
const paraphrases = fixture('paraphrases.yaml');
const sets = {
  dev: paraphrases.dev!,
  heldout: paraphrases.heldout!,
  fresh: fixture('paraphrases-fresh.yaml').fresh!,
  fresh2: fixture('paraphrases-fresh2.yaml').fresh2!,
  fresh3: fixture('paraphrases-fresh3.yaml').fresh3!,
  fr: fixture('paraphrases-fr.yaml').fr!,
  fresh4: fixture('paraphrases-fresh4.yaml').fresh4!,
  fresh5: fixture('paraphrases-fresh5.yaml').fresh5!,
  fresh6: fixture('paraphrases-fresh6.yaml').fresh6!,
  fresh7: fixture('paraphrases-fresh7.yaml').fresh7!,
  fresh8: fixture('paraphrases-fresh8.yaml').fresh8!,
  fresh9: fixture('paraphrases-fresh9.yaml').fresh9!,
  fresh10: fixture('paraphrases-fresh10.yaml').fresh10!,
  fresh11: fixture('paraphrases-fresh11.yaml').fresh11!,
  fresh12: fixture('paraphrases-fresh12.yaml').fresh12!,
  fresh13: fixture('paraphrases-fresh13.yaml').fresh13!,
  fresh14: fixture('paraphrases-fresh14.yaml').fresh14!,
  fresh15: fixture('paraphrases-fresh15.yaml').fresh15!,
  fresh16: fixture('paraphrases-fresh16.yaml').fresh16!,
  fresh17: fixture('paraphrases-fresh17.yaml').fresh17!,
  fresh18: fixture('paraphrases-fresh18.yaml').fresh18!,
  fresh19: fixture('paraphrases-fresh19.yaml').fresh19!,
  fresh20: fixture('paraphrases-fresh20.yaml').fresh20!,
  fresh21: fixture('paraphrases-fresh21.yaml').fresh21!,
  fresh22: fixture('paraphrases-fresh22.yaml').fresh22!,
  fresh23: fixture('paraphrases-fresh23.yaml').fresh23!,
};
const classifiers = topicClassifiersOf(flows);
const training = flows.languages.map(
  (lang) =>
    `${lang} ${readTrainingSet(lang).length} messages in ${classifiers.trainingMs.get(lang)?.toFixed(0)} ms`,
);
process.stdout.write(`Training: ${training.join(', ')}\n\n`);
if (process.argv.includes('--tune')) tune(flows, sets.dev);
else compare(flows, sets);
const all = Object.values(sets).flat();
process.stdout.write(
  `\nUnderstanding CPU per message:\n${PICKERS.map((p) => turnCpu(flows, all, p)).join('\n')}\n`,
);
