import { describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/conversation/content.js';
import { TopicClassifier, type TrainingExample } from '../../src/understanding/classifier.js';
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
