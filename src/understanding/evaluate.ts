import type { Understander } from './understand.js';
import { pickIntent } from './understand.js';

export interface LabelledMessage {
  lang: string;
  text: string;
  /** The node a good answer goes to, or "clarify" when a good bot should ask which topic. */
  expect: string;
}

export interface IntentScore {
  total: number;
  /** Went straight to the expected topic (or asked, for "clarify" messages). */
  correct: number;
  /** Asked a clarifying question that offers the expected topic: one more tap, not a wrong answer. */
  clarified: number;
  /** Went confidently to another topic: the failure that matters most. */
  wrong: number;
  /** Found nothing and showed the menu. */
  missed: number;
  failures: { text: string; expect: string; got: string }[];
}

/** Scores the free-text understanding on a labelled set, the way the machine would act on it. */
export function evaluateIntents(understander: Understander, messages: LabelledMessage[]): IntentScore {
  const score: IntentScore = { total: 0, correct: 0, clarified: 0, wrong: 0, missed: 0, failures: [] };
  for (const message of messages) {
    score.total++;
    const pick = pickIntent(understander.understand(message.text).intents);
    if (message.expect === 'clarify') {
      if (pick.kind === 'sure') {
        score.wrong++;
        score.failures.push({ text: message.text, expect: message.expect, got: pick.node });
      } else score.correct++;
      continue;
    }
    if (pick.kind === 'sure' && pick.node === message.expect) score.correct++;
    else if (pick.kind === 'unsure' && pick.candidates.includes(message.expect)) score.clarified++;
    else {
      if (pick.kind === 'none') score.missed++;
      else score.wrong++;
      score.failures.push({
        text: message.text,
        expect: message.expect,
        got:
          pick.kind === 'sure'
            ? pick.node
            : pick.kind === 'unsure'
              ? `unsure:${pick.candidates.join('|')}`
              : 'none',
      });
    }
  }
  return score;
}
