import { foldingOf } from '../understanding/folding.js';
import { pickIntent, type Understood } from '../understanding/understand.js';
import type { Found } from './appointments.js';
import type { Flows } from './content.js';
import type { Channel, ConversationContext, InboundEvent } from './machine.js';

/**
 * What the machine is told about one inbound message: what it said, and, when it may tell an
 * appointment, the dates, times and places in it. Pure (the time of arrival comes with the
 * message), so that the service and the understanding score (understanding/evaluate.ts) hand the
 * machine the same event for the same message.
 */
export interface EventReaders {
  flows: Flows;
  /** Finds dates, times and places in a message, read at `now` in `zone`. */
  findDetails?: ((text: string, now: Date, zone: string, lang: string) => Found) | undefined;
  /** Zone for "has it passed?" before the place is known. */
  zone: string;
}

/** The message as the service reads it (its body bounded already). */
export interface ArrivedMessage {
  body: string;
  channel: Channel;
  receivedAt: Date;
}

/** Words that say a message is about the person's own appointment (accents and case aside). */
const APPOINTMENT_WORDS =
  /\b(cita|citas|sita|sitas|appointment|appointments|appt|apointment|appoinment|appointmen|apointmen)\b/i;

/** Times of day in a message: "9am", "9:30", "a las 10", "at 1pm". */
const TIMES_OF_DAY =
  /\b\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.\s?m\.?|p\.\s?m\.?)(?![a-z])|\ba\s+las?\s+\d{1,2}(?::\d{2})?|\bat\s+\d{1,2}(?::\d{2})?|\b\d{1,2}:\d{2}\b/gi;

/** Whether a message holds two different times of day ("mine at 9am, hers at 9:30"). */
function severalTimes(body: string): boolean {
  const times = new Set(
    (body.slice(0, 400).match(TIMES_OF_DAY) ?? []).map((t) => t.replace(/\D+/g, ' ').trim()),
  );
  return times.size >= 2;
}

/** Asking for reminders in so many words: "remind me", "recuérdame", "recordatorio", "avísame". */
const REMIND_WORDS =
  /(?<![\p{L}])(?:remind|reminder|reminders|recu[eé]rd|recordatorio|recordar|av[ií]same|text me)/iu;

/**
 * Several people's appointments in one message: "me and my wife and my 2 kids", "yo y mis hijos",
 * "all of us", "todos tenemos cita".
 */
const SEVERAL_PEOPLE =
  /\b(?:me|yo)\s+(?:and|y|e|n|&)\s+(?:my|mi|mis)\b|\b(?:all of us|todos tenemos|los tres|los cuatro|all three|all four)\b|\b(?:and|y)\s+(?:my|mis|mi)\s+(?:\d|two|three|dos|tres)\s+(?:kids|children|hijos|hijas|ninos|niños)\b/i;

/** Words for today: "today", "tonight", "hoy" (and "oy", written by ear). */
const TODAY_WORDS = /\b(today|tonight|this morning|this afternoon|hoy|oy|esta tarde)\b/i;

/** At the topics, not in the middle of something: no command, no number. */
function atMenuOf(state: string, understood: Understood): boolean {
  return (state === 'active' || state === 'new') && !understood.command && understood.number === undefined;
}

/** A date told alone further ahead than this is not taken for an appointment (about six months). */
const FAR_AHEAD_MS = 183 * 24 * 3600 * 1000;
/** The topics graph.yaml marks `capture` and `last_minute`, looked up once per content. */
const flaggedByFlows = new WeakMap<Flows, { capture?: string; lastMinute?: string }>();
function flaggedNodes(flows: Flows): { capture?: string; lastMinute?: string } {
  let flagged = flaggedByFlows.get(flows);
  if (!flagged) {
    const nodes = [...flows.nodes.values()];
    const capture = nodes.find((node) => node.capture)?.id;
    const lastMinute = nodes.find((node) => node.lastMinute)?.id;
    flagged = { ...(capture ? { capture } : {}), ...(lastMinute ? { lastMinute } : {}) };
    flaggedByFlows.set(flows, flagged);
  }
  return flagged;
}

/** Whether a question's choices are spans of time ("How long ago was it?": `ago` in graph.yaml). */
function asksSpan(flows: Flows, node: string): boolean {
  return flows.nodes.get(node)?.choices.some((c) => c.ago !== undefined) === true;
}

/** The event for a message that arrived in a conversation in `state` with `context`. */
export function inboundEvent(
  readers: EventReaders,
  message: ArrivedMessage,
  state: string,
  context: ConversationContext,
  understood: Understood,
): InboundEvent {
  const base: InboundEvent = {
    type: 'INBOUND',
    understood,
    channel: message.channel,
    now: message.receivedAt.toISOString(),
    defaultZone: readers.zone,
    // In the event only, never stored: a name may be read from it while collecting.
    text: message.body.slice(0, 200),
    ...(severalTimes(message.body) || SEVERAL_PEOPLE.test(message.body) ? { several: true } : {}),
  };
  // "6 weeks" to "How long ago was your appointment?": a span of time, not a date to save.
  if (understood.span !== undefined && context.asking && asksSpan(readers.flows, context.node)) return base;
  return (
    lastMinuteEvent(readers.flows, message, state, understood, base) ??
    withDetails(readers, message, state, context, base)
  );
}

/**
 * "my appointment is TODAY and I can't go", "tengo la sita oy y no puedo ir": the way that
 * works within 12 hours (the topic marked last_minute), at once; no reminders offered.
 */
function lastMinuteEvent(
  flows: Flows,
  message: ArrivedMessage,
  state: string,
  understood: Understood,
  base: InboundEvent,
): InboundEvent | undefined {
  const { lastMinute } = flaggedNodes(flows);
  if (
    !atMenuOf(state, understood) ||
    !lastMinute ||
    !TODAY_WORDS.test(message.body) ||
    !APPOINTMENT_WORDS.test(message.body) ||
    !((understood.means.cant_go ?? 0) > 0 || (understood.means.trouble ?? 0) > 0)
  )
    return undefined;
  const top = Math.max(0, ...understood.intents.map((i) => i.score));
  return {
    ...base,
    lastMinute: true,
    understood: { ...understood, intents: [{ node: lastMinute, score: top + 10 }] },
  };
}

/** Whether the message may tell an appointment (or a date asked for): then its dates are read. */
function mayTellDate(
  readers: EventReaders,
  message: ArrivedMessage,
  state: string,
  context: ConversationContext,
  understood: Understood,
) {
  const asksForReminder = understood.intents.some((i) => readers.flows.nodes.get(i.node)?.capture);
  // Dates and places are looked for only while collecting an appointment, when asked to
  // remind, or when someone tells about their appointment ("mi cita es el 15 a las 9").
  const atMenu = atMenuOf(state, understood);
  // A time needs a digit ("a las 9", "2pm"): without one, no date reading on this hot path.
  // "also my husband has one the 15th": another person's, or another one, told without the word.
  // "they gave me a new date dec 14 at 1pm" with nothing saved: news of an appointment too.
  const another =
    (understood.means.another ?? 0) > 0 ||
    (understood.means.family ?? 0) > 0 ||
    (context.appointments.length === 0 && (understood.means.changed ?? 0) > 0);
  // "12/03/2026", "dec 3 9am", "el jueves que viene a las 8 en la oficina de dallas": a
  // message about nothing else that gives a date is an appointment told, unless one was just
  // saved (then it corrects that one).
  const pick = pickIntent(understood.intents);
  const dateOnly =
    atMenu &&
    context.justSaved === undefined &&
    (understood.size ?? 99) <= 15 &&
    /\d/.test(message.body) &&
    pick.kind === 'none';
  const tellsAppointment =
    atMenu && /\d/.test(message.body) && (another || dateOnly || APPOINTMENT_WORDS.test(message.body));
  // Right after saving, or while choosing a saved one, a date or time changes it.
  const wantsDate =
    state === 'capturing' ||
    state === 'askingFiled' ||
    state === 'managing' ||
    context.justSaved !== undefined ||
    (context.appointments.length > 0 && (understood.means.changed ?? 0) > 0) ||
    asksForReminder ||
    tellsAppointment ||
    // "i applied on june 3" to "Want a text every week?": the filing date.
    (context.asking === true && /\d/.test(message.body));
  return { wantsDate, pick, another, dateOnly, tellsAppointment };
}

/** The event with the dates, times and places the message tells, and whether it tells an appointment. */
function withDetails(
  readers: EventReaders,
  message: ArrivedMessage,
  state: string,
  context: ConversationContext,
  base: InboundEvent,
): InboundEvent {
  const understood = base.understood;
  const zone = readers.zone;
  const { wantsDate, pick, another, dateOnly, tellsAppointment } = mayTellDate(
    readers,
    message,
    state,
    context,
    understood,
  );
  if (!readers.findDetails || !wantsDate) return base;
  const found = readers.findDetails(
    message.body,
    message.receivedAt,
    context.draft?.zone ?? zone,
    context.lang,
  );
  const { capture } = flaggedNodes(readers.flows);
  // Only a plain telling of it: a message that asks something ("?", "what can I do"), names
  // a trouble ("I'm sick", "no puedo ir"), is about another topic, or tells a day that has
  // passed gets its answer first, and the offer of reminders after it.
  // News that it changed ("they gave me a new date") is a telling, even if it reads as rescheduling.
  // Asking for reminders in so many words ("recuérdame mi cita de mañana a las 8") is a
  // telling too, even when the words also fit a topic ("mañana" and the day of the appointment).
  const asksReminder = understood.intents.some((i) => i.node === capture && i.score >= 1);
  const asksElse =
    pick.kind === 'sure' && pick.node !== capture && !((understood.means.changed ?? 0) > 0) && !asksReminder;
  // "my appt is tomorow at 9am what do i bring", with no "?": a question too.
  const asks =
    message.body.includes('?') ||
    (understood.means.trouble ?? 0) > 0 ||
    (foldingOf(readers.flows).hasQuestionWords(message.body) &&
      !REMIND_WORDS.test(message.body) &&
      pick.kind !== 'none');
  const gone =
    (understood.means.cant_go ?? 0) > 0 ||
    (found.date !== undefined && found.date < localDate(message.receivedAt, context.draft?.zone ?? zone));
  // "oct 1" alone, many months ahead, is more likely another date (when they applied)
  // than an appointment: only a date within six months counts without the word.
  const far =
    found.date !== undefined &&
    found.date > localDate(new Date(message.receivedAt.getTime() + FAR_AHEAD_MS), zone);
  const bare = dateOnly && !another && !APPOINTMENT_WORDS.test(message.body);
  const told =
    tellsAppointment &&
    capture &&
    (found.date || found.ambiguous) &&
    (found.time || another || dateOnly) &&
    !(bare && far);
  if (told && !asksElse && !asks && !gone) {
    // A date and a time of their appointment: offer the reminders, starting from what they gave.
    const top = Math.max(0, ...understood.intents.map((i) => i.score));
    const intents = [{ node: capture, score: top + 10 }, ...understood.intents];
    return { ...base, understood: { ...understood, intents }, found };
  }
  return {
    ...base,
    found,
    ...(told && !gone ? { offerReminders: true } : {}),
    ...(asks ? { asks: true } : {}),
  };
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** The date at `zone` of an instant, "YYYY-MM-DD" (one formatter per zone: building one is slow). */
function localDate(at: Date, zone: string): string {
  let format = dateFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dateFormats.set(zone, format);
  }
  return format.format(at);
}
