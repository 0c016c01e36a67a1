import { DateTime } from 'luxon';
import { loadFlows, type ReplyPart } from '../../src/conversation/content.js';
import { inboundEvent } from '../../src/conversation/inbound-event.js';
import {
  type ConversationSnapshot,
  createConversationMachine,
  createStepper,
  modeOf,
} from '../../src/conversation/machine.js';
import { findAppointmentDetails } from '../../src/understanding/appointment-details.js';
import { Understander, type Understood } from '../../src/understanding/understand.js';
import { TEST_NOW } from './clock.js';
import { GoldenReader } from './golden.js';

/**
 * A conversation run through the machine as the service runs it (inbound-event.ts, then the
 * chart), with no store: for tests of what the dialogue says and keeps.
 */
export const flows = loadFlows();
export const reader = new GoldenReader(flows, TEST_NOW);
export const stepper = createStepper(createConversationMachine(flows));

/** The messages, in order, from a new conversation in `lang`. */
export function talkIn(lang: string, ...messages: string[]): ConversationSnapshot {
  return messages.reduce((snap, m) => reader.send(snap, m), stepper.initial({ lang }));
}

/** The parts of the last reply (and of texts sent with it). */
export function partsOf(snap: ConversationSnapshot): ReplyPart[] {
  return snap.context.effects.flatMap((e) => (e.type === 'reply' || e.type === 'send' ? e.parts : []));
}

/** The system texts and topics the last reply said, in order ("node:bring", "appt_confirm"). */
export function said(snap: ConversationSnapshot): string[] {
  return snap.context.effects
    .flatMap((e) => (e.type === 'reply' ? e.parts : []))
    .map((p) => ('system' in p.say ? p.say.system : `node:${p.say.node}`));
}

/** What a reply said, the introduction before a first reply left out. */
export function answered(snap: ConversationSnapshot): string[] {
  return said(snap).filter((s) => s !== 'intro');
}

/** The first thing a reply said, the introduction left out ("node:bring", "clarify"). */
export function firstAnswer(lang: string, message: string): string | undefined {
  return answered(talkIn(lang, message))[0];
}

const understander = new Understander(flows);
const readers = {
  flows,
  zone: 'America/New_York',
  findDetails: (body: string, now: Date, zone: string, lang: string) =>
    findAppointmentDetails(body, DateTime.fromJSDate(now, { zone }), flows, lang),
};

/**
 * `text` sent in a new conversation with its reading partly set by hand (`reading`: the matcher's
 * `intents`, the classifier's `topics`): a dialogue rule tested whatever the phrases and the
 * training say. What the reply said, the introduction left out.
 */
export function answeredAs(lang: string, text: string, reading: Partial<Understood>): string[] {
  const before = stepper.initial({ lang });
  const understood = { ...understander.understand(text, 0, lang), ...reading };
  const message = { body: text, channel: 'sms' as const, receivedAt: TEST_NOW.toJSDate() };
  return answered(
    stepper.step(before, inboundEvent(readers, message, modeOf(before.value), before.context, understood)),
  );
}
