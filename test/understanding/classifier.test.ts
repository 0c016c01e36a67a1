import { describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/conversation/content.js';
import { ASK_CLASS, TopicClassifier, type TrainingExample } from '../../src/understanding/classifier.js';
import { foldingOf } from '../../src/understanding/folding.js';
import {
  classifierPick,
  combinedPick,
  DEFAULT_PICK_THRESHOLDS,
  intentsOfPick,
} from '../../src/understanding/topic-pick.js';
import { type IntentPick, pickIntent } from '../../src/understanding/understand.js';

const folding = foldingOf(loadFlows());
const examples: TrainingExample[] = [
  ...['what do i bring', 'what should i take with me', 'do i need to bring documents', 'bring passport?'].map(
    (text) => ({ text, topics: ['bring'] }),
  ),
  ...['i lost my password', 'forgot my pasword', 'cant log in password wrong', 'reset password'].map(
    (text) => ({ text, topics: ['acct_password'] }),
  ),
  { text: 'help with my account and papers', topics: ['bring', 'acct_password'] },
  { text: 'a problem with it', topics: ['bring', 'acct_password'] },
  { text: 'what about that one', topics: ['bring', 'acct_password'] },
];

describe('topic classifier (char n-grams, logistic regression)', () => {
  const model = TopicClassifier.train(examples, folding);

  it('learns topics from character pieces of words, typos included', () => {
    expect(model.scores('what do I have to bringg')[0]!.node).toBe('bring');
    expect(model.scores('forgot the passwrd')[0]!.node).toBe('acct_password');
  });

  it('gives probabilities that sum to one, and the same model from the same data', () => {
    const scores = model.scores('passport');
    expect(scores.reduce((sum, s) => sum + s.p, 0)).toBeCloseTo(1, 5);
    expect(TopicClassifier.train(examples, folding).scores('passport')).toEqual(scores);
  });

  it('learns from the ambiguous messages how much a message is like those a good bot asks about', () => {
    const ask = (text: string) => model.scores(text).find((s) => s.node === ASK_CLASS)?.p ?? 0;
    expect(ask('a problem with that one')).toBeGreaterThan(0.3);
    expect(ask('what should i bring with me')).toBeLessThan(0.15);
    expect(ask('forgot my password')).toBeLessThan(0.15);
  });

  it('knows no n-gram of a message in another script', () => {
    expect(model.knownGrams('ありがとう')).toBe(0);
  });
});

describe('picking a topic from the classifier', () => {
  // Thresholds of their own: the tuned defaults change with the data.
  const t = { ...DEFAULT_PICK_THRESHOLDS, answerAt: 0.5, askAt: 0.15, agreeAt: 0.2, keepAt: 1.01 };
  const scores = (a: number, b: number) => [
    { node: 'bring', p: a },
    { node: 'acct_password', p: b },
    { node: 'missed', p: 1 - a - b },
  ];

  it('answers a likely topic, asks among close ones, finds nothing in a flat spread', () => {
    expect(classifierPick(scores(0.9, 0.05), t)).toEqual({ kind: 'sure', node: 'bring' });
    expect(classifierPick(scores(0.4, 0.35), t)).toMatchObject({ kind: 'unsure' });
    expect(classifierPick([{ node: 'bring', p: 0.01 }], t)).toEqual({ kind: 'none' });
  });

  it('asks about a short message like the ambiguous ones, even where the phrases name a topic', () => {
    const sure = { kind: 'sure', node: 'acct_password' } as const;
    const like = { ...t, clarifyFrom: 0.3, clarifyUpToWords: 6 };
    // Short, like them: the phrases' topic first, then the classifier's likely ones.
    expect(combinedPick(sure, scores(0.3, 0.2), like, 4, 0.4)).toEqual({
      kind: 'unsure',
      candidates: ['acct_password', 'bring', 'missed'],
    });
    // Not like them, long (several needs named), or one topic sure enough to answer alone.
    const agreeing = (p: number) => [
      { node: 'acct_password', p },
      { node: 'bring', p: (1 - p) / 2 },
      { node: 'missed', p: (1 - p) / 2 },
    ];
    expect(combinedPick(sure, agreeing(0.45), like, 4, 0.4)).toMatchObject({ kind: 'unsure' });
    expect(combinedPick(sure, agreeing(0.45), like, 4, 0.1)).toEqual(sure);
    expect(combinedPick(sure, agreeing(0.45), like, 20, 0.4)).toEqual(sure);
    expect(combinedPick(sure, agreeing(0.6), like, 4, 0.4)).toEqual(sure);
  });

  it('answers a topic both the matcher and the classifier point at, asks when they disagree', () => {
    const sure = { kind: 'sure', node: 'bring' } as const;
    expect(combinedPick(sure, scores(0.3, 0.2), t)).toEqual(sure);
    const disagree = combinedPick({ kind: 'sure', node: 'missed' }, scores(0.3, 0.2), t);
    expect(disagree).toMatchObject({ kind: 'unsure' });
    expect(disagree.kind === 'unsure' && disagree.candidates[0]).toBe('missed');
  });

  it('turns a pick into ranked topics that the conversation picks the same way', () => {
    const picks: IntentPick[] = [
      { kind: 'sure', node: 'bring' },
      { kind: 'unsure', candidates: ['bring', 'missed'] },
      { kind: 'none' },
    ];
    for (const pick of picks) expect(pickIntent(intentsOfPick(pick, scores(0.4, 0.35)))).toEqual(pick);
  });
});
