import { DateTime } from 'luxon';
import { pickIntent } from '../../understanding/understand.js';
import type { ReplyPart, SystemKey } from '../content.js';
import type { Kit } from './kit.js';
import { nodePart, say } from './replies.js';
import type { Actions, Guards, Rule } from './rules.js';
import { means, once, type Turn } from './turn.js';
import type { ConversationContext, MilestoneDueEvent, WeeklyDueEvent } from './types.js';

/**
 * The weekly status checks: once they are turned on, the next message may say when the I-589 was
 * sent (for the texts at 3 months and 150 days). Asked once more if the answer is no date; a
 * question instead is answered as a topic.
 */
export const FILED_RULES: Rule[] = [
  // A weekday alone ("los lunes", "on mondays") is no filing date: a month must be said or written.
  { guard: 'saysWeekdayOnly', actions: ['askFiledAgain'] },
  { guard: 'givesNoDateFirstTime', actions: ['askFiledOnceMore'] },
  { guard: 'givesNoDate', actions: ['answerInsteadOfDate'] },
  { actions: ['recordFiledDate'] },
];
/** Asked a second time already: no third time. */
export const FILED_AGAIN_RULES: Rule[] = FILED_RULES.filter((r) => r.guard !== 'givesNoDateFirstTime');

export interface Filing {
  date?: string;
  /** "como en junio", "like 5 months ago": the latest day it can be. */
  rough?: string;
  today: string;
}

function filing(t: Turn): Filing {
  return once(t, 'filing', () => {
    const date = t.event.found?.date;
    const today = (t.event.now ?? '').slice(0, 10);
    const rough = date ? undefined : t.event.reading?.filedRoughly;
    return { ...(date ? { date } : {}), ...(rough ? { rough } : {}), today };
  });
}

export function weeklyGuards(kit: Kit): Guards {
  return {
    saysWeekdayOnly: (_, t) => {
      const monthSaid = /\d|\p{L}{3,}/u.test(t.text) && !t.cues.weekdayAlone;
      return !!filing(t).date && !monthSaid && !t.u.command && t.u.number === undefined;
    },
    // Neither a date nor a question ("no se", "hmm"): ask once more, instead of the menu. "no me
    // acuerdo bien" is no question (its "acuerdo" reads like "acuérdame").
    givesNoDateFirstTime: (ctx, t) => {
      const { u } = t;
      const { date, rough } = filing(t);
      const question =
        !means(u, 'unsure') && (pickIntent(u.intents).kind !== 'none' || kit.huellaAnswer(u) !== undefined);
      return !date && !rough && !u.command && u.number === undefined && !question && ctx.askingFiled === true;
    },
    givesNoDate: (_, t) => (!filing(t).date && !filing(t).rough) || !!t.u.command || t.u.number !== undefined,
  };
}

export function weeklyActions(
  answerAsTopic: (ctx: ConversationContext, t: Turn) => ConversationContext,
): Actions {
  const again: ReplyPart = { say: { system: 'weekly_filed_again' } };
  return {
    askFiledAgain: (ctx) => say({ ...ctx, askingFiled: true }, again),
    askFiledOnceMore: (ctx) => say({ ...ctx, filedAgain: true }, again),
    answerInsteadOfDate: (ctx, t) => answerAsTopic({ ...ctx, askingFiled: false, filedAgain: false }, t),
    recordFiledDate: (ctx, t) => recordFiled(ctx, filing(t)),
  };
}

/** When the I-589 was sent: the texts at 3 months and 150 days that are still ahead. */
export function recordFiled(ctx: ConversationContext, { date, rough, today }: Filing): ConversationContext {
  // Dates are read forward ("June 3" is next June); a filing date is in the past.
  const [y, m, d] = (date ?? rough!).split('-');
  const past = rough ?? (date! > today ? `${Number(y) - 1}-${m}-${d}` : date!);
  const after = (months: number, days: number) =>
    DateTime.fromISO(past).plus({ months, days }).toISODate() ?? past;
  const key: SystemKey =
    after(0, 150) <= today
      ? 'weekly_filed_passed'
      : after(3, 0) <= today
        ? 'weekly_filed_150'
        : 'weekly_filed_saved';
  const told = say(
    {
      ...ctx,
      askingFiled: false,
      filedAgain: false,
      // After a rough date, the exact day may still come in the next message.
      ...(rough ? { askingFiled: true, filedAgain: true } : {}),
      weekly: { active: ctx.weekly?.active ?? true, filed: past },
      effects: [...ctx.effects, { type: 'milestones', filed: past }],
    },
    ...(rough ? [{ say: { system: 'weekly_filed_rough' as const }, params: { date: past } }] : []),
    { say: { system: key }, params: { date: past } },
  );
  return told;
}

/** The weekly check came due: ask whether the notice came, and plan the next one. */
export function weeklyDue(kit: Kit, ctx: ConversationContext, event: WeeklyDueEvent): ConversationContext {
  if (!ctx.weekly?.active) return ctx;
  const part = nodePart(kit.flows, 'weekly_check');
  return {
    ...ctx,
    node: 'weekly_check',
    offered: part.choices!.to,
    asking: true,
    misses: 0,
    effects: [
      { type: 'send', kind: 'weekly', parts: [part], template: { name: 'weekly', variables: {} } },
      ...(event.preview ? [] : [{ type: 'weekly' as const, after: event.at }]),
    ],
  };
}

/** 3 months or 150 days since the I-589 was sent; one planned from another date sends nothing. */
export function milestoneDue(ctx: ConversationContext, event: MilestoneDueEvent): ConversationContext {
  if (!ctx.weekly?.filed || (event.filed !== undefined && event.filed !== ctx.weekly.filed)) return ctx;
  const key: SystemKey = event.kind === '3m' ? 'milestone_3m' : 'milestone_150d';
  return {
    ...ctx,
    effects: [{ type: 'send', kind: `milestone-${event.kind}`, parts: [{ say: { system: key } }] }],
  };
}
