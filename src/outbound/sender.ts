import type twilio from 'twilio';
import type { Channel } from '../conversation/machine.js';
import { scrubText } from '../logger.js';
import { TWILIO_TIMEOUT_MS } from './twilio-client.js';

/** One text to one person, as the sender needs it. Never logged: it holds the address and text. */
export interface OutboundText {
  personId: string;
  /** "+1555…" or "whatsapp:+1555…". */
  to: string;
  channel: Channel;
  /** Free text (SMS, or WhatsApp inside the 24-hour window). */
  body?: string;
  /** An approved WhatsApp template, for outside the 24-hour window. */
  template?: { contentSid: string; variables: Record<string, string> };
  /** Where Twilio reports delivery (carries opaque ids only). */
  statusCallback?: string;
  /** What kind of text this is, for the simulator's label. */
  kind: string;
}

export type SendOutcome =
  | { kind: 'sent'; sid: string }
  /**
   * Try again later: rate limited (429/20429), Twilio's side failed (5xx), or no answer. `unsure`:
   * Twilio may have taken the message all the same (no answer, or a 5xx), so ask before resending.
   */
  | { kind: 'retry'; code: number | undefined; reason: string; unsure: boolean }
  /** The person unsubscribed at the carrier or Twilio (21610): they are opted out, never retried. */
  | { kind: 'optedOut'; code: number }
  /** The number cannot receive texts (21211 invalid, 30005 unknown, 30006 landline/unreachable). */
  | { kind: 'unreachable'; code: number }
  /** Any other refusal: retrying would not help. */
  | { kind: 'failed'; code: number | undefined; reason: string };

/** Whether a text whose send ended without a clear answer did go out. */
export type LookupOutcome =
  | { kind: 'found'; sid: string }
  | { kind: 'notFound' }
  /** The question could not be answered now (the API failed): neither send nor give up. */
  | { kind: 'retry'; reason: string };

export interface Sender {
  send(text: OutboundText): Promise<SendOutcome>;
  /**
   * Looks for `text` among what was accepted for its address since `since` (epoch ms, this
   * machine's clock), leaving out the SIDs in `exclude` (parts already on the ledger).
   */
  findSent(text: OutboundText, since: number, exclude: ReadonlySet<string>): Promise<LookupOutcome>;
  /** The longest a send can take before it gives up: after that, no answer will come. */
  readonly timeoutMs: number;
}

/**
 * How far before the "sending" mark a message found in Twilio's list may be dated and still be
 * taken for this send: Twilio dates to the second, and its clock is not ours.
 */
export const LOOKUP_CLOCK_SKEW_MS = 60_000;
/** One page of the person's most recent messages, newest first, covers any send in question. */
const LOOKUP_PAGE_SIZE = 50;

export const OPTED_OUT_CODES = new Set([21610]);
export const UNREACHABLE_CODES = new Set([21211, 21214, 21612, 21614, 30005, 30006]);

interface TwilioErrorShape {
  status?: number;
  code?: number | string;
}

/**
 * Why a call failed, in words of our own: Twilio's code and HTTP status, or the network error's
 * code. Never Twilio's message, which quotes the number (and may quote the text): the reason ends
 * up in a job's failedReason, kept for days and shown on the dashboard.
 */
function twilioReason(status: number | undefined, code: number | string | undefined): string {
  if (status === undefined) return `no answer${typeof code === 'string' ? ` (${code.slice(0, 20)})` : ''}`;
  return `Twilio ${typeof code === 'number' ? code : 'error'} (HTTP ${status})`;
}

/** Sorts what the Twilio API answered into what the queue should do next. */
export function classifyTwilioError(error: unknown): SendOutcome {
  const e = (error ?? {}) as TwilioErrorShape;
  const status = typeof e.status === 'number' ? e.status : undefined;
  const code = typeof e.code === 'number' ? e.code : undefined;
  const reason = scrubText(twilioReason(status, e.code));
  if (code !== undefined && OPTED_OUT_CODES.has(code)) return { kind: 'optedOut', code };
  if (code !== undefined && UNREACHABLE_CODES.has(code)) return { kind: 'unreachable', code };
  if (status === 429 || code === 20429) return { kind: 'retry', code: code ?? 429, reason, unsure: false };
  // Twilio's side failed: most likely nothing was sent, but a 5xx does not promise it.
  if (status !== undefined && status >= 500)
    return { kind: 'retry', code: code ?? status, reason, unsure: true };
  // No HTTP answer at all (timeout, reset, refused): Twilio may or may not have taken it.
  if (status === undefined) return { kind: 'retry', code: undefined, reason, unsure: true };
  return { kind: 'failed', code: code ?? status, reason };
}

export interface TwilioSenderOptions {
  client: twilio.Twilio;
  smsFrom: string | undefined;
  whatsappFrom: string | undefined;
  /** The client's request timeout (default TWILIO_TIMEOUT_MS, as createTwilioClient). */
  timeoutMs?: number;
}

/** Sends through the Twilio REST API with the official SDK. */
export class TwilioSender implements Sender {
  readonly timeoutMs: number;

  constructor(private readonly opts: TwilioSenderOptions) {
    this.timeoutMs = opts.timeoutMs ?? TWILIO_TIMEOUT_MS;
    // The SDK loads the Messages API on first use, which takes a moment: load it now, so that the
    // first sends do not reach Twilio later than their rate-limit slot (and later ones no earlier).
    void opts.client.messages;
  }

  /**
   * Reads the newest page of the Message list for this To and From (no DateSent filter: a message
   * still queued has no date_sent yet) and takes a message the REST API created (not a TwiML
   * reply) at or after the mark, with the same body; a template's body is Twilio's rendering, so
   * there the date alone decides.
   */
  async findSent(text: OutboundText, since: number, exclude: ReadonlySet<string>): Promise<LookupOutcome> {
    const from = this.fromFor(text);
    if (!from) return { kind: 'notFound' };
    try {
      const page = await this.opts.client.messages.page({ to: text.to, from, pageSize: LOOKUP_PAGE_SIZE });
      const match = page.instances.find(
        (m) =>
          !exclude.has(m.sid) &&
          m.direction === 'outbound-api' &&
          m.dateCreated instanceof Date &&
          m.dateCreated.getTime() >= since - LOOKUP_CLOCK_SKEW_MS &&
          (text.body === undefined || m.body === text.body),
      );
      return match ? { kind: 'found', sid: match.sid } : { kind: 'notFound' };
    } catch (error) {
      const outcome = classifyTwilioError(error);
      return { kind: 'retry', reason: 'reason' in outcome ? outcome.reason : 'lookup failed' };
    }
  }

  private fromFor(text: OutboundText): string | undefined {
    return text.channel === 'whatsapp' ? this.opts.whatsappFrom : this.opts.smsFrom;
  }

  async send(text: OutboundText): Promise<SendOutcome> {
    const from = this.fromFor(text);
    if (!from)
      return { kind: 'failed', code: undefined, reason: `no sender number configured for ${text.channel}` };
    try {
      const message = await this.opts.client.messages.create({
        to: text.to,
        from,
        ...(text.template
          ? {
              contentSid: text.template.contentSid,
              contentVariables: JSON.stringify(text.template.variables),
            }
          : { body: text.body ?? '' }),
        ...(text.statusCallback ? { statusCallback: text.statusCallback } : {}),
      });
      return { kind: 'sent', sid: message.sid };
    } catch (error) {
      return classifyTwilioError(error);
    }
  }
}
