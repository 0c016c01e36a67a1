import type { Queue } from 'bullmq';
import { DateTime } from 'luxon';
import { type Appointment, appointmentInstant } from './conversation/appointments.js';
import { KEY_PREFIX } from './store/keys.js';
import { type RedisClient, scanKeys } from './store/redis.js';

/**
 * What an operator needs to see at a glance, in counts only: no id, number, name, date or text
 * of any person. Read by scanning the conversations (no extra index to keep or to erase), so it
 * costs one pass over Redis: fine for a page or a command, not for a tight loop.
 */
export interface Summary {
  at: string;
  people: number;
  byLanguage: Record<string, number>;
  byChannel: Record<string, number>;
  /** Wrote in the last 7 days. */
  activeLast7Days: number;
  /** Weekly checks on: waiting for a biometrics notice. */
  waitingForNotice: number;
  appointmentsNext7Days: number;
  appointmentsLater: number;
  /** People with an appointment in the next 7 days (a phone may hold several). */
  peopleWithAppointmentNext7Days: number;
  optedOut: number;
  /** Numbers Twilio said cannot receive texts. */
  unreachable: number;
  queues: Record<string, { delayed: number; waiting: number; active: number; failed: number }>;
}

const CONVERSATION_PATTERN = `${KEY_PREFIX}:{*}:conv`;

/**
 * `unseal` opens a snapshot (sealed: it holds the person's appointments); a snapshot that does not
 * open (sealed with a key no longer set) is counted as a person, and nothing more.
 */
export async function collectSummary(
  redis: RedisClient,
  queues: Queue[],
  unseal: (stored: string) => string,
  now: DateTime = DateTime.utc(),
): Promise<Summary> {
  const summary: Summary = {
    at: now.toISO() ?? '',
    people: 0,
    byLanguage: {},
    byChannel: {},
    activeLast7Days: 0,
    waitingForNotice: 0,
    appointmentsNext7Days: 0,
    appointmentsLater: 0,
    peopleWithAppointmentNext7Days: 0,
    optedOut: 0,
    unreachable: 0,
    queues: {},
  };
  const weekAhead = now.plus({ days: 7 });
  const weekAgo = now.minus({ days: 7 }).toMillis();
  // Every primary of a cluster; a batch's keys live on the node that listed them: one pipeline there.
  for await (const { node, keys: found } of scanKeys(redis, CONVERSATION_PATTERN)) {
    const pipeline = node.pipeline();
    for (const key of found) pipeline.hmget(key, 'snap', 'opted_out', 'undeliverable', 'ch', 'last_in');
    const rows = (await pipeline.exec()) ?? [];
    for (const [error, row] of rows) {
      if (error || !Array.isArray(row)) continue;
      const [snap, optedOut, undeliverable, channel, lastIn] = row as (string | null)[];
      if (!snap) continue;
      summary.people += 1;
      if (optedOut === '1') summary.optedOut += 1;
      if (undeliverable) summary.unreachable += 1;
      if (channel) summary.byChannel[channel] = (summary.byChannel[channel] ?? 0) + 1;
      if (Number(lastIn ?? 0) >= weekAgo) summary.activeLast7Days += 1;
      const { value, context } = parseSnapshot(snap, unseal);
      const lang = typeof context.lang === 'string' ? context.lang : 'unknown';
      summary.byLanguage[lang] = (summary.byLanguage[lang] ?? 0) + 1;
      if (value === 'optedOut') continue;
      if (context.weekly?.active) summary.waitingForNotice += 1;
      let soon = 0;
      for (const appointment of context.appointments ?? []) {
        const at = appointmentInstant(appointment);
        if (!at || at < now) continue;
        if (at <= weekAhead) soon += 1;
        else summary.appointmentsLater += 1;
      }
      summary.appointmentsNext7Days += soon;
      if (soon > 0) summary.peopleWithAppointmentNext7Days += 1;
    }
  }
  for (const queue of queues) {
    const counts = await queue.getJobCounts('delayed', 'waiting', 'active', 'failed');
    summary.queues[queue.name] = {
      delayed: counts.delayed ?? 0,
      waiting: counts.waiting ?? 0,
      active: counts.active ?? 0,
      failed: counts.failed ?? 0,
    };
  }
  return summary;
}

function parseSnapshot(
  snap: string,
  unseal: (stored: string) => string,
): {
  value: unknown;
  context: { lang?: unknown; weekly?: { active?: boolean }; appointments?: Appointment[] };
} {
  try {
    const parsed = JSON.parse(unseal(snap)) as { value?: unknown; context?: Record<string, unknown> };
    const context = parsed.context ?? {};
    return {
      value: parsed.value,
      context: {
        lang: context.lang,
        weekly: context.weekly as { active?: boolean } | undefined,
        appointments: Array.isArray(context.appointments) ? (context.appointments as Appointment[]) : [],
      },
    };
  } catch {
    return { value: undefined, context: {} };
  }
}

/** The summary as lines of text, for the terminal and the page. */
export function summaryLines(s: Summary): [string, string][] {
  const list = (r: Record<string, number>) =>
    Object.entries(r)
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || '-';
  const lines: [string, string][] = [
    ['People with a conversation', String(s.people)],
    ['  by language', list(s.byLanguage)],
    ['  by channel', list(s.byChannel)],
    ['Wrote in the last 7 days', String(s.activeLast7Days)],
    ['Waiting for a notice (weekly checks on)', String(s.waitingForNotice)],
    [
      'Appointments in the next 7 days',
      `${s.appointmentsNext7Days} (${s.peopleWithAppointmentNext7Days} people)`,
    ],
    ['Appointments after that', String(s.appointmentsLater)],
    ['Opted out (STOP)', String(s.optedOut)],
    ['Numbers that cannot receive texts', String(s.unreachable)],
  ];
  for (const [name, q] of Object.entries(s.queues)) {
    lines.push([
      `Queue ${name}`,
      `${q.delayed} scheduled, ${q.waiting} waiting, ${q.active} active, ${q.failed} failed`,
    ]);
  }
  return lines;
}
