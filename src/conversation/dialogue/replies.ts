import type { Appointment } from '../appointments.js';
import { type Flows, type ReplyPart, SYSTEM_KEYS, type SystemKey } from '../content.js';
import type { ConversationContext, Effect } from './types.js';

/**
 * Building a turn's reply: the parts of one text, gathered as a turn's actions run (the chart's
 * `finishTurn` puts them in one reply, after the other effects).
 */

/** A node's text with its numbered choices ("0 Menu" on every node but the menu). */
export function nodePart(flows: Flows, id: string, lead?: SystemKey): ReplyPart {
  const node = flows.nodes.get(id)!;
  // Two answers may lead to one place ("no" and "what's the phone number?"): it is shown once.
  const choices = { owner: id, to: [...new Set(node.choices.map((c) => c.to))], menu: id !== flows.menu };
  // Before the menu, a lead ("Sorry, I did not understand...") takes the place of its prompt.
  if (lead && id === flows.menu) return { say: { system: lead }, choices };
  return { say: { node: id }, choices, ...(lead ? { lead } : {}) };
}

/** A question asked again after an unclear answer: a short lead, the question, its choices. */
export function reaskPart(id: string, offered: string[]): ReplyPart {
  return {
    lead: 'reask',
    say: { node: id },
    lastOnly: true,
    choices: { owner: id, to: offered, menu: true },
  };
}

export function paramsOf(a: Appointment) {
  return { date: a.date, time: a.time, zone: a.zone, place: a.place, ...(a.name ? { name: a.name } : {}) };
}

/** Adds parts to this turn's reply. */
export function say(ctx: ConversationContext, ...parts: ReplyPart[]): ConversationContext {
  return { ...ctx, effects: [...ctx.effects, { type: 'reply', parts }] };
}

/** Puts a part before everything this turn says. */
export function sayFirst(ctx: ConversationContext, part: ReplyPart): ConversationContext {
  return { ...ctx, effects: [{ type: 'reply', parts: [part] }, ...ctx.effects] };
}

/** Adds effects other than the reply. */
export function effect(ctx: ConversationContext, ...effects: Effect[]): ConversationContext {
  return { ...ctx, effects: [...ctx.effects, ...effects] };
}

/** The parts said so far this turn. */
export function partsOf(ctx: ConversationContext): ReplyPart[] {
  return ctx.effects.flatMap((e) => (e.type === 'reply' ? e.parts : []));
}

/** Rewrites the parts said so far this turn. */
export function mapParts(
  ctx: ConversationContext,
  map: (parts: ReplyPart[]) => ReplyPart[],
): ConversationContext {
  const parts = map(partsOf(ctx));
  const others = ctx.effects.filter((e) => e.type !== 'reply');
  return { ...ctx, effects: [...others, { type: 'reply', parts }] };
}

/** One reply, after the other effects, as the service carries them out (nothing said: no reply). */
export function finishTurn(ctx: ConversationContext): ConversationContext {
  const parts = partsOf(ctx);
  const others = ctx.effects.filter((e) => e.type !== 'reply');
  const said = ctx.effects.some((e) => e.type === 'reply');
  return { ...ctx, effects: said ? [...others, { type: 'reply', parts }] : others };
}

/** Leads the machine puts before the main menu. */
export const MENU_LEADS = [
  'not_understood',
  'no_words',
  'media',
  'start_confirm',
  'language_set',
  'delete_kept',
] as const;
/** System texts the machine sends on their own. */
export const STANDALONE_SYSTEM_TEXTS = [
  'intro',
  'help',
  'media',
  'stop_confirm',
  'stop_confirm_erase',
  'delete_ask',
  'delete_done',
  'not_understood_again',
  'thanks_reply',
] as const;

/**
 * Every shape of reply part the machine can send, for checking sizes: each node as shown, the
 * menu behind each lead, each question asked again, each system text, the follow-up question, a
 * list of appointments, and a clarifying question over the three longest labels.
 */
export function everyReplyPart(flows: Flows, longestLabels: string[]): ReplyPart[] {
  const parts: ReplyPart[] = [];
  for (const node of flows.nodes.values()) {
    parts.push(nodePart(flows, node.id));
    if (node.ask) parts.push(reaskPart(node.id, nodePart(flows, node.id).choices!.to));
  }
  for (const lead of MENU_LEADS) parts.push(nodePart(flows, flows.menu, lead));
  // Every system text alone, filled with about the longest date, time and place it can hold.
  const params = {
    date: '2027-09-29',
    other: '2027-09-30',
    time: '12:30',
    zone: 'America/New_York',
    place: '12345',
    name: 'Guadalupe Maria',
  };
  for (const key of SYSTEM_KEYS) parts.push({ say: { system: key }, params });
  parts.push({ ...nodePart(flows, 'appt_followup', 'for_name'), params });
  // The list of saved appointments, one entry: a longer list is split into several texts by the renderer.
  parts.push({
    say: { node: 'appt_list' },
    list: { item: 'appt_list_item', items: [params], footer: 'appt_list_footer' },
  });
  parts.push({ say: { system: 'clarify' }, choices: { to: longestLabels.slice(0, 3), menu: true } });
  return parts;
}
