import type { Queue } from 'bullmq';
import { AggregatorRegistry, Counter, Gauge, Histogram, type MetricValue, Registry } from 'prom-client';
import { KEY_PREFIX } from './store/keys.js';
import type { RedisClient } from './store/redis.js';

/**
 * Prometheus metrics for every process at once. Each process counts in its own prom-client
 * registry and adds what changed to one Redis hash every few seconds; `/metrics` on any web
 * process renders those cluster-wide totals (so several web replicas behind a proxy all show the
 * same numbers, and a worker needs no port of its own), plus live queue depths.
 * Labels are closed sets (channel, topic id, error code, reason): never an id, a number or a text.
 */

/** The counters every process adds to, flushed on a timer (rejected requests are counted too). */
export const METRICS_KEY = `${KEY_PREFIX}:metrics`;
const FIELD_SEPARATOR = '\u0001';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Definition {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  labels: readonly string[];
  buckets?: number[];
}

const DEFINITIONS = {
  inbound: {
    name: 'huella_inbound_messages_total',
    help: 'Messages received from people, by channel (sms, whatsapp, simulator).',
    type: 'counter',
    labels: ['channel'],
  },
  replies: {
    name: 'huella_replies_total',
    help: 'Texts answered in the same webhook response, by channel.',
    type: 'counter',
    labels: ['channel'],
  },
  unanswered: {
    name: 'huella_unanswered_messages_total',
    help: 'Messages recorded without an answer, by reason (opted_out: sent after STOP, before START).',
    type: 'counter',
    labels: ['reason'],
  },
  understanding: {
    name: 'huella_understanding_total',
    help: 'How a message was read: command, number, topic (matched), unsure (asked which), not_understood, media, empty.',
    type: 'counter',
    labels: ['result'],
  },
  intents: {
    name: 'huella_intents_matched_total',
    help: 'Topics matched from free text, by topic id.',
    type: 'counter',
    labels: ['intent'],
  },
  duplicates: {
    name: 'huella_duplicate_messages_total',
    help: 'Webhooks Twilio sent again for a message already answered (same MessageSid).',
    type: 'counter',
    labels: [],
  },
  remindersScheduled: {
    name: 'huella_reminders_scheduled_total',
    help: 'Reminder jobs scheduled, by type (reminder, follow-up, weekly, milestone).',
    type: 'counter',
    labels: ['type'],
  },
  sends: {
    name: 'huella_sends_total',
    help: 'Texts Huella sent by itself (reminders, checks), by channel and outcome: sent, skipped (and why), failed (and why).',
    type: 'counter',
    labels: ['channel', 'outcome', 'reason'],
  },
  twilioErrors: {
    name: 'huella_twilio_errors_total',
    help: 'Errors from the Twilio API, by Twilio error code (or HTTP status).',
    type: 'counter',
    labels: ['code'],
  },
  outboundLatency: {
    name: 'huella_outbound_latency_seconds',
    help: 'Time the Twilio API took to accept (or refuse) one text.',
    type: 'histogram',
    labels: ['channel'],
    buckets: LATENCY_BUCKETS,
  },
  webhookDuration: {
    name: 'huella_webhook_duration_seconds',
    help: 'Time to answer a Twilio webhook, by route and status code.',
    type: 'histogram',
    labels: ['route', 'status'],
    buckets: LATENCY_BUCKETS,
  },
} as const satisfies Record<string, Definition>;

type Definitions = typeof DEFINITIONS;
type LabelsOf<K extends keyof Definitions> = Definitions[K]['labels'][number];
type Labels<K extends keyof Definitions> = Partial<Record<LabelsOf<K>, string | number>>;

export class Metrics {
  readonly registry = new Registry();
  private readonly counters = new Map<string, Counter<string>>();
  private readonly histograms = new Map<string, Histogram<string>>();
  /** What was already added to Redis, per series: the next flush adds only the difference. */
  private readonly flushed = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(private readonly redis: RedisClient) {
    for (const def of Object.values(DEFINITIONS) as Definition[]) {
      const common = {
        name: def.name,
        help: def.help,
        labelNames: [...def.labels],
        registers: [this.registry],
      };
      if (def.type === 'counter') this.counters.set(def.name, new Counter(common));
      else
        this.histograms.set(def.name, new Histogram({ ...common, buckets: def.buckets ?? LATENCY_BUCKETS }));
    }
  }

  inc<K extends keyof Definitions>(metric: K, labels: Labels<K> = {}, by = 1): void {
    this.counters.get(DEFINITIONS[metric].name)?.inc(clean(labels), by);
  }

  observe<K extends keyof Definitions>(metric: K, labels: Labels<K>, seconds: number): void {
    this.histograms.get(DEFINITIONS[metric].name)?.observe(clean(labels), seconds);
  }

  /** Adds this process's counts to the shared totals every `everyMs` (and at close). */
  start(everyMs = 5000): this {
    this.timer ??= setInterval(() => void this.flush().catch(() => {}), everyMs);
    this.timer.unref();
    return this;
  }

  /** Writes what changed since the last flush. On failure the difference is kept for next time. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.flushOnce().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const changes: [string, number, number][] = [];
    for (const metric of await this.registry.getMetricsAsJSON()) {
      for (const value of metric.values as (MetricValue<string> & { metricName?: string })[]) {
        const field = fieldOf(value.metricName ?? metric.name, value.labels);
        const before = this.flushed.get(field) ?? 0;
        if (value.value !== before) changes.push([field, value.value - before, value.value]);
      }
    }
    if (changes.length === 0 || this.redis.status !== 'ready') return;
    const pipeline = this.redis.pipeline();
    for (const [field, delta] of changes) pipeline.hincrbyfloat(METRICS_KEY, field, delta);
    const results = await pipeline.exec();
    changes.forEach(([field, , total], i) => {
      if (results && !results[i]?.[0]) this.flushed.set(field, total);
    });
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush().catch(() => {});
  }
}

function clean(labels: Partial<Record<string, string | number>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (v !== undefined) out[k] = String(v).slice(0, 64);
  return out;
}

function fieldOf(metricName: string, labels: Partial<Record<string, string | number>>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((k) => [k, String(labels[k])]);
  return `${metricName}${FIELD_SEPARATOR}${JSON.stringify(sorted)}`;
}

/** One metric as prom-client's aggregator reads it (the shape of `getMetricsAsJSON`). */
interface StoredMetric {
  name: string;
  help: string;
  type: Definition['type'];
  aggregator: 'sum';
  values: (MetricValue<string> & { metricName?: string })[];
}

/** Queue depths, read when scraped. */
function queueGauge(queues: Queue[]): Registry {
  const registry = new Registry();
  new Gauge({
    name: 'huella_queue_jobs',
    help: 'Jobs in each queue by state (delayed: reminders waiting for their time).',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const queue of queues) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
        for (const [state, n] of Object.entries(counts)) this.set({ queue: queue.name, state }, n);
      }
    },
  });
  return registry;
}

/** The cluster-wide totals from Redis, rendered in Prometheus text format, with queue depths. */
export async function renderMetrics(
  redis: RedisClient,
  queues: Queue[],
): Promise<{ contentType: string; text: string }> {
  const stored = await redis.hgetall(METRICS_KEY);
  const byMetric = new Map<string, StoredMetric>();
  for (const def of Object.values(DEFINITIONS) as Definition[]) {
    byMetric.set(def.name, { name: def.name, help: def.help, type: def.type, aggregator: 'sum', values: [] });
  }
  for (const [field, raw] of Object.entries(stored)) {
    const [metricName, labelJson] = field.split(FIELD_SEPARATOR);
    if (!metricName || !labelJson) continue;
    const base = metricName.replace(/_(bucket|sum|count)$/, '');
    const metric = byMetric.get(byMetric.has(metricName) ? metricName : base);
    if (!metric) continue;
    let labels: Record<string, string>;
    try {
      labels = Object.fromEntries(JSON.parse(labelJson) as [string, string][]);
    } catch {
      continue;
    }
    const value = Number(raw);
    metric.values.push(metric.type === 'histogram' ? { labels, value, metricName } : { labels, value });
  }
  for (const metric of byMetric.values()) {
    if (metric.type === 'histogram') sortHistogram(metric.values);
  }
  const totals = AggregatorRegistry.aggregate([[...byMetric.values()]]) as Registry;
  const merged = Registry.merge([totals, queueGauge(queues)]);
  return { contentType: merged.contentType, text: await merged.metrics() };
}

/** Prometheus wants each series' buckets in ascending `le`, then _sum and _count. */
function sortHistogram(values: (MetricValue<string> & { metricName?: string })[]): void {
  const le = (v: MetricValue<string>) => {
    const bound = (v.labels as Record<string, string>).le;
    return bound === undefined ? 0 : bound === '+Inf' ? Number.POSITIVE_INFINITY : Number(bound);
  };
  values.sort((a, b) => {
    const sa = seriesOf(a);
    const sb = seriesOf(b);
    if (sa !== sb) return sa < sb ? -1 : 1;
    const kind = (v: { metricName?: string }) =>
      v.metricName?.endsWith('_bucket') ? 0 : v.metricName?.endsWith('_sum') ? 1 : 2;
    return kind(a) - kind(b) || le(a) - le(b);
  });
}

function seriesOf(v: MetricValue<string>): string {
  const { le: _le, ...rest } = v.labels as Record<string, string>;
  return JSON.stringify(Object.entries(rest).sort());
}
