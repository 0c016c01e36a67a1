import type { Flows } from '../conversation/content.js';
import {
  readTrainingSet,
  type TopicClassifier,
  type TopicScore,
  type TrainingExample,
  trainTopicClassifier,
} from './classifier.js';
import { foldingOf } from './folding.js';

/**
 * One classifier per language of the flows, trained from flows/training/<lang>.yaml when first
 * needed (about a second per language) and kept with the flows.
 */
export class TopicClassifiers {
  private readonly byLang = new Map<string, TopicClassifier>();

  /** How long training took per language, in milliseconds. */
  readonly trainingMs = new Map<string, number>();

  constructor(
    flows: Flows,
    examplesOf: (lang: string) => TrainingExample[] = (lang) => readTrainingSet(lang),
  ) {
    const folding = foldingOf(flows);
    for (const lang of flows.languages) {
      const started = performance.now();
      const examples = examplesOf(lang);
      if (examples.length > 0) this.byLang.set(lang, trainTopicClassifier(examples, folding));
      this.trainingMs.set(lang, performance.now() - started);
    }
  }

  /**
   * The topics of a message by the model of its language; when its language is not known, by the
   * model most sure of its top topic.
   */
  scores(text: string, lang: string | undefined): TopicScore[] {
    const own = lang === undefined ? undefined : this.byLang.get(lang);
    if (own) return own.scores(text);
    let best: TopicScore[] = [];
    for (const model of this.byLang.values()) {
      const scores = model.scores(text);
      if ((scores[0]?.p ?? 0) > (best[0]?.p ?? 0)) best = scores;
    }
    return best;
  }
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
