import { DateTime, Duration } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isQuiet, type PlannedSend, planReminders, type QuietHours } from '../../src/reminders/plan.js';

// Pure planning: fixed instants are fine here (nothing reads today's date). US clocks go forward on
// 2027-03-14 and back on 2027-11-07: appointments on those days and the day after have reminders
// on both sides of the change. (Planning asks the time-zone database often: the grid is kept to
// what covers the cases, about 12,000 plans.)
const zone = 'America/New_York';
const DAYS = ['2027-03-14', '2027-03-15', '2027-11-07', '2027-11-08'];
const QUIET: QuietHours[] = [
  { start: '21:00', end: '08:00' },
  { start: '18:55', end: '08:00' },
  { start: '12:00', end: '14:00' },
  { start: '01:30', end: '07:00' },
];
const OFFSETS = [
  ['P3D', 'P1D', 'PT3H'],
  ['P1D', 'PT12H', 'PT2H', 'PT1H'],
];
const FOLLOW_UP = 'PT3H';

/** Every 5 minutes of each day, as appointments (times skipped by the spring change do not exist). */
function appointments(step = 5): DateTime[] {
  const out: DateTime[] = [];
  for (const day of DAYS) {
    for (let minutes = 0; minutes < 24 * 60; minutes += step) {
      const hhmm = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
      const at = DateTime.fromISO(`${day}T${hhmm}`, { zone });
      if (at.toFormat('HH:mm') === hhmm) out.push(at);
    }
  }
  return out;
}

/** What must hold for every plan; returns the first broken promise, or undefined. */
function broken(
  appointment: DateTime,
  now: DateTime,
  offsets: string[],
  quiet: QuietHours | undefined,
): string | undefined {
  const plan = planReminders({ appointment, zone, offsets, quiet, now, followUpAfter: FOLLOW_UP });
  const reminders: PlannedSend[] = [
    ...(plan.dueNow ? [plan.dueNow] : []),
    ...plan.scheduled.filter((s) => s.kind !== 'followup'),
  ];
  const followups = plan.scheduled.filter((s) => s.kind === 'followup');
  const order = [...offsets].sort((a, b) => Duration.fromISO(b).toMillis() - Duration.fromISO(a).toMillis());
  if (followups.length !== 1) return 'not exactly one follow-up';
  const followup = followups[0]!;
  if (plan.scheduled.at(-1) !== followup) return 'follow-up not last';
  if (followup.at <= appointment) return 'follow-up not after the appointment';
  if (isQuiet(followup.at.setZone(zone), quiet)) return 'follow-up in quiet hours';
  if (appointment > now && reminders.length === 0) return 'no reminder at all';
  if (reminders.length > 0 && reminders[0]!.kind !== 'first') return 'earliest is not the first';
  if (plan.dueNow && +plan.dueNow.at !== +now) return 'due reminder not sent at once';
  for (const [i, send] of reminders.entries()) {
    if (send.at >= appointment) return `${send.slot} not before the appointment`;
    if (send !== plan.dueNow && send.at <= now) return `${send.slot} not after it was scheduled`;
    const promised = appointment.minus(Duration.fromISO(send.slot));
    if (send !== plan.dueNow && send.at > promised) return `${send.slot} later than promised`;
    if (send !== plan.dueNow && isQuiet(send.at.setZone(zone), quiet)) return `${send.slot} in quiet hours`;
    if (i > 0 && send.kind === 'first') return 'two first reminders';
    const previous = reminders[i - 1];
    if (previous && previous.at >= send.at) return `${send.slot} not after ${previous.slot}`;
    if (previous && order.indexOf(previous.slot) >= order.indexOf(send.slot)) return 'slots out of order';
  }
  return undefined;
}

describe('reminder plan, over many appointment times and quiet hours', () => {
  it('keeps every promise for appointments planned days ahead', () => {
    const failures: string[] = [];
    let checked = 0;
    for (const appointment of appointments()) {
      const now = appointment.minus({ days: 10 });
      for (const quiet of QUIET) {
        for (const offsets of OFFSETS) {
          checked++;
          const problem = broken(appointment, now, offsets, quiet);
          if (problem)
            failures.push(`${appointment.toISO()} ${JSON.stringify(quiet)} ${offsets}: ${problem}`);
        }
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(9_000);
  });

  it('keeps every promise for appointments registered late, at any hour', () => {
    const failures: string[] = [];
    for (const appointment of appointments(60)) {
      // Registered the day before at several hours (some inside quiet hours), and just before.
      const nows = [
        appointment.minus({ hours: 30 }),
        appointment.minus({ hours: 26, minutes: 5 }),
        appointment.minus({ hours: 14 }),
        appointment.minus({ hours: 2, minutes: 50 }),
        appointment.minus({ minutes: 10 }),
      ];
      for (const now of nows) {
        for (const quiet of QUIET.slice(0, 3)) {
          for (const offsets of OFFSETS) {
            const problem = broken(appointment, now, offsets, quiet);
            if (problem) failures.push(`${appointment.toISO()} now ${now.toISO()} ${offsets}: ${problem}`);
          }
        }
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it('with quiet hours from 18:55, a 19:00 appointment gets each text once, before it, and the follow-up after', () => {
    const appointment = DateTime.fromISO('2027-03-16T19:00', { zone });
    const plan = planReminders({
      appointment,
      zone,
      offsets: ['P3D', 'P1D', 'PT3H'],
      quiet: { start: '18:55', end: '08:00' },
      now: appointment.minus({ days: 10 }),
      followUpAfter: FOLLOW_UP,
    });
    expect(plan.scheduled.map((s) => [s.slot, s.at.setZone(zone).toFormat('yyyy-MM-dd HH:mm')])).toEqual([
      ['P3D', '2027-03-13 18:50'],
      ['P1D', '2027-03-15 18:50'],
      ['PT3H', '2027-03-16 16:00'],
      // 22:00 is quiet: when quiet hours end, never before the appointment.
      ['followup', '2027-03-17 08:00'],
    ]);
  });

  it('sends one text, not two, when two reminders are moved onto the same moment', () => {
    const appointment = DateTime.fromISO('2027-03-16T19:00', { zone });
    const plan = planReminders({
      appointment,
      zone,
      offsets: ['PT2H', 'PT1H'],
      quiet: { start: '16:30', end: '20:00' },
      now: appointment.minus({ days: 10 }),
    });
    // 17:00 and 18:00 are both quiet: both would go at 16:25; one goes, carrying the first's advice.
    expect(plan.scheduled.map((s) => [s.slot, s.kind, s.at.setZone(zone).toFormat('HH:mm')])).toEqual([
      ['PT1H', 'first', '16:25'],
      ['followup', 'followup', '22:00'],
    ]);
  });
});
