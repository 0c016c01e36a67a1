import { DateTime } from 'luxon';
import { boundText } from '../understanding/bound.js';
import { correctsInWords } from '../understanding/cues.js';
import { dateLanguage } from '../understanding/date-language.js';
import { foldingOf } from '../understanding/folding.js';
import { type MessageCues, messageCues, tellsSeveral } from '../understanding/message-cues.js';
import { zoneForState } from '../understanding/place.js';
import { readMessage } from '../understanding/reading.js';
import { roughDateWords, weekdaysToldPast } from '../understanding/rough-date.js';
import { pickIntent, type Understood } from '../understanding/understand.js';
import {
  correctedNumber,
  NUMERIC_DATE,
  nextDayOfMonth,
  onTwelveHourClock,
  withoutDeniedTimes,
} from '../understanding/when.js';
import { partsByWhose, type WhosePart } from '../understanding/whose-parts.js';
import { dayHasPassed, detailsIn, type Found } from './appointments.js';
import type { Flows } from './content.js';
import type { Told } from './dialogue/types.js';
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
  /** The zone a message is read in before the place is known, when its number tells none. */
  zone: string;
}

/** The message as the service reads it (its body bounded already). */
export interface ArrivedMessage {
  body: string;
  channel: Channel;
  receivedAt: Date;
  /** The US state the number is from (Twilio's FromState), if sent: personal data, never kept. */
  fromState?: string | undefined;
}

/**
 * The zone "today at 3:50 pm" is read in before the place is told: the one of the state the number
 * is from, else the default. A hint only: whether it has passed waits for the place (appointments.ts).
 */
function readingZone(readers: EventReaders, message: ArrivedMessage): string {
  return (message.fromState ? zoneForState(message.fromState)?.zone : undefined) ?? readers.zone;
}

/**
 * The readers of one message, each text's dates read once: the filing date, a missed day, a span
 * and the appointment's details may all ask for the same message's (chrono is a turn's dearest step).
 */
function readingOnce(readers: EventReaders): EventReaders {
  const find = readers.findDetails;
  if (!find) return readers;
  const read = new Map<string, Found>();
  return {
    ...readers,
    findDetails: (text, now, zone, lang) => {
      const key = `${now.getTime()} ${zone} ${lang} ${text}`;
      let found = read.get(key);
      if (!found) {
        found = find(text, now, zone, lang);
        read.set(key, found);
      }
      return found;
    },
  };
}

/** At the topics, not in the middle of something: no command, no number. */
function atMenuOf(state: string, understood: Understood): boolean {
  return (state === 'active' || state === 'new') && !understood.command && understood.number === undefined;
}

/** A date told alone further ahead than this is not taken for an appointment (about six months). */
const DAY_MS = 24 * 3600 * 1000;
const FAR_AHEAD_MS = 183 * DAY_MS;
/** The topics graph.yaml marks `capture`, `last_minute` and `not_went`, looked up once per content. */
interface Flagged {
  capture?: string;
  lastMinute?: string;
  notWent?: string;
}
const flaggedByFlows = new WeakMap<Flows, Flagged>();
function flaggedNodes(flows: Flows): Flagged {
  let flagged = flaggedByFlows.get(flows);
  if (!flagged) {
    const nodes = [...flows.nodes.values()];
    const capture = nodes.find((node) => node.capture)?.id;
    const lastMinute = nodes.find((node) => node.lastMinute)?.id;
    const notWent = nodes.find((node) => node.notWent)?.id;
    flagged = {
      ...(capture ? { capture } : {}),
      ...(lastMinute ? { lastMinute } : {}),
      ...(notWent ? { notWent } : {}),
    };
    flaggedByFlows.set(flows, flagged);
  }
  return flagged;
}

/** Whether a question's choices are spans of time ("How long ago was it?": `ago` in graph.yaml). */
function asksSpan(flows: Flows, node: string): boolean {
  return flows.nodes.get(node)?.choices.some((c) => c.ago !== undefined) === true;
}

/** Whether the message answers, or leads to, a question whose choices are spans of time. */
function spanQuestion(flows: Flows, context: ConversationContext, understood: Understood): boolean {
  // While an appointment is being collected, a day told is its day ("jeudi prochain" at "What
  // date?"), whatever topic its words also name.
  if (understood.span !== undefined || context.draft) return false;
  if (context.asking) return asksSpan(flows, context.node);
  const pick = pickIntent(understood.intents);
  return pick.kind === 'sure' && asksSpan(flows, pick.node);
}

/**
 * "wait sorry, i look my note, it is 13 not 12. same time", at the read-back of January 12 at
 * 9:30: the number said wrong is the day told, not the hour, so the number put right is a day of
 * the same month (blind try 24 got "January 12 at 1:00 PM").
 */
function dayPutRight(
  readers: EventReaders,
  message: ArrivedMessage,
  context: ConversationContext,
  found: Found,
): Found {
  const draft = context.draft;
  if (!draft?.date || found.date || !found.time) return found;
  const language = dateLanguage(readers.flows, context.lang);
  const day = Number(draft.date.slice(8, 10));
  const hour = draft.time ? onTwelveHourClock(Number(draft.time.slice(0, 2))) : undefined;
  const corrected = correctedNumber(message.body, language);
  if (!corrected || corrected.denied !== day || hour === day) return found;
  const date = DateTime.fromISO(draft.date).set({ day: corrected.said });
  if (!date.isValid || date.day !== corrected.said) return found;
  const { time: _time, ...rest } = found;
  return { ...rest, date: date.toISODate()! };
}

/**
 * At "What time is the appointment?", a time written with no word before it ("9", "8 30 in the
 * morning") is the time: read as if the language's word for "at" came first ("at", "a las", "à").
 * At "What is the new date or time?", so is an hour run together with its minutes ("930"):
 * "9" there may be a day.
 */
function timeAsked(
  readers: EventReaders,
  message: ArrivedMessage,
  context: ConversationContext,
  zone: string,
  found: Found,
): Found {
  const step = context.draft?.step;
  const runTogether = step === 'edit' && !found.date && /^\s*\d{3,4}\s*$/.test(message.body);
  if ((step !== 'time' && !runTogether) || found.time || !/\d/.test(message.body)) return found;
  const lead = readers.flows.packs.get(context.lang)?.cues.timesOfDay.before[0];
  if (!lead || !readers.findDetails) return found;
  const time = readers.findDetails(`${lead} ${message.body}`, message.receivedAt, zone, context.lang).time;
  return time ? { ...found, time } : found;
}

/**
 * The days since a day the message names that has passed ("last thursday", "el 3 de noviembre");
 * a day found ahead within a week that is one of `back` (weekdays, 1 Monday) is last week's. By
 * default the one weekday named.
 */
function spanSince(
  readers: EventReaders,
  message: ArrivedMessage,
  base: InboundEvent,
  lang: string,
  back: number[] = base.reading?.weekday === undefined ? [] : [base.reading.weekday],
): number | undefined {
  const zone = base.defaultZone ?? readers.zone;
  const found = readers.findDetails?.(message.body, message.receivedAt, zone, lang);
  if (!found?.date) return undefined;
  const today = DateTime.fromJSDate(message.receivedAt, { zone }).startOf('day');
  let day = DateTime.fromISO(found.date, { zone });
  // "i didnt go on monday": asked how long ago, a weekday is the last one (read ahead, it is next
  // week's); "i couldnt go on September 13", said in November, is this year's, not next year's.
  const ahead = day.diff(today, 'days').days;
  if (ahead >= 1 && ahead <= 7 && back.includes(day.weekday)) day = day.minus({ days: 7 });
  // (A day this far ahead in a message about something past is last year's.)
  else if (ahead * DAY_MS > FAR_AHEAD_MS && day.minus({ years: 1 }) < today) day = day.minus({ years: 1 });
  if (day >= today) return undefined;
  return Math.round(today.diff(day, 'days').days);
}

/** The longest ago a missed appointment is taken from a day named (older is likely another date). */
const MISSED_AT_MOST_DAYS = 3 * 365;

/**
 * Days since a missed appointment, when a message at the topics says they did not go and names a
 * day that has passed ("ayer era mi cita y no pude ir", "i didnt make it last tuesday").
 */
function notWentDaysAgo(
  readers: EventReaders,
  message: ArrivedMessage,
  state: string,
  base: InboundEvent,
  lang: string,
): number | undefined {
  const { understood } = base;
  // Or in the words of the cue for it ("me olvidé de mi cita del martes pasado").
  const notWent =
    ['not_went', 'cant_go', 'missed'].some((m) => (understood.means[m] ?? 0) > 0) ||
    understood.cues?.did_not_go === true;
  // "the status says they mailed it on the 3rd… nothing came": the day is the mailing's.
  if (!notWent || !atMenuOf(state, understood) || understood.cues?.status_says_sent) return undefined;
  if (!flaggedNodes(readers.flows).notWent) return undefined;
  // "si no puedo ir el martes" may be next Tuesday: a weekday alone is not read back here, unless
  // not going is told in the past ("the appointment was monday and i couldnt go": last Monday).
  // "se me paso la cita hace 2 meses", "no llegue … ya pasaron 3 semanas": a span told with the
  // words for not going (as typed: "faltan 2 semanas" is time to come), not the filing's.
  const spanTold = (understood.means.not_went ?? 0) > 0 && !understood.cues?.applied;
  const back = weekdaysToldPast(roughDateWords(readers.flows, lang), boundText(message.body));
  const days = spanSince(readers, message, base, lang, back) ?? (spanTold ? understood.span : undefined);
  return days !== undefined && days >= 1 && days <= MISSED_AT_MOST_DAYS ? days : undefined;
}

/** The day a message names, as read at its arrival. */
function daySaid(
  readers: EventReaders,
  message: ArrivedMessage,
  base: InboundEvent,
  lang: string,
): string | undefined {
  const zone = base.defaultZone ?? readers.zone;
  return readers.findDetails?.(message.body, message.receivedAt, zone, lang)?.date;
}

/**
 * The day an application was sent: "i gave my i-589 in court on June 25", said in November, is
 * this year's, not next year's (the reader takes a day with no year as the next one; an
 * application sent is never ahead).
 */
function filedDaySaid(
  readers: EventReaders,
  message: ArrivedMessage,
  base: InboundEvent,
  lang: string,
): string | undefined {
  const date = daySaid(readers, message, base, lang);
  if (!date) return undefined;
  const today = DateTime.fromJSDate(message.receivedAt, {
    zone: base.defaultZone ?? readers.zone,
  }).toISODate()!;
  return date > today ? DateTime.fromISO(date).minus({ years: 1 }).toISODate()! : date;
}

/**
 * The language a message is read in: the one it is plainly written in, else the conversation's.
 * A leaning only ("le 5 mars a 10h" leans to Spanish by "le" and "a") counts before the first
 * reply, when the conversation has no language of its own yet.
 */
function readingLanguage(flows: Flows, understood: Understood, fallback: string, state: string): string {
  const leaning = state === 'new' || understood.language?.confident;
  const code = (leaning ? understood.language?.code : undefined) ?? understood.command?.from;
  return code && flows.packs.has(code) ? code : fallback;
}

/** The event for a message that arrived in a conversation in `state` with `context`. */
export function inboundEvent(
  given: EventReaders,
  message: ArrivedMessage,
  state: string,
  context: ConversationContext,
  understood: Understood,
): InboundEvent {
  const readers = readingOnce(given);
  const lang = readingLanguage(readers.flows, understood, context.lang, state);
  const cues = messageCues(readers.flows, lang);
  // In the event only, never stored: a name may be read from it while collecting.
  const text = message.body.slice(0, 200);
  const base: InboundEvent = {
    type: 'INBOUND',
    understood,
    channel: message.channel,
    now: message.receivedAt.toISOString(),
    defaultZone: readingZone(readers, message),
    text,
    reading: readMessage(readers.flows, lang, text, message.receivedAt.toISOString().slice(0, 10)),
    // "no!! my appt time is 11:30 not 10:30": the time said to be wrong is no second appointment;
    // "me and my husband… i got my notice but he didnt get anything": a notice that did not come
    // is no appointment to save (blind try 17).
    ...(!understood.cues?.not_received &&
    tellsSeveral(cues, message.body) &&
    tellsSeveral(cues, withoutDeniedTimes(message.body, dateLanguage(readers.flows, lang)))
      ? { several: true }
      : {}),
  };
  // "I applied on August 3": kept for when weekly checks start, so that it is not asked again.
  // (Not a notice the status says was mailed: "la notice a été envoyée le 3 novembre".)
  const filedOn =
    understood.cues?.applied && !understood.cues.status_says_sent && !context.weekly?.filed
      ? filedDaySaid(readers, message, base, lang)
      : undefined;
  if (filedOn) base.filedOn = filedOn;
  // "ayer era mi cita y no pude ir": they did not go, and when.
  const missedDaysAgo = notWentDaysAgo(readers, message, state, base, lang);
  if (missedDaysAgo !== undefined) base.missedDaysAgo = missedDaysAgo;
  // "6 weeks" to "How long ago was your appointment?": a span of time, not a date to save.
  if (understood.span !== undefined && context.asking && asksSpan(readers.flows, context.node)) return base;
  // "last thursday" to it, or "i missed my appointment last thursday": the days since, not asked again.
  const span = spanQuestion(readers.flows, context, understood)
    ? spanSince(readers, message, base, lang)
    : undefined;
  if (span !== undefined) return { ...base, understood: { ...understood, span } };
  return (
    lastMinuteEvent(readers, cues, message, state, base, lang) ??
    // Dates read in the message's own language: "jai envoye mon dossier il y a 2 mois" in an
    // English conversation is no Monday at 2 pm.
    withDetails(readers, cues, message, state, { ...context, lang }, base)
  );
}

/**
 * "my appointment is TODAY and I can't go", "tengo la sita oy y no puedo ir": the way that
 * works within 12 hours (the topic marked last_minute), at once; no reminders offered.
 */
function lastMinuteEvent(
  readers: EventReaders,
  cues: MessageCues,
  message: ArrivedMessage,
  state: string,
  base: InboundEvent,
  lang: string,
): InboundEvent | undefined {
  const { understood } = base;
  const { lastMinute } = flaggedNodes(readers.flows);
  if (
    !atMenuOf(state, understood) ||
    !lastMinute ||
    // "the appointment was monday and i couldnt go. today is wednesday": missed, days ago.
    base.missedDaysAgo !== undefined ||
    // "im stuck in traffic gonna be late": on the way, not unable to go; "…today, the date
    // already passed": today is when they learned of it.
    understood.cues?.running_late === true ||
    understood.cues?.date_gone === true ||
    // "mon rdv c dans 3h": a time counted from now is today too.
    !(cues.today.test(message.body) || dateLanguage(readers.flows, lang).rules.fromNow.test(message.body)) ||
    !cues.appointment.test(message.body) ||
    !((understood.means.cant_go ?? 0) > 0 || (understood.means.trouble ?? 0) > 0) ||
    troubleOfAnotherTopic(readers.flows, understood, lastMinute)
  )
    return undefined;
  // "mon rdv c'était hier… je sors seulement aujourd'hui de l'hôpital": today is not the
  // appointment's day; it has passed (fresh13).
  const day = daySaid(readers, message, base, lang);
  const today = DateTime.fromJSDate(message.receivedAt, {
    zone: base.defaultZone ?? readers.zone,
  }).toISODate();
  if (day !== undefined && today !== null && day < today) return undefined;
  return { ...base, lastMinute: true };
}

/**
 * "appointment is in 10 minutes and i cant find the building": a trouble on the way that another
 * topic answers (not one that leads to the last-minute way), and no word of not going.
 */
function troubleOfAnotherTopic(flows: Flows, understood: Understood, lastMinute: string): boolean {
  if ((understood.means.cant_go ?? 0) > 0) return false;
  const pick = pickIntent(understood.topics ?? understood.intents);
  if (pick.kind !== 'sure' || pick.node === lastMinute) return false;
  return !flows.nodes.get(pick.node)?.choices.some((c) => c.to === lastMinute);
}

/** Whether the message may tell an appointment (or a date asked for): then its dates are read. */
function mayTellDate(
  readers: EventReaders,
  cues: MessageCues,
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
  // "a letter for fingerprints on dec 18 at 2pm": the fingerprints named are the appointment's too.
  const tellsAppointment =
    atMenu &&
    /\d/.test(message.body) &&
    (another || dateOnly || cues.appointment.test(message.body) || understood.cues?.bio_words === true);
  // Right after saving, or while choosing a saved one, a date or time changes it.
  const wantsDate =
    state === 'capturing' ||
    state === 'askingFiled' ||
    state === 'managing' ||
    context.justSaved !== undefined ||
    (context.appointments.length > 0 && (understood.means.changed ?? 0) > 0) ||
    // "oh wait i looked again its 10:30 not 9", "no!! its 10:30" later on: a saved one put right.
    (context.appointments.length > 0 && correctsInWords(understood.cues) && /\d/.test(message.body)) ||
    asksForReminder ||
    tellsAppointment ||
    // "i applied on june 3" to "Want a text every week?": the filing date.
    (context.asking === true && /\d/.test(message.body));
  return { wantsDate, pick, another, dateOnly, tellsAppointment };
}

/** The event with the dates, times and places the message tells, and whether it tells an appointment. */
function withDetails(
  readers: EventReaders,
  cues: MessageCues,
  message: ArrivedMessage,
  state: string,
  context: ConversationContext,
  plain: InboundEvent,
): InboundEvent {
  const understood = plain.understood;
  const may = mayTellDate(readers, cues, message, state, context, understood);
  if (!readers.findDetails || !may.wantsDate) return plain;
  const zone = context.draft?.zone ?? plain.defaultZone ?? readers.zone;
  const { base, found } = detailsFound(readers, cues, message, context, zone, plain);
  // "its 4:44 right now" at "What time is it?": the clock, and nothing else (not "rights").
  if (found.clockNow && !detailsIn(found) && !message.body.includes('?'))
    return { ...base, found, understood: { ...understood, intents: [] } };
  const { capture } = flaggedNodes(readers.flows);
  // Only a plain telling of it: a message that asks something ("?", "what can I do"), names
  // a trouble ("I'm sick", "no puedo ir"), is about another topic, or tells a day that has
  // passed gets its answer first, and the offer of reminders after it.
  // News that it changed ("they gave me a new date") is a telling, even if it reads as rescheduling.
  // Asking for reminders in so many words ("recuérdame mi cita de mañana a las 8") is a
  // telling too, even when the words also fit a topic ("mañana" and the day of the appointment).
  // Said with its words ("recuérdame", "remind"), or the topic the words weigh most: "le rdv c
  // dans 30 min et je trouve pas l'adresse" weighs the lost way there, not reminders (fresh8).
  const top = understood.intents[0];
  const asksReminder =
    cues.remind.test(message.body) || (top !== undefined && top.node === capture && top.score >= 1);
  const asksElse =
    may.pick.kind === 'sure' &&
    may.pick.node !== capture &&
    !((understood.means.changed ?? 0) > 0) &&
    !asksReminder;
  // "…what do i need to bring and can you remind me": the wish for reminders does not hide a
  // question about another topic.
  const aboutTopic = may.pick.kind === 'sure' && may.pick.node !== capture;
  // "what time should she get there, appt is 9am": the phrases name nothing, the classifier does.
  const named =
    may.pick.kind !== 'none' ||
    (understood.topics !== undefined && pickIntent(understood.topics).kind === 'sure');
  const asks = asksSomething(readers.flows, cues, message.body, understood, named, aboutTopic);
  const gone =
    (understood.means.cant_go ?? 0) > 0 ||
    (found.date !== undefined && dayHasPassed(found.date, base.now!, context.draft?.zone));
  const told = capture !== undefined && tellsAppointment(cues, message, found, may, zone);
  if (told && !asksElse && !asks && !gone) {
    // A date and a time of their appointment: offer the reminders, starting from what they gave
    // (the dialogue reads `toldAppointment` as the topic: dialogue/turn.ts).
    return { ...base, found, toldAppointment: true };
  }
  return {
    ...base,
    found,
    ...(told && !gone ? { offerReminders: true } : {}),
    ...(cues.remind.test(message.body) ? { remindWords: true } : {}),
    ...(asks ? { asks: true } : {}),
  };
}

/** What the message tells of dates, times and places, and the event with the others it tells of. */
function detailsFound(
  readers: EventReaders,
  cues: MessageCues,
  message: ArrivedMessage,
  context: ConversationContext,
  zone: string,
  plain: InboundEvent,
): { base: InboundEvent; found: Found } {
  // "la mia a las 9 y la de el a las 9 y 20": each person's read in their own part.
  const people = peopleTold(readers, cues, message, zone, context.lang, context.draft?.date);
  const base = people
    ? {
        ...plain,
        several: true,
        others: people.others,
        ...(people.firstIsOwn ? { firstIsOwn: true as const } : {}),
      }
    : plain;
  const read =
    people?.first ?? readers.findDetails?.(message.body, message.receivedAt, zone, context.lang) ?? {};
  return {
    base,
    found: dayPutRight(readers, message, context, timeAsked(readers, message, context, zone, read)),
  };
}

/**
 * "el 3 de diciembre, la mia a las 9 y la de el a las 9 y 20": each person's date and time, read
 * in their own part (understanding/whose-parts.ts). The first, the person's own if one is, is
 * collected now; the others wait their turn. A part with no time tells the day or the place the
 * parts after it share ("el mismo dia" keeps the day before it).
 */
function peopleTold(
  readers: EventReaders,
  cues: MessageCues,
  message: ArrivedMessage,
  zone: string,
  lang: string,
  draftDate: string | undefined,
): { first: Found; firstIsOwn: boolean; others: Told[] } | undefined {
  const split = partsByWhose(cues, message.body);
  if (!split || !readers.findDetails) return undefined;
  const read = (text: string) => readers.findDetails!(text, message.receivedAt, zone, lang);
  const today = message.receivedAt.toISOString().slice(0, 10);
  // "mi esposa Rosa a las 8:30": the name said in that person's own part.
  const named = (text = '') => {
    const name = readMessage(readers.flows, lang, text, today).nameAfterFamily;
    return name ? { name } : {};
  };
  let shared = read(split.before);
  // Words before the parts that tell a time are an appointment of their own: the writer's, when
  // the parts name only other people ("tengo cita … a las 8 y mi esposa Rosa a las 8:30").
  const ownBefore = split.parts.every((p) => p.whose === 'other') ? ('own' as const) : undefined;
  const told: { whose?: WhosePart['whose']; text?: string; found: Found }[] = shared.time
    ? [{ ...(ownBefore ? { whose: ownBefore } : {}), found: shared }]
    : [];
  for (const part of split.parts) {
    const found = read(part.text);
    if (!found.time) {
      shared = { ...shared, ...found };
      continue;
    }
    const before = told.at(-1)?.found.date ?? shared.date ?? draftDate;
    // "hers is 01/05/2027": a date read two ways is asked about, not taken from the one before it.
    const date = found.ambiguous
      ? undefined
      : (dayBesideDate(found.date, part.text, before, readers.flows, lang) ?? before);
    const place = found.place ?? shared.place;
    told.push({
      whose: part.whose,
      text: part.text,
      found: { ...found, ...(date ? { date } : {}), ...(place ? { place } : {}) },
    });
  }
  if (told.length < 2) return undefined;
  // "mine at 8am and my wife's at 8:30, both in houston": a place said once is everyone's.
  const places = told.flatMap((p) => p.found.place ?? []);
  if (places.length === 1) for (const p of told) p.found = { ...p.found, place: places[0]! };
  const [first] = told.splice(
    Math.max(
      0,
      told.findIndex((p) => p.whose === 'own'),
    ),
    1,
  );
  return {
    first: first!.found,
    firstIsOwn: first!.whose === 'own',
    others: namedOthers(told, named(message.body), named),
  };
}

/**
 * "jan 6… my husband has one too, same place but on the 7th": a day of the month alone, told
 * beside another appointment's date, is the first such day on or after that date (read alone, the
 * 7th said on December 7 was that very day: blind try 21). A month or a numeric date keeps its own.
 */
function dayBesideDate(
  date: string | undefined,
  text: string,
  after: string | undefined,
  flows: Flows,
  lang: string,
): string | undefined {
  if (!date || !after || date >= after) return date;
  if (dateLanguage(flows, lang).monthNamed.test(text) || NUMERIC_DATE.test(text)) return date;
  const next = nextDayOfMonth(Number(date.slice(8, 10)), DateTime.fromISO(after));
  return next ? DateTime.fromObject(next).toISODate()! : date;
}

/**
 * The parts left to collect. "la de el": someone else's, whose first name is what is left to
 * ask, unless said in its part; the one other person of a message has the name said anywhere in
 * it ("me and my wife rosa… mine 8am hers 8:30").
 */
function namedOthers(
  told: { whose?: WhosePart['whose']; text?: string; found: Found }[],
  inMessage: { name?: string },
  named: (text?: string) => { name?: string },
): Told[] {
  const one = told.filter((p) => p.whose === 'other').length === 1 ? inMessage : {};
  return told.map((p) =>
    p.whose === 'other' ? { ...p.found, someoneElse: true as const, ...one, ...named(p.text) } : p.found,
  );
}

/** Whether a message asks something: a "?", a trouble, or question words that are no wish for reminders. */
function asksSomething(
  flows: Flows,
  cues: MessageCues,
  body: string,
  understood: Understood,
  named: boolean,
  aboutTopic: boolean,
): boolean {
  // "my appt is tomorow at 9am what do i bring", with no "?": a question too; "can you remind
  // me" alone is a wish, unless the words name another topic as well. A reason not to go ("pas
  // de voiture, personne peut m'amener le 22"), or a wish for another day, is a trouble told.
  return (
    body.includes('?') ||
    (understood.means.trouble ?? 0) > 0 ||
    understood.cues?.cant_attend === true ||
    // "my son tore the biometric letter 😭 appointment friday": the notice gone is a trouble too.
    understood.cues?.notice_gone === true ||
    // "they gave me a new date dec 14": news of a change, told, not a wish for one.
    (understood.cues?.change_asked === true && !((understood.means.changed ?? 0) > 0)) ||
    (foldingOf(flows).hasQuestionWords(body) && (!cues.remind.test(body) || aboutTopic) && named)
  );
}

/** Whether the message tells an appointment: a date, and a time or someone's, or a date alone. */
function tellsAppointment(
  cues: MessageCues,
  message: ArrivedMessage,
  found: Found,
  may: ReturnType<typeof mayTellDate>,
  zone: string,
): boolean {
  // "oct 1" alone, many months ahead, is more likely another date (when they applied)
  // than an appointment: only a date within six months counts without the word.
  const far =
    found.date !== undefined &&
    found.date > localDate(new Date(message.receivedAt.getTime() + FAR_AHEAD_MS), zone);
  const bare = may.dateOnly && !may.another && !cues.appointment.test(message.body);
  return (
    may.tellsAppointment &&
    (found.date !== undefined || found.ambiguous !== undefined) &&
    (found.time !== undefined || may.another || may.dateOnly) &&
    !(bare && far)
  );
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
