import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DateTime, Duration } from 'luxon';
import { type Appointment, appointmentInstant } from '../conversation/appointments.js';
import { keys } from '../store/keys.js';
import {
  outsideQuietHours,
  type PlannedSend,
  planReminders,
  type QuietHours,
  type ReminderKind,
} from './plan.js';

export const REMINDER_QUEUE = 'reminders';

/** What a reminder job carries: opaque ids and the slot, never a number or a text. */
export interface ReminderJobData {
  type?: 'appointment';
  personId: string;
  appointmentId: string;
  version: number;
  slot: string;
  kind: ReminderKind;
}
/** A weekly status check; `at` is when it was planned (ISO), the next is planned from it. */
export interface WeeklyJobData {
  type: 'weekly';
  personId: string;
  at: string;
}
export interface MilestoneJobData {
  type: 'milestone';
  personId: string;
  kind: '3m' | '150d';
}
export type ScheduledJobData = ReminderJobData | WeeklyJobData | MilestoneJobData;

/** How long the record of a person's job ids outlives their furthest job. */
const JOB_RECORD_GRACE_SECONDS = 7 * 24 * 60 * 60;

/** The local hour for checks that are not tied to an appointment time. */
export const CHECK_HOUR = 10;

/** Deterministic, so a job is added once however often scheduling runs; BullMQ ids may not hold ':'. */
export function reminderJobId(
  personId: string,
  appointmentId: string,
  version: number,
  slot: string,
): string {
  return `rem-${personId}-${appointmentId}-v${version}-${slot}`;
}

export interface SchedulerSettings {
  offsets: string[];
  quiet: QuietHours | undefined;
  followUpAfter?: string;
  /** How often to check in while someone waits for a notice (ISO-8601). */
  statusCheckEvery?: string;
  /** Zone for checks when the person has no appointment yet. */
  defaultZone?: string;
}

export class ReminderScheduler {
  constructor(
    private readonly queue: Queue<ScheduledJobData>,
    private readonly redis: Redis,
    private readonly settings: SchedulerSettings,
  ) {}

  /**
   * Schedules an appointment's reminders and follow-up, removing those of the version it
   * replaces. Returns what was planned (a late registration's reminder is due at once).
   */
  async schedule(
    personId: string,
    appointment: Appointment,
    now: DateTime,
    previous?: Appointment,
  ): Promise<PlannedSend[]> {
    if (previous) await this.cancel(personId, previous);
    const at = appointmentInstant(appointment);
    if (!at) return [];
    const plan = planReminders({
      appointment: at,
      zone: appointment.zone,
      offsets: this.settings.offsets,
      quiet: this.settings.quiet,
      now,
      ...(this.settings.followUpAfter ? { followUpAfter: this.settings.followUpAfter } : {}),
    });
    // A reminder whose time has passed while the appointment has not goes out now, as a job like the others.
    const sends = plan.dueNow ? [plan.dueNow, ...plan.scheduled] : plan.scheduled;
    await this.add(
      personId,
      sends.map((send) => ({
        name: send.kind,
        data: {
          personId,
          appointmentId: appointment.id,
          version: appointment.version,
          slot: send.slot,
          kind: send.kind,
        },
        jobId: reminderJobId(personId, appointment.id, appointment.version, send.slot),
        delay: send.at.toMillis() - now.toMillis(),
      })),
    );
    return sends;
  }

  /**
   * Local mode only: every reminder and the follow-up of an appointment, a few seconds apart from
   * now, through the same jobs and conversation as the real ones (ids of their own).
   */
  async preview(personId: string, appointment: Appointment, spacingMs = 4_000): Promise<number> {
    const slots: { slot: string; kind: ReminderKind }[] = [
      ...[...this.settings.offsets].map((slot, i) => ({
        slot,
        kind: (i === 0 ? 'first' : 'reminder') as ReminderKind,
      })),
      { slot: 'followup', kind: 'followup' },
    ];
    const run = Date.now().toString(36);
    await this.queue.addBulk(
      slots.map(({ slot, kind }, i) => ({
        name: kind,
        data: { personId, appointmentId: appointment.id, version: appointment.version, slot, kind },
        opts: {
          jobId: `preview-${reminderJobId(personId, appointment.id, appointment.version, slot)}-${run}`,
          delay: (i + 1) * spacingMs,
          removeOnComplete: true,
          removeOnFail: true,
        },
      })),
    );
    return slots.length;
  }

  /** Removes an appointment version's pending jobs (a job already running finishes, and finds itself stale). */
  async cancel(personId: string, appointment: Appointment): Promise<void> {
    const prefix = reminderJobId(personId, appointment.id, appointment.version, '');
    const ids = (await this.redis.smembers(keys.jobs(personId))).filter((id) => id.startsWith(prefix));
    await this.removeJobs(personId, ids);
  }

  /**
   * Plans the next weekly check: STATUS_CHECK_EVERY after `after` (or now), at 10:00 local when
   * the period is a day or more, moved out of quiet hours.
   */
  async scheduleWeekly(
    personId: string,
    now: DateTime,
    after?: string,
    zone = this.settings.defaultZone ?? 'America/New_York',
  ): Promise<void> {
    const every = Duration.fromISO(this.settings.statusCheckEvery ?? 'P7D');
    let planned: DateTime = (after ? DateTime.fromISO(after) : now).setZone(zone).plus(every);
    if (every.as('days') >= 1)
      planned = planned.set({ hour: CHECK_HOUR, minute: 0, second: 0, millisecond: 0 });
    const at = outsideQuietHours(planned.toUTC(), zone, this.settings.quiet);
    const jobId = `wk-${personId}-${at.toMillis()}`;
    await this.add(personId, [
      {
        name: 'weekly',
        data: { type: 'weekly', personId, at: at.toISO()! },
        jobId,
        delay: at.toMillis() - now.toMillis(),
      },
    ]);
  }

  /** Removes the pending weekly check. */
  async stopWeekly(personId: string): Promise<void> {
    const ids = (await this.redis.smembers(keys.jobs(personId))).filter((id) =>
      id.startsWith(`wk-${personId}-`),
    );
    await this.removeJobs(personId, ids);
  }

  /** Texts at 3 months and 150 days after the I-589 was sent, at 10:00 local, if still ahead. */
  async scheduleMilestones(
    personId: string,
    filed: string,
    now: DateTime,
    zone = this.settings.defaultZone ?? 'America/New_York',
  ): Promise<void> {
    const sent = DateTime.fromISO(filed, { zone }).set({ hour: CHECK_HOUR });
    const marks = [
      { kind: '3m' as const, at: sent.plus({ months: 3 }) },
      { kind: '150d' as const, at: sent.plus({ days: 150 }) },
    ].filter((m) => m.at > now);
    await this.add(
      personId,
      marks.map((m) => {
        const at = outsideQuietHours(m.at.toUTC(), zone, this.settings.quiet);
        return {
          name: `milestone-${m.kind}`,
          data: { type: 'milestone' as const, personId, kind: m.kind },
          jobId: `ms-${personId}-${m.kind}-${filed}`,
          delay: at.toMillis() - now.toMillis(),
        };
      }),
    );
  }

  /**
   * Adds jobs and records their ids for STOP and DELETE. The record lives as long as the furthest
   * job plus a week (NX sets it when new, GT only ever lengthens it).
   */
  private async add(
    personId: string,
    jobs: { name: string; data: ScheduledJobData; jobId: string; delay: number }[],
  ): Promise<void> {
    if (jobs.length === 0) return;
    const key = keys.jobs(personId);
    const ttl = Math.ceil(Math.max(...jobs.map((j) => j.delay), 0) / 1000) + JOB_RECORD_GRACE_SECONDS;
    // Both go out together: the job-id record and the jobs do not depend on each other.
    await Promise.all([
      this.redis
        .multi()
        .sadd(key, ...jobs.map((j) => j.jobId))
        .expire(key, ttl, 'NX')
        .expire(key, ttl, 'GT')
        .zadd(keys.index(personId), Date.now(), key)
        .exec(),
      this.queue.addBulk(
        jobs.map((j) => ({
          name: j.name,
          data: j.data,
          opts: {
            jobId: j.jobId,
            delay: Math.max(0, j.delay),
            attempts: 5,
            backoff: { type: 'exponential' as const, delay: 5_000 },
            removeOnComplete: true,
            removeOnFail: { age: 7 * 24 * 60 * 60 },
          },
        })),
      ),
    ]);
  }

  /** Removes every pending job of the person (STOP, DELETE). */
  async cancelAll(personId: string): Promise<void> {
    await this.removeJobs(personId, await this.redis.smembers(keys.jobs(personId)));
  }

  private async removeJobs(personId: string, ids: string[]): Promise<void> {
    for (const id of ids) await this.queue.remove(id);
    if (ids.length > 0) await this.redis.srem(keys.jobs(personId), ...ids);
  }
}
