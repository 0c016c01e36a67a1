import type { Turn } from './turn.js';
import type { ConversationContext } from './types.js';

/** A named condition on a message, read in the conversation it arrives in. */
export type Guard = (ctx: ConversationContext, turn: Turn) => boolean;
/** A named step of the dialogue: the conversation after it, with what it says in `effects`. */
export type Action = (ctx: ConversationContext, turn: Turn) => ConversationContext;
export type Guards = Record<string, Guard>;
export type Actions = Record<string, Action>;

/**
 * One transition of a sub-dialogue, as the chart lists them: tried in order, the first whose
 * guard holds is taken (the last has none: the fallback). `after`: actions that follow the
 * state's closing actions (the weekly sign-up reads the filing date once the reply is made).
 */
export interface Rule {
  guard?: string;
  actions: string[];
  after?: string[];
}

/**
 * Takes the first rule whose guard holds, as the chart would, with `open` and `close` around its
 * actions. Used where one sub-dialogue answers in another's place: a question asked while an
 * appointment is being collected is answered as the topics would answer it.
 */
export function runRules(
  rules: Rule[],
  guards: Guards,
  actions: Actions,
  ctx: ConversationContext,
  turn: Turn,
  frame: { open: string[]; close: string[] },
): ConversationContext {
  const rule = rules.find((r) => r.guard === undefined || guards[r.guard]!(ctx, turn));
  if (!rule) return ctx;
  const steps = [...frame.open, ...rule.actions, ...frame.close, ...(rule.after ?? [])];
  return steps.reduce((next, name) => actions[name]!(next, turn), ctx);
}
