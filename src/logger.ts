import { type DestinationStream, type Logger, pino } from 'pino';

/** Field names whose values are a person's words or number, at any depth of a log line. */
const SECRET_FIELDS = new Set([
  'from',
  'to',
  'body',
  'text',
  'phone',
  'address',
  'addr',
  'x-twilio-signature',
  'mediaurl0',
]);

/**
 * What a person's number or papers look like inside free text (an error message, a URL): E.164
 * and other long digit runs, A-numbers, USCIS receipt numbers. Replaced wherever they appear.
 */
const SECRET_PATTERNS: [RegExp, string][] = [
  [/%2B\d{7,15}/gi, '[phone]'],
  [/\+\d[\d\s().-]{6,}\d/g, '[phone]'],
  [/(?<![\w-])(?:whatsapp:)?\d{10,11}(?![\w-])/gi, '[phone]'],
  [/\bA-?\d{3}-?\d{3}-?\d{2,3}\b/g, '[a-number]'],
  [/\b[A-Z]{3}\d{10}\b/g, '[receipt]'],
];

const DIGIT = /\d/;

export function scrubText(text: string): string {
  // Every pattern holds a digit: most log strings have none and skip the five scans.
  if (!DIGIT.test(text)) return text;
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** A copy of a log line's fields with secret fields censored and numbers scrubbed from strings. */
export function scrubFields(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) {
    return scrubFields({ type: value.name, message: value.message, stack: value.stack }, depth);
  }
  if (Array.isArray(value)) return value.map((item) => scrubFields(item, depth + 1));
  if (value instanceof Date) return value.toISOString();
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return summarize(value);
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    out[key] = SECRET_FIELDS.has(key.toLowerCase()) ? '[redacted]' : scrubFields(field, depth + 1);
  }
  return out;
}

/**
 * A live object in a log line (Fastify's request or reply, a socket) is not walked: copying it
 * costs more than the request itself. A request keeps its method and scrubbed URL, a reply its
 * status; anything else its class name.
 */
function summarize(value: object): unknown {
  const v = value as { method?: unknown; url?: unknown; statusCode?: unknown; id?: unknown };
  if (typeof v.method === 'string' && typeof v.url === 'string') {
    return { method: v.method, url: scrubText(v.url), ...(v.id !== undefined ? { id: v.id } : {}) };
  }
  if (typeof v.statusCode === 'number') return { statusCode: v.statusCode };
  return `[${value.constructor?.name ?? 'object'}]`;
}

/**
 * One pino logger for the process: JSON lines when stdout is not a terminal (production,
 * containers), pino-pretty on a terminal. Phone numbers and message bodies never reach a log
 * line: code logs opaque person ids, and every line passes through `scrubFields` (named fields
 * censored at any depth, numbers, A-numbers and receipt numbers scrubbed out of any string, such
 * as a Twilio error message that quotes the number). `destination` is for tests.
 */
export function createLogger(
  level: string,
  pretty = process.stdout.isTTY === true,
  destination?: DestinationStream,
): Logger {
  const options = {
    level,
    formatters: { log: (object: Record<string, unknown>) => scrubFields(object) as Record<string, unknown> },
    hooks: {
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(
          this,
          args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg)),
        );
      },
    },
    ...(pretty && !destination ? { transport: { target: 'pino-pretty', options: { colorize: true } } } : {}),
  };
  if (destination) return pino(options, destination);
  if (pretty) return pino(options);
  // Written in the background (pino flushes what is left when the process exits): a blocking
  // write per line, in the request's own time, was 3% of a webhook's CPU. Lines that pile up
  // while a write is under way go out together; a quiet process still writes each line at once.
  return pino(options, pino.destination({ dest: 1, sync: false }));
}

export type { Logger };
