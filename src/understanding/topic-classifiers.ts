import type { Flows } from '../conversation/content.js';
import {
  ASK_CLASS,
  readTrainingSet,
  type TopicClassifier,
  type TopicScore,
  type TrainingExample,
} from './classifier.js';
import { storedClassifier } from './classifier-store.js';
import { Folding, readingPacks } from './folding.js';

/**
 * One classifier per language of the flows, trained from flows/training/<lang>.yaml when first
 * needed (a few seconds per language, or read back as stored: classifier-store.ts) and kept with
 * the flows.
 */
export class TopicClassifiers {
  private readonly byLang = new Map<string, TopicClassifier>();

  /** How long training took per language, in milliseconds. */
  readonly trainingMs = new Map<string, number>();

  constructor(
    flows: Flows,
    examplesOf: (lang: string) => TrainingExample[] = (lang) => readTrainingSet(lang),
  ) {
    for (const lang of flows.languages) {
      // Read as the language's phrase index reads: its own folding and that of the languages
      // mixed into it, no other's (Spanish "n" is "en"; French "n" is the "ne" it reads past).
      const packs = readingPacks(flows, lang);
      const folding = new Folding(packs);
      // What the folding does: the packs' folding rules and question words (folding.ts).
      const foldingKey = JSON.stringify(packs.map((p) => [p.code, p.folding, p.cues.questionWords]));
      const started = performance.now();
      const examples = examplesOf(lang);
      if (examples.length > 0) this.byLang.set(lang, storedClassifier(examples, folding, foldingKey));
      this.trainingMs.set(lang, performance.now() - started);
    }
  }

  /**
   * The topics of a message by the model of its language; when its language is not known, by the
   * model most sure of its top topic.
   */
  scores(text: string, lang: string | undefined): TopicScore[] {
    return this.read(text, lang).topics;
  }

  /** The topics of a message (as `scores`), and how much it is like the messages a good bot asks about. */
  read(text: string, lang: string | undefined): { topics: TopicScore[]; ask: number } {
    const own = lang === undefined ? undefined : this.byLang.get(lang);
    if (own) return split(own.scores(text));
    let best: { topics: TopicScore[]; ask: number } = { topics: [], ask: 0 };
    for (const model of this.byLang.values()) {
      const read = split(model.scores(text));
      if ((read.topics[0]?.p ?? 0) > (best.topics[0]?.p ?? 0)) best = read;
    }
    return best;
  }
}

/** The topics apart from the asking class. */
function split(scores: TopicScore[]): { topics: TopicScore[]; ask: number } {
  const ask = scores.find((s) => s.node === ASK_CLASS)?.p ?? 0;
  return { topics: scores.filter((s) => s.node !== ASK_CLASS), ask };
}

const byFlows = new WeakMap<Flows, TopicClassifiers>();
/** The classifiers of these flows, trained once. */
export function topicClassifiersOf(flows: Flows): TopicClassifiers {
  let classifiers = byFlows.get(flows);
  if (!classifiers) {
    classifiers = new TopicClassifiers(flows);
    byFlows.set(flows, classifiers);
  }
  return classifiers;
}
