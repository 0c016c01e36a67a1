import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { beforeQuietHours, isQuiet, planReminders } from '../../src/reminders/plan.js';

const quiet = { start: '21:00', end: '08:00' };
const zone = 'America/Chicago';
const local = (iso: string) => DateTime.fromISO(iso, { zone });

describe('reminder plan', () => {
  it('schedules one reminder per offset, at the local time before the appointment, plus a follow-up', () => {
    const appointment = local('2027-03-10T10:00');
    const plan = planReminders({
      appointment,
      zone,
      offsets: ['PT3H', 'P3D', 'P1D'],
      quiet,
      now: local('2027-03-01T12:00'),
    });
    expect(plan.dueNow).toBeUndefined();
    expect(
      plan.scheduled.map((s) => [s.slot, s.kind, s.at.setZone(zone).toISO({ suppressMilliseconds: true })]),
    ).toEqual([
      ['P3D', 'first', '2027-03-07T10:00:00-06:00'],
      ['P1D', 'reminder', '2027-03-09T10:00:00-06:00'],
      // 07:00 is quiet: the last moment before quiet hours started, never later than promised.
      ['PT3H', 'reminder', '2027-03-09T20:55:00-06:00'],
      ['followup', 'followup', '2027-03-10T13:00:00-06:00'],
    ]);
  });

  it('keeps local wall-clock times across the spring DST change', () => {
    // US clocks go forward on 2027-03-14; a reminder 3 days before a Tuesday 9:00 is Saturday 9:00 local.
    const appointment = local('2027-03-16T09:00');
    const plan = planReminders({
      appointment,
      zone,
      offsets: ['P3D'],
      quiet,
      now: local('2027-03-01T12:00'),
    });
    expect(plan.scheduled[0]!.at.setZone(zone).toFormat('yyyy-MM-dd HH:mm ZZ')).toBe(
      '2027-03-13 09:00 -06:00',
    );
    expect(appointment.toFormat('ZZ')).toBe('-05:00');
  });

  it('holds quiet hours across the autumn DST change', () => {
    // Clocks go back on 2027-11-07 at 02:00; 3 hours before an 08:30 appointment is 05:30, inside quiet hours.
    const appointment = local('2027-11-07T08:30');
    const plan = planReminders({
      appointment,
      zone,
      offsets: ['PT3H'],
      quiet,
      now: local('2027-11-01T12:00'),
    });
    const at = plan.scheduled[0]!.at.setZone(zone);
    expect(at.toFormat('yyyy-MM-dd HH:mm ZZ')).toBe('2027-11-06 20:55 -05:00');
    expect(isQuiet(at, quiet)).toBe(false);
  });

  it('moves a reminder in quiet hours to the evening before, never to the morning after', () => {
    const at = beforeQuietHours(local('2027-03-10T04:30').toUTC(), zone, quiet);
    expect(at.setZone(zone).toFormat('yyyy-MM-dd HH:mm')).toBe('2027-03-09 20:55');
  });

  it('sends now what is still useful when the appointment is registered late', () => {
    const appointment = local('2027-03-10T10:00');
    const plan = planReminders({
      appointment,
      zone,
      offsets: ['P3D', 'P1D', 'PT3H'],
      quiet,
      now: local('2027-03-09T15:00'),
    });
    expect(plan.dueNow?.slot).toBe('P1D');
    expect(plan.scheduled.map((s) => s.slot)).toEqual(['PT3H', 'followup']);
  });

  it('makes the reminder sent now the first one when nothing else is ahead', () => {
    const appointment = local('2027-03-10T10:00');
    const plan = planReminders({
      appointment,
      zone,
      offsets: ['P3D', 'P1D'],
      quiet,
      now: local('2027-03-09T15:00'),
    });
    expect(plan.dueNow).toMatchObject({ slot: 'P1D', kind: 'first' });
  });

  it('sends nothing before an appointment that has passed, only the follow-up if still ahead', () => {
    const appointment = local('2027-03-10T10:00');
    const plan = planReminders({
      appointment,
      zone,
      offsets: ['P1D'],
      quiet,
      now: local('2027-03-10T11:00'),
    });
    expect(plan.dueNow).toBeUndefined();
    expect(plan.scheduled.map((s) => s.slot)).toEqual(['followup']);
  });

  it('treats quiet hours as off when not configured', () => {
    expect(isQuiet(local('2027-03-10T03:00'), undefined)).toBe(false);
  });
});
