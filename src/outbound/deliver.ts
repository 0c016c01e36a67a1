import { UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { PersonCrypto } from '../store/crypto.js';
import { keys } from '../store/keys.js';
import type { OutboundJobData, OutboundRecord } from './outbox.js';
import { type OutboundText, type Sender, type SendOutcome, UNREACHABLE_CODES } from './sender.js';

/** WhatsApp lets a business send free text only within 24 hours of the person's last message. */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface DeliverDeps {
  redis: Redis;
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
  now?: () => number;
}

export type DeliverResult = 'sent' | 'already-sent' | 'skipped' | 'blocked';

/**
 * Sends one stored text through the sender, at most once per part: each accepted part's
 * Twilio SID is written to the ledger before the next, so a retried job resumes after the
 * parts already accepted. Retryable failures throw (the queue retries with backoff);
 * permanent ones throw UnrecoverableError after recording why.
 */
export async function deliver(deps: DeliverDeps, job: OutboundJobData): Promise<DeliverResult> {
  const { redis, crypto } = deps;
  const now = deps.now ?? Date.now;
  const sendKey = keys.send(job.personId, job.sendId);
  const ledger = await redis.hgetall(sendKey);
  if (!ledger.record) return 'skipped'; // erased or expired
  if (ledger.status === 'sent') return 'already-sent';
  if (ledger.status === 'blocked' || ledger.status?.startsWith('failed')) return 'skipped';
  const record = JSON.parse(ledger.record) as OutboundRecord;

  const [addr, optedOut, undeliverable, lastIn] = await redis.hmget(
    keys.conversation(job.personId),
    'addr',
    'opted_out',
    'undeliverable',
    'last_in',
  );
  if (!addr) return 'skipped';
  if (optedOut === '1' || undeliverable) {
    await redis.hset(sendKey, 'status', optedOut === '1' ? 'skipped-opted-out' : 'skipped-undeliverable');
    return 'skipped';
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

  for (const [i, text] of texts.entries()) {
    if (ledger[`sid:${i}`]) continue;
    const outcome: SendOutcome = await deps.sender.send(text);
    if (outcome.kind === 'sent') {
      await redis.hset(sendKey, `sid:${i}`, outcome.sid, 'channel', text.channel);
      continue;
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

function statusCallbackUrl(base: string, job: OutboundJobData, part: number): string {
  const query = new URLSearchParams({ p: job.personId, s: job.sendId, i: String(part) });
  return `${base}/twilio/status?${query}`;
}

/** Twilio's final word on a part: written on the ledger; a carrier's "unreachable" stops later sends. */
export async function recordDelivery(
  redis: Redis,
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
