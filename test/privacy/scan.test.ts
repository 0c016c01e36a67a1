import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PersonCrypto } from '../../src/store/crypto.js';
import { TEST_SECRET } from '../support/app.js';
import { isolatedRedis } from '../support/redis.js';
import { PERSON_MARKERS, PLANTED, PLANTED_DAYS, plantedBody } from './planted.js';
import { findIn, scanLogs, scanRedis } from './scan.js';

/**
 * The privacy scan that runs after the whole suite (global-setup.ts) must be able to fail: here
 * it is pointed at a database and a log folder with planted leaks. Both are emptied afterwards,
 * so the scan after the run does not see them.
 */
let isolated: Awaited<ReturnType<typeof isolatedRedis>>;
let dir: string;
beforeAll(async () => {
  isolated = await isolatedRedis();
  dir = mkdtempSync(join(tmpdir(), 'huella-scan-test-'));
});
afterAll(async () => {
  await isolated.redis.flushdb();
  await isolated.redis.quit();
  rmSync(dir, { recursive: true, force: true });
});

describe('the privacy scan', () => {
  it('finds a phone number, a body, an A-number and a receipt number in a log line', () => {
    writeFileSync(
      join(dir, 'leak.jsonl'),
      `{"msg":"ok"}\n{"msg":"from +15553800001"}\n{"words":"${plantedBody()}"}\n`,
    );
    const { findings, lines } = scanLogs(dir);
    expect(lines).toBe(3);
    expect(findings.map((f) => f.what).sort()).toEqual(
      ['A-number', 'message body', 'phone number (E.164)', 'receipt number', 'test phone number'].sort(),
    );
  });

  it('finds them in job payloads and any Redis value, and an address stored unsealed', async () => {
    const { redis, url, db } = isolated;
    const sealed = new PersonCrypto(TEST_SECRET).seal('+15553800002');
    await redis.hset('hu:{P1}:conv', 'addr', sealed, 'rev', '1');
    const clean = await scanRedis(url.slice(0, url.lastIndexOf('/')), [db]);
    expect(clean).toMatchObject({ findings: [], sealed: 1 });

    await redis.hset('bull:outbound-sms:1', 'data', JSON.stringify({ to: '+15553800003' }));
    await redis.set('hu:{P2}:sid:SM1', JSON.stringify({ said: PLANTED.canary }));
    await redis.rpush('some:list', `receipt ${PLANTED.receipt}`);
    await redis.zadd('some:zset', 1, `a-number ${PLANTED.aNumber}`);
    await redis.hset('hu:{P3}:conv', 'addr', 'whatsapp:+15553800004');
    const { findings } = await scanRedis(url.slice(0, url.lastIndexOf('/')), [db]);
    const found = findings.map((f) => `${f.what} @ ${f.where}`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^phone number \(E\.164\) @ db\d+ bull:outbound-sms:1 data/),
        expect.stringMatching(/^message body @ db\d+ hu:\{P2\}:sid:SM1/),
        expect.stringMatching(/^receipt number @ db\d+ some:list/),
        expect.stringMatching(/^A-number @ db\d+ some:zset/),
        expect.stringMatching(/^address not sealed @ db\d+ hu:\{P3\}:conv addr/),
      ]),
    );
  });

  it("finds a test person's appointment date, ZIP code, family name and filing date stored readable, not once sealed", async () => {
    const { redis, url, db } = isolated;
    await redis.flushdb();
    const server = url.slice(0, url.lastIndexOf('/'));
    // As the previous version stored them: the snapshot, a reply kept per MessageSid, a send
    // record, and a milestone job whose id held the filing date.
    const snapshot = JSON.stringify({
      value: 'active',
      context: {
        appointments: [
          { id: 'a1', name: 'Kevin', date: PLANTED_DAYS.appointment.iso, time: '10:00', place: '77002' },
        ],
      },
    });
    const reply = JSON.stringify({
      messages: [`Su cita: ${PLANTED_DAYS.appointment.es} a las 10:00 a. m., Houston, TX.`],
    });
    const record = JSON.stringify({
      kind: 'reminder',
      parts: [`Rosa's appointment: ${PLANTED_DAYS.appointment.en} at 10:00 AM`],
    });
    await redis.hset('hu:{P5}:conv', 'snap', snapshot);
    await redis.set('hu:{P5}:sid:SM5', reply);
    await redis.hset('hu:{P5}:send:s1', 'record', record);
    await redis.hset(`bull:reminders:ms-P5-3m-${PLANTED_DAYS.filed.iso}`, 'data', '{"type":"milestone"}');
    writeFileSync(join(dir, 'person.jsonl'), '{"msg":"turn saved","place":"60601"}\n');

    const readable = await scanRedis(server, [db]);
    const found = readable.findings.map((f) => `${f.what} @ ${f.where}`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^appointment date @ db\d+ hu:\{P5\}:conv snap/),
        expect.stringMatching(/^ZIP code @ db\d+ hu:\{P5\}:conv snap/),
        expect.stringMatching(/^family name @ db\d+ hu:\{P5\}:conv snap/),
        expect.stringMatching(/^appointment date @ db\d+ hu:\{P5\}:sid:SM5/),
        expect.stringMatching(/^family name @ db\d+ hu:\{P5\}:send:s1 record/),
        expect.stringMatching(/^filing date @ db\d+ key name bull:reminders:ms-P5-3m-/),
      ]),
    );
    expect(scanLogs(dir).findings.map((f) => f.what)).toContain('ZIP code');

    // The same values sealed, as they are stored now: nothing to read.
    const crypto = new PersonCrypto(TEST_SECRET);
    await redis.flushdb();
    await redis.hset('hu:{P5}:conv', 'snap', crypto.seal(snapshot));
    await redis.set('hu:{P5}:sid:SM5', crypto.seal(reply));
    await redis.hset('hu:{P5}:send:s1', 'record', crypto.seal(record));
    await redis.hset(`bull:reminders:ms-P5-3m-${crypto.tag('2026-10-01')}`, 'data', '{}');
    expect((await scanRedis(server, [db])).findings).toEqual([]);
  });

  it('does not take a Twilio SID for a phone or receipt number, whatever digits its hex holds', () => {
    // Message SIDs are SM + 32 hex digits, the simulator's SIM + digits + hex (a CI run failed on
    // "SMc73b2daf5556408491ee33c7bb0d3613"). Runs of digits inside one are never a finding.
    const sids = [
      'SMc73b2daf5556408491ee33c7bb0d3613',
      'SM15553800001abcdefabcdefabcdefab',
      'SMabcdef0123456789015553800001ffff',
      'SIM1234567890abcdef',
    ];
    for (const sid of sids) {
      expect(findIn('key', `hu:{P}:send:rem-x sid:1: "${sid}"`), sid).toEqual([]);
    }
    // The same digits standing alone still are.
    expect(findIn('key', 'to 5556408491 and 15553800001').map((f) => f.what)).toEqual(['test phone number']);
  });

  it('does not take a timestamp or a longer number for a ZIP code', () => {
    const zip = PERSON_MARKERS.find((m) => m.what === 'ZIP code')!.pattern;
    expect(zip.test('{"timestamp":1765077002123,"delay":3600000}')).toBe(false);
    expect(zip.test('"place":"77002"')).toBe(true);
  });
});
