import { DateTime } from 'luxon';
import { assertEvent, assign, createActor, type SnapshotFrom, setup } from 'xstate';
import { foldText } from '../understanding/normalize.js';
import type { MessageReading } from '../understanding/reading.js';
import type { CommandName, RankedIntent, Understood } from '../understanding/understand.js';
import { pickIntent } from '../understanding/understand.js';
import {
  type Appointment,
  appointmentInstant,
  appointmentNamed,
  askAgain,
  type CaptureInput,
  type CaptureOutcome,
  confirmReply,
  continueCapture,
  type Draft,
  detailsIn,
  type Found,
  holdsSomething,
  startCapture,
  tellsOnly,
} from './appointments.js';
import { type Flows, type ReplyPart, SYSTEM_KEYS, type SystemKey } from './content.js';

/**
 * The conversation with one person. Pure: no I/O, no clock, no environment. Each INBOUND event
 * carries what the message said (understanding ran before); the transition leaves the reply and
 * any other effect as data in `context.effects`, which the service carries out after saving.
 *
 * Topic navigation is data-driven from flows/ (the current node lives in context); the states
 * are the modes that change what a message can do: new, active, confirmingDelete, optedOut.
 */
export const MACHINE_VERSION = 1;

export type Channel = 'sms' | 'whatsapp';

export type Effect =
  | { type: 'reply'; parts: ReplyPart[] }
  | { type: 'optOut' }
  | { type: 'optIn' }
  | { type: 'erase' }
  /** Schedule an appointment's reminders (replacing those of `previous`). */
  | { type: 'schedule'; appointment: Appointment; previous?: Appointment }
  | { type: 'cancel'; appointment: Appointment }
  /** Start (or continue after `after`, ISO) the weekly status checks. */
  | { type: 'weekly'; after?: string }
  | { type: 'stopWeekly' }
  /** Texts at 3 months and 150 days after the I-589 was sent ("YYYY-MM-DD"). */
  | { type: 'milestones'; filed: string }
  /** Text the person now, outside a reply (a reminder): through the outbound queue. */
  | {
      type: 'send';
      kind: string;
      parts: ReplyPart[];
      template?: { name: string; variables: Record<string, string> };
    };

export interface ConversationContext {
  lang: string;
  /** The node the person is at. */
  node: string;
  /** The node ids behind the numbers shown last: "1" picks offered[0]. */
  offered: string[];
  /** The last message asked a question whose answer words count. */
  asking: boolean;
  /** Messages in a row that were not understood. */
  misses: number;
  /** Appointments the person told us about. */
  appointments: Appointment[];
  /** An appointment being collected, while in the `capturing` state. */
  draft?: Draft;
  /** Weekly status checks while waiting for a notice; `filed`: when the I-589 was sent. */
  weekly?: { active: boolean; filed?: string };
  /** Just turned weekly checks on: the next message may be the filing date. */
  askingFiled?: boolean;
  /** The filing date was asked a second time already (one more try, then the menu). */
  filedAgain?: boolean;
  /** Choosing among saved appointments, while in the `managing` state. */
  managing?: { step: 'pick' } | { step: 'action'; id: string };
  /** The appointment saved by the last message: a date or time in the next one corrects it. */
  justSaved?: string;
  /** The topic the last message showed: asked again at once, its text is not sent twice. */
  shown?: string;
  /** Reminders were offered for the appointment the last message told: a "yes" now collects it. */
  offer?: Found;
  /** The channel of the last message, for texts sent later. */
  channel?: Channel;
  /** What the last event asks the service to do. Replaced on every event. */
  effects: Effect[];
}

export interface InboundEvent {
  type: 'INBOUND';
  understood: Understood;
  channel: Channel;
  /** When it arrived, ISO (the machine reads no clock). */
  now?: string;
  /** Dates, times and places in the message, when the service looked (while collecting an appointment). */
  found?: Found;
  /** Zone for "has it passed?" before the place is known. */
  defaultZone?: string;
  /** The message as typed (for a name), when the service passes it. */
  text?: string;
  /** It told an appointment's date and time while asking something else: answer, then offer reminders. */
  offerReminders?: boolean;
  /** It asks something ("?", "what should I do", a trouble), beyond telling a date. */
  asks?: boolean;
  /** It holds several times ("mine at 9, hers at 9:30, my son's at 1pm"): one is collected at a time. */
  several?: boolean;
  /** The appointment is today and they cannot go: the call-now steps, without other ways offered. */
  lastMinute?: boolean;
  /** Names and rough dates the message holds, read with its language's words (understanding/reading.ts). */
  reading?: MessageReading;
  /** It tells an appointment's date and time and asks nothing else (the capture intent is put first too). */
  toldAppointment?: boolean;
}
/** Twilio said the number unsubscribed (error 21610): stop, without texting them about it. */
export interface CarrierOptOutEvent {
  type: 'CARRIER_OPT_OUT';
}
/** A scheduled reminder's time has come. Stale versions and opted-out people get nothing. */
export interface ReminderDueEvent {
  type: 'REMINDER_DUE';
  appointmentId: string;
  version: number;
  kind: 'first' | 'reminder' | 'followup';
}
/** A weekly status check is due (`at`: when it was planned, ISO). */
export interface WeeklyDueEvent {
  type: 'WEEKLY_DUE';
  at: string;
}
/** 3 months or 150 days since the I-589 was sent. */
export interface MilestoneDueEvent {
  type: 'MILESTONE_DUE';
  kind: '3m' | '150d';
  /** The filing date the text was planned from; one planned from another date sends nothing. */
  filed?: string;
}
export type ConversationEvent =
  | InboundEvent
  | CarrierOptOutEvent
  | ReminderDueEvent
  | WeeklyDueEvent
  | MilestoneDueEvent;

export interface MachineInput {
  lang: string;
}

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

/**
 * "same day", "misma oficina": the date or the place of the appointment saved last, when the
 * message does not give its own ("my wife's is at 11, same day").
 */
function withSame(ctx: ConversationContext, event: InboundEvent): InboundEvent {
  const { means } = event.understood;
  const sameDay = (means.same_day ?? 0) > 0;
  const samePlace = (means.same_place ?? 0) > 0;
  if (!sameDay && !samePlace) return event;
  const last = ctx.appointments.find((a) => a.id === ctx.justSaved) ?? ctx.appointments.at(-1);
  if (!last) return event;
  const found: Found = { ...event.found };
  if (sameDay && !found.date && !found.ambiguous) found.date = last.date;
  if (samePlace && !found.place) found.place = { label: last.place, zone: last.zone };
  return { ...event, found };
}

/**
 * Questions about Huella itself, by answer list, and the system text that answers each:
 * "will you tell ICE?", "do Kevin's reminders come to me?", "is this free?", "when will you remind me?".
 */
const HUELLA_ANSWERS: [means: string, reply: SystemKey][] = [
  ['privacy', 'privacy_reply'],
  ['reminders_where', 'reminders_where_reply'],
  ['free_service', 'free_reply'],
  ['when_remind', 'reminders_when'],
];

/** The answer to a question about Huella itself, if the message asks one. */
function huellaAnswer(u: Understood): SystemKey | undefined {
  return HUELLA_ANSWERS.find(([means]) => (u.means[means] ?? 0) > 0)?.[1];
}

/** A spouse or a child, named by the relation. */
const FAMILY_WORD =
  /\b(?:son|daughter|wife|husband|kid|kids|child|baby|hijo|hija|hijos|esposo|esposa|marido|mujer|nino|nina|bebe)\b/;
/** "aplique", "i applied", "mande el asilo": a date told with these is when they applied. */
const APPLIED =
  /\b(?:aplique|aplicamos|mande|mandamos|envie|enviamos|meti|metimos|applied|filed|sent|submitted|mailed)\b/;
/** "y si…", "pero si…", "and if…", "what if…": a question that holds a "si". */
const WHAT_IF = /^\W*(?:y|pero|and|but|what|que|qué)\s+(?:si|sí|if)\b/i;

/** A weekday and nothing else: "los lunes", "on mondays", "el martes". */
const WEEKDAY_ONLY =
  /^\W*(?:(?:los|el|on|every|cada)\s+)?(?:lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bados?|domingos?|mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?)\W*$/i;

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

function paramsOf(a: Appointment) {
  return { date: a.date, time: a.time, zone: a.zone, place: a.place, ...(a.name ? { name: a.name } : {}) };
}

/**
 * How much a topic the person was just shown counts extra, when the message points at it (a score
 * of at least CONTEXT_MIN, a good part of one word's vote): "y q les digo" right after the steps to
 * reschedule by phone is about those steps, not about calling for a receipt. Less than the margin
 * between two topics, so a clear new question still wins and a close call becomes "did you
 * mean…?"; and a message that barely touches the topic is not made into one about it.
 */
const CONTEXT_WEIGHT = 1;
const CONTEXT_MIN = 0.25;

/** The ranked topics of a message, the one just shown moved up by CONTEXT_WEIGHT if the message points at it. */
function inContext(intents: RankedIntent[], current: string): RankedIntent[] {
  if (!intents.some((i) => i.node === current && i.score >= CONTEXT_MIN)) return intents;
  return intents
    .map((i) => (i.node === current ? { ...i, score: i.score + CONTEXT_WEIGHT } : i))
    .sort((a, b) => b.score - a.score);
}

/** A sad or crying face sent alone: a feeling, answered with a kind word, not "okay". */
const SAD_FACE = /[😢😭😞😔😟😥😰😿💔☹🙁😩😫😓]/u;

/** A pictograph with no words ("👍", "🙏"): a nod, not a question. */
const PICTOGRAPH = /\p{Extended_Pictographic}/u;

/** Whether a short message is mostly one of the answer lists ("ok", "hola buenas", "si"). */
function mostly(u: Understood, means: string): boolean {
  const longest = u.means[means] ?? 0;
  const size = u.size ?? 0;
  // A bare "no" must be the whole message: "no entiendo" is not a nod.
  const slack = means === 'no' ? 0 : 1;
  return longest > 0 && size <= 4 && longest >= size - slack;
}

/** Whether what a message names (a date, a place) fits a saved appointment; a change's new time always fits. */
function matches(appointment: Appointment, found: Found | undefined): boolean {
  if (!found) return true;
  if (found.date && found.date !== appointment.date && !found.time) return false;
  if (found.place && found.place.label !== appointment.place) {
    const state = (label: string) => label.slice(-2);
    if (state(found.place.label) !== state(appointment.place)) return false;
  }
  return true;
}

/** "recordatorios de maria", "reminders of luis": someone's reminders, by name (not "de mis citas", "for tomorrow"). */
const REMINDERS_OF_SOMEONE =
  /\b(?:recordatorios?|reminders?)\s+(?:de|del|for|of|para)\s+(?!(?:mis|las|los|una|uno|esta|esa|este|ese|todas|todos|cada|the|this|that|all|each|every|cita|citas|huellas|biometricos|appointment|appointments|appt|appts|fingerprints?|biometrics|tomorrow|today|hoy|manana|ahora|now|nuevo|nueva|favor)\b)\p{L}{3,}/u;

/** "me and my wife…", "yo y mis hijos…": the person's own appointment named first, with others'. */
const SELF_AND_OTHERS =
  /\b(?:me|myself|mine|yo|la mia|el mio)\s+(?:and|y|e|n|&)\s+(?:my|mi|mis|the|la|el|los)\b/;

/**
 * "borrar" or "delete" alone, under "2 Turn off its reminders" (one appointment chosen from the
 * list): that, not DELETE. DELETE is no carrier's word; "borrar mis datos" still asks to erase all.
 */
function turnsOffChosen(managing: ConversationContext['managing'], u: Understood): boolean {
  return (
    u.command?.name === 'delete' &&
    managing?.step === 'action' &&
    (u.means.cancel ?? 0) > 0 &&
    (u.size ?? 2) <= 1
  );
}

/** "the old one", "la vieja", "la anterior": an appointment before it was moved. */
const OLD_ONE = /\b(?:old|older|previous|first one|vieja|viejo|anterior|la de antes|la primera)\b/;

/** Words of someone putting right what they just said: "wait", "sorry", "me equivoqué", "no es". */
const CORRECTING =
  /\b(?:wait|sorry|actually|oops|i mean|perdon|espera|espere|me equivoque|me confundi|no es|its not|not the)\b/;

/** What an inbound message said; any other event here is a wiring mistake. */
function said(event: ConversationEvent): Understood {
  assertEvent(event, 'INBOUND');
  return event.understood;
}

export function createConversationMachine(flows: Flows) {
  const menuChoices = (): string[] => flows.nodes.get(flows.menu)?.choices.map((c) => c.to) ?? [];
  const lastMinuteNode = [...flows.nodes.values()].find((n) => n.lastMinute)?.id;
  /** The topic that lists the saved appointments (marked `manage` in graph.yaml). */
  const listNode = [...flows.nodes.values()].find((n) => n.manage);

  /** Moves to a node and shows it with its numbered choices. */
  const goTo = (ctx: ConversationContext, id: string, lead?: SystemKey) => {
    const node = flows.nodes.get(id) ?? flows.nodes.get(flows.menu)!;
    const part = nodePart(flows, node.id, lead);
    return { ctx: { ...ctx, node: node.id, offered: part.choices!.to, asking: node.ask, misses: 0 }, part };
  };

  const languageOf = (u: Understood, fallback: string): string => {
    if (u.language && flows.packs.has(u.language.code)) return u.language.code;
    const from = u.command?.from;
    return from && flows.packs.has(from) ? from : fallback;
  };

  /** Handles a message in the active conversation: commands, numbers, answers, topics. */
  const respond = (start: ConversationContext, said: InboundEvent): ConversationContext => {
    const event = withSame(start, said);
    const u = event.understood;
    const justSaved = start.appointments.find((a) => a.id === start.justSaved);
    let ctx: ConversationContext = {
      ...start,
      channel: event.channel,
      justSaved: undefined,
      shown: undefined,
      offer: undefined,
    };
    const parts: ReplyPart[] = [];
    // An appointment saved for the next 12 hours: online rescheduling does not work any more.
    const withinHours = (hours: number) =>
      ctx.appointments.some((a) => {
        const at = appointmentInstant(a);
        const now = DateTime.fromISO(event.now ?? '');
        return at !== undefined && now.isValid && at > now && at.diff(now, 'hours').hours < hours;
      });
    const show = (shown: string, lead?: SystemKey) => {
      // "How do you want to change it? By phone or online" with the appointment hours away: the
      // phone, at once (the seed: online does not work within 12 hours).
      const soon =
        lastMinuteNode !== undefined &&
        flows.nodes.get(shown)?.choices.some((c) => c.to === lastMinuteNode) === true &&
        withinHours(12);
      const id = soon ? lastMinuteNode! : shown;
      if (flows.nodes.get(id)?.savedFirst && ctx.appointments.length > 0) {
        // "When is my appointment?" from someone who told us: say it first.
        const soonest = [...ctx.appointments].sort((a, b) =>
          (a.date + a.time).localeCompare(b.date + b.time),
        )[0]!;
        parts.push({ say: { system: 'appt_you_have' }, params: paramsOf(soonest) });
      }
      if (flows.nodes.get(id)?.capture) {
        // "my appointment is December 5 at 6:22 PM", as saved already: not another one to add.
        const same = toldAgain();
        if (same) return sayAlreadySaved(same);
        // "Remind me": collect the appointment instead of showing a text; after "Want reminders?"
        // ("can u remind me pls"), from what the message before told, as "yes" would.
        const input = captureInput(event);
        const told = start.offer && !detailsIn(event.found) ? { ...input, found: start.offer } : input;
        ctx = applyCapture(ctx, startCapture(told, undefined, ctx.appointments.length), parts);
        return;
      }
      if (flows.nodes.get(id)?.manage) {
        ctx = listAppointments(ctx, id, parts);
        return;
      }
      if (flows.nodes.get(id)?.weekly) {
        const moved = goTo(ctx, id);
        parts.push(moved.part);
        ctx = {
          ...moved.ctx,
          weekly: { ...ctx.weekly, active: true },
          askingFiled: true,
          effects: ctx.weekly?.active ? ctx.effects : [...ctx.effects, { type: 'weekly' }],
        };
        return;
      }
      const goneTo = goTo(ctx, id, lead);
      // Today: online does not work within 12 hours, so "do it online instead" is not offered.
      const moved =
        (event.lastMinute || soon) && flows.nodes.get(id)?.lastMinute
          ? {
              ctx: { ...goneTo.ctx, offered: [] },
              part: { ...goneTo.part, choices: { ...goneTo.part.choices!, to: [] } },
            }
          : goneTo;
      ctx = id === flows.menu ? moved.ctx : { ...moved.ctx, shown: id };
      // The same topic again right after it ("now it wants a code" after the password text): what
      // the information says, again, with a line that says so ("I know no more" alone read as a
      // dead end, and sent technical questions to legal aid).
      const again = id !== flows.menu && id === start.shown && !lead && !flows.nodes.get(id)?.ask;
      // "change the time to 10:45" from someone with one saved: how to move it with USCIS, and
      // how to fix only what they told Huella.
      if (!again && flows.nodes.get(id)?.savedHint && ctx.appointments.length > 0)
        parts.push({ say: { system: 'appt_fix_hint' } });
      parts.push(again ? { ...moved.part, lead: 'same_topic' } : moved.part);
    };
    const done = () => {
      // "mine dec 1 9am, hers dec 1 9:30…": say that one is saved at a time, before the first question.
      if (event.several && ctx.draft && !start.draft)
        parts.unshift({ say: { system: 'appt_one_at_a_time' } });
      if (event.offerReminders && !ctx.draft) {
        parts.push({ say: { system: 'appt_offer' } });
        ctx = { ...ctx, offer: event.found ?? {} };
      }
      return { ...ctx, effects: [...ctx.effects, { type: 'reply' as const, parts }] };
    };

    if (u.language?.confident && u.language.code !== ctx.lang && flows.packs.has(u.language.code)) {
      ctx = { ...ctx, lang: u.language.code };
    } else if (u.command?.from && u.command.from !== ctx.lang && flows.packs.has(u.command.from)) {
      // "AYUDA" in an English conversation: answer in the language of the word.
      ctx = { ...ctx, lang: u.command.from };
    }
    if (!u.hasWords) {
      if (u.media === 0 && SAD_FACE.test(event.text ?? '')) {
        parts.push({ say: { system: 'comfort_reply' } });
        return done();
      }
      if (u.media === 0 && PICTOGRAPH.test(event.text ?? '')) {
        parts.push({ say: { system: 'ack_reply' } });
        return done();
      }
      show(flows.menu, u.media > 0 ? 'media' : 'no_words');
      return done();
    }
    if (u.media > 0) parts.push({ say: { system: 'media' } });

    const command: CommandName | undefined = u.command?.name;
    if (command === 'help') {
      parts.push({ say: { system: 'help' } });
      return done();
    }
    if (command === 'menu' || command === 'start' || u.number === 0) {
      show(flows.menu);
      return done();
    }
    if (command === 'appointments' && listNode) {
      show(listNode.id);
      return done();
    }
    if (command === 'language' && u.command?.lang && flows.packs.has(u.command.lang)) {
      ctx = { ...ctx, lang: u.command.lang };
      show(flows.menu, 'language_set');
      return done();
    }
    if (u.number !== undefined) {
      // A number beyond the choices shown is the main menu's (its numbers stay the same
      // everywhere): "9" under a three-choice topic is "Remind me".
      const target = ctx.offered[u.number - 1] ?? (ctx.asking ? undefined : menuChoices()[u.number - 1]);
      if (target) show(target);
      else reask();
      return done();
    }
    // "aplique en marzo", "hace como 4 meses" to "Want a text every week?": a yes, and the date.
    const weeklyChoice = ctx.asking
      ? flows.nodes.get(ctx.node)?.choices.find((c) => flows.nodes.get(c.to)?.weekly)
      : undefined;
    const typed = event.text ?? '';
    if (
      weeklyChoice &&
      !u.command &&
      u.number === undefined &&
      (event.reading?.filedRoughly !== undefined ||
        (event.found?.date !== undefined && APPLIED.test(foldText(typed))))
    ) {
      show(weeklyChoice.to);
      const last = parts.pop();
      if (last) parts.push({ ...last, firstOnly: true });
      return filed(done(), event);
    }
    // "hace 2 meses, más de unas semanas", "like 3 weeks ago" to "How long ago was it?": the
    // choice whose span holds it, before answer words (it held both "más" and "unas semanas")
    // and topics ("semanas" reads like the weekly texts).
    const spanned = ctx.asking && u.span !== undefined ? choiceForSpan(ctx.node, u.span) : undefined;
    if (spanned) {
      show(spanned);
      return done();
    }
    const answer = ctx.asking ? pickAnswer(ctx.node, u, event.text ?? '') : undefined;
    if (answer) {
      show(answer);
      return done();
    }
    // A "no" in a longer message ("no entiendo") is not a nod.
    const nod = ['ack', 'yes', 'no'].some((m) => mostly(u, m)) && (!(u.means.no ?? 0) || mostly(u, 'no'));
    // "stop the weekly messages": the weekly checks end, and nothing else does.
    const stopWeekly = () => {
      const on = ctx.weekly?.active === true;
      parts.push({ say: { system: on ? 'weekly_stopped' : 'weekly_not_on' } });
      if (on) {
        ctx = {
          ...ctx,
          weekly: { ...ctx.weekly, active: false },
          effects: [...ctx.effects, { type: 'stopWeekly' }],
        };
      }
      return done();
    };
    if ((u.means.weekly_stop ?? 0) > 0) return stopWeekly();
    // "what did u save", "q guardaste": the saved appointments.
    if ((u.means.saved_what ?? 0) > 0 && listNode) {
      show(listNode.id);
      return done();
    }
    // "stop reminders but keep the chat", "ya no me mandes recordatorios", "parar recordatorios de
    // maria": the reminders of the one named, or of the only one, end; the chat stays. With
    // several saved (or someone named who has none), the list, to choose; nothing saved, weekly
    // checks on: those end.
    if ((u.means.stop_reminders ?? 0) > 0 && !typed.includes('?')) {
      const named = appointmentNamed(typed, ctx.appointments);
      const other =
        (u.means.family ?? 0) > 0 ||
        event.reading?.nameMentioned !== undefined ||
        event.reading?.nameAfterWord !== undefined ||
        REMINDERS_OF_SOMEONE.test(foldText(typed));
      const chosen = named ?? (!other && ctx.appointments.length === 1 ? ctx.appointments[0] : undefined);
      if (chosen)
        return cancelAppointment(ctx, chosen, parts, (next) => {
          ctx = next;
          return done();
        });
      if (ctx.appointments.length > 0 && listNode) {
        show(listNode.id);
        return done();
      }
      if (ctx.weekly?.active) return stopWeekly();
      parts.push({ say: { system: 'appt_none' } });
      return done();
    }
    // A question about Huella itself ("will you tell ICE?", "is this free?"): its own answer.
    const aboutHuella = huellaAnswer(u);
    if (aboutHuella) {
      parts.push({ say: { system: aboutHuella } });
      return done();
    }
    // "si" to "Want reminders before your appointment?": collect it, from what that message told.
    if (start.offer && nod && !(u.means.no ?? 0) && pickIntent(u.intents).kind !== 'sure') {
      const input = { ...captureInput(event), found: start.offer, yes: false, no: false };
      ctx = applyCapture(ctx, startCapture(input, undefined, ctx.appointments.length), parts);
      return done();
    }
    // "ok" after a topic is a nod, even where the topic's own phrases hold the word ("is my ead ok").
    const picked =
      nod && !ctx.asking && pickIntent(u.intents).kind !== 'sure'
        ? ({ kind: 'none' } as const)
        : pickIntent(inContext(u.intents, ctx.node));
    // "la cita es mañana, ayúdeme a acordarme": asking for reminders in so many words wins a tie
    // with a topic the other words fit.
    const asked =
      picked.kind === 'unsure' ? picked.candidates.find((id) => flows.nodes.get(id)?.capture) : undefined;
    const pick =
      asked && u.intents.some((i) => i.node === asked && i.score >= 2)
        ? ({ kind: 'sure', node: asked } as const)
        : picked;
    // "y la mía es el 3 a las 9", "also my husband has one dec 15": another appointment, not a
    // correction of the one just saved. Whose it is comes next, unless it is the person's own.
    // With a date it is news of an appointment even when it also reads as the family topic.
    const family = (u.means.family ?? 0) > 0;
    const another = (u.means.another ?? 0) > 0 || family;
    // Right after saving one, "ahora la de mi esposo" (not a question) starts the next one too.
    const next =
      justSaved !== undefined && !(event.text ?? '').includes('?') && !((u.means.trouble ?? 0) > 0);
    // A family member with only an hour ("my husband works until 8 am, can he drive me") is not
    // an appointment: a date must come with it.
    const told =
      family && !(u.means.another ?? 0)
        ? !!(event.found?.date || event.found?.ambiguous)
        : detailsIn(event.found);
    // A message that asks something besides (the service offers reminders after the answer
    // instead): "…my son has his too, and what should I do about work?" gets its answer first.
    const asksBesides = event.offerReminders === true && event.asks === true;
    const dated = event.found?.date !== undefined || event.found?.ambiguous !== undefined;
    if (another && !asksBesides && ((told && (pick.kind !== 'sure' || dated)) || next)) {
      const base = captureInput(event);
      const own = (!family && (u.means.self ?? 0) > 0) || base.own === true;
      const input = { ...base, own };
      ctx = applyCapture(ctx, startCapture(input, undefined, ctx.appointments.length), parts);
      return done();
    }
    // "wait no, it's 8:30" right after saving, or "me la cambiaron para las 10" with one saved:
    // a date, time or place corrects what was saved.
    // News that it changed, with the new date or time, wins over a topic: "me la cambiaron para
    // las 10" is about the saved one. A wish ("quiero cambiar la cita para el 15") is not: that
    // still explains how to change it with USCIS.
    const only = ctx.appointments.length === 1 ? ctx.appointments[0] : undefined;
    const changeWords = (u.means.changed ?? 0) > 0;
    // "Luis's is at 11 not 9:30": the one saved for Luis. "actually my wife's is at 11" or "la de
    // carlos…" with none saved for them: not the person's own, whatever was saved last.
    const text = event.text ?? '';
    const named = appointmentNamed(text, ctx.appointments);
    // "for maria dec 8 10am miami", "cancel jose": someone by name, even with a place.
    const someoneElse =
      !named &&
      (family ||
        (event.reading?.nameMentioned !== undefined && !event.found?.place) ||
        event.reading?.nameAfterWord !== undefined);
    const toChange = named ?? (someoneElse ? undefined : changeWords ? (justSaved ?? only) : justSaved);
    // "cancel luis", with Luis's saved: that one.
    if (named && (u.means.cancel ?? 0) > 0 && !((u.means.change ?? 0) > 0) && !text.includes('?'))
      return cancelAppointment(ctx, named, parts, (next) => {
        ctx = next;
        return done();
      });
    // "borrar la de carlos", "cancel my son's" with none saved for them: the list, nothing cancelled.
    if (
      someoneElse &&
      listNode &&
      ctx.appointments.length > 0 &&
      (u.means.cancel ?? 0) > 0 &&
      pick.kind !== 'sure'
    ) {
      show(listNode.id);
      return done();
    }
    if (
      someoneElse &&
      ctx.appointments.length > 0 &&
      detailsIn(event.found) &&
      !text.includes('?') &&
      pick.kind !== 'sure'
    ) {
      // Theirs is not saved yet: collect it as another appointment, keeping what was given.
      ctx = applyCapture(ctx, startCapture(captureInput(event), undefined, ctx.appointments.length), parts);
      return done();
    }
    // "¿puedo ir a la oficina de atlanta en vez de houston?" asks; it does not correct.
    const asksInstead = (event.text ?? '').includes('?') || (u.means.instead ?? 0) > 0;
    // A whole other date and time right after saving ("jose dec 10 1pm miami"), with no word of a
    // correction: another appointment, whose is asked; the one saved stays.
    const otherDay =
      toChange !== undefined &&
      toChange === justSaved &&
      !named &&
      !changeWords &&
      !((u.means.no ?? 0) > 0) &&
      event.found?.date !== undefined &&
      event.found.time !== undefined &&
      event.found.date !== toChange.date &&
      !CORRECTING.test(foldText(text)) &&
      !/\b(?:no|not)\b/.test(foldText(text));
    if (otherDay && !asksInstead) {
      ctx = applyCapture(ctx, startCapture(captureInput(event), undefined, ctx.appointments.length), parts);
      return done();
    }
    // "i called uscis and they change my appt", with one saved and no new date yet: what is new.
    const aboutChanging = pick.kind !== 'sure' || flows.nodes.get(pick.node)?.savedHint === true;
    if (toChange && !asksInstead && changeWords && aboutChanging && !detailsIn(event.found) && !someoneElse) {
      ctx = applyCapture(ctx, startCapture(captureInput(event), toChange), parts);
      return done();
    }
    // "espere no es el quince es el dieciséis, me confundí" right after saving: a correction, even
    // where its words also name a topic ("confundido").
    const correcting =
      toChange !== undefined && toChange === justSaved && CORRECTING.test(foldText(event.text ?? ''));
    if (
      toChange &&
      !asksInstead &&
      detailsIn(event.found) &&
      (changeWords || pick.kind !== 'sure' || correcting)
    ) {
      // "December 5 at 6:22 PM" again, as saved: nothing to change (asking "What is the new date
      // or time?" here was a loop). Said the same way each time it comes again.
      if (tellsOnly(event.found, toChange)) {
        sayAlreadySaved(toChange);
        return done();
      }
      ctx = applyCapture(ctx, startCapture(captureInput(event), toChange), parts);
      return done();
    }
    if (pick.kind === 'sure') {
      show(pick.node);
      return done();
    }
    if (pick.kind === 'none' && (u.means.frustrated ?? 0) > 0) {
      parts.push({ say: { system: 'frustrated_reply' } });
      return done();
    }
    if (pick.kind === 'none' && (u.means.thanks ?? 0) > 0) {
      // A "thank you" is not a misunderstanding: answer it warmly and offer the topics.
      parts.push({ say: { system: 'thanks_reply' } });
      return done();
    }
    if (pick.kind === 'none' && mostly(u, 'greeting')) {
      show(flows.menu, 'greet_again');
      return done();
    }
    if (pick.kind === 'none' && !ctx.asking && nod) {
      // "ok", "si", "no" with no question pending: a nod. Say we are here, without the whole menu;
      // a correction may still follow the nod ("ok" then "wait, it's 8:30").
      parts.push({ say: { system: 'ack_reply' } });
      ctx = { ...ctx, justSaved: start.justSaved };
      return done();
    }
    if (pick.kind === 'unsure') {
      ctx = { ...ctx, offered: pick.candidates, asking: false, misses: 0 };
      parts.push({ say: { system: 'clarify' }, choices: { to: pick.candidates, menu: true } });
      return done();
    }
    reask();
    return done();

    /** It is saved like that already: say so, and how to change it; a new date or time still corrects it. */
    function sayAlreadySaved(saved: Appointment): void {
      parts.push({ say: { system: 'appt_already_saved' }, params: paramsOf(saved) });
      ctx = { ...ctx, justSaved: saved.id };
    }

    /** The saved appointment whose date and time the message tells again, about no one else. */
    function toldAgain(): Appointment | undefined {
      const found = event.found;
      const text = event.text ?? '';
      const aboutOther =
        (u.means.family ?? 0) > 0 ||
        (u.means.another ?? 0) > 0 ||
        event.reading?.nameMentioned !== undefined ||
        event.reading?.nameAfterWord !== undefined;
      if (!found?.date || !found.time || aboutOther) return undefined;
      return ctx.appointments.find((a) => tellsOnly(found, a));
    }

    function reask() {
      ctx = { ...ctx, misses: ctx.misses + 1 };
      if (ctx.asking) {
        parts.push(reaskPart(ctx.node, ctx.offered));
      } else if (ctx.misses >= 2 && ctx.node === flows.menu) {
        // The menu is on screen already: a short line instead of the nine topics again.
        parts.push({ say: { system: 'not_understood_again' } });
      } else {
        const misses = ctx.misses;
        show(flows.menu, 'not_understood');
        ctx = { ...ctx, misses };
      }
    }
  };

  /** The choice of a question whose span of time (`ago` in graph.yaml) holds `days`, if any. */
  const choiceForSpan = (nodeId: string, days: number): string | undefined =>
    flows.nodes
      .get(nodeId)
      ?.choices.find(
        ({ ago }) =>
          ago !== undefined &&
          (ago.under === undefined || days < ago.under) &&
          (ago.atLeast === undefined || days >= ago.atLeast),
      )?.to;

  /** The choice of a question that the message's answer words pick, if exactly one does. */
  const pickAnswer = (nodeId: string, u: Understood, text: string): string | undefined => {
    const node = flows.nodes.get(nodeId);
    if (!node) return undefined;
    // "Y SI NO TENGO PRUEBA DEL DOCTOR", "and if…", "what if…": a question, not a yes.
    if (WHAT_IF.test(text)) return undefined;
    // "ya me llego la carta" at "Want a weekly text?": its "ya" is no yes when the words clearly
    // name another topic (unless the answer word is most of the message: "si, ya").
    const longest = Math.max(0, ...Object.values(u.means));
    if (longest === 0) return undefined;
    const best = node.choices.filter((c) => c.means !== undefined && u.means[c.means] === longest);
    if (best.length !== 1) return undefined;
    const plain = ['yes', 'no', 'ack'];
    // "NO NO ME LLEGO NINGUN RECIBO" at "Did the receipt notice come? 1 Yes 2 No": a no said
    // twice over, whatever topic the rest of the words name.
    const emphaticNo =
      best[0]!.means === 'no' && /^\W*no\W+(?:no|nunca|ningun|ninguna|nada|never|nothing|nope)\b/i.test(text);
    if (plain.includes(best[0]!.means!) && !plain.some((m) => mostly(u, m)) && !emphaticNo) {
      const pick = pickIntent(u.intents);
      if (pick.kind === 'sure' && pick.node !== nodeId && !node.choices.some((c) => c.to === pick.node))
        return undefined;
    }
    return best[0]!.to;
  };

  /** Applies one step of collecting an appointment to the context, adding its reply. */
  const applyCapture = (
    ctx: ConversationContext,
    outcome: CaptureOutcome,
    parts: ReplyPart[],
  ): ConversationContext => {
    // Saved from WhatsApp: the renderer knows (from config) whether late reminders get through.
    const params =
      outcome.kind === 'saved' && ctx.channel === 'whatsapp' && outcome.reply.params
        ? { ...outcome.reply.params, channel: 'whatsapp' as const }
        : outcome.reply.params;
    const part: ReplyPart = {
      say: { system: outcome.reply.say },
      ...(params ? { params } : {}),
      ...(outcome.reply.menu ? { choices: { owner: flows.menu, to: menuChoices(), menu: false } } : {}),
    };
    parts.push(part);
    if (outcome.kind === 'continue') return { ...ctx, draft: outcome.draft, asking: false, offered: [] };
    // assign() merges into the context: an absent key would keep the old draft, so clear it.
    const rest = { ...ctx, draft: undefined };
    if (outcome.kind === 'abandoned')
      return { ...rest, node: flows.menu, offered: menuChoices(), asking: false };
    const appointments = [
      ...ctx.appointments.filter((a) => a.id !== outcome.appointment.id),
      outcome.appointment,
    ];
    // The notice came: no more weekly checks, and say so ("so u stop the weekly now?").
    const stopWeekly: Effect[] = ctx.weekly?.active ? [{ type: 'stopWeekly' }] : [];
    if (ctx.weekly?.active) parts.push({ say: { system: 'weekly_ended_saved' } });
    return {
      ...rest,
      ...(ctx.weekly ? { weekly: { ...ctx.weekly, active: false } } : {}),
      appointments,
      justSaved: outcome.appointment.id,
      node: flows.menu,
      offered: menuChoices(),
      asking: false,
      effects: [
        ...ctx.effects,
        ...stopWeekly,
        {
          type: 'schedule',
          appointment: outcome.appointment,
          ...(outcome.previous ? { previous: outcome.previous } : {}),
        },
      ],
    };
  };

  /** What a message gives a capture step. */
  const captureInput = (event: InboundEvent): CaptureInput => {
    const { means, number } = event.understood;
    // "ok", "vale", "perfecto" to "Is that right?" are a yes.
    const yes =
      ((means.yes ?? 0) > 0 || mostly(event.understood, 'ack')) &&
      (means.no ?? 0) === 0 &&
      !WHAT_IF.test(event.text ?? '');
    const no = (means.no ?? 0) > 0 && !yes;
    // "for me and my wife ana and my 2 kids": the person's own comes first (the others after it).
    const ownFirst = SELF_AND_OTHERS.test(foldText(event.text ?? ''));
    return {
      found: event.found ?? {},
      text: event.text ?? '',
      reading: event.reading ?? {},
      self: (means.self ?? 0) > 0,
      family: (means.family ?? 0) > 0,
      ...(ownFirst ? { own: true } : {}),
      yes,
      no,
      number,
      now: event.now ?? new Date(0).toISOString(),
      defaultZone: event.defaultZone ?? 'America/New_York',
    };
  };

  /**
   * "mis citas" at "Is that right?", MENU before the office was told: says that the date and time
   * given were not saved, before the reply that follows.
   */
  const notSaved = (next: ConversationContext, draft: Draft, now?: string): ConversationContext => {
    if (!draft.date || !draft.time) return next;
    // Changing a saved one: that one stays; said only when something else was told for it.
    const saved = draft.editing ? next.appointments.find((a) => a.id === draft.editing) : undefined;
    if (saved && saved.date === draft.date && saved.time === draft.time && saved.place === draft.place)
      return next;
    const { params } = confirmReply(draft, now);
    const note: ReplyPart = saved
      ? { say: { system: 'appt_not_changed' }, params: paramsOf(saved) }
      : { say: { system: 'appt_not_saved' }, ...(params ? { params } : {}) };
    return {
      ...next,
      effects: next.effects.map((e) => (e.type === 'reply' ? { ...e, parts: [note, ...e.parts] } : e)),
    };
  };

  /** Whether a reply ends in a choice among its numbered lines ("Or choose one:", a question). */
  const choosing = (ctx: ConversationContext): boolean => {
    if (ctx.asking) return true;
    const texts = flows.packs.get(ctx.lang)?.nodes[ctx.node]?.text;
    return ctx.offered.length > 0 && texts !== undefined && /[:?]\s*$/.test(texts.at(-1) ?? '');
  };

  /** Collects an appointment, unless the message clearly asks about something else. */
  const capture = (ctx: ConversationContext, said: InboundEvent): ConversationContext => {
    const event = withSame(ctx, said);
    const u = event.understood;
    const input = captureInput(event);
    // Yes, no and numbers answer only the read-back and "which date?": elsewhere "y si lo hago
    // por teléfono" holds a "si" but answers nothing.
    const step = ctx.draft?.step;
    const answering = step === 'confirm' || step === 'which_date';
    // After "Did you mean one of these?" (below), a number picks one of those topics, once.
    // "si" to a question shown meanwhile ("Want a text every week?") answers that question.
    const picked =
      ctx.draft?.picking === true &&
      ((input.number !== undefined && input.number > 0 && input.number <= ctx.offered.length) ||
        (ctx.asking &&
          input.number === undefined &&
          pickAnswer(ctx.node, u, event.text ?? '') !== undefined));
    // "me puedes mandar uno hoy en la noche" asks about the reminders: its "hoy" is no new date.
    const asksHuella = huellaAnswer(u) !== undefined;
    const pick = pickIntent(u.intents);
    const isCapture = (id: string) => flows.nodes.get(id)?.capture === true;
    // "q tengo q llevar para la niña … no tiene pasaporte" at "Is that right?": a question that
    // holds a "no", not the answer "no" (that starts the message, or is most of it).
    const saysNo =
      input.no &&
      (!(pick.kind === 'sure' && !isCapture(pick.node)) ||
        /^\W*(?:no|nope|nah|not|incorrect|incorrecto|wrong|mal)\b/i.test(event.text ?? ''));
    const gaveSomething =
      (answering && !picked && (input.yes || saysNo || input.number !== undefined)) ||
      (detailsIn(input.found) && !asksHuella);
    // A question while collecting ("what number do I call?") is answered, not taken for a date.
    const elsewhere =
      (pick.kind === 'sure' && !isCapture(pick.node)) ||
      (pick.kind === 'unsure' && !pick.candidates.some(isCapture));
    const toManage = pick.kind === 'sure' && flows.nodes.get(pick.node)?.manage === true;
    const { picking: _, ...draft } = ctx.draft!;
    // "i dont know the new date yet, the letter didnt come" while changing a saved one: nothing to
    // change yet; the saved one stays, and they can tell the new date when the notice comes.
    const saved = draft.editing ? ctx.appointments.find((a) => a.id === draft.editing) : undefined;
    /** Stops changing the saved one, which stays as it is, with this text about it. */
    const keepSaved = (kept: Appointment, key: SystemKey, next: Partial<ConversationContext> = {}) => ({
      ...ctx,
      draft: undefined,
      node: flows.menu,
      offered: [],
      asking: false,
      ...next,
      effects: [
        ...ctx.effects,
        { type: 'reply' as const, parts: [{ say: { system: key }, params: paramsOf(kept) }] },
      ],
    });
    if (saved && (u.means.unsure ?? 0) > 0 && !detailsIn(input.found) && !u.command)
      return keepSaved(saved, 'appt_new_date_later');
    // "What is the new date or time?" answered with the one saved: not a change. Say so and leave,
    // instead of asking the same question again; a new date or time next still corrects it.
    if (saved && draft.step === 'edit' && !u.command && tellsOnly(input.found, saved))
      return keepSaved(saved, 'appt_already_saved', { justSaved: saved.id });
    /** This reply, the appointment being told kept as it is. */
    const keeping = (parts: ReplyPart[]): ConversationContext => ({
      ...ctx,
      draft,
      asking: false,
      offered: [],
      effects: [...ctx.effects, { type: 'reply', parts }],
    });
    // "y mi esposa tiene la suya mañana a las 8", "y yo tmb tengo cita, la mia es el 10", told
    // before this one is saved: it would replace this one. Keep this one, say that one is saved
    // at a time, and ask again ("la mía es el 10" alone is a correction of this one).
    const family = (u.means.family ?? 0) > 0 && !draft.name;
    const also =
      (u.means.another ?? 0) > 0 &&
      /\b(?:tambien|tmb|tb|also|too|otra|another|his|hers|la de (?:el|ella)|el de (?:el|ella))\b/.test(
        foldText(event.text ?? ''),
      );
    if (
      !u.command &&
      (draft.step !== 'name' || also) &&
      (draft.date || draft.time) &&
      detailsIn(input.found) &&
      (family || also)
    ) {
      const { say, params } = askAgain(draft, event.now);
      return keeping([
        { say: { system: 'appt_one_at_a_time' } },
        { say: { system: say }, ...(params ? { params } : {}) },
      ]);
    }
    // "wife", "mi hijo" at "Whose is it?": someone else's; their first name is asked, not the
    // family topic.
    if (
      draft.step === 'name' &&
      !u.command &&
      !detailsIn(input.found) &&
      ((u.means.family ?? 0) > 0 || FAMILY_WORD.test(foldText(event.text ?? ''))) &&
      (u.size ?? 99) <= 4
    ) {
      return keeping([{ say: { system: 'appt_ask_name_again' } }]);
    }
    // "cuando me vas a avisar?", "is my info safe?": questions with an answer of Huella's own.
    const asks = elsewhere || asksHuella || picked;
    if (!u.command && !toManage && !gaveSomething && asks && holdsSomething(draft)) {
      // A question with part of an appointment told ("do I need to bring my kids?" at "Is that
      // right?", "what do I bring?" at "What is the ZIP code?"): answer it, and ask again, keeping
      // what was told; dropping it silently would leave them without reminders.
      const answered = respond({ ...ctx, draft: undefined }, event);
      // The answer starts something else (weekly texts and their filing date, the list of saved
      // appointments, another appointment): that goes on; this one is said not to be saved.
      if (answered.askingFiled === true || answered.managing !== undefined || answered.draft !== undefined)
        return notSaved(answered, draft, event.now);
      // Not sure which topic: "Did you mean one of these?" with its numbers, the appointment kept;
      // a number then picks the topic (above), anything else goes on collecting.
      // The same for an answer that is itself a choice ("Or choose one:", "USCIS or court?").
      // (An answer of Huella's own is one text with no choices: the menu left on screen before
      // it is not a choice, and "1" after it is "1 Yes, save it".)
      if ((pick.kind === 'unsure' && !asksHuella && !picked) || (choosing(answered) && !asksHuella))
        return { ...answered, draft: { ...draft, picking: true } };
      const { say, params } = askAgain(draft, event.now);
      const again: ReplyPart = { say: { system: say }, ...(params ? { params } : {}) };
      // The answer's own numbered choices are left out: here a number answers the question asked
      // again ("1 Yes"), and two lists starting at 1 would be a trap.
      const effects = answered.effects.map((e) =>
        e.type === 'reply' ? { ...e, parts: [...e.parts.map(({ choices: _, ...part }) => part), again] } : e,
      );
      return { ...answered, draft, asking: false, offered: [], effects };
    }
    // A stop word that got this far is WhatsApp's "cancel": do not save it (below).
    const cancelled = u.command?.name === 'stop';
    // "0", shown as "0 Menu" under every list, leaves as MENU does (no step is answered by 0).
    const toMenu = input.number === 0 && !detailsIn(input.found);
    if ((u.command && !cancelled) || toManage || toMenu || (!gaveSomething && elsewhere && !cancelled)) {
      const left = respond({ ...ctx, draft: undefined }, event);
      return cancelled ? left : notSaved(left, draft, event.now);
    }
    const parts: ReplyPart[] = [];
    // "the son one is cancel" while telling one's own: about the son's, which is not being told;
    // this one is not dropped.
    const aboutOther = !draft.name && !detailsIn(input.found) && FAMILY_WORD.test(foldText(event.text ?? ''));
    // "no espera mejor no, cancela", "never mind": stop collecting, keep nothing, say so.
    const outcome: CaptureOutcome =
      ((u.means.quit ?? 0) > 0 && !aboutOther) || cancelled
        ? { kind: 'abandoned', reply: { say: 'appt_quit', menu: true } }
        : continueCapture(draft, { ...input, no: saysNo }, ctx.appointments);
    const next = applyCapture({ ...ctx, channel: event.channel }, outcome, parts);
    // "did u save my appt?", "ya la guardaste?" at "Is that right?": not yet, and why.
    if (
      step === 'confirm' &&
      outcome.kind === 'continue' &&
      (event.text ?? '').includes('?') &&
      !gaveSomething
    )
      parts.unshift({ say: { system: 'appt_not_yet' } });
    return { ...next, effects: [...next.effects, { type: 'reply', parts }] };
  };

  /** Shows the saved appointments, numbered, to change or cancel one. */
  const listAppointments = (
    ctx: ConversationContext,
    id: string,
    parts: ReplyPart[],
  ): ConversationContext => {
    if (ctx.appointments.length === 0) {
      parts.push({
        say: { system: 'appt_none' },
        choices: { owner: flows.menu, to: menuChoices(), menu: false },
      });
      return { ...ctx, node: flows.menu, offered: menuChoices(), asking: false, managing: undefined };
    }
    parts.push({
      say: { node: id },
      list: { item: 'appt_list_item', items: ctx.appointments.map(paramsOf), footer: 'appt_list_footer' },
    });
    return { ...ctx, node: id, offered: [], asking: false, managing: { step: 'pick' } };
  };

  /** A message while choosing among saved appointments. */
  const manage = (ctx: ConversationContext, event: InboundEvent): ConversationContext => {
    const u = event.understood;
    const step = ctx.managing;
    const leave = () => respond({ ...ctx, managing: undefined }, event);
    // In words too: "change it", "la hora, ahora es a las 10", "delete it", "cancelala".
    const wantsCancel = (u.means.cancel ?? 0) > 0 && (u.means.change ?? 0) === 0;
    const wantsChange = (u.means.change ?? 0) > 0 || detailsIn(event.found);
    // "cancelar el recordatorio" is also the words that show the list: here, it picks what to do.
    // On WhatsApp "cancel" (a stop word elsewhere) gets here only while managing: cancel this one.
    // "borrar" alone under "2 Turn off its reminders": that (turnsOffChosen).
    const listWords =
      (u.command?.name === 'appointments' && (wantsCancel || wantsChange)) ||
      (u.command?.name === 'stop' && wantsCancel) ||
      (wantsCancel && turnsOffChosen(step, u));
    if (!step || (u.command && !listWords) || u.number === 0) return leave();
    const parts: ReplyPart[] = [];
    const done = (next: ConversationContext) => ({
      ...next,
      effects: [...next.effects, { type: 'reply' as const, parts }],
    });
    const change = (chosen: Appointment) =>
      done(applyCapture({ ...ctx, managing: undefined }, startCapture(captureInput(event), chosen), parts));
    // "cancel luis", "la de Rosa es a las 11": the one saved for that person.
    const text = event.text ?? '';
    // "el de kevin me llega a mi o a el?" asks where reminders go: answered, not a pick.
    if ((u.means.reminders_where ?? 0) > 0) return leave();
    // A number beyond the list ("2" under one appointment): the list again, not the main menu's 2.
    if (step.step === 'pick' && u.number !== undefined && u.number > ctx.appointments.length)
      return done(listAppointments(ctx, ctx.node, parts));
    const named = u.number === undefined ? appointmentNamed(text, ctx.appointments) : undefined;
    if (named) {
      if (wantsCancel) return cancel(named);
      if (detailsIn(event.found) || (u.means.change ?? 0) > 0) return change(named);
      parts.push({ say: { system: 'appt_pick_action' }, params: paramsOf(named) });
      return done({ ...ctx, managing: { step: 'action', id: named.id } });
    }
    // "my wife has hers dec 16 at 10am", "y la de mi hijo es el 3": another appointment, to add;
    // it never changes one of those listed. "borrar la de carlos" with none saved for Carlos:
    // the list again, nothing cancelled.
    const another =
      (u.means.another ?? 0) > 0 ||
      (u.means.family ?? 0) > 0 ||
      (event.reading?.nameMentioned !== undefined && !event.found?.place) ||
      event.reading?.nameAfterWord !== undefined;
    if (u.number === undefined && another) {
      if (wantsCancel || (u.means.change ?? 0) > 0) return done(listAppointments(ctx, ctx.node, parts));
      return leave();
    }
    if (step.step === 'pick') {
      // With one appointment saved, "change it" can only mean that one.
      const only = ctx.appointments.length === 1 ? ctx.appointments[0] : undefined;
      // "borra la de houston" when the one saved is in Atlanta: not that one; show the list again.
      if (u.number === undefined && only && (wantsCancel || wantsChange) && !matches(only, event.found)) {
        return done(listAppointments(ctx, ctx.node, parts));
      }
      // "delete the old one" when the only one saved was moved to a new date: the old date is gone
      // already; the new one is not deleted without asking.
      if (u.number === undefined && only && wantsCancel && only.version > 1 && OLD_ONE.test(foldText(text))) {
        parts.push({ say: { system: 'appt_old_gone' } });
        parts.push({ say: { system: 'appt_pick_action' }, params: paramsOf(only) });
        return done({ ...ctx, managing: { step: 'action', id: only.id } });
      }
      if (u.number === undefined && only && wantsCancel) return cancel(only);
      if (u.number === undefined && only && wantsChange) return change(only);
      // "yes" with one listed ("cancel the reminder", then "yes"): that one, and what to do with it.
      const yes = (u.means.yes ?? 0) > 0 && (u.means.no ?? 0) === 0;
      const chosen =
        u.number === undefined ? (yes && only ? only : undefined) : ctx.appointments[u.number - 1];
      if (!chosen) return leave();
      parts.push({ say: { system: 'appt_pick_action' }, params: paramsOf(chosen) });
      return done({ ...ctx, managing: { step: 'action', id: chosen.id } });
    }
    const chosen = ctx.appointments.find((a) => a.id === step.id);
    if (!chosen) return leave();
    if (u.number === 1 || (u.number === undefined && wantsChange)) return change(chosen);
    if (u.number === 2 || (u.number === undefined && wantsCancel)) return cancel(chosen);
    return leave();

    function cancel(chosen: Appointment): ConversationContext {
      return cancelAppointment(ctx, chosen, parts, done);
    }
  };

  /** Cancels a saved appointment's reminders and says so. */
  const cancelAppointment = (
    ctx: ConversationContext,
    chosen: Appointment,
    parts: ReplyPart[],
    done: (next: ConversationContext) => ConversationContext,
  ): ConversationContext => {
    // "For Luis:" before it, when it was someone else's.
    parts.push({
      say: { system: 'appt_cancelled' },
      params: paramsOf(chosen),
      ...(chosen.name ? { lead: 'for_name' as const } : {}),
    });
    return done({
      ...ctx,
      managing: undefined,
      appointments: ctx.appointments.filter((a) => a.id !== chosen.id),
      node: flows.menu,
      offered: menuChoices(),
      effects: [...ctx.effects, { type: 'cancel', appointment: chosen }],
    });
  };

  /** The message after turning weekly checks on: a filing date schedules the milestone texts. */
  const filed = (ctx: ConversationContext, event: InboundEvent): ConversationContext => {
    const date = event.found?.date;
    const next = { ...ctx, askingFiled: false, filedAgain: false };
    // A weekday alone ("los lunes", "on mondays") is no filing date: a month must be said or written.
    const monthSaid = /\d|[a-z]{3,}/i.test(event.text ?? '') && !WEEKDAY_ONLY.test(event.text ?? '');
    if (date && !monthSaid && !event.understood.command && event.understood.number === undefined) {
      // "los lunes": ask once more, for the month and day.
      const part: ReplyPart = { say: { system: 'weekly_filed_again' } };
      return { ...ctx, askingFiled: true, effects: [...ctx.effects, { type: 'reply', parts: [part] }] };
    }
    const today = (event.now ?? '').slice(0, 10);
    const u = event.understood;
    // "como en junio", "like 5 months ago": the latest day it can be, and say so.
    const rough = date ? undefined : event.reading?.filedRoughly;
    if ((!date && !rough) || u.command || u.number !== undefined) {
      // Neither a date nor a question ("no se", "hmm"): ask once more, instead of the menu.
      // "no me acuerdo bien" is no question (its "acuerdo" reads like "acuérdame").
      const question =
        !((u.means.unsure ?? 0) > 0) &&
        (pickIntent(u.intents).kind !== 'none' || huellaAnswer(u) !== undefined);
      if (
        !date &&
        !u.command &&
        u.number === undefined &&
        !question &&
        ctx.askingFiled === true &&
        !ctx.filedAgain
      ) {
        const part: ReplyPart = { say: { system: 'weekly_filed_again' } };
        return { ...ctx, filedAgain: true, effects: [...ctx.effects, { type: 'reply', parts: [part] }] };
      }
      return respond({ ...next, filedAgain: false }, event);
    }
    // Dates are read forward ("June 3" is next June); a filing date is in the past.
    const [y, m, d] = (date ?? rough!).split('-');
    const past = rough ?? (date! > today ? `${Number(y) - 1}-${m}-${d}` : date!);
    // Texts at 3 months and 150 days go out only while ahead: say which are left, or none.
    const after = (months: number, days: number) =>
      DateTime.fromISO(past).plus({ months, days }).toISODate() ?? past;
    const say: SystemKey =
      after(0, 150) <= today
        ? 'weekly_filed_passed'
        : after(3, 0) <= today
          ? 'weekly_filed_150'
          : 'weekly_filed_saved';
    return {
      ...next,
      // After a rough date, the exact day may still come in the next message.
      ...(rough ? { askingFiled: true, filedAgain: true } : {}),
      weekly: { active: ctx.weekly?.active ?? true, filed: past },
      effects: [
        ...ctx.effects,
        { type: 'milestones', filed: past },
        {
          type: 'reply',
          parts: [
            ...(rough ? [{ say: { system: 'weekly_filed_rough' as const }, params: { date: past } }] : []),
            { say: { system: say }, params: { date: past } },
          ],
        },
      ],
    };
  };

  /** The weekly check came due: ask whether the notice came, and plan the next one. */
  const weeklyDue = (ctx: ConversationContext, event: WeeklyDueEvent): ConversationContext => {
    if (!ctx.weekly?.active) return ctx;
    const part = nodePart(flows, 'weekly_check');
    return {
      ...ctx,
      node: 'weekly_check',
      offered: part.choices!.to,
      asking: true,
      misses: 0,
      effects: [
        { type: 'send', kind: 'weekly', parts: [part], template: { name: 'weekly', variables: {} } },
        { type: 'weekly', after: event.at },
      ],
    };
  };

  const milestoneDue = (ctx: ConversationContext, event: MilestoneDueEvent): ConversationContext => {
    if (!ctx.weekly?.filed || (event.filed !== undefined && event.filed !== ctx.weekly.filed)) return ctx;
    const key: SystemKey = event.kind === '3m' ? 'milestone_3m' : 'milestone_150d';
    return {
      ...ctx,
      effects: [{ type: 'send', kind: `milestone-${event.kind}`, parts: [{ say: { system: key } }] }],
    };
  };

  /** A reminder's time came: text it, unless the appointment changed or was removed since. */
  const remind = (ctx: ConversationContext, event: ReminderDueEvent): ConversationContext => {
    const appointment = ctx.appointments.find((a) => a.id === event.appointmentId);
    if (!appointment || appointment.version !== event.version) return ctx;
    const params = paramsOf(appointment);
    if (event.kind === 'followup') {
      const part: ReplyPart = {
        ...nodePart(flows, 'appt_followup', appointment.name ? 'for_name' : undefined),
        params,
      };
      return {
        ...ctx,
        node: 'appt_followup',
        offered: part.choices!.to,
        asking: true,
        misses: 0,
        effects: [
          { type: 'send', kind: 'followup', parts: [part], template: { name: 'followup', variables: {} } },
        ],
      };
    }
    const opening: SystemKey = appointment.name ? 'reminder_for' : 'reminder';
    const keys: SystemKey[] =
      event.kind === 'first'
        ? [opening, 'reminder_bring', 'reminder_reschedule']
        : [opening, 'reminder_bring'];
    return {
      ...ctx,
      effects: [
        {
          type: 'send',
          kind: event.kind,
          parts: keys.map((key) => ({ say: { system: key }, params })),
          template: { name: 'reminder', variables: {} },
        },
      ],
    };
  };

  /** Scheduled texts are handled the same way in every state where the person listens. */
  const scheduledEvents = {
    REMINDER_DUE: { actions: ['beginTurn', 'remind'] },
    WEEKLY_DUE: { actions: ['beginTurn', 'weeklyDue'] },
    MILESTONE_DUE: { actions: ['beginTurn', 'milestoneDue'] },
  } as const;
  /** STOP and DELETE win in every state where the person is talking to Huella. */
  const stopOrDelete = [
    { guard: 'saysStop', target: 'optedOut', actions: ['beginTurn', 'commandLanguage', 'optOut'] },
    {
      guard: 'saysDelete',
      target: 'confirmingDelete',
      actions: ['beginTurn', 'commandLanguage', 'askDelete'],
    },
  ] as const;

  return setup({
    types: {
      context: {} as ConversationContext,
      events: {} as ConversationEvent,
      input: {} as MachineInput,
    },
    guards: {
      isCapturing: ({ context }) => context.draft !== undefined,
      isManaging: ({ context }) => context.managing !== undefined,
      isAskingFiled: ({ context }) => context.askingFiled === true,
      // "cancel" while an appointment is being collected, on WhatsApp, is "don't save it": there no
      // carrier takes the word as an opt-out (on SMS one does, so it stays STOP there).
      saysStop: ({ context, event }) =>
        said(event).command?.name === 'stop' &&
        !(
          event.type === 'INBOUND' &&
          event.channel === 'whatsapp' &&
          (context.draft !== undefined || context.managing !== undefined) &&
          /^\W*cancel\W*$/i.test(event.text ?? '')
        ),
      // After STOP, a lone YES (one of Twilio's opt-in words, with START and UNSTOP) or SÍ
      // (commands.start_after_stop) is START too: Huella and Twilio must agree on the number.
      saysStart: ({ event }) => said(event).command?.name === 'start' || said(event).optIn === true,
      // In the list itself, before one is chosen, "borrar" is still DELETE (turnsOffChosen).
      saysDelete: ({ context, event }) =>
        said(event).command?.name === 'delete' && !turnsOffChosen(context.managing, said(event)),
      // Erasing needs a plain yes: "no, ya no" holds a yes word too, and must keep everything.
      saysYes: ({ event }) => {
        const { means, command } = said(event);
        return (means.yes ?? 0) > 0 && (means.no ?? 0) === 0 && command === undefined;
      },
    },
    actions: {
      // Every event starts with no effects; a message also notes its channel, for texts sent later.
      beginTurn: assign(({ context, event }) => ({
        effects: [],
        ...(event.type === 'INBOUND' ? { channel: event.channel } : { channel: context.channel }),
      })),
      adoptLanguage: assign({ lang: ({ context, event }) => languageOf(said(event), context.lang) }),
      // "BORRAR" or "PARAR" in an English conversation: confirm in the language of the word.
      commandLanguage: assign({
        lang: ({ context, event }) => {
          const from = said(event).command?.from;
          return from && flows.packs.has(from) ? from : context.lang;
        },
      }),
      introduce: assign({
        effects: ({ context }) => [
          ...context.effects,
          { type: 'reply', parts: [{ say: { system: 'intro' } }] },
        ],
      }),
      greet: assign(({ context, event }) => {
        const u = said(event);
        // A first "hola" or "hi" is not a misunderstanding: show the menu after the introduction.
        const hasTopic =
          pickIntent(u.intents).kind !== 'none' || u.command !== undefined || u.number !== undefined;
        assertEvent(event, 'INBOUND');
        if (hasTopic || !u.hasWords) return respond(context, event);
        const moved = goTo(context, flows.menu);
        return { ...moved.ctx, effects: [...context.effects, { type: 'reply', parts: [moved.part] }] };
      }),
      respond: assign(({ context, event }) => {
        assertEvent(event, 'INBOUND');
        return respond(context, event);
      }),
      filed: assign(({ context, event }) => {
        assertEvent(event, 'INBOUND');
        return filed(context, event);
      }),
      weeklyDue: assign(({ context, event }) => {
        assertEvent(event, 'WEEKLY_DUE');
        return weeklyDue(context, event);
      }),
      milestoneDue: assign(({ context, event }) => {
        assertEvent(event, 'MILESTONE_DUE');
        return milestoneDue(context, event);
      }),
      manage: assign(({ context, event }) => {
        assertEvent(event, 'INBOUND');
        return manage(context, event);
      }),
      capture: assign(({ context, event }) => {
        assertEvent(event, 'INBOUND');
        return capture(context, event);
      }),
      remind: assign(({ context, event }) => {
        assertEvent(event, 'REMINDER_DUE');
        return remind(context, event);
      }),
      optOut: assign({
        effects: ({ context }) => [
          ...context.effects,
          { type: 'optOut' },
          { type: 'reply', parts: [{ say: { system: 'stop_confirm' } }] },
        ],
      }),
      optIn: assign(({ context }) => {
        const moved = goTo(context, flows.menu, 'start_confirm');
        return { ...moved.ctx, effects: [{ type: 'optIn' }, { type: 'reply', parts: [moved.part] }] };
      }),
      askDelete: assign({
        effects: ({ context }) => [
          ...context.effects,
          { type: 'reply', parts: [{ say: { system: 'delete_ask' } }] },
        ],
      }),
      erase: assign({
        effects: () => [{ type: 'erase' }, { type: 'reply', parts: [{ say: { system: 'delete_done' } }] }],
      }),
      // DELETE after STOP: erased at once, and no text says so. The person asked for no more
      // texts, and Twilio blocks texts to a number that sent STOP (README, "Opt-out words").
      eraseQuietly: assign({ effects: () => [{ type: 'erase' }] }),
      keepData: assign(({ context }) => {
        const moved = goTo(context, flows.menu, 'delete_kept');
        return { ...moved.ctx, effects: [{ type: 'reply', parts: [moved.part] }] };
      }),
    },
  }).createMachine({
    id: 'conversation',
    initial: 'new',
    context: ({ input }) => ({
      lang: input.lang,
      node: flows.menu,
      offered: menuChoices(),
      asking: false,
      misses: 0,
      appointments: [],
      effects: [],
    }),
    on: {
      // The carrier blocks every text to them: nothing is sent, not even a confirmation.
      CARRIER_OPT_OUT: { target: '.optedOut', actions: 'beginTurn' },
    },
    states: {
      new: {
        description: 'Nobody has written yet: the first reply introduces Huella and still answers.',
        on: {
          INBOUND: [
            { guard: 'saysStop', target: 'optedOut', actions: ['beginTurn', 'adoptLanguage', 'optOut'] },
            {
              guard: 'saysDelete',
              target: 'confirmingDelete',
              actions: ['beginTurn', 'adoptLanguage', 'askDelete'],
            },
            { target: 'active', actions: ['beginTurn', 'adoptLanguage', 'introduce', 'greet'] },
          ],
        },
      },
      active: {
        description: 'Answering questions and walking decision paths.',
        always: [
          { guard: 'isCapturing', target: 'capturing' },
          { guard: 'isManaging', target: 'managing' },
          { guard: 'isAskingFiled', target: 'askingFiled' },
        ],
        on: {
          INBOUND: [...stopOrDelete, { actions: ['beginTurn', 'respond'] }],
          ...scheduledEvents,
        },
      },
      askingFiled: {
        description: 'Weekly checks just started: a date in the next message is when the I-589 was sent.',
        always: [
          { guard: 'isCapturing', target: 'capturing' },
          { guard: 'isManaging', target: 'managing' },
          { guard: ({ context }) => context.askingFiled !== true, target: 'active' },
        ],
        on: {
          INBOUND: [...stopOrDelete, { actions: ['beginTurn', 'filed'] }],
          ...scheduledEvents,
        },
      },
      managing: {
        description: 'Saved appointments were listed: a number picks one to change or cancel.',
        always: [
          { guard: 'isCapturing', target: 'capturing' },
          { guard: ({ context }) => context.managing === undefined, target: 'active' },
        ],
        on: {
          INBOUND: [...stopOrDelete, { actions: ['beginTurn', 'manage'] }],
          ...scheduledEvents,
        },
      },
      capturing: {
        description: 'Collecting an appointment (date, time, place), one question at a time.',
        always: { guard: ({ context }) => context.draft === undefined, target: 'active' },
        on: {
          INBOUND: [...stopOrDelete, { actions: ['beginTurn', 'capture'] }],
          ...scheduledEvents,
        },
      },
      confirmingDelete: {
        description: 'Asked whether to erase everything; only a yes erases.',
        on: {
          ...scheduledEvents,
          INBOUND: [
            { guard: 'saysStop', target: 'optedOut', actions: ['beginTurn', 'optOut'] },
            // "BORRAR" again, as the help text names it, is a yes too.
            { guard: 'saysYes', target: 'erased', actions: ['beginTurn', 'erase'] },
            { guard: 'saysDelete', target: 'erased', actions: ['beginTurn', 'erase'] },
            { target: 'active', actions: ['beginTurn', 'keepData'] },
          ],
        },
      },
      optedOut: {
        description:
          'Said STOP: one confirmation was sent; silent until START (messages are still recorded).',
        on: {
          INBOUND: [
            { guard: 'saysStart', target: 'active', actions: ['beginTurn', 'optIn'] },
            // Erasing is honoured after STOP too, at once: a question to confirm would not reach them.
            { guard: 'saysDelete', target: 'erased', actions: ['beginTurn', 'eraseQuietly'] },
            // Anything else: no answer (carriers and Twilio allow one confirmation, then nothing
            // until START); the service records and counts the message as unanswered.
            { actions: 'beginTurn' },
          ],
          REMINDER_DUE: { actions: 'beginTurn' },
          WEEKLY_DUE: { actions: 'beginTurn' },
          MILESTONE_DUE: { actions: 'beginTurn' },
        },
      },
      erased: {
        description: 'Everything about the person is to be erased; nothing of this is saved.',
        type: 'final',
      },
    },
  });
}

export type ConversationMachine = ReturnType<typeof createConversationMachine>;
export type ConversationSnapshot = SnapshotFrom<ConversationMachine>;
export type ConversationState =
  | 'new'
  | 'active'
  | 'managing'
  | 'askingFiled'
  | 'capturing'
  | 'confirmingDelete'
  | 'optedOut'
  | 'erased';

/**
 * Runs the machine one event at a time without starting an actor per message: every action is
 * an `assign` (the machine is pure), so there is nothing to execute beside the next snapshot. One
 * inert scope, like the one behind xstate's own pure `transition()`, serves every turn; building
 * an actor and its system for each message was most of a turn's machine time.
 */
export function createStepper(machine: ConversationMachine) {
  type Scope = Parameters<ConversationMachine['transition']>[2];
  const self = createActor(machine, { input: { lang: 'en' } });
  const scope = {
    self,
    defer: () => {},
    id: '',
    logger: () => {},
    sessionId: '',
    stopChild: () => {},
    system: self.system,
    emit: () => {},
    // An action that is not an assign would land here, and be a wiring mistake in a pure machine.
    actionExecutor: (action: { type?: string }) => {
      throw new Error(`the conversation machine ran a side effect (${action.type ?? 'unknown'})`);
    },
  } as unknown as Scope;
  return {
    /** The first snapshot of a conversation nobody has written to yet. */
    initial(input: MachineInput): ConversationSnapshot {
      return machine.getInitialSnapshot(scope, input);
    },
    /** The snapshot after `event`, eventless transitions included. */
    step(snapshot: ConversationSnapshot, event: ConversationEvent): ConversationSnapshot {
      return machine.transition(snapshot, event, scope);
    },
    /** What is saved of a snapshot (as an actor's getPersistedSnapshot). */
    persisted(snapshot: ConversationSnapshot): unknown {
      return machine.getPersistedSnapshot(snapshot);
    },
  };
}

export type ConversationStepper = ReturnType<typeof createStepper>;
