import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_CLASSIFIER_OPTIONS,
  type LearntModel,
  modelCode,
  TopicClassifier,
  type TrainingExample,
  trainTopicClassifier,
} from './classifier.js';
import type { Folding } from './folding.js';

/**
 * Trained models, kept by what they were trained from: the examples, the folding, the options
 * and the classifier's own code. Training takes seconds per language and every process that
 * builds an Understander (each test file, each eval run, the app) would repeat it; the same
 * inputs give the same model (seeded), so a stored one is reused, in this process and on disk.
 * The disk copy is a cache: unreadable or unwritable, the model is trained again.
 */
const STORE_DIR = join(tmpdir(), 'huella-classifiers');
/** Models kept on disk: a few content versions of every language; older ones are removed when one is written. */
const KEPT_MODELS = 24;
const inProcess = new Map<string, TopicClassifier>();

/** The model these examples train, read with `folding` (`foldingKey` says what that folding does). */
export function storedClassifier(
  examples: readonly TrainingExample[],
  folding: Folding,
  foldingKey: string,
): TopicClassifier {
  const key = createHash('sha256')
    .update(JSON.stringify([modelCode(), DEFAULT_CLASSIFIER_OPTIONS, foldingKey, examples]))
    .digest('hex')
    .slice(0, 32);
  let model = inProcess.get(key) ?? readModel(key, folding);
  if (!model) {
    model = trainTopicClassifier(examples, folding);
    writeModel(key, model.learnt());
  }
  inProcess.set(key, model);
  return model;
}

/** The file: a 4-byte length, a JSON header (topics, grams, sizes), then the float arrays. */
function writeModel(key: string, learnt: LearntModel): void {
  const { topics, grams, idf, weights, bias } = learnt;
  const header = Buffer.from(
    JSON.stringify({ topics, grams, sizes: [idf.length, weights.length, bias.length] }),
  );
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const floats = [idf, weights, bias].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  try {
    mkdirSync(STORE_DIR, { recursive: true });
    // Written aside and renamed: a process reading at the same time sees the whole file or none.
    const aside = join(STORE_DIR, `${key}.${process.pid}.tmp`);
    writeFileSync(aside, Buffer.concat([length, header, ...floats]));
    renameSync(aside, join(STORE_DIR, `${key}.model`));
    removeOldModels();
  } catch {
    // A cache only: the next process trains again.
  }
}

/** Each change of the content trains new models: the oldest beyond KEPT_MODELS are removed. */
function removeOldModels(): void {
  const models = readdirSync(STORE_DIR)
    .filter((f) => f.endsWith('.model'))
    .map((f) => ({ f, at: statSync(join(STORE_DIR, f)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const { f } of models.slice(KEPT_MODELS)) unlinkSync(join(STORE_DIR, f));
}

function readModel(key: string, folding: Folding): TopicClassifier | undefined {
  let file: Buffer;
  try {
    file = readFileSync(join(STORE_DIR, `${key}.model`));
  } catch {
    return undefined;
  }
  try {
    return modelIn(file, folding);
  } catch {
    // Cut short or garbled: trained again.
    return undefined;
  }
}

function modelIn(file: Buffer, folding: Folding): TopicClassifier | undefined {
  const headerLength = file.readUInt32LE(0);
  const header = JSON.parse(file.subarray(4, 4 + headerLength).toString()) as {
    topics: string[];
    grams: string[];
    sizes: [number, number, number];
  };
  // Copied out: a Float32Array must start at a multiple of 4 bytes.
  let at = 4 + headerLength;
  const [idf, weights, bias] = header.sizes.map((size) => {
    const array = new Float32Array(file.buffer.slice(file.byteOffset + at, file.byteOffset + at + size * 4));
    at += size * 4;
    return array;
  }) as [Float32Array, Float32Array, Float32Array];
  if (at !== file.length) return undefined;
  return TopicClassifier.fromLearnt(
    { topics: header.topics, grams: header.grams, idf, weights, bias },
    folding,
  );
}
