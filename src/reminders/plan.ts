import { DateTime, Duration } from 'luxon';

/** Local night when nothing is sent, e.g. 21:00 to 08:00. */
export interface QuietHours {
  start: string;
  end: string;
}

export type ReminderKind = 'first' | 'reminder' | 'followup';

export interface PlannedSend {
  /** The ISO-8601 offset before the appointment ("P3D"), or "followup". */
  slot: string;
  kind: ReminderKind;
  /** When to send, in UTC. */
  at: DateTime;
  /** Not at its offset from the appointment: moved out of quiet hours, or sent at once. */
  moved?: boolean;
}

export interface ReminderPlan {
  /** Sends still ahead, each at a time outside quiet hours. */
  scheduled: PlannedSend[];
  /** A reminder whose time has already passed while the appointment has not: send it now. */
  dueNow: PlannedSend | undefined;
  /** No reminder had passed: the plan does not depend on `now` (and may be reused). */
  allAhead: boolean;
}

/** How long after the appointment to ask whether the person went, unless configured. */
export const FOLLOW_UP_AFTER = 'PT3H';

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Whether a local time falls in the quiet window (which may wrap past midnight). */
export function isQuiet(local: DateTime, quiet: QuietHours | undefined): boolean {
  if (!quiet) return false;
  const t = local.hour * 60 + local.minute;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  return start <= end ? t >= start && t < end : t >= start || t < end;
}

/** The quiet window that contains `local`: its start and end, as local date-times. */
function quietWindowAround(local: DateTime, quiet: QuietHours): { start: DateTime; end: DateTime } {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const at = (day: DateTime, minutes: number) =>
    day.startOf('day').set({ hour: Math.floor(minutes / 60), minute: minutes % 60 });
  const t = local.hour * 60 + local.minute;
  if (start <= end) return { start: at(local, start), end: at(local, end) };
  // Wrapping window: 21:00 today to 08:00 tomorrow, or 21:00 yesterday to 08:00 today.
  return t >= start
    ? { start: at(local, start), end: at(local.plus({ days: 1 }), end) }
    : { start: at(local.minus({ days: 1 }), start), end: at(local, end) };
}

/** Minutes between a reminder moved out of quiet hours and their start. */
const QUIET_MARGIN_MINUTES = 5;

/** Steps a local time by one minute at a time, at most a day, until it is outside quiet hours. */
function stepOutOfQuiet(local: DateTime, quiet: QuietHours, step: -1 | 1): DateTime {
  let at = local;
  for (let i = 0; i < 24 * 60 && isQuiet(at, quiet); i++) at = at.plus({ minutes: step });
  return at;
}

/**
 * A reminder's moment out of quiet hours: unchanged outside them, else the last moment before they
 * started (a few minutes before), never later. A reminder is then at least as early as promised,
 * so it still comes before the appointment and keeps the time to act on it ("3 hours before" an
 * 08:30 appointment is 05:30: at 08:00 it would leave half an hour; it comes the evening before).
 */
export function beforeQuietHours(at: DateTime, zone: string, quiet: QuietHours | undefined): DateTime {
  const local = at.setZone(zone);
  if (!quiet || !isQuiet(local, quiet)) return at;
  let edge = quietWindowAround(local, quiet).start.minus({ minutes: QUIET_MARGIN_MINUTES });
  // A gap between quiet hours shorter than the margin, or a start skipped by a DST change.
  if (isQuiet(edge, quiet) || edge >= local) edge = stepOutOfQuiet(DateTime.min(edge, local), quiet, -1);
  return edge.toUTC();
}

/**
 * A send that must not come early (the follow-up, a weekly check, a milestone) out of quiet
 * hours: unchanged outside them, else when they end.
 */
export function afterQuietHours(at: DateTime, zone: string, quiet: QuietHours | undefined): DateTime {
  const local = at.setZone(zone);
  if (!quiet || !isQuiet(local, quiet)) return at;
  let edge = quietWindowAround(local, quiet).end;
  if (isQuiet(edge, quiet) || edge <= local) edge = stepOutOfQuiet(DateTime.max(edge, local), quiet, 1);
  return edge.toUTC();
}

/** Offsets sorted longest first, each with its moment before the appointment, out of quiet hours. */
function placeReminders(
  appointment: DateTime,
  zone: string,
  offsets: readonly string[],
  quiet: QuietHours | undefined,
): PlannedSend[] {
  const sorted = [...offsets].sort(
    (a, b) => Duration.fromISO(b).as('milliseconds') - Duration.fromISO(a).as('milliseconds'),
  );
  const placed: PlannedSend[] = [];
  sorted.forEach((slot, index) => {
    const due = appointment.minus(Duration.fromISO(slot));
    const at = beforeQuietHours(due, zone, quiet).toUTC();
    let send: PlannedSend = {
      slot,
      kind: index === 0 ? 'first' : 'reminder',
      at,
      ...(at.toMillis() !== due.toMillis() ? { moved: true } : {}),
    };
    // Moved earlier onto (or before) the one before it: one text, not two. It keeps the later
    // slot's moment and, when it absorbs the first, the first's reschedule advice.
    while (placed.length > 0 && placed.at(-1)!.at >= send.at) {
      const absorbed = placed.pop()!;
      if (absorbed.kind === 'first') send = { ...send, kind: 'first' };
    }
    placed.push(send);
  });
  return placed;
}

/**
 * The reminders for one appointment: one per offset before it, moved earlier out of quiet hours
 * (those that land on the same moment, once), plus a follow-up after it, moved later out of quiet
 * hours. The earliest reminder is the "first" one (it also says how to reschedule). Reminders
 * already passed collapse into one to send now, the first, named by the slot closest to the date.
 */
export function planReminders(opts: {
  appointment: DateTime;
  zone: string;
  offsets: readonly string[];
  quiet: QuietHours | undefined;
  now: DateTime;
  followUpAfter?: string;
}): ReminderPlan {
  const { appointment, zone, quiet, now } = opts;
  const placed = placeReminders(appointment, zone, opts.offsets, quiet);
  const scheduled = placed.filter((send) => send.at > now);
  const passed = placed.filter((send) => send.at <= now);
  let dueNow: PlannedSend | undefined;
  if (passed.length > 0 && appointment > now) {
    // The first reminder is among those passed: the one sent now carries its advice (how to reschedule).
    dueNow = { slot: passed.at(-1)!.slot, kind: 'first', at: now.toUTC(), moved: true };
  }
  const followAt = appointment.plus(Duration.fromISO(opts.followUpAfter ?? FOLLOW_UP_AFTER));
  const followup = afterQuietHours(followAt, zone, quiet).toUTC();
  scheduled.push({
    slot: 'followup',
    kind: 'followup',
    at: followup,
    ...(followup.toMillis() !== followAt.toMillis() ? { moved: true } : {}),
  });
  return { scheduled, dueNow, allAhead: passed.length === 0 };
}
