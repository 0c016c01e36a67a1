import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Channel } from '../conversation/machine.js';
import { keys } from '../store/keys.js';

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

/** How long a send record and its ledger are kept. */
export const SEND_RECORD_TTL_SECONDS = 14 * 24 * 60 * 60;

export const OUTBOUND_QUEUES: Record<Channel, string> = {
  sms: 'outbound-sms',
  whatsapp: 'outbound-whatsapp',
};

/**
 * Stores a send and queues it, once: the send id is deterministic (the job that caused it plus
 * the part), so doing this twice stores and queues nothing new.
 */
export async function enqueueSend(
  redis: Redis,
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
    .hsetnx(key, 'record', JSON.stringify(record))
    .hsetnx(key, 'status', 'queued')
    .expire(key, SEND_RECORD_TTL_SECONDS)
    .zadd(keys.index(personId), now, key)
    .exec();
  await queues[record.channel].add(
    record.kind,
    { personId, sendId },
    {
      jobId: sendId,
      attempts: 10,
      backoff: { type: 'exponential', delay: opts.retryDelayMs ?? 2_000 },
      ...(opts.delayMs ? { delay: opts.delayMs } : {}),
      removeOnComplete: { age: 24 * 60 * 60, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 60 * 60 },
    },
  );
}
