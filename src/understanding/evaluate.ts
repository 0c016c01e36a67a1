import type { Flows } from '../conversation/content.js';
import type { FirstReply } from '../conversation/first-reply.js';

export interface LabelledMessage {
  lang: string;
  text: string;
  /** The node a good answer goes to, or "clarify" when a good bot should ask which topic. */
  expect: string;
}

/**
 * How the first reply to a message meets what it asked, one of:
 * - right: the expected topic at once; for a "clarify" message, a reply that asks which topic
 *   (a "did you mean…?", the menu, a list of topics that states no fact such as `about`, or a
 *   text that ends with the menu's choices);
 * - onPath: a question whose answers lead to the expected topic ("Did you apply with USCIS or
 *   in court?" for "I applied 5 months ago and have no letter");
 * - clarify: "did you mean…?" offering the expected topic, one tap away;
 * - wrong: another topic or another answer given confidently, or a "did you mean…?" without it;
 * - nothing: the menu (unless the menu was asked for: "menu", "hi"), or a word that answers
 *   nothing ("you're welcome", "I'm here").
 */
export type Outcome = 'right' | 'onPath' | 'clarify' | 'wrong' | 'nothing';
export const OUTCOMES: readonly Outcome[] = ['right', 'onPath', 'clarify', 'wrong', 'nothing'];

export type LanguageScore = { n: number } & Record<Outcome, number>;

export interface ScoredMessage extends LabelledMessage {
  outcome: Outcome;
  /** What the reply was: a node id, "clarify:a|b", "menu", or "system:<key>". */
  got: string;
}

export interface Score {
  /** Per language, in the order the languages first appear. */
  byLang: Record<string, LanguageScore>;
  messages: ScoredMessage[];
}

/** The engine's own texts that answer nothing asked: met as the menu would be, not as a wrong answer. */
const SAYS_NOTHING = new Set<string>([
  'not_understood',
  'not_understood_again',
  'no_words',
  'media',
  'greet_again',
  'thanks_reply',
  'ack_reply',
  'comfort_reply',
  'frustrated_reply',
]);

/**
 * A node that only asks, from which answering leads on: a question (`ask`) or a choice of topics
 * that states no fact (no sources, as `about` or `account`). The menu is "nothing", not a path.
 */
function asksOnly(flows: Flows, id: string): boolean {
  const node = flows.nodes.get(id);
  return !!node && id !== flows.menu && node.choices.length > 0 && (node.ask || node.sources.length === 0);
}

/** A node that only offers topics, stating no fact and asking no question of its own (`about`, `account`). */
function listsTopics(flows: Flows, id: string): boolean {
  const node = flows.nodes.get(id);
  return !!node && node.choices.length > 0 && !node.ask && node.sources.length === 0;
}

/** Whether answering the questions from `from` on (question after question) can reach `target`. */
export function leadsTo(flows: Flows, from: string, target: string): boolean {
  if (!asksOnly(flows, from)) return false;
  const seen = new Set([from]);
  const queue = [from];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const { to } of flows.nodes.get(id)?.choices ?? []) {
      if (to === target) return true;
      if (!seen.has(to) && asksOnly(flows, to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  return false;
}

/** How one first reply meets a labelled message. */
export function outcomeOf(flows: Flows, expect: string, reply: FirstReply): Outcome {
  const quiet = reply.kind === 'menu' || (reply.kind === 'system' && SAYS_NOTHING.has(reply.key));
  if (expect === 'clarify') {
    // A list of topics that states no fact ("What do you want to know about the appointment?")
    // asks which, as the menu does.
    const asks =
      quiet ||
      reply.kind === 'clarify' ||
      (reply.kind === 'node' && (reply.menu === true || listsTopics(flows, reply.node)));
    return asks ? 'right' : 'wrong';
  }
  // "menu", "hi": the menu is the answer asked for.
  if (expect === flows.menu && reply.kind === 'menu') return 'right';
  if (quiet) return 'nothing';
  if (reply.kind === 'clarify') return reply.offered.includes(expect) ? 'clarify' : 'wrong';
  // A system text that answers part of the expected topic's questions (graph.yaml system_answers).
  if (reply.kind === 'system')
    return flows.nodes.get(expect)?.systemAnswers.includes(reply.key) ? 'right' : 'wrong';
  if (reply.kind !== 'node') return 'wrong';
  if (reply.node === expect) return 'right';
  if (leadsTo(flows, reply.node, expect)) return 'onPath';
  // Another need answered, this one offered under it: reached by one choice, as "did you mean…?".
  return reply.also?.includes(expect) ? 'clarify' : 'wrong';
}

/** A first reply in a word, for a list of failures. */
export function describeReply(reply: FirstReply): string {
  if (reply.kind === 'node') return reply.also ? `${reply.node}+also:${reply.also.join('|')}` : reply.node;
  if (reply.kind === 'clarify') return `clarify:${reply.offered.join('|')}`;
  return reply.kind === 'menu' ? 'menu' : `system:${reply.key}`;
}

/** Scores the first reply to each message, per language. */
export function evaluateFirstReplies(
  flows: Flows,
  reply: (text: string) => FirstReply,
  messages: readonly LabelledMessage[],
): Score {
  const byLang: Record<string, LanguageScore> = {};
  const scored: ScoredMessage[] = [];
  for (const message of messages) {
    const got = reply(message.text);
    const outcome = outcomeOf(flows, message.expect, got);
    byLang[message.lang] ??= { n: 0, right: 0, onPath: 0, clarify: 0, wrong: 0, nothing: 0 };
    byLang[message.lang]!.n++;
    byLang[message.lang]![outcome]++;
    scored.push({ ...message, outcome, got: describeReply(got) });
  }
  return { byLang, messages: scored };
}
