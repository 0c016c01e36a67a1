import type { DateTime } from 'luxon';
import type { PlannedSend, ReminderPlan } from './plan.js';

/**
 * A language's words for when reminders really come (flows/lang/<code>.yaml `formats.plan`).
 * `{times}` is a list of lengths ("3 days and 1 day"), `{at}` a time of day, `{days}` a length.
 */
export interface PlanWords {
  /** Reminders at their offset: "{times} before {date} at {time}". */
  before: string;
  /** The same without the date, for a second sentence: "{times} before". */
  before_short: string;
  /** When no reminder is at its offset, the list is anchored to the date: "{sends}, for {date} at {time}". */
  about: string;
  /** A reminder sent at once (registered late). */
  now: string;
  /** A reminder moved out of quiet hours, by how many days before the appointment it comes. */
  same_day: string;
  day_before: string;
  /** The day before, from `evening_from` o'clock on: "the evening before at {at}". */
  evening_before: string;
  evening_from: number;
  days_before: string;
  /** What joins the last item of a list whose items may hold "and" themselves: ", and ". */
  list_and: string;
}

export interface DescribeOptions {
  words: PlanWords;
  appointment: DateTime;
  zone: string;
  /** "3 days, 1 day and 3 hours" for offsets; "3 days" for a number of days. */
  lengths: (offsets: readonly string[]) => string;
  days: (n: number) => string;
  /** A local time of day as the language writes it ("8:55 PM"). */
  time: (local: DateTime) => string;
}

function joinList(items: string[], listAnd: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')}${listAnd}${items.at(-1)}`;
}

/** A reminder not at its offset: "the evening before at 8:55 PM", "that day at 11:55 AM". */
function movedPhrase(send: PlannedSend, opts: DescribeOptions): string {
  const { words } = opts;
  const local = send.at.setZone(opts.zone);
  const days = Math.round(
    opts.appointment.setZone(opts.zone).startOf('day').diff(local.startOf('day'), 'days').days,
  );
  const template =
    days <= 0
      ? words.same_day
      : days === 1
        ? local.hour >= words.evening_from
          ? words.evening_before
          : words.day_before
        : words.days_before;
  return template.replace('{days}', opts.days(days)).replace('{at}', opts.time(local));
}

/**
 * When the reminders (not the follow-up) of a plan really come, in words: "3 days, 1 day and 3
 * hours before {date} at {time}", "3 days and 1 day before {date} at {time}, and the evening before
 * at 8:55 PM", "now, and 3 hours before…". With `short`, no date ("3 days and 1 day before"), for
 * a sentence about some of them. Undefined when there is none.
 */
export function describeReminders(
  plan: Pick<ReminderPlan, 'dueNow' | 'scheduled'>,
  opts: DescribeOptions,
  short = false,
): string | undefined {
  const { words } = opts;
  const ahead = plan.scheduled.filter((s) => s.kind !== 'followup');
  const atOffset = ahead.filter((s) => !s.moved).map((s) => s.slot);
  const items: string[] = plan.dueNow ? [words.now] : [];
  if (atOffset.length > 0)
    items.push((short ? words.before_short : words.before).replace('{times}', opts.lengths(atOffset)));
  for (const send of ahead) if (send.moved) items.push(movedPhrase(send, opts));
  if (items.length === 0) return undefined;
  const list = joinList(items, words.list_and);
  return atOffset.length > 0 || short ? list : words.about.replace('{sends}', list);
}
