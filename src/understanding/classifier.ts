import { readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { DEFAULT_FLOWS_DIR } from '../conversation/content.js';
import { seededRandom } from '../random.js';
import type { Folding } from './folding.js';
import { foldText } from './normalize.js';

/**
 * A topic classifier over character n-grams: people write "biometicos", "apointment", "sita"
 * and run-ons, and character pieces of words carry a topic through such spellings with no
 * stemmer and no word list (which a language written without a standard spelling would lack).
 * TF-IDF of the 2- to 5-grams inside each folded word, a multinomial logistic regression trained
 * by a few epochs of SGD from the pack's training messages (flows/training/<lang>.yaml), one
 * model per language. Its scores are probabilities: the ambiguous messages are taught as a share
 * of each of their topics, so a message like them gets a spread, not one confident topic.
 */

/**
 * The class an ambiguous training message also teaches (a share beside each of its topics): its
 * probability says how much a message is like those a good bot asks about, not which topic it is.
 */
export const ASK_CLASS = '?ask';

/** One message to learn from: its topics share it equally (one topic: a plain label). */
export interface TrainingExample {
  text: string;
  topics: string[];
}

export interface TopicScore {
  node: string;
  /** The probability of the topic, 0 to 1; the scores of a message sum to 1. */
  p: number;
}

export interface ClassifierOptions {
  minGram: number;
  maxGram: number;
  epochs: number;
  /** SGD step at the start; it decays as 1 / (1 + t / examples). */
  learningRate: number;
  /** L2 penalty per step on the weights a message touches. */
  l2: number;
  /** Seed of the shuffle: the same data gives the same model. */
  seed: number;
}

export const DEFAULT_CLASSIFIER_OPTIONS: ClassifierOptions = {
  minGram: 2,
  maxGram: 5,
  epochs: 8,
  learningRate: 4,
  l2: 1e-5,
  seed: 1,
};

/** Everything a trained model holds: its n-grams in feature order, their IDF, the weights. */
export interface LearntModel {
  topics: string[];
  grams: string[];
  idf: Float32Array;
  /** By feature then topic, as the model holds them. */
  weights: Float32Array;
  bias: Float32Array;
}

/** A message as weighted feature numbers (TF-IDF, length 1). */
interface Vector {
  ids: Int32Array;
  values: Float32Array;
}

/** The training file of a language: topics with their messages, and ambiguous ones with their candidates. */
const trainingSchema = z.object({
  topics: z.record(z.string(), z.array(z.string())),
  ambiguous: z.array(z.object({ text: z.string(), topics: z.array(z.string()).min(1) })).default([]),
});

/** The training messages of one language, from flows/training/<lang>.yaml (none: an empty list). */
export function readTrainingSet(lang: string, dir = DEFAULT_FLOWS_DIR): TrainingExample[] {
  let source: string;
  try {
    source = readFileSync(`${dir}/training/${lang}.yaml`, 'utf8');
  } catch {
    return [];
  }
  const data = trainingSchema.parse(parse(source));
  return [
    ...Object.entries(data.topics).flatMap(([node, texts]) =>
      texts.map((text) => ({ text, topics: [node] })),
    ),
    ...data.ambiguous.map(({ text, topics }) => ({ text, topics })),
  ];
}

/** Words whose features a model keeps (featuresOf), a few times the words of all its training. */
const MAX_CACHED_WORDS = 20_000;

export class TopicClassifier {
  private readonly wordFeatures = new Map<string, readonly number[]>();

  private constructor(
    private readonly folding: Folding,
    private readonly options: ClassifierOptions,
    private readonly features: Map<string, number>,
    private readonly idf: Float32Array,
    readonly topics: string[],
    /** Weights by feature then topic: feature f, topic k at f * topics.length + k. */
    private readonly weights: Float32Array,
    private readonly bias: Float32Array,
  ) {}

  /** Learns a model from the examples (deterministic for the same examples and options). */
  static train(
    examples: readonly TrainingExample[],
    folding: Folding,
    options: ClassifierOptions = DEFAULT_CLASSIFIER_OPTIONS,
  ): TopicClassifier {
    // An ambiguous message teaches asking too, as much as each topic it may mean.
    const taught = examples.map((e) => (e.topics.length > 1 ? [...e.topics, ASK_CLASS] : e.topics));
    const topics = [...new Set(taught.flat())].sort();
    const features = new Map<string, number>();
    const documents = examples.map((e) => gramCounts(e.text, folding, options));
    const df: number[] = [];
    for (const counts of documents) {
      for (const gram of counts.keys()) {
        let id = features.get(gram);
        if (id === undefined) {
          id = features.size;
          features.set(gram, id);
          df.push(0);
        }
        df[id]!++;
      }
    }
    const idf = Float32Array.from(df, (d) => Math.log((1 + examples.length) / (1 + d)) + 1);
    const model = new TopicClassifier(
      folding,
      options,
      features,
      idf,
      topics,
      new Float32Array(features.size * topics.length),
      new Float32Array(topics.length),
    );
    const vectors = documents.map((counts) => model.vectorOf(counts));
    model.fit(
      vectors,
      taught.map((ts) => ts.map((t) => topics.indexOf(t))),
    );
    return model;
  }

  /** What the model learnt, to store it (classifier-store.ts) and load it back with `fromLearnt`. */
  learnt(): LearntModel {
    return {
      topics: this.topics,
      grams: [...this.features.keys()],
      idf: this.idf,
      weights: this.weights,
      bias: this.bias,
    };
  }

  /** A model as `learnt` gave it, read with the same folding and options it was trained with. */
  static fromLearnt(
    learnt: LearntModel,
    folding: Folding,
    options: ClassifierOptions = DEFAULT_CLASSIFIER_OPTIONS,
  ): TopicClassifier {
    const features = new Map(learnt.grams.map((gram, id) => [gram, id]));
    return new TopicClassifier(
      folding,
      options,
      features,
      learnt.idf,
      learnt.topics,
      learnt.weights,
      learnt.bias,
    );
  }

  /** Every topic with its probability, most likely first. */
  scores(text: string): TopicScore[] {
    // Counted by feature, in the order the grams first come, as gramCounts would count them.
    const counts = new Map<number, number>();
    for (const word of this.folding.tokenize(foldText(text)))
      for (const id of this.featuresOf(word)) counts.set(id, (counts.get(id) ?? 0) + 1);
    const p = this.probabilities(this.weighted(counts));
    return this.topics.map((node, k) => ({ node, p: p[k]! })).sort((a, b) => b.p - a.p);
  }

  /**
   * The known features of one word's n-grams, in order, one per occurrence. Kept per word: people
   * reuse few words, and slicing every gram of every word was a turn's largest cost. The cache is
   * emptied when full, so a flood of made-up words cannot grow it.
   */
  private featuresOf(word: string): readonly number[] {
    const ids = this.wordFeatures.get(word);
    if (ids) return ids;
    const known: number[] = [];
    for (const gram of gramsOf(word, this.options)) {
      const id = this.features.get(gram);
      if (id !== undefined) known.push(id);
    }
    if (this.wordFeatures.size >= MAX_CACHED_WORDS) this.wordFeatures.clear();
    this.wordFeatures.set(word, known);
    return known;
  }

  /** How many of the message's n-grams the model knows: none, and its scores are only the prior. */
  knownGrams(text: string): number {
    let known = 0;
    for (const gram of gramCounts(text, this.folding, this.options).keys())
      if (this.features.has(gram)) known++;
    return known;
  }

  private vectorOf(counts: Map<string, number>): Vector {
    const byFeature = new Map<number, number>();
    for (const [gram, count] of counts) {
      const id = this.features.get(gram);
      if (id !== undefined) byFeature.set(id, count);
    }
    return this.weighted(byFeature);
  }

  /** Counts by feature as TF-IDF, of length 1. */
  private weighted(counts: Map<number, number>): Vector {
    const ids = new Int32Array(counts.size);
    const values = new Float32Array(counts.size);
    let i = 0;
    let squares = 0;
    for (const [id, count] of counts) {
      ids[i] = id;
      // Sublinear term frequency: a word said twice is not twice the topic.
      const value = (1 + Math.log(count)) * this.idf[id]!;
      values[i++] = value;
      squares += value * value;
    }
    const norm = Math.sqrt(squares) || 1;
    for (let j = 0; j < values.length; j++) values[j]! /= norm;
    return { ids, values };
  }

  private probabilities({ ids, values }: Vector): Float64Array {
    const k = this.topics.length;
    const logits = Float64Array.from(this.bias);
    // Read once: the loop below is most of a message's scoring.
    const weights = this.weights;
    for (let i = 0; i < ids.length; i++) {
      const base = ids[i]! * k;
      const v = values[i]!;
      for (let t = 0; t < k; t++) logits[t]! += weights[base + t]! * v;
    }
    let max = Number.NEGATIVE_INFINITY;
    for (const l of logits) max = Math.max(max, l);
    let sum = 0;
    for (let t = 0; t < k; t++) {
      logits[t] = Math.exp(logits[t]! - max);
      sum += logits[t]!;
    }
    for (let t = 0; t < k; t++) logits[t]! /= sum;
    return logits;
  }

  /** SGD on the cross-entropy with soft targets (an ambiguous message: a share of each topic). */
  private fit(vectors: Vector[], targets: number[][]): void {
    const k = this.topics.length;
    const order = vectors.map((_, i) => i);
    const next = seededRandom(this.options.seed);
    let step = 0;
    for (let epoch = 0; epoch < this.options.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (const n of order) {
        const rate = this.options.learningRate / (1 + step++ / vectors.length);
        const vector = vectors[n]!;
        const gradient = this.probabilities(vector);
        for (const t of targets[n]!) gradient[t]! -= 1 / targets[n]!.length;
        for (let t = 0; t < k; t++) this.bias[t]! -= rate * gradient[t]!;
        const decay = 1 - rate * this.options.l2;
        for (let i = 0; i < vector.ids.length; i++) {
          const base = vector.ids[i]! * k;
          const v = vector.values[i]!;
          for (let t = 0; t < k; t++)
            this.weights[base + t] = this.weights[base + t]! * decay - rate * gradient[t]! * v;
        }
      }
    }
  }
}

/** The character n-grams inside each word of the folded text (a word padded with spaces), counted. */
function gramCounts(text: string, folding: Folding, options: ClassifierOptions): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of folding.tokenize(foldText(text)))
    for (const gram of gramsOf(word, options)) counts.set(gram, (counts.get(gram) ?? 0) + 1);
  return counts;
}

/** The character n-grams of one word padded with spaces, shortest first. */
function* gramsOf(word: string, options: ClassifierOptions): Generator<string> {
  const padded = ` ${word} `;
  for (let n = options.minGram; n <= options.maxGram; n++)
    for (let at = 0; at + n <= padded.length; at++) yield padded.slice(at, at + n);
}

/** A classifier learnt from these examples with the default options. */
export function trainTopicClassifier(
  examples: readonly TrainingExample[],
  folding: Folding,
): TopicClassifier {
  return TopicClassifier.train(examples, folding);
}

let code: string | undefined;
/**
 * The code a model depends on, as text: a stored model trained by other code is not reused. It is
 * the text of this file and of the folding's (normalize), as written, not as a loader turned it
 * into JavaScript: tsx and vitest transpile alike code differently, and every process started with
 * tsx (the fault tests start dozens) trained its own models beside the ones vitest had stored.
 * Where the files cannot be read (a bundle), the functions' own text stands in.
 */
export function modelCode(): string {
  if (code === undefined) {
    try {
      const own = fileURLToPath(import.meta.url);
      const folding = join(dirname(own), `normalize${extname(own)}`);
      code = `${readFileSync(own, 'utf8')}\n${readFileSync(folding, 'utf8')}`;
    } catch {
      code = `${TopicClassifier.toString()}\n${gramCounts.toString()}\n${gramsOf.toString()}\n${foldText.toString()}`;
    }
  }
  return code;
}
