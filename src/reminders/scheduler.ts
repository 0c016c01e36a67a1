import type { Queue } from 'bullmq';
import { DateTime, Duration } from 'luxon';
import { type Appointment, appointmentInstant } from '../conversation/appointments.js';
import { keys } from '../store/keys.js';
import type { RedisClient } from '../store/redis.js';
import {
  afterQuietHours,
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
  /** The simulator's preview: the check is sent, and no next one is planned from it. */
  preview?: true;
}
export interface MilestoneJobData {
  type: 'milestone';
  personId: string;
  kind: '3m' | '150d';
  /**
   * The filing date it was planned from, sealed (a person's filing date is theirs): a later date
   * given replaces it. Absent in older jobs; unsealed in jobs queued before sealing.
   */
  filed?: string;
}
export type ScheduledJobData = ReminderJobData | WeeklyJobData | MilestoneJobData;

/** How long the record of a person's job ids outlives their furthest job. */
const JOB_RECORD_GRACE_SECONDS = 7 * 24 * 60 * 60;

/** Options of every scheduled job: retried with backoff, gone once done, failures kept a week. */
export const SCHEDULED_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential' as const, delay: 5_000 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 60 * 60 },
};

/** Jobs per addBulk call (one MULTI each), like a bulk import would send them. */
const ADD_BULK_CHUNK = 1_000;

/** Appointment times whose plan is kept (a few MB at most); many people share an ASC's time slots. */
const MAX_CACHED_PLANS = 10_000;

/**
 * Records a person's job ids: the set, its expiry (NX when new, GT to lengthen), and its place in
 * the person's index. One script, one slot ({personId}), so each person's record is atomic.
 */
const RECORD_JOBS = `
redis.call('SADD', KEYS[1], unpack(ARGV, 3))
redis.call('EXPIRE', KEYS[1], ARGV[1], 'NX')
redis.call('EXPIRE', KEYS[1], ARGV[1], 'GT')
redis.call('ZADD', KEYS[2], ARGV[2], KEYS[1])
return 1
`;

interface RecordJobs {
  huellaRecordJobs(
    jobsKey: string,
    indexKey: string,
    ttl: number,
    now: number,
    ...ids: string[]
  ): Promise<unknown>;
}

interface JobToAdd {
  name: string;
  data: ScheduledJobData;
  jobId: string;
  delay: number;
}

/** A plan with every send still ahead, as UTC milliseconds. */
interface CachedPlan {
  sends: { slot: string; kind: ReminderKind; at: number }[];
  earliest: number;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

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
  /** Seals what a job carries that describes the person, and tags it for the job id. */
  sealer: { seal(plain: string): string; unseal(stored: string): string; tag(value: string): string };
  /** Told the names (first, reminder, followup, weekly…) of the jobs each batch scheduled. */
  onScheduled?: (names: string[]) => void;
}

export class ReminderScheduler {
  private pending: {
    personId: string;
    jobs: JobToAdd[];
    resolve: () => void;
    reject: (error: unknown) => void;
  }[] = [];
  private readonly plans = new Map<string, CachedPlan>();

  constructor(
    private readonly queue: Queue<ScheduledJobData>,
    private readonly redis: RedisClient,
    private readonly settings: SchedulerSettings,
  ) {
    this.redis.defineCommand('huellaRecordJobs', { numberOfKeys: 2, lua: RECORD_JOBS });
  }

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
    const sends = this.plan(appointment, now);
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
   * The sends of an appointment: its reminders and follow-up, and a late registration's reminder
   * due at once. Planning reads time zones (slow); a plan whose sends are all still ahead does not
   * depend on `now`, so it is kept per local date, time and zone and reused while that holds.
   */
  private plan(appointment: Appointment, now: DateTime): PlannedSend[] {
    const key = `${appointment.date}T${appointment.time}@${appointment.zone}`;
    const cached = this.plans.get(key);
    if (cached && cached.earliest > now.toMillis()) {
      return cached.sends.map((s) => ({ ...s, at: DateTime.fromMillis(s.at, { zone: 'utc' }) }));
    }
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
    if (plan.dueNow) return [plan.dueNow, ...plan.scheduled];
    if (plan.allAhead) {
      if (this.plans.size >= MAX_CACHED_PLANS) this.plans.delete(this.plans.keys().next().value!);
      const sends = plan.scheduled.map((s) => ({ slot: s.slot, kind: s.kind, at: s.at.toMillis() }));
      this.plans.set(key, { sends, earliest: Math.min(...sends.map((s) => s.at)) });
    }
    return plan.scheduled;
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

  /**
   * Local mode only: the weekly check, `delayMs` from now, through the same job and conversation as
   * the real one; the planned checks stay as they are (a preview plans no next one).
   */
  async previewWeekly(personId: string, now: Date, delayMs = 4_000): Promise<number> {
    const at = DateTime.fromMillis(now.getTime() + delayMs).toUTC();
    await this.queue.add(
      'weekly',
      { type: 'weekly', personId, at: at.toISO()!, preview: true },
      {
        jobId: `preview-wk-${personId}-${now.getTime().toString(36)}`,
        delay: delayMs,
        removeOnComplete: true,
        removeOnFail: true,
      },
    );
    return 1;
  }

  /** Removes an appointment version's pending jobs (a job already running finishes, and finds itself stale). */
  async cancel(personId: string, appointment: Appointment): Promise<void> {
    const prefix = reminderJobId(personId, appointment.id, appointment.version, '');
    const ids = (await this.redis.smembers(keys.jobs(personId))).filter((id) => id.startsWith(prefix));
    await this.removeJobs(personId, ids);
  }

  /**
   * Plans the next weekly check: STATUS_CHECK_EVERY after `after` (or now), at 10:00 local when
   * the period is a day or more, moved out of quiet hours (later, never earlier).
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
    const at = afterQuietHours(planned.toUTC(), zone, this.settings.quiet);
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
        const at = afterQuietHours(m.at.toUTC(), zone, this.settings.quiet);
        return {
          name: `milestone-${m.kind}`,
          data: {
            type: 'milestone' as const,
            personId,
            kind: m.kind,
            filed: this.settings.sealer.seal(filed),
          },
          // The id tells one filing date from another without showing it.
          jobId: `ms-${personId}-${m.kind}-${this.settings.sealer.tag(filed)}`,
          delay: at.toMillis() - now.toMillis(),
        };
      }),
    );
  }

  /**
   * Adds jobs and records their ids for STOP and DELETE. The record lives as long as the furthest
   * job plus a week (NX sets it when new, GT only ever lengthens it). The only way jobs are added:
   * calls made in the same turn of the event loop go out together (one addBulk, the per-person
   * record scripts auto-pipelined), so many appointments at once cost a few round trips, not two each.
   */
  private add(personId: string, jobs: JobToAdd[]): Promise<void> {
    if (jobs.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ personId, jobs, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending.splice(0);
    try {
      const now = Date.now();
      const run = this.redis as unknown as RecordJobs;
      // One call per person, not a MULTI or pipeline: on a cluster those span one node only. The
      // client's auto-pipelining still sends them together (per node).
      const records = batch.map(({ personId, jobs }) => {
        const ttl = Math.ceil(Math.max(...jobs.map((j) => j.delay), 0) / 1000) + JOB_RECORD_GRACE_SECONDS;
        return run.huellaRecordJobs(
          keys.jobs(personId),
          keys.index(personId),
          ttl,
          now,
          ...jobs.map((j) => j.jobId),
        );
      });
      const all = batch.flatMap(({ jobs }) => jobs);
      // The record and the jobs do not depend on each other: both go out at once.
      await Promise.all([
        Promise.all(records),
        ...chunks(all, ADD_BULK_CHUNK).map((part) =>
          this.queue.addBulk(
            part.map((j) => ({
              name: j.name,
              data: j.data,
              opts: { ...SCHEDULED_JOB_OPTIONS, jobId: j.jobId, delay: Math.max(0, j.delay) },
            })),
          ),
        ),
      ]);
      this.settings.onScheduled?.(all.map((j) => j.name));
      for (const { resolve } of batch) resolve();
    } catch (error) {
      for (const { reject } of batch) reject(error);
    }
  }

  /**
   * Key rotation: adds the person's pending jobs again under their new id (same name, same moment,
   * values sealed again with the current key) and records them. The old jobs stay until the caller
   * removes them (cancelAll), once the conversation has moved too: a move cut short in between
   * leaves jobs for an id with no conversation, which send nothing.
   */
  async moveJobs(fromId: string, toId: string, now = Date.now()): Promise<void> {
    const moved: JobToAdd[] = [];
    for (const id of await this.redis.smembers(keys.jobs(fromId))) {
      const job = await this.queue.getJob(id);
      if (!job || !['delayed', 'waiting', 'prioritized'].includes(await job.getState())) continue;
      const data = { ...job.data, personId: toId };
      let jobId = id.replace(fromId, toId);
      if (data.type === 'milestone' && data.filed) {
        const filed = this.settings.sealer.unseal(data.filed);
        data.filed = this.settings.sealer.seal(filed);
        jobId = `ms-${toId}-${data.kind}-${this.settings.sealer.tag(filed)}`;
      }
      moved.push({ name: job.name, data, jobId, delay: job.timestamp + job.delay - now });
    }
    await this.add(toId, moved);
  }

  /** Whether one of the person's jobs is running now. */
  async anyRunning(personId: string): Promise<boolean> {
    for (const id of await this.redis.smembers(keys.jobs(personId))) {
      if ((await this.queue.getJobState(id)) === 'active') return true;
    }
    return false;
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
