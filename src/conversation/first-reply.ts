import { DateTime } from 'luxon';
import { findAppointmentDetails } from '../understanding/appointment-details.js';
import { boundText } from '../understanding/bound.js';
import { Understander, type UnderstanderOptions } from '../understanding/understand.js';
import type { Flows, ReplyPart, SystemKey } from './content.js';
import { inboundEvent } from './inbound-event.js';
import { createConversationMachine, createStepper, modeOf } from './machine.js';

/** What a person gets back for the first message they ever send, told by what it offers them. */
export type FirstReply =
  /**
   * A topic's text (collecting an appointment counts as the topic marked `capture`); `menu`: it
   * ends with the main menu's choices ("my appointments" with none saved says so, then the menu).
   */
  | { kind: 'node'; node: string; menu?: true; also?: string[] }
  /** "Did you mean…?" with these topics to pick from. */
  | { kind: 'clarify'; offered: string[] }
  /** The main menu: nothing in the message was understood as a topic. */
  | { kind: 'menu' }
  /** One of the engine's own texts and no topic: a thank-you, a privacy answer, STOP's confirmation. */
  | { kind: 'system'; key: SystemKey };

export interface FirstReplyOptions {
  /** DEFAULT_TIMEZONE and DEFAULT_LANGUAGE, as the service has them. */
  zone: string;
  defaultLanguage: string;
  /** How topics are picked (the service's own by default): to measure another way. */
  understanding?: UnderstanderOptions;
}

/**
 * Runs a message as the first one of a new conversation, through the same steps as the service
 * (bounded text, understanding, the event built by inbound-event.ts, the machine) but with no
 * store: the score of understanding (understanding/evaluate.ts) measures what people meet.
 */
export function firstReplies(
  flows: Flows,
  options: FirstReplyOptions,
): (text: string, now: Date) => FirstReply {
  const stepper = createStepper(createConversationMachine(flows));
  const understander = new Understander(flows, options.understanding);
  // As app.ts gives them to the service.
  const readers = {
    flows,
    zone: options.zone,
    findDetails: (text: string, now: Date, zone: string, lang: string) =>
      findAppointmentDetails(text, DateTime.fromJSDate(now, { zone }), flows, lang),
  };
  const captureNode = [...flows.nodes.values()].find((n) => n.capture)?.id;
  const listNode = [...flows.nodes.values()].find((n) => n.manage)?.id;
  return (text, now) => {
    const body = boundText(text);
    const before = stepper.initial({ lang: options.defaultLanguage });
    const event = inboundEvent(
      readers,
      { body, channel: 'sms', receivedAt: now },
      modeOf(before.value),
      before.context,
      understander.understand(body, 0, before.context.lang),
    );
    const after = stepper.step(before, event);
    const parts = after.context.effects.flatMap((e) => (e.type === 'reply' ? e.parts : []));
    if (modeOf(after.value) === 'capturing' && captureNode) return { kind: 'node', node: captureNode };
    return replyOf(flows, parts, listNode);
  };
}

/** What the parts of a reply offer: its first topic, a "did you mean…?", the menu, or a text of the engine's. */
function replyOf(flows: Flows, parts: ReplyPart[], listNode: string | undefined): FirstReply {
  // The introduction comes before every first reply: it tells nothing about the message.
  const told = parts.filter((p) => !('system' in p.say && p.say.system === 'intro'));
  for (const part of told) {
    if ('system' in part.say && part.say.system === 'clarify') {
      return { kind: 'clarify', offered: part.choices?.to ?? [] };
    }
    if ('node' in part.say) {
      if (part.say.node === flows.menu) return { kind: 'menu' };
      // "You may also be asking about:": the other need, offered under the answer.
      const also = told.find((p) => 'system' in p.say && p.say.system === 'also_asked')?.choices?.to;
      return { kind: 'node', node: part.say.node, ...(also ? { also } : {}) };
    }
  }
  // "my appointments" with none saved: the list's topic, which says there are none.
  const first = told.find((p) => 'system' in p.say);
  if (first && 'system' in first.say) {
    if (first.say.system === 'appt_none' && listNode) return { kind: 'node', node: listNode, menu: true };
    // The menu behind a lead ("Sorry, I did not understand…", "Hello again").
    if (first.choices?.owner === flows.menu) return { kind: 'menu' };
    // A question put in the engine's own words ("Did you go?", asked first): that question.
    const owner = first.choices?.owner;
    if (owner && flows.nodes.get(owner)?.ask) return { kind: 'node', node: owner };
    return { kind: 'system', key: first.say.system };
  }
  return { kind: 'menu' };
}
