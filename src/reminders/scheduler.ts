import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DateTime } from 'luxon';
import { type Appointment, appointmentInstant } from '../conversation/appointments.js';
import { keys } from '../store/keys.js';
import { type PlannedSend, planReminders, type QuietHours, type ReminderKind } from './plan.js';

export const REMINDER_QUEUE = 'reminders';

/** What a reminder job carries: opaque ids and the slot, never a number or a text. */
export interface ReminderJobData {
  personId: string;
  appointmentId: string;
  version: number;
  slot: string;
  kind: ReminderKind;
}

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
}

export class ReminderScheduler {
  constructor(
    private readonly queue: Queue<ReminderJobData>,
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
    const jobs = sends.map((send) => ({
      name: send.kind,
      data: {
        personId,
        appointmentId: appointment.id,
        version: appointment.version,
        slot: send.slot,
        kind: send.kind,
      },
      opts: {
        jobId: reminderJobId(personId, appointment.id, appointment.version, send.slot),
        delay: Math.max(0, send.at.toMillis() - now.toMillis()),
        attempts: 5,
        backoff: { type: 'exponential' as const, delay: 5_000 },
        removeOnComplete: true,
        removeOnFail: { age: 7 * 24 * 60 * 60 },
      },
    }));
    if (jobs.length > 0) {
      await this.redis
        .multi()
        .sadd(keys.jobs(personId), ...jobs.map((j) => j.opts.jobId))
        .zadd(keys.index(personId), now.toMillis(), keys.jobs(personId))
        .exec();
      await this.queue.addBulk(jobs);
    }
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

  /** Removes every pending job of the person (STOP, DELETE). */
  async cancelAll(personId: string): Promise<void> {
    await this.removeJobs(personId, await this.redis.smembers(keys.jobs(personId)));
  }

  private async removeJobs(personId: string, ids: string[]): Promise<void> {
    for (const id of ids) await this.queue.remove(id);
    if (ids.length > 0) await this.redis.srem(keys.jobs(personId), ...ids);
  }
}
