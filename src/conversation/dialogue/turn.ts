import { DateTime } from 'luxon';
import { type Cues, correctsInWords } from '../../understanding/cues.js';
import type { Understood } from '../../understanding/understand.js';
import { type Appointment, detailsIn, type Found } from '../appointments.js';
import { cueFact, HOURS_AWAY } from '../content.js';
import type { ConversationContext, ConversationEvent, InboundEvent } from './types.js';

/**
 * One message as the dialogue reads it, at the conversation it arrives in: what it said, the
 * conversation before it, and the readings the guards share (worked out once a turn, since the
 * chart tries its guards in order and several read the same thing).
 */
export interface Turn {
  /** The event, "same day" or "same office" filled in from the appointment saved last. */
  readonly event: InboundEvent;
  /** The event as it came. */
  readonly raw: InboundEvent;
  readonly u: Understood;
  /** The message as typed ('' when the event does not carry it). */
  readonly text: string;
  readonly cues: Cues;
  /** The conversation before this message. */
  readonly start: ConversationContext;
  /** Readings shared between guards, by name. */
  readonly memo: Map<string, unknown>;
}

/** A reading of the turn, worked out the first time a guard asks for it. */
export function once<T>(turn: Turn, key: string, read: () => T): T {
  if (turn.memo.has(key)) return turn.memo.get(key) as T;
  const value = read();
  turn.memo.set(key, value);
  return value;
}

/**
 * "same day", "misma oficina": the date or the place of the appointment saved last (or, with none
 * saved, told before), when the message does not give its own ("my wife's is at 11, same day").
 */
function withSame(ctx: ConversationContext, event: InboundEvent): InboundEvent {
  const { means } = event.understood;
  const sameDay = (means.same_day ?? 0) > 0;
  const samePlace = (means.same_place ?? 0) > 0;
  if (!sameDay && !samePlace) return event;
  const last = ctx.appointments.find((a) => a.id === ctx.justSaved) ?? ctx.appointments.at(-1);
  // None saved: the one told earlier in the conversation ("…el 10 de diciembre en los angeles",
  // then "ya la cambie… el 6 de enero, misma oficina": blind try 25).
  const before = last ? { date: last.date, place: { label: last.place, zone: last.zone } } : ctx.heard;
  if (!before) return event;
  const found: Found = { ...event.found };
  if (sameDay && !found.date && !found.ambiguous && before.date) found.date = before.date;
  if (samePlace && !found.place && before.place) found.place = before.place;
  return { ...event, found };
}

const turns = new WeakMap<InboundEvent, Turn>();

/**
 * The turn of an inbound event: made at the first guard or action that reads it, from the
 * conversation as the message found it, and the same for the rest of the event's transition
 * (each event object is sent once: the stepper copies it).
 */
export function turnOf(ctx: ConversationContext, event: ConversationEvent, topics: FlaggedTopics): Turn {
  if (event.type !== 'INBOUND') throw new Error(`a message guard read a ${event.type} event`);
  const known = turns.get(event);
  if (known) return known;
  const turn = freshTurn(ctx, event, topics);
  turns.set(event, turn);
  return turn;
}

/** The topics graph.yaml marks: collecting an appointment, and the way that works within hours. */
export interface FlaggedTopics {
  captureNode: string | undefined;
  lastMinuteNode: string | undefined;
}

/**
 * What the message is about, with what the service saw in it: an appointment today that they
 * cannot go to is the last-minute topic, whatever else the words fit; an appointment's date and
 * time, told with nothing else asked, is the topic of collecting it.
 */
function understoodIn(event: InboundEvent, topics: FlaggedTopics): Understood {
  const { understood } = event;
  const node = event.lastMinute
    ? topics.lastMinuteNode
    : event.toldAppointment
      ? topics.captureNode
      : undefined;
  if (!node) return understood;
  const top = Math.max(0, ...understood.intents.map((i) => i.score));
  const first = { node, score: top + TOLD_TOPIC_LEAD };
  // What the service saw decides the topic: the classifier's pick, which knows nothing of it, goes.
  const { topics: _picked, ...rest } = understood;
  return { ...rest, intents: event.lastMinute ? [first] : [first, ...understood.intents] };
}
/** Far enough ahead of any other topic that no context or margin makes another one win. */
const TOLD_TOPIC_LEAD = 10;

/** The same message read again in another conversation state (a side question's answer). */
export function freshTurn(ctx: ConversationContext, event: InboundEvent, topics: FlaggedTopics): Turn {
  return {
    event: withSame(ctx, event),
    raw: event,
    u: understoodIn(event, topics),
    text: event.text ?? '',
    cues: event.understood.cues ?? {},
    start: ctx,
    memo: new Map(),
  };
}

/** How many of the message's words one answer list covers ("ok", "hola buenas", "si"). */
export function mostly(u: Understood, means: string): boolean {
  const longest = u.means[means] ?? 0;
  const size = u.size ?? 0;
  // A bare "no" must be the whole message: "no entiendo" is not a nod.
  const slack = means === 'no' ? 0 : 1;
  return longest > 0 && size <= 4 && longest >= size - slack;
}

/** Whether an answer list matched at all. */
export function means(u: Understood, name: string): boolean {
  return (u.means[name] ?? 0) > 0;
}

/** Whether the message, as typed, asks (a question mark). */
export function hasQuestionMark(turn: Turn): boolean {
  return turn.text.includes('?');
}

/** The message asks something: its question words (inbound-event.ts `asks`) or a "?". */
export function asksSomething(turn: Turn): boolean {
  return turn.event.asks === true || hasQuestionMark(turn);
}

/**
 * A date or time told with words of a correction ("oups c'est a 13h00 pas 13h30"), with an
 * appointment saved: the saved one is put right, before anything else the message asks.
 */
export function correctsSavedTime(ctx: ConversationContext, turn: Turn): boolean {
  return ctx.appointments.length > 0 && detailsIn(turn.event.found) && correctsInWords(turn.cues);
}

/** Whether what a message tells of a day and hour is a saved appointment's, with nothing else told. */
export function listedAlready(found: Found | undefined, appointments: Appointment[]): boolean {
  if (!found || found.place || found.ambiguous || (!found.date && !found.time)) return false;
  return appointments.some(
    (a) => (!found.date || found.date === a.date) && (!found.time || a.time.startsWith(found.time)),
  );
}

/** The language a message asks to switch to ("english please", "ES"), if one. */
export function languageAsked(t: Turn): string | undefined {
  return t.u.command?.name === 'language' ? t.u.command.lang : undefined;
}

/** The message tells a date before its own day, and not as the filing's ("I applied on the 3rd"). */
export function datePassed(t: Turn): boolean {
  const told = toldDate(t);
  return told !== undefined && told.date < told.today;
}

/** The message tells a date on its own day or after it, and not as the filing's. */
export function dateAhead(t: Turn): boolean {
  const told = toldDate(t);
  return told !== undefined && told.date >= told.today;
}

/** The message tells no date, and an appointment of the person's own saved is on its day or later. */
function savedAhead(t: Turn): boolean {
  if (t.event.found?.date) return false;
  const now = DateTime.fromISO(t.event.now ?? '');
  if (!now.isValid) return false;
  return t.start.appointments.some((a) => a.name === undefined && a.date >= now.setZone(a.zone).toISODate()!);
}

/** The date the message tells (not the filing's) and the message's own day, where the date is. */
function toldDate(t: Turn): { date: string; today: string } | undefined {
  const date = t.event.found?.date;
  const now = DateTime.fromISO(t.event.now ?? '');
  if (!date || !now.isValid || t.cues.applied) return undefined;
  return {
    date,
    today: now.setZone(t.event.found?.place?.zone ?? t.event.defaultZone ?? 'UTC').toISODate()!,
  };
}

/** Whether the message tells `fact` by itself (graph.yaml `when_told`): each of its cues and message facts. */
export function tellsFact(t: Turn, fact: string): boolean {
  const holds = (name: string) =>
    name === 'date_passed'
      ? datePassed(t)
      : name === 'date_ahead'
        ? dateAhead(t)
        : name === 'saved_ahead'
          ? savedAhead(t)
          : name === HOURS_AWAY
            ? t.event.lastMinute === true
            : t.cues[name as keyof Turn['cues']] === true;
  return cueFact(fact)?.every(({ name, not }) => holds(name) !== not) === true;
}

/**
 * The first and last day of the one month a message names ("back in august", "en junio"): the
 * reading's rough date is that month's last day, or today in this month.
 */
export function monthTold(t: Turn): [string, string] | undefined {
  const latest = t.event.reading?.month !== undefined ? t.event.reading.filedRoughly : undefined;
  const first = latest ? DateTime.fromISO(latest).startOf('month').toISODate() : undefined;
  return latest && first ? [first, latest] : undefined;
}
