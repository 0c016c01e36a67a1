import { loadFlows, type ReplyPart } from '../../src/conversation/content.js';
import {
  type ConversationSnapshot,
  createConversationMachine,
  createStepper,
} from '../../src/conversation/machine.js';
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
