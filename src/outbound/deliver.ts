import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { UnrecoverableError } from 'bullmq';
import type { Logger } from '../logger.js';
import type { PersonCrypto } from '../store/crypto.js';
import { keys } from '../store/keys.js';
import type { RedisClient } from '../store/redis.js';
import type { OutboundJobData, OutboundRecord } from './outbox.js';
import type { SendLimiter } from './rate-limit.js';
import { type OutboundText, type Sender, type SendOutcome, UNREACHABLE_CODES } from './sender.js';

/** WhatsApp lets a business send free text only within 24 hours of the person's last message. */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface DeliverDeps {
  redis: RedisClient;
  sender: Sender;
  crypto: PersonCrypto;
  logger: Logger;
  /** Approved WhatsApp templates: "<template name>.<lang>" -> ContentSid (HX…). */
  whatsappTemplates: Record<string, string>;
  /** Outside the WhatsApp window with no template: send by SMS instead, or not at all. */
  whatsappFallback: 'sms' | 'none';
  /** Base URL for Twilio's delivery reports, or undefined to ask for none. */
  statusCallbackBase: string | undefined;
  /** Called when Twilio says the person unsubscribed (21610). */
  onCarrierOptOut: (personId: string) => Promise<void>;
  /** OUTBOUND_MPS per sending number, across workers; absent: no limit here. */
  limiter?: SendLimiter;
  now?: () => number;
}

/** What became of a send, and why nothing went out when nothing did (counted in /metrics). */
export type DeliverResult =
  | 'sent'
  | 'already-sent'
  | 'skipped-erased'
  | 'skipped-settled'
  | 'skipped-opted-out'
  | 'skipped-undeliverable'
  | 'blocked';

/** Waits until a reserved send moment; a shutdown meanwhile puts the job back (the moment goes unused). */
async function waitForSlot(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, signal ? { signal } : undefined);
  } catch (error) {
    if (signal?.aborted) throw new SendInterrupted();
    throw error;
  }
}

/** The sending number has no slot free: put the job back and wait `waitMs` (not a failed attempt). */
export class SendRateLimited extends Error {
  constructor(readonly waitMs: number) {
    super(`sending number at its rate limit for ${waitMs} ms`);
    this.name = 'SendRateLimited';
  }
}

/**
 * A part is marked "sending" by an attempt that may still be waiting for Twilio's answer: neither
 * ask nor send before `waitMs` (not a failed attempt).
 */
export class SendDeferred extends Error {
  constructor(readonly waitMs: number) {
    super(`a part may still be in flight: look again in ${waitMs} ms`);
    this.name = 'SendDeferred';
  }
}

/** The worker is shutting down: stopped between parts, nothing in flight; put the job back. */
export class SendInterrupted extends Error {
  constructor() {
    super('worker shutting down: stopped between parts');
    this.name = 'SendInterrupted';
  }
}

/**
 * How long past the sender's timeout a "sending" mark is still taken as an attempt in flight: until
 * then a second attempt (a job whose lock was lost, say) neither asks Twilio nor sends.
 */
export const SENDING_MARK_MARGIN_MS = 2_000;

const sidField = (part: number) => `sid:${part}`;
const sendingField = (part: number) => `sending:${part}`;

/**
 * Sends one stored text through the sender, at most once per part. Before each API call the
 * ledger gets a "sending" mark (when, and the attempt's token); each accepted part's Twilio SID
 * replaces it before the next part, so a retried job resumes after the parts already accepted.
 * A part found marked but with no SID was cut short (the worker died, or no answer came): the
 * sender is asked whether it went out, and it is sent again only if it did not. Retryable failures
 * throw (the queue retries with backoff); permanent ones throw UnrecoverableError after recording
 * why; a full rate limit throws SendRateLimited, a part perhaps still in flight SendDeferred, a
 * shutdown between parts SendInterrupted.
 */
export async function deliver(
  deps: DeliverDeps,
  job: OutboundJobData,
  signal?: AbortSignal,
): Promise<DeliverResult> {
  const { redis, crypto } = deps;
  const now = deps.now ?? Date.now;
  const sendKey = keys.send(job.personId, job.sendId);
  const ledger = await redis.hgetall(sendKey);
  if (!ledger.record) return 'skipped-erased'; // erased or expired
  if (ledger.status === 'sent') return 'already-sent';
  if (ledger.status === 'blocked' || ledger.status?.startsWith('failed')) return 'skipped-settled';
  // Sealed since the records were; one stored unsealed by an earlier version still opens.
  const record = JSON.parse(crypto.unseal(ledger.record)) as OutboundRecord;

  const [addr, optedOut, undeliverable, lastIn] = await redis.hmget(
    keys.conversation(job.personId),
    'addr',
    'opted_out',
    'undeliverable',
    'last_in',
  );
  if (!addr) return 'skipped-erased';
  if (optedOut === '1' || undeliverable) {
    const skipped = optedOut === '1' ? 'skipped-opted-out' : 'skipped-undeliverable';
    await redis.hset(sendKey, 'status', skipped);
    return skipped;
  }
  const to = crypto.open(addr);
  const log = deps.logger.child({ conversation: job.personId, send: job.sendId, kind: record.kind });

  let texts: OutboundText[] = record.parts.map((body, i) => ({
    personId: job.personId,
    to,
    channel: record.channel,
    body,
    kind: record.kind,
    ...(deps.statusCallbackBase
      ? { statusCallback: statusCallbackUrl(deps.statusCallbackBase, job, i) }
      : {}),
  }));
  if (record.channel === 'whatsapp' && now() - Number(lastIn ?? 0) > WHATSAPP_WINDOW_MS) {
    const contentSid = record.template
      ? deps.whatsappTemplates[`${record.template.name}.${record.lang}`]
      : undefined;
    if (contentSid && record.template) {
      texts = [
        { ...texts[0]!, body: undefined, template: { contentSid, variables: record.template.variables } },
      ];
    } else if (deps.whatsappFallback === 'sms') {
      texts = texts.map((t) => ({ ...t, to: to.replace(/^whatsapp:/i, ''), channel: 'sms' }));
    } else {
      // Never record as sent what WhatsApp would refuse.
      await redis.hset(sendKey, 'status', 'blocked', 'reason', 'whatsapp-window-closed');
      log.warn('WhatsApp window closed and no template or SMS fallback: not sent');
      return 'blocked';
    }
  }

  const recorded = new Set(
    Object.entries(ledger)
      .filter(([field]) => field.startsWith('sid:'))
      .map(([, sid]) => sid),
  );
  const recordSid = async (part: number, sid: string, channel: string) => {
    await redis
      .multi()
      .hset(sendKey, sidField(part), sid, 'channel', channel)
      .hdel(sendKey, sendingField(part))
      .exec();
    recorded.add(sid);
  };
  for (const [i, text] of texts.entries()) {
    if (ledger[sidField(i)]) continue;
    if (signal?.aborted) throw new SendInterrupted();
    const mark = parseSendingMark(ledger[sendingField(i)]);
    if (mark) {
      const settledAt = mark.settledAt ?? mark.at + deps.sender.timeoutMs + SENDING_MARK_MARGIN_MS;
      if (now() < settledAt) throw new SendDeferred(settledAt - now());
      const found = await deps.sender.findSent(text, mark.at, recorded);
      if (found.kind === 'retry')
        throw new Error(`could not check whether part ${i} went out: ${found.reason}`);
      if (found.kind === 'found') {
        await recordSid(i, found.sid, text.channel);
        log.info({ part: i }, 'part cut short had been accepted: recorded, not sent again');
        continue;
      }
      log.info({ part: i }, 'part cut short had not been accepted: sending it');
    }
    if (deps.limiter) {
      const slot = await deps.limiter.take(text.channel);
      if (!slot.reserved) throw new SendRateLimited(slot.waitMs);
      // A moment near enough was reserved: wait for it here, holding the job.
      if (slot.waitMs > 0) await waitForSlot(slot.waitMs, signal);
    }
    const sending = `${now()}:${randomBytes(6).toString('hex')}`;
    await redis.hset(sendKey, sendingField(i), sending);
    const outcome: SendOutcome = await deps.sender.send(text);
    if (outcome.kind === 'sent') {
      await recordSid(i, outcome.sid, text.channel);
      continue;
    }
    if (outcome.kind === 'retry' && outcome.unsure) {
      // Twilio may have taken it: the retry asks first. An answer (5xx) ended the call, so it may
      // ask at once; with none, Twilio may still be working on it for a moment.
      const settledAt = now() + (outcome.code === undefined ? SENDING_MARK_MARGIN_MS : 0);
      await redis.hset(sendKey, sendingField(i), `${sending}:${settledAt}`);
    } else {
      await redis.hdel(sendKey, sendingField(i)); // a clear refusal: nothing went out
    }
    await redis.hset(sendKey, 'last_error', String('code' in outcome ? (outcome.code ?? '') : ''));
    if (outcome.kind === 'retry') {
      log.warn({ code: outcome.code }, 'send failed, will retry');
      throw new Error(`retryable send failure (${outcome.code ?? 'no answer'})`);
    }
    if (outcome.kind === 'optedOut') {
      await redis.hset(sendKey, 'status', 'failed-opted-out');
      await redis.hset(keys.conversation(job.personId), 'opted_out', '1');
      await deps.onCarrierOptOut(job.personId);
      log.info({ code: outcome.code }, 'person unsubscribed at the carrier: opted out');
      throw new UnrecoverableError(`opted out (${outcome.code})`);
    }
    if (outcome.kind === 'unreachable') {
      await redis.hset(sendKey, 'status', 'failed-unreachable');
      await redis.hset(keys.conversation(job.personId), 'undeliverable', String(outcome.code));
      log.warn({ code: outcome.code }, 'number cannot receive texts: no more sends to it');
      throw new UnrecoverableError(`unreachable (${outcome.code})`);
    }
    await redis.hset(sendKey, 'status', 'failed');
    log.error({ code: outcome.code }, 'send refused');
    throw new UnrecoverableError(`send refused (${outcome.code ?? 'unknown'})`);
  }
  await redis.hset(sendKey, 'status', 'sent', 'sent_at', String(now()));
  return 'sent';
}

/** "<marked at>:<token>", plus ":<settled at>" once the call ended without a clear answer. */
function parseSendingMark(
  value: string | undefined,
): { at: number; token: string; settledAt: number | undefined } | undefined {
  if (!value) return undefined;
  const [at, token, settledAt] = value.split(':');
  if (!at || !token) return undefined;
  return { at: Number(at), token, settledAt: settledAt ? Number(settledAt) : undefined };
}

function statusCallbackUrl(base: string, job: OutboundJobData, part: number): string {
  const query = new URLSearchParams({ p: job.personId, s: job.sendId, i: String(part) });
  return `${base}/twilio/status?${query}`;
}

/** Twilio's final word on a part: written on the ledger; a carrier's "unreachable" stops later sends. */
export async function recordDelivery(
  redis: RedisClient,
  personId: string,
  sendId: string,
  part: number,
  status: string,
  errorCode: string | undefined,
): Promise<void> {
  const sendKey = keys.send(personId, sendId);
  if ((await redis.exists(sendKey)) === 0) return; // erased or expired: keep nothing
  const fields: string[] = [`delivery:${part}`, status.slice(0, 32)];
  if (errorCode) fields.push(`delivery_error:${part}`, errorCode.slice(0, 10));
  await redis.hset(sendKey, ...fields);
  if (errorCode && UNREACHABLE_CODES.has(Number(errorCode))) {
    await redis.hset(keys.conversation(personId), 'undeliverable', errorCode);
  }
}
