import type { MessageReading } from '../../understanding/reading.js';
import type { Understood } from '../../understanding/understand.js';
import type { Appointment, Draft, Found } from '../appointments.js';
import type { ReplyPart } from '../content.js';

/**
 * What the conversation holds and the events it takes: plain data, saved with each snapshot
 * (a change here is a change of MACHINE_VERSION, with a migration in snapshots.ts).
 */
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

/** Another person's appointment told with one's own: what was said of it, and whether it is someone else's. */
/** An appointment told for later: someone else's, and their name if it was said with it ("mi esposa Rosa a las 8:30"). */
export type Told = Found & { someoneElse?: true; name?: string };

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
  /** The appointment whose reminders the last message turned off: "put it back" next restores it. */
  justCancelled?: Appointment;
  /** When the I-589 was sent, told before the weekly checks were turned on ("YYYY-MM-DD"). */
  filedTold?: string;
  /**
   * When the application was sent, as told at any time: the earliest and latest day it can be
   * ("hace como 5 meses": one day; "en junio": June's first and last). It answers the questions
   * that count from it (graph.yaml `since_filed`) when they come later.
   */
  filedAbout?: [string, string];
  /** The topic the last message showed: asked again at once, its text is not sent twice. */
  shown?: string;
  /** What the person has told of their case by the topics they reached ("waiting_notice"): graph.yaml `tells`. */
  told?: string[];
  /** Other people's appointments told with this one ("…y la de el a las 9 y 20"): collected next, in order. */
  queued?: Told[];
  /** Reminders were offered for the appointment the last message told: a "yes" now collects it. */
  offer?: Found;
  /**
   * An appointment's day a message told while asking something else, not saved: a wish for
   * reminders later ("ok nvm i will just go. remind me the day before pls") starts from it.
   */
  heard?: Found;
  /** A question asked first (graph.yaml `asked_first`): the answer its question after a "no" already has. */
  answerNext?: { question: string; choice: string };
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
  /**
   * It names reminders in so many words ("remind me", "recuérdame", "rappel"), with or without a
   * date; with `offerReminders`, they are collected after the answer, not offered.
   */
  remindWords?: boolean;
  /** It asks something ("?", "what should I do", a trouble), beyond telling a date. */
  asks?: boolean;
  /** It holds several times ("mine at 9, hers at 9:30, my son's at 1pm"): one is collected at a time. */
  several?: boolean;
  /** With `several`, the other people's dates and times, read part by part; `found` is the first's. */
  others?: Told[];
  /** With `others`, the one `found` holds is the person's own ("la mia a las 9"). */
  firstIsOwn?: true;
  /** The appointment is today and they cannot go: the call-now steps, without other ways offered. */
  lastMinute?: boolean;
  /** Names and rough dates the message holds, read with its language's words (understanding/reading.ts). */
  reading?: MessageReading;
  /** It tells an appointment's date and time and asks nothing else (the capture intent is put first too). */
  toldAppointment?: boolean;
  /** "ayer era mi cita y no pude ir": they did not go, this many days ago (a day that has passed, named). */
  missedDaysAgo?: number;
  /** "I applied on August 3": the date they say they sent the I-589 ("YYYY-MM-DD", as read). */
  filedOn?: string;
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
  /** The simulator's preview: sent, and no next check planned from it. */
  preview?: true;
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
