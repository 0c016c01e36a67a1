import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { SEALED_VALUE } from '../../src/store/crypto.js';
import { PERSON_MARKERS, PLANTED } from './planted.js';

/**
 * The privacy scan: log files, job payloads and every Redis key and value, looked through for
 * phone numbers, message bodies (the planted canary), A-numbers and receipt numbers, and for what
 * the test people told about themselves (their appointment dates, ZIP codes, family names and
 * filing date: PERSON_MARKERS). Phone numbers may sit in Redis only sealed (AES-256-GCM, the
 * `addr` field); the rest only sealed too (snapshots, replies, send records), where no marker
 * can be read.
 */
const SECRETS: { what: string; pattern: RegExp }[] = [
  { what: 'phone number (E.164)', pattern: /\+\d{10,15}/ },
  // Not inside a longer run of letters and digits: a Twilio SID is 32 hex digits, and one in
  // about a thousand holds "555" and 7 more digits between two letters.
  { what: 'test phone number', pattern: /(?<![A-Za-z0-9])1?555\d{7}(?![A-Za-z0-9])/ },
  { what: 'A-number', pattern: /(?<![A-Za-z0-9])A-?\d{8,9}(?!\d)/ },
  { what: 'receipt number', pattern: /(?<![A-Za-z])[A-Z]{3}\d{10}(?![A-Za-z0-9])/ },
  { what: 'message body', pattern: new RegExp(PLANTED.canary) },
  ...PERSON_MARKERS,
];

export interface Finding {
  where: string;
  what: string;
  /** Up to 80 characters around the match. */
  excerpt: string;
}

export function findIn(where: string, text: string): Finding[] {
  const out: Finding[] = [];
  for (const { what, pattern } of SECRETS) {
    const match = pattern.exec(text);
    if (match) {
      const at = Math.max(0, match.index - 30);
      out.push({ where, what, excerpt: text.slice(at, at + 80) });
    }
  }
  return out;
}

/** Every line of every file in `dir` (the tests' captured logs). */
export function scanLogs(dir: string): { findings: Finding[]; lines: number } {
  const findings: Finding[] = [];
  let lines = 0;
  if (!existsSync(dir)) return { findings, lines };
  for (const file of readdirSync(dir)) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const [i, line] of text.split('\n').entries()) {
      if (line === '') continue;
      lines += 1;
      findings.push(...findIn(`log ${file}:${i + 1}`, line));
    }
  }
  return { findings, lines };
}

/** The texts a key holds (strings, hash fields and values, members, stream entries). */
async function valuesOf(redis: Redis, key: string): Promise<{ field: string; text: string }[]> {
  const type = await redis.type(key);
  switch (type) {
    case 'string':
      return [{ field: '', text: (await redis.get(key)) ?? '' }];
    case 'hash':
      return Object.entries(await redis.hgetall(key)).flatMap(([field, value]) => [
        { field: `${field} (name)`, text: field },
        { field, text: value },
      ]);
    case 'list':
      return (await redis.lrange(key, 0, -1)).map((text, i) => ({ field: `[${i}]`, text }));
    case 'set':
      return (await redis.smembers(key)).map((text) => ({ field: 'member', text }));
    case 'zset':
      return (await redis.zrange(key, '0', '-1')).map((text) => ({ field: 'member', text }));
    case 'stream':
      return (await redis.xrange(key, '-', '+')).map(([id, fields]) => ({
        field: id,
        text: fields.join(' '),
      }));
    default:
      return [];
  }
}

/**
 * Every key of databases `dbs` on the server at `url`. Returns the findings, and how many keys
 * and sealed addresses were looked at.
 */
export async function scanRedis(
  url: string,
  dbs: number[],
): Promise<{ findings: Finding[]; keys: number; sealed: number }> {
  const findings: Finding[] = [];
  let keyCount = 0;
  let sealed = 0;
  for (const db of dbs) {
    const redis = new Redis(`${url}/${db}`, { maxRetriesPerRequest: 1, lazyConnect: true });
    await redis.connect();
    try {
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'COUNT', '500');
        cursor = next;
        for (const key of batch) {
          keyCount += 1;
          findings.push(...findIn(`db${db} key name ${key}`, key));
          for (const { field, text } of await valuesOf(redis, key)) {
            if (field === 'addr' && key.startsWith('hu:')) {
              sealed += 1;
              if (!SEALED_VALUE.test(text)) {
                findings.push({ where: `db${db} ${key} addr`, what: 'address not sealed', excerpt: '' });
              }
              continue;
            }
            findings.push(...findIn(`db${db} ${key} ${field}`, text));
          }
        }
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }
  return { findings, keys: keyCount, sealed };
}

export function describeFindings(findings: Finding[], limit = 20): string {
  return findings
    .slice(0, limit)
    .map((f) => `  - ${f.what} in ${f.where}: ${JSON.stringify(f.excerpt)}`)
    .join('\n');
}
