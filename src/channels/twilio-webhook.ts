import twilio from 'twilio';
import type { Channel } from '../conversation/machine.js';
import type { InboundMessage } from '../conversation/service.js';

export type WebhookParams = Record<string, string>;

/**
 * Twilio signs the full public URL it called plus the sorted form fields. Behind a proxy the
 * Host header is not what Twilio called, so the URL is built from PUBLIC_BASE_URL, never the Host.
 */
export function verifyTwilioSignature(opts: {
  authToken: string;
  publicBaseUrl: string;
  path: string;
  signature: string | undefined;
  params: WebhookParams;
}): boolean {
  if (!opts.signature) return false;
  const url = `${opts.publicBaseUrl}${opts.path}`;
  try {
    return twilio.validateRequest(opts.authToken, opts.signature, url, opts.params);
  } catch {
    return false;
  }
}

/** Form fields arrive as strings; a repeated field arrives as an array. Keep the first of each. */
export function flattenParams(body: unknown): WebhookParams {
  const out: WebhookParams = {};
  if (body === null || typeof body !== 'object') return out;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value) && typeof value[0] === 'string') out[key] = value[0];
  }
  return out;
}

export type ParsedWebhook = { ok: true; message: InboundMessage } | { ok: false; problem: string };

const MESSAGE_SID = /^[A-Za-z0-9]{10,64}$/;

/** Turns Twilio's incoming-message fields into an InboundMessage, or says what is missing. */
export function parseInboundMessage(params: WebhookParams, receivedAt: Date): ParsedWebhook {
  const messageSid = params.MessageSid ?? params.SmsMessageSid ?? params.SmsSid;
  if (!messageSid || !MESSAGE_SID.test(messageSid))
    return { ok: false, problem: 'MessageSid is missing or malformed' };
  const from = (params.From ?? '').trim();
  if (from === '' || from.length > 64) return { ok: false, problem: 'From is missing or malformed' };
  const channel: Channel = from.toLowerCase().startsWith('whatsapp:') ? 'whatsapp' : 'sms';
  const numMedia = Number.parseInt(params.NumMedia ?? '0', 10);
  return {
    ok: true,
    message: {
      messageSid,
      from,
      channel,
      body: params.Body ?? '',
      numMedia: Number.isFinite(numMedia) && numMedia > 0 ? Math.min(numMedia, 10) : 0,
      receivedAt,
    },
  };
}

/** The reply as TwiML: one <Message> per text, or an empty <Response/> to stay silent. */
export function toTwiml(messages: string[]): string {
  const response = new twilio.twiml.MessagingResponse();
  for (const text of messages) response.message(text);
  return response.toString();
}
