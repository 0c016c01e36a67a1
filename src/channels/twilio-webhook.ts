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
/** Twilio's `FromState` for a US number: two capital letters ("TX"); anything else is dropped. */
const STATE_CODE = /^[A-Z]{2}$/;

/** Turns Twilio's incoming-message fields into an InboundMessage, or says what is missing. */
export function parseInboundMessage(params: WebhookParams, receivedAt: Date): ParsedWebhook {
  const messageSid = params.MessageSid ?? params.SmsMessageSid ?? params.SmsSid;
  if (!messageSid || !MESSAGE_SID.test(messageSid))
    return { ok: false, problem: 'MessageSid is missing or malformed' };
  const from = (params.From ?? '').trim();
  if (from === '' || from.length > 64) return { ok: false, problem: 'From is missing or malformed' };
  const channel: Channel = from.toLowerCase().startsWith('whatsapp:') ? 'whatsapp' : 'sms';
  const numMedia = Number.parseInt(params.NumMedia ?? '0', 10);
  // Where the number is from (SMS from US numbers; WhatsApp sends none): a hint of the time zone
  // until the person names the place. Personal data: carried to the reading of this one message only.
  const fromState = (params.FromState ?? '').trim().toUpperCase();
  return {
    ok: true,
    message: {
      messageSid,
      from,
      channel,
      body: params.Body ?? '',
      numMedia: Number.isFinite(numMedia) && numMedia > 0 ? Math.min(numMedia, 10) : 0,
      receivedAt,
      ...(STATE_CODE.test(fromState) ? { fromState } : {}),
    },
  };
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>';
/** Characters XML 1.0 cannot hold at all (controls, lone surrogates, U+FFFE/U+FFFF). */
const XML_INVALID =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 forbids.
  /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const XML_SPECIAL = /[&<>\r]/g;
const XML_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };

/** Text as XML character data, escaped the way the twilio SDK's builder does; impossible characters dropped. */
function xmlText(text: string): string {
  return text.replace(XML_INVALID, '').replace(XML_SPECIAL, (c) => XML_ENTITY[c]!);
}

/**
 * The reply as TwiML: one <Message> per text, or an empty <Response/> to stay silent. The same
 * bytes as the SDK's MessagingResponse, written directly: its XML builder cost more than the rest
 * of the answer, and it throws on a character XML cannot hold where this drops the character.
 */
export function toTwiml(messages: string[]): string {
  if (messages.length === 0) return `${XML_HEAD}<Response/>`;
  let out = `${XML_HEAD}<Response>`;
  for (const text of messages) out += text === '' ? '<Message/>' : `<Message>${xmlText(text)}</Message>`;
  return `${out}</Response>`;
}
