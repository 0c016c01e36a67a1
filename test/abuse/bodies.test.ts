import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countSegments, MAX_SEGMENTS_PER_MESSAGE } from '../../src/channels/sms-segments.js';
import { plantedBody } from '../privacy/planted.js';
import {
  buildWiredTestApp,
  newMessageSid,
  TEST_ACCOUNT_SID,
  type TestApp,
  twimlMessages,
} from '../support/app.js';

/**
 * Generated inbound messages (seeded, so a failure can be replayed): random Unicode, control
 * characters, right-to-left text, emoji, 10 KB, empty, media only, and odd form fields. None may
 * get a 5xx or crash the app, and every text of every answer must fit the SMS limit. `npm test`
 * sends 1,500 (each is a whole turn, about 10 ms); `npm run test:abuse` sends 10,000
 * (ABUSE_BODIES sets any count).
 */
const TOTAL = Number(process.env.ABUSE_BODIES) > 0 ? Number(process.env.ABUSE_BODIES) : 1_500;
const SEED = 20261122;
const SENDERS = 400;

/** mulberry32: a small seeded generator (no dependency). */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  return { next, int, pick };
}

const RANGES: [number, number][] = [
  [0x20, 0x7e], // ASCII
  [0xa0, 0x24f], // Latin
  [0x0590, 0x06ff], // Hebrew, Arabic (right to left)
  [0x0900, 0x097f], // Devanagari
  [0x4e00, 0x4fff], // CJK
  [0x1f300, 0x1faff], // emoji
  [0x0300, 0x036f], // combining marks
  [0xe000, 0xe0ff], // private use
];
const CONTROLS = [
  '\u0000',
  '\u0007',
  '\u0008',
  '\u001b[31m',
  '\r',
  '\n',
  '\t',
  '\u007f',
  '\u0085',
  '\u200b',
  '\u200d',
  '\u202e',
  '\u2066',
  '\ufeff',
  '\ufffd',
  '\ud800',
];
const WORDS = [
  'hola',
  'cita',
  'huellas',
  'what do I bring',
  'STOP',
  'START',
  'DELETE',
  'YES',
  '1',
  '2',
  '0',
  'menu',
  'ayuda',
  'remind me',
  'March 5',
  '10am',
  '90210',
  '<Message>',
  '&amp;',
  ']]>',
  '{{name}}',
  '%s',
  '$' + '{x}',
];

function randomBody(g: ReturnType<typeof generator>): string {
  switch (g.int(9)) {
    case 0:
      return '';
    case 1: {
      const [lo, hi] = g.pick(RANGES);
      return Array.from({ length: 1 + g.int(300) }, () => String.fromCodePoint(lo + g.int(hi - lo + 1))).join(
        '',
      );
    }
    case 2:
      return Array.from({ length: 1 + g.int(40) }, () => g.pick(CONTROLS)).join('');
    case 3:
      return `\u202e${'مرحبا موعد البصمات '.repeat(1 + g.int(5))}\u202c ${g.pick(WORDS)}`;
    case 4:
      return Array.from({ length: 1 + g.int(60) }, () => String.fromCodePoint(0x1f300 + g.int(0x700))).join(
        '',
      );
    case 5:
      return g
        .pick(WORDS)
        .repeat(Math.ceil(10_240 / 4))
        .slice(0, 10_240);
    case 6:
      return plantedBody(g.pick(WORDS));
    default:
      return Array.from({ length: 1 + g.int(8) }, () => g.pick(WORDS)).join(
        g.pick([' ', '', '\n', '  ', ',']),
      );
  }
}

function randomParams(g: ReturnType<typeof generator>, i: number): Record<string, string> {
  const from = `+1555${String(3200000 + (i % SENDERS)).padStart(7, '0')}`;
  const params: Record<string, string> = {
    MessageSid: newMessageSid(),
    AccountSid: TEST_ACCOUNT_SID,
    From: g.next() < 0.2 ? `whatsapp:${from}` : from,
    To: '+15005550006',
    Body: randomBody(g),
    NumMedia: '0',
  };
  switch (g.int(6)) {
    case 0: // media only
      params.Body = '';
      params.NumMedia = String(1 + g.int(10));
      params.MediaUrl0 = 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME';
      params.MediaContentType0 = g.pick(['image/jpeg', 'application/pdf', 'text/vcard', 'audio/ogg']);
      break;
    case 1: // odd fields
      params.NumMedia = g.pick(['-5', 'abc', '1e9', '', '999999999999', '2.5', ' 3']);
      params[g.pick(['X', 'Body[]', '__proto__', 'constructor', 'ÅÖ', 'a'.repeat(500)])] = g.pick(WORDS);
      if (g.next() < 0.3) delete params.Body;
      if (g.next() < 0.3) delete params.To;
      params.SmsStatus = g.pick(['received', '', 'x'.repeat(100)]);
      break;
    default:
      break;
  }
  return params;
}

let t: TestApp;
beforeAll(async () => {
  // The flood limit is tested in flood.test.ts; here every sender writes far faster than a person.
  t = await buildWiredTestApp({}, { floodLimits: { burst: 100_000, refillPerSecond: 100_000 } });
});
afterAll(async () => t.close());

describe(`${TOTAL.toLocaleString('en')} generated bodies`, () => {
  it(
    'never answer 5xx, and every text of every answer fits the segment limit',
    async () => {
      const g = generator(SEED);
      const requests = Array.from({ length: TOTAL }, (_, i) => randomParams(g, i));
      const statuses = new Map<number, number>();
      const oversize: string[] = [];
      let texts = 0;
      let maxSegments = 0;
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < requests.length) {
            const params = requests[next++]!;
            const res = await t.sendSigned(params);
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            if (res.statusCode !== 200) continue;
            expect(res.body.startsWith('<?xml')).toBe(true);
            for (const text of twimlMessages(res.body)) {
              texts += 1;
              const { segments } = countSegments(text);
              maxSegments = Math.max(maxSegments, segments);
              if (segments > MAX_SEGMENTS_PER_MESSAGE) oversize.push(text.slice(0, 60));
            }
          }
        }),
      );
      console.log(
        `bodies: ${TOTAL} requests (seed ${SEED}), statuses ${JSON.stringify(Object.fromEntries(statuses))}, ${texts} texts answered, most segments in one text ${maxSegments}`,
      );
      expect([...statuses.keys()].filter((status) => status >= 500)).toEqual([]);
      expect(statuses.get(200)).toBeGreaterThan(TOTAL * 0.9);
      expect(oversize).toEqual([]);
      // Still alive and answering normally afterwards.
      const after = await t.sendSigned({ ...randomParams(generator(1), 0), Body: 'hola', NumMedia: '0' });
      expect(after.statusCode).toBe(200);
    },
    Math.max(180_000, TOTAL * 30),
  );
});
