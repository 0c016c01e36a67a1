import { type DateTime, Duration } from 'luxon';

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
}

export interface ReminderPlan {
  /** Sends still ahead, each at a time outside quiet hours. */
  scheduled: PlannedSend[];
  /** A reminder whose time has already passed while the appointment has not: send it now. */
  dueNow: PlannedSend | undefined;
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

/**
 * Moves a send out of quiet hours, to the nearer edge of the window that is still before
 * `deadline` (the appointment); the evening edge is a few minutes before quiet starts.
 */
export function outsideQuietHours(
  at: DateTime,
  zone: string,
  quiet: QuietHours | undefined,
  deadline?: DateTime,
): DateTime {
  const local = at.setZone(zone);
  if (!quiet || !isQuiet(local, quiet)) return at;
  const window = quietWindowAround(local, quiet);
  const before = window.start.minus({ minutes: 5 });
  const after = window.end;
  const candidates = [before, after].filter((c) => !deadline || c < deadline);
  if (candidates.length === 0) return at;
  candidates.sort((a, b) => Math.abs(a.diff(local).as('minutes')) - Math.abs(b.diff(local).as('minutes')));
  return candidates[0]!.toUTC();
}

/**
 * The reminders for one appointment: one per offset before it, moved out of quiet hours, plus a
 * follow-up after it. The earliest reminder is the "first" one (it also says how to reschedule).
 * Offsets already passed collapse into one reminder to send now, the one closest to the date.
 */
export function planReminders(opts: {
  appointment: DateTime;
  zone: string;
  offsets: string[];
  quiet: QuietHours | undefined;
  now: DateTime;
  followUpAfter?: string;
}): ReminderPlan {
  const { appointment, zone, quiet, now } = opts;
  const offsets = [...opts.offsets].sort(
    (a, b) => Duration.fromISO(b).as('milliseconds') - Duration.fromISO(a).as('milliseconds'),
  );
  const scheduled: PlannedSend[] = [];
  let dueNow: PlannedSend | undefined;
  offsets.forEach((slot, index) => {
    const kind: ReminderKind = index === 0 ? 'first' : 'reminder';
    const at = outsideQuietHours(appointment.minus(Duration.fromISO(slot)), zone, quiet, appointment);
    if (at > now) scheduled.push({ slot, kind, at: at.toUTC() });
    else if (appointment > now) dueNow = { slot, kind, at: now.toUTC() };
  });
  if (dueNow && scheduled.length === 0 && offsets.length > 0) {
    // Nothing left ahead: the one sent now is also the first, so it says how to reschedule.
    dueNow = { ...dueNow, kind: 'first' };
  }
  const followAt = appointment.plus(Duration.fromISO(opts.followUpAfter ?? FOLLOW_UP_AFTER));
  scheduled.push({
    slot: 'followup',
    kind: 'followup',
    at: outsideQuietHours(followAt, zone, quiet).toUTC(),
  });
  return { scheduled, dueNow };
}
