import type twilio from 'twilio';
import type { Channel } from '../conversation/machine.js';

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
  /** Try again later: rate limited (429/20429), Twilio's side failed (5xx), or no answer. */
  | { kind: 'retry'; code: number | undefined; reason: string }
  /** The person unsubscribed at the carrier or Twilio (21610): they are opted out, never retried. */
  | { kind: 'optedOut'; code: number }
  /** The number cannot receive texts (21211 invalid, 30005 unknown, 30006 landline/unreachable). */
  | { kind: 'unreachable'; code: number }
  /** Any other refusal: retrying would not help. */
  | { kind: 'failed'; code: number | undefined; reason: string };

export interface Sender {
  send(text: OutboundText): Promise<SendOutcome>;
}

export const OPTED_OUT_CODES = new Set([21610]);
export const UNREACHABLE_CODES = new Set([21211, 21214, 21612, 21614, 30005, 30006]);

interface TwilioErrorShape {
  status?: number;
  code?: number | string;
  message?: string;
}

/** Sorts what the Twilio API answered into what the queue should do next. */
export function classifyTwilioError(error: unknown): SendOutcome {
  const e = (error ?? {}) as TwilioErrorShape;
  const status = typeof e.status === 'number' ? e.status : undefined;
  const code = typeof e.code === 'number' ? e.code : undefined;
  const reason = typeof e.message === 'string' ? e.message.slice(0, 200) : 'unknown error';
  if (code !== undefined && OPTED_OUT_CODES.has(code)) return { kind: 'optedOut', code };
  if (code !== undefined && UNREACHABLE_CODES.has(code)) return { kind: 'unreachable', code };
  if (status === 429 || code === 20429) return { kind: 'retry', code: code ?? 429, reason };
  if (status !== undefined && status >= 500) return { kind: 'retry', code: code ?? status, reason };
  // No HTTP answer at all (timeout, reset, refused): Twilio did not take it, so try again.
  if (status === undefined) return { kind: 'retry', code: undefined, reason };
  return { kind: 'failed', code: code ?? status, reason };
}

export interface TwilioSenderOptions {
  client: twilio.Twilio;
  smsFrom: string | undefined;
  whatsappFrom: string | undefined;
}

/** Sends through the Twilio REST API with the official SDK. */
export class TwilioSender implements Sender {
  constructor(private readonly opts: TwilioSenderOptions) {}

  async send(text: OutboundText): Promise<SendOutcome> {
    const from = text.channel === 'whatsapp' ? this.opts.whatsappFrom : this.opts.smsFrom;
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
