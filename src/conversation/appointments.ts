import { DateTime } from 'luxon';
import { nameFrom } from '../understanding/names.js';
import { foldWord } from '../understanding/pack-words.js';
import type { MessageReading } from '../understanding/reading.js';
import type { SystemKey } from './content.js';

/**
 * Appointments a person tells Huella about, and the pure steps that collect one: the date, the
 * time and the place (for the time zone), one question at a time, read back for a yes. Nothing
 * here reads a clock: "now" arrives with each event.
 */

export interface Appointment {
  id: string;
  /** Whose appointment, when the phone holds several (spouse, children). */
  name?: string;
  /** Local wall-clock date and time at the place: "2027-03-05", "10:00" (tests may add seconds). */
  date: string;
  time: string;
  /** IANA zone of the place. */
  zone: string;
  /** The same moment in UTC (ISO), as it was computed when saved; the wall-clock time above stays the source. */
  utc?: string;
  /** What the person gave: a ZIP code or a state code. */
  place: string;
  /** Bumped on every change, so reminders of an older version know they are stale. */
  version: number;
}

/** What an inbound message held that a capture can use (found outside the machine). */
export interface Found {
  date?: string;
  time?: string;
  /** A numeric date that reads two ways: US order first. */
  ambiguous?: [string, string];
  place?: { label: string; zone: string };
  /** It told the time it is now ("its 4:44 right now"), which is no appointment time. */
  clockNow?: true;
}

export type CaptureStep = 'name' | 'date' | 'which_date' | 'time' | 'place' | 'edit' | 'confirm';

export interface Draft {
  /** The appointment being changed, if any. */
  editing?: string;
  /** Whose appointment (absent: the person's own). */
  name?: string;
  /** A family member was named ("my wife"): only the first name is left to ask. */
  family?: boolean;
  date?: string;
  time?: string;
  place?: string;
  zone?: string;
  choices?: [string, string];
  step: CaptureStep;
  /** Messages in a row that gave nothing usable. */
  tries: number;
  /** A list of topics was shown meanwhile ("Did you mean…?"): a number picks one of them. */
  picking?: boolean;
}

/** Values a text about an appointment is filled with, formatted per language by the renderer. */
export interface AppointmentParams {
  date: string;
  time?: string;
  zone?: string;
  place?: string;
  /** The second reading of an ambiguous date. */
  other?: string;
  /** Whose appointment, when not the person's own. */
  name?: string;
  /** When this was said (ISO): `{reminder_times}` then names only the reminders still ahead. */
  from?: string;
  /** Say the year too: the date is far ahead ("November 2", said in late November, is next year's). */
  year?: boolean;
  /** Saved from WhatsApp: the "Saved" line may have to say what WhatsApp's 24-hour window holds back. */
  channel?: 'whatsapp';
}

export interface CaptureReply {
  say: SystemKey;
  params?: AppointmentParams;
  /** Show the main menu after (when giving up). */
  menu?: boolean;
}

export type CaptureOutcome =
  | { kind: 'continue'; draft: Draft; reply: CaptureReply }
  | { kind: 'saved'; appointment: Appointment; previous?: Appointment; reply: CaptureReply }
  | { kind: 'abandoned'; reply: CaptureReply };

/** After this many messages in a row with nothing usable, stop asking and offer the menu. */
export const MAX_CAPTURE_TRIES = 3;

export interface CaptureInput {
  found: Found;
  /** What the person typed, for a name. */
  text: string;
  /**
   * The first name the text holds, read with its language's common words ("Yesenia pero…":
   * Yesenia, not "Yesenia Pero"); without it, the text's first words.
   */
  typedName?: string;
  /** Names and a month the message holds (read with its language's words). */
  reading: MessageReading;
  /** They said the appointment is their own ("me", "yo"). */
  self: boolean;
  /** They named a family member ("la cita de mi hijo", "my wife's appointment"). */
  family?: boolean;
  /** They said it is another of their own ("y la mía es…"): no need to ask whose. */
  own?: boolean;
  yes: boolean;
  no: boolean;
  /** Asked to save or remind ("solo guárdala", "just save it", "tu peux me rappeler"), not refused. */
  save?: boolean;
  number: number | undefined;
  /** The event's time, ISO. */
  now: string;
  /**
   * The zone the message was read in, when the place is not known yet (the number's state, else
   * the default): a hint only, so "has it passed?" waits for the place (see `dayHasPassed`).
   */
  defaultZone: string;
}

/** Starts collecting an appointment, using whatever the first message already held. */
export function startCapture(input: CaptureInput, editing?: Appointment, others = 0): CaptureOutcome {
  // With other appointments on this phone already, or a child's or spouse's named, first ask
  // whose this one is, keeping what the message already gave.
  if (!editing && !input.own && (others > 0 || input.family)) {
    // "my wife Rosa, December 10 at 1:30pm": whose it is was said; ask only what is missing.
    // "for maria dec 8 10am": her name, said with "for".
    const named =
      input.reading.nameIntroduced ??
      (input.family ? input.reading.nameAfterFamily : undefined) ??
      input.reading.nameAfterFor;
    if (named)
      return advance({ step: 'date', tries: 0, name: named }, { ...input, yes: false, no: false }, [], true);
    const kept = advance({ step: 'date', tries: 0 }, { ...input, yes: false, no: false }, [], true);
    const draft = kept.kind === 'continue' ? kept.draft : { step: 'date' as const, tries: 0 };
    const family = input.family === true ? { family: true } : {};
    return {
      kind: 'continue',
      draft: { ...draft, ...family, step: 'name', tries: 0 },
      reply: askWhose(input, others),
    };
  }
  if (editing) {
    // A change names only what changed ("ahora es a las 10"): the rest is kept, to read back.
    const draft: Draft = {
      step: 'edit',
      tries: 0,
      editing: editing.id,
      ...(editing.name ? { name: editing.name } : {}),
      date: editing.date,
      time: editing.time.slice(0, 5),
      place: editing.place,
      zone: editing.zone,
    };
    if (!detailsIn(input.found)) return { kind: 'continue', draft, reply: { say: 'appt_edit_ask' } };
    return advance(draft, input, [], true);
  }
  return advance({ step: 'date', tries: 0 }, input, [], true);
}

/**
 * Whose it is: "my wife" said already, only the first name; "remind me" again from someone with one
 * saved, maybe a question about the saved one.
 */
function askWhose(input: CaptureInput, others: number): CaptureReply {
  if (input.family) return { say: 'appt_ask_first_name' };
  return { say: others > 0 ? 'appt_ask_another' : 'appt_ask_name' };
}

/** "Whose is it?" once more: only the first name, when the family member was said ("my wife"). */
export function whoseAgain(draft: Draft): SystemKey {
  return draft.family ? 'appt_ask_first_name' : 'appt_ask_name_again';
}

/** The name a message tells at "Whose is it?" ("her name is Maria", "my wife Rosa", "for Ana"). */
function toldName(input: CaptureInput): string | undefined {
  const { reading } = input;
  return reading.nameIntroduced ?? reading.nameAfterFamily ?? reading.nameAfterFor;
}

/** More than six months ahead: the read-back says the year, so a past date read as next year shows. */
function farAhead(date: string, nowIso: string): boolean {
  return date > (DateTime.fromISO(nowIso).plus({ months: 6 }).toISODate() ?? date);
}

/**
 * The year said with the dates wherever they are read back, when one is far ahead: "12/1" read as
 * next December 1 shows "2027", so a date meant as one just passed is seen for what it became.
 */
function yearIfFar(dates: string[], now: string | undefined): { year?: true } {
  return now && dates.some((date) => farAhead(date, now)) ? { year: true } : {};
}

/** Whether a message gave a date, a time or a place, all of them the ones `known` has already. */
export function tellsOnly(said: Found | undefined, known: Pick<Draft, 'date' | 'time' | 'place'>): boolean {
  if (!said || !detailsIn(said) || said.ambiguous) return false;
  return (
    (said.date === undefined || said.date === known.date) &&
    (said.time === undefined || said.time === known.time?.slice(0, 5)) &&
    (said.place === undefined || said.place.label === known.place)
  );
}

/** Whether a message gave a date, a time or a place. */
export function detailsIn(found: Found | undefined): boolean {
  return !!found && !!(found.date || found.ambiguous || found.time || found.place);
}

/** One more message while collecting. */
export function continueCapture(
  draft: Draft,
  input: CaptureInput,
  appointments: Appointment[],
): CaptureOutcome {
  // "es para Maria, el 21 a las 9": the name, and the details with it.
  const told = draft.step === 'name' && !input.self ? toldName(input) : undefined;
  if (told) return advance({ ...draft, step: 'date', tries: 0, name: told }, input, appointments, true);
  if (draft.step === 'name' && !input.self && detailsIn(input.found)) {
    // "Florida", "a las 3": details, not a name. Keep them and ask whose it is once more; the
    // second time, go on without a name rather than ask a third time.
    const kept = advance({ ...draft, step: 'date' }, input, appointments, true);
    const next = kept.kind === 'continue' ? kept.draft : draft;
    if (draft.tries >= 1) return ask({ ...next, tries: 0 }, false, false, input.now);
    return {
      kind: 'continue',
      draft: { ...next, step: 'name', tries: 1 },
      reply: { say: whoseAgain(draft) },
    };
  }
  // "yes", "si", "ok", "1": not a name (before, "Yes's appointment"). Ask once more, plainly.
  if (draft.step === 'name' && !input.self && (input.yes || input.no || input.number !== undefined)) {
    if (draft.tries >= 1) return ask({ ...draft, step: 'date', tries: 0 }, false, false, input.now);
    return { kind: 'continue', draft: { ...draft, tries: 1 }, reply: { say: whoseAgain(draft) } };
  }
  if (draft.step === 'name') {
    const name = input.self ? undefined : (input.typedName ?? nameFrom(input.text));
    const named: Draft = { ...draft, step: 'date', tries: 0, ...(name ? { name } : {}) };
    // Nothing given yet: the usual opening question; else ask what is missing, or read back.
    if (!named.date && !named.choices && !named.time && !named.place)
      return { kind: 'continue', draft: named, reply: { say: 'appt_ask_date' } };
    return ask(named, false, false, input.now);
  }
  return advance(draft, input, appointments, false);
}

function advance(
  start: Draft,
  input: CaptureInput,
  appointments: Appointment[],
  first: boolean,
): CaptureOutcome {
  const answered = confirmation(start, input, appointments);
  if (answered) return answered;
  const { draft: taken, usable } = taking(start, input);
  let draft = taken;
  if (!usable && !first) {
    const tries = draft.tries + 1;
    // At "What should I fix?" everything was told already: nothing lost, the read-back again.
    if (tries >= MAX_CAPTURE_TRIES && draft.step === 'edit' && !draft.editing)
      return readBack(draft, input.now);
    if (tries >= MAX_CAPTURE_TRIES) return { kind: 'abandoned', reply: { say: 'appt_give_up', menu: true } };
    draft = { ...draft, tries };
    // Changing a saved one: everything is known but what changes, so ask for that again.
    if (draft.step === 'edit')
      return { kind: 'continue', draft, reply: { say: draft.editing ? 'appt_edit_ask' : 'appt_fix_ask' } };
  } else if (usable) {
    draft = { ...draft, tries: 0 };
  }
  return passed(draft, input) ?? ask(draft, !usable && !first, first, input.now);
}

/** The answer to the read-back ("yes", "no", "no, it's 9:30"), or to a correction of nothing new. */
function confirmation(
  draft: Draft,
  input: CaptureInput,
  appointments: Appointment[],
): CaptureOutcome | undefined {
  const unchanged = tellsOnly(input.found, draft);
  // The read-back's own values said again, with no "no" ("8:30am", "its the 17th at 8:30"): that
  // is what it is. At "Is that right?", a yes; at "What should I fix?" (or a yes there, "ok save
  // it"), the read-back again, to be answered. Before, both asked what to fix, round and round.
  const restated = unchanged && !input.no && input.number === undefined;
  if (draft.step === 'confirm' && restated) return save(draft, appointments, input.now);
  // "ya no sé qué poner… todo está bien, solo guárdala" at "Is that right?": saved as it reads;
  // at "What should I fix?", read back to be answered, as a yes is there (a blind try 21 got
  // "No guardé" and nothing saved).
  const nothingNew = unchanged || !detailsIn(input.found);
  if (draft.step === 'confirm' && nothingNew && input.save) return save(draft, appointments, input.now);
  if (
    draft.step === 'edit' &&
    !draft.editing &&
    (restated || input.yes || input.number === 1 || (input.save && nothingNew))
  )
    return readBack(draft, input.now);
  // A correction read as what was there already ("no es el lunes q viene, es el otro lunes"):
  // the same read-back again would be answered "si"; ask what to fix instead.
  if (
    (draft.step === 'confirm' || draft.step === 'edit') &&
    unchanged &&
    !input.yes &&
    input.number === undefined
  )
    return {
      kind: 'continue',
      draft: { ...draft, step: 'edit', tries: 0 },
      reply: { say: draft.editing ? 'appt_edit_ask' : 'appt_fix_ask' },
    };
  if (draft.step !== 'confirm') return undefined;
  if (input.yes || input.number === 1) return save(draft, appointments, input.now);
  if (input.no || input.number === 2) {
    // "No": keep what was right and ask only what to fix; "no, it's 9:30" fixes it at once.
    const fixing: Draft = { ...draft, step: 'edit', tries: 0 };
    if (!detailsIn(input.found)) return { kind: 'continue', draft: fixing, reply: { say: 'appt_fix_ask' } };
    return advance(fixing, { ...input, no: false }, appointments, true);
  }
  return undefined;
}

/** "Your appointment: … Is that right?" for a draft with everything told. */
function readBack(draft: Draft, now: string): CaptureOutcome {
  return {
    kind: 'continue',
    draft: { ...draft, step: 'confirm', tries: 0 },
    reply: confirmReply(draft, now),
  };
}

/** The draft with what the message gave: a pick between two dates, a date, a time, a place. */
function taking(start: Draft, input: CaptureInput): { draft: Draft; usable: boolean } {
  let draft = { ...start };
  let usable = false;
  if (draft.step === 'which_date' && draft.choices && (input.number === 1 || input.number === 2)) {
    draft = { ...draft, date: draft.choices[input.number - 1], choices: undefined };
    usable = true;
  } else if (draft.step === 'which_date' && draft.choices) {
    // "december", "es en marzo": the month picks one of the two readings.
    const month = input.reading.month;
    const picked = draft.choices.filter((d) => Number(d.slice(5, 7)) === month);
    if (picked.length === 1) {
      draft = { ...draft, date: picked[0], choices: undefined };
      usable = true;
    }
  }
  const { found } = input;
  if (found.ambiguous) draft = { ...draft, date: undefined, choices: found.ambiguous };
  else if (found.date)
    draft = { ...draft, date: dayPutRight(draft.date, found.date, input), choices: undefined };
  if (found.time) draft = { ...draft, time: found.time };
  if (found.place) draft = { ...draft, place: found.place.label, zone: found.place.zone };
  return { draft, usable: usable || detailsIn(found) };
}

/**
 * "perdón no es el 14 es el 16", "no wait its the 5th" about January 14 or February 3: a day of
 * the month alone puts right the day told before, in its month (it was read as the next 16th or
 * 5th, December's, and saved with one "sí": a blind try, 2026-12-06). A month, a weekday or a
 * numeric date told with it, or a day that would have passed, keeps the day as read.
 */
function dayPutRight(before: string | undefined, read: string, input: CaptureInput): string {
  const day = Number(read.slice(8, 10));
  const alone =
    input.reading.month === undefined &&
    input.reading.severalMonths !== true &&
    input.reading.weekday === undefined &&
    !/\d[/.-]\d/.test(input.text) &&
    new RegExp(`(?<!\\d)0?${day}(?!\\d)`).test(input.text);
  if (!before || !alone || before.slice(0, 7) === read.slice(0, 7)) return read;
  const moved = DateTime.fromISO(before).set({ day });
  const today = DateTime.fromISO(input.now).toISODate() ?? '';
  return moved.isValid && moved.day === day && moved.toISODate()! >= today ? moved.toISODate()! : read;
}

/** A day, or a day and time, that has passed: said, and the date asked again. */
function passed(draft: Draft, input: CaptureInput): CaptureOutcome | undefined {
  // A day that has passed, before the time is asked ("mi cita es el 2 de noviembre" on the 22nd).
  if (draft.date && !draft.time && dayHasPassed(draft.date, input.now, draft.zone)) {
    return {
      kind: 'continue',
      draft: { ...draft, date: undefined, step: 'date' },
      reply: { say: 'appt_day_past', params: { date: draft.date } },
    };
  }
  if (draft.date && draft.time && isPast(draft.date, draft.time, draft.zone ?? LATEST_US_ZONE, input.now)) {
    return {
      kind: 'continue',
      draft: { ...draft, date: undefined, time: undefined, step: 'date' },
      reply: { say: 'appt_date_past', params: { date: draft.date, time: draft.time } },
    };
  }
  return undefined;
}

/**
 * The US zone whose clock is furthest behind. Before the place is told, a day or a time has passed
 * only if it has passed there too: "today at 3:50 pm", said at 3:40 pm in Texas, was once called
 * passed by the default zone's clock (New York's). Then the place is asked, and judged after it.
 */
const LATEST_US_ZONE = 'Pacific/Honolulu';

/** Whether a day is before today at `zone`, or, with no zone known yet, before today everywhere in the US. */
export function dayHasPassed(date: string, nowIso: string, zone: string | undefined): boolean {
  const today = DateTime.fromISO(nowIso)
    .setZone(zone ?? LATEST_US_ZONE)
    .toISODate();
  return today !== null && date < today;
}

function ask(draft: Draft, unclear: boolean, first = false, now?: string): CaptureOutcome {
  if (draft.choices) {
    // Asked already: say how else to answer, instead of the same question word for word.
    const again = draft.step === 'which_date' && !first;
    return {
      kind: 'continue',
      draft: { ...draft, step: 'which_date' },
      reply: {
        say: again ? 'appt_which_date_again' : 'appt_which_date',
        params: { date: draft.choices[0], other: draft.choices[1], ...yearIfFar(draft.choices, now) },
      },
    };
  }
  if (!draft.date)
    return {
      kind: 'continue',
      draft: { ...draft, step: 'date' },
      // Asked again after a time or a place came: only "and the date?", not the whole opening.
      reply: {
        say: unclear
          ? 'appt_no_date'
          : first || !(draft.time || draft.place)
            ? 'appt_ask_date'
            : 'appt_need_date',
      },
    };
  if (!draft.time) {
    return {
      kind: 'continue',
      draft: { ...draft, step: 'time' },
      reply: { say: 'appt_ask_time', params: { date: draft.date, ...yearIfFar([draft.date], now) } },
    };
  }
  if (!draft.place || !draft.zone) {
    // Asked already and not found: say what was missing, with an example, instead of the same question.
    const again = unclear && draft.step === 'place';
    return {
      kind: 'continue',
      draft: { ...draft, step: 'place' },
      reply: { say: again ? 'appt_no_place' : 'appt_ask_place' },
    };
  }
  return { kind: 'continue', draft: { ...draft, step: 'confirm' }, reply: confirmReply(draft, now) };
}

/**
 * The question a draft is waiting on, asked again after a question of the person's was answered
 * ("what do I bring?" at "What is the ZIP code?"): what was told is kept.
 */
export function askAgain(draft: Draft, now?: string): CaptureReply {
  if (draft.step === 'edit') return { say: draft.editing ? 'appt_edit_ask' : 'appt_fix_ask' };
  if (draft.step === 'name') return { say: draft.family ? 'appt_ask_first_name' : 'appt_ask_name' };
  const next = ask(draft, false, draft.step === 'which_date', now);
  return next.kind === 'continue' ? next.reply : confirmReply(draft, now);
}

/** Whether a draft holds anything the person told (not only "remind me"). */
export function holdsSomething(draft: Draft): boolean {
  return (
    draft.step === 'confirm' ||
    draft.step === 'edit' ||
    draft.date !== undefined ||
    draft.time !== undefined ||
    draft.place !== undefined ||
    draft.choices !== undefined ||
    draft.name !== undefined
  );
}

/** The read-back of a complete draft: "Your appointment: … Is that right?". */
export function confirmReply(draft: Draft, now?: string): CaptureReply {
  return {
    say: draft.name ? 'appt_confirm_named' : 'appt_confirm',
    params: {
      date: draft.date!,
      time: draft.time!,
      zone: draft.zone!,
      place: draft.place!,
      ...(draft.name ? { name: draft.name } : {}),
      ...yearIfFar([draft.date!], now),
    },
  };
}

function save(draft: Draft, appointments: Appointment[], now?: string): CaptureOutcome {
  const previous = draft.editing ? appointments.find((a) => a.id === draft.editing) : undefined;
  const appointment: Appointment = {
    id: previous?.id ?? nextId(appointments),
    ...(draft.name ? { name: draft.name } : {}),
    date: draft.date!,
    time: draft.time!,
    zone: draft.zone!,
    place: draft.place!,
    version: (previous?.version ?? 0) + 1,
  };
  const utc = appointmentInstant(appointment)?.toUTC().toISO();
  if (utc) appointment.utc = utc;
  return {
    kind: 'saved',
    appointment,
    ...(previous ? { previous } : {}),
    reply: {
      say: 'appt_saved',
      params: {
        date: appointment.date,
        time: appointment.time,
        zone: appointment.zone,
        place: appointment.place,
        ...(now ? { from: now } : {}),
      },
    },
  };
}

function nextId(appointments: Appointment[]): string {
  const used = new Set(appointments.map((a) => a.id));
  let n = appointments.length + 1;
  while (used.has(`a${n}`)) n++;
  return `a${n}`;
}

/** Whether a local date and time at `zone` is at or before `nowIso` (a time skipped by DST counts as past). */
export function isPast(date: string, time: string, zone: string, nowIso: string): boolean {
  const at = appointmentInstant({ date, time, zone });
  return at === undefined || at.toMillis() <= Date.parse(nowIso);
}

/** The appointment as an instant (luxon reads no clock here), or undefined if that local time does not exist. */
export function appointmentInstant(a: { date: string; time: string; zone: string }): DateTime | undefined {
  const at = DateTime.fromISO(`${a.date}T${a.time}`, { zone: a.zone });
  return at.isValid && at.toFormat('HH:mm') === a.time.slice(0, 5) ? at : undefined;
}

/**
 * The saved appointment whose name the message says, if exactly one: "cancel luis", "Luis's is
 * at 11 not 9:30", "la de Rosa es a las 11".
 */
export function appointmentNamed(
  text: string,
  appointments: Appointment[],
  spares: ReadonlySet<string> = new Set(),
  sparesAfter: ReadonlySet<string> = new Set(),
): Appointment | undefined {
  const words = foldWord(text).match(/\p{L}+/gu) ?? [];
  // "cancel mine but keep marcus", "menos la de marcus": a name a spare word comes just before
  // (within SPARE_REACH words) is the one left alone, not the one meant; so one followed by a
  // word that spares what was just named ("la de kevin dejala").
  const spared = (i: number) =>
    words.slice(Math.max(0, i - SPARE_REACH), i).some((before) => spares.has(before)) ||
    words.slice(i + 1, i + 1 + SPARE_AFTER_REACH).some((after) => sparesAfter.has(after));
  const named = appointments.filter((a) => nameAt(words, a).some((i) => !spared(i)));
  if (named.length > 0) return named.length === 1 ? named[0] : undefined;
  // Only spared ones named ("cancel the dec 18 one for me but keep marcus"): the one left, if one.
  const left = appointments.filter((a) => nameAt(words, a).length === 0);
  return left.length === 1 && left.length < appointments.length ? left[0] : undefined;
}

/** Whether the message says the first name of a saved appointment ("luis", "luis's"). */
export function saysName(text: string, a: Appointment): boolean {
  return nameAt(foldWord(text).match(/\p{L}+/gu) ?? [], a).length > 0;
}

/** Where among folded words an appointment's first name is said ("luis", "luis's" read "luiss"). */
function nameAt(words: string[], a: Appointment): number[] {
  if (!a.name) return [];
  const first = foldWord(a.name).split(' ')[0]!;
  return words.flatMap((w, i) => (w === first || w === `${first}s` ? [i] : []));
}

/** How many words before a name a spare word may come ("menos la de marcus"). */
const SPARE_REACH = 3;
/** How many words after a name a word that spares it may come ("la de kevin dejala"). */
const SPARE_AFTER_REACH = 2;
