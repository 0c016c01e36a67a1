import type { BackoffStrategy, Queue } from 'bullmq';
import type { Channel } from '../conversation/machine.js';
import type { Sealer } from '../store/crypto.js';
import { keys } from '../store/keys.js';
import type { RedisClient } from '../store/redis.js';

/** A text Huella sends by itself (a reminder, a check-in), stored until it is sent. */
export interface OutboundRecord {
  kind: string;
  channel: Channel;
  lang: string;
  /** The text messages, in order. */
  parts: string[];
  /** For WhatsApp outside the 24-hour window: the template name and its variables. */
  template?: { name: string; variables: Record<string, string> };
}

/** What the outbound queue carries: opaque ids only, never a number or a text. */
export interface OutboundJobData {
  personId: string;
  sendId: string;
}

/** Where sends are kept: the record is sealed (a reminder's text names the date, time and place). */
export interface SendStore {
  redis: RedisClient;
  sealer: Sealer;
}

/** How long a send record and its ledger are kept. */
export const SEND_RECORD_TTL_SECONDS = 14 * 24 * 60 * 60;

/**
 * A failed send is tried again 2, 4, 8 s later, then every 15 s (±20%, so sends held up by an
 * outage do not all come back at once), for about half an hour in all: it goes out within seconds
 * of Twilio's recovery, and a run of bad luck at a high failure rate costs seconds, not minutes.
 */
export const SEND_BACKOFF = 'send';
export const SEND_RETRY_CAP_MS = 15_000;
export const SEND_ATTEMPTS = 120;

export const sendBackoff: BackoffStrategy = (attemptsMade, _type, _error, job) => {
  const options = job?.opts.backoff;
  const base = typeof options === 'object' && options.delay !== undefined ? options.delay : 2_000;
  const delay = Math.min(base * 2 ** Math.max(0, attemptsMade - 1), SEND_RETRY_CAP_MS);
  return Math.round(delay * (0.8 + 0.4 * Math.random()));
};

export const OUTBOUND_QUEUES: Record<Channel, string> = {
  sms: 'outbound-sms',
  whatsapp: 'outbound-whatsapp',
};

/**
 * Stores a send (its record sealed) and queues it, once: the send id is deterministic (the job that caused it plus
 * the part), so doing this twice stores and queues nothing new.
 */
export async function enqueueSend(
  { redis, sealer }: SendStore,
  queues: Record<Channel, Queue<OutboundJobData>>,
  personId: string,
  sendId: string,
  record: OutboundRecord,
  opts: { retryDelayMs?: number; delayMs?: number } = {},
): Promise<void> {
  const key = keys.send(personId, sendId);
  const now = Date.now();
  await redis
    .multi()
    .hsetnx(key, 'record', sealer.seal(JSON.stringify(record)))
    .hsetnx(key, 'status', 'queued')
    .expire(key, SEND_RECORD_TTL_SECONDS)
    .zadd(keys.index(personId), now, key)
    .exec();
  await queues[record.channel].add(
    record.kind,
    { personId, sendId },
    {
      jobId: sendId,
      attempts: SEND_ATTEMPTS,
      backoff: { type: SEND_BACKOFF, delay: opts.retryDelayMs ?? 2_000 },
      ...(opts.delayMs ? { delay: opts.delayMs } : {}),
      removeOnComplete: { age: 24 * 60 * 60, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 60 * 60 },
    },
  );
}
