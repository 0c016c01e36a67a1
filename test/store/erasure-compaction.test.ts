import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compactAfterErasures,
  ERASURE_PENDING_KEY,
  REWRITE_LOCK_KEY,
} from '../../src/store/erasure-compaction.js';
import { keys } from '../../src/store/keys.js';
import { PLANTED_DAYS } from '../privacy/planted.js';
import { buildWiredTestApp, inboundParams, type TestApp, twimlMessages } from '../support/app.js';
import { RestartableRedis } from '../support/redis-server.js';

/**
 * DELETE, then what is on disk. A redis-server of the test's own with an append-only file, written
 * as plain commands (no RDB preamble, whose compressed strings a search could miss) so that
 * reading the files for a value is a fair test: the value is found there before the rewrite, and
 * the other person's id is found in the rewritten files after it.
 *
 * What is looked for: with sealing, a person's dates and ZIP code are ciphertext in any file; what
 * stays plaintext is the person id in every key name and job id (an HMAC of their number: whoever
 * holds HUELLA_SECRET and a number can tell that the number used Huella) and the sealed strings
 * themselves (which that secret opens). Both must be gone. So must the plaintext an earlier
 * version wrote (a snapshot stored unsealed, planted here as it stored it).
 */
let server: RestartableRedis;
let t: TestApp;
beforeAll(async () => {
  server = await RestartableRedis.start([
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
    '--aof-use-rdb-preamble',
    'no',
    // Redis would rewrite by itself only past 64 MB; here never, so only our rewrite counts.
    '--auto-aof-rewrite-percentage',
    '0',
  ]);
  t = await buildWiredTestApp({}, {}, { redisUrl: server.url });
});
afterAll(async () => {
  await t?.close();
  await server?.stop();
});

async function say(from: string, body: string): Promise<string> {
  const res = await t.sendSigned(inboundParams(from, body));
  expect(res.statusCode).toBe(200);
  return twimlMessages(res.body).join('\n');
}

async function personWithAppointment(from: string): Promise<string> {
  const day = PLANTED_DAYS.appointment;
  for (const body of ['remind me', day.at.toFormat('LLLL d yyyy'), '10am', '77002']) await say(from, body);
  expect(await say(from, 'yes')).toContain(day.en);
  return t.huella.crypto.personId(from);
}

/** Every file under the server's folder (appendonlydir/ with its base, incr and manifest files). */
function filesOnDisk(dir: string): { name: string; text: string }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesOnDisk(path);
    return [{ name, text: readFileSync(path, 'latin1') }];
  });
}

const onDisk = (value: string) => filesOnDisk(server.dir).some((f) => f.text.includes(value));

async function rewriteDone(): Promise<boolean> {
  const info = await t.redis.info('persistence');
  return /aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info);
}

describe('erased data on disk', () => {
  it('is gone from the append-only files once the worker rewrites them after an erasure', async () => {
    const erased = await personWithAppointment('+15553900001');
    const kept = await personWithAppointment('+15553900002');
    const conv = keys.conversation(erased);
    const [sealedSnap, sealedAddr] = await t.redis.hmget(conv, 'snap', 'addr');
    // As the previous version stored it: the snapshot readable.
    await t.redis.hset(conv, 'snap', t.huella.crypto.unseal(sealedSnap!));
    const values = [
      erased,
      sealedSnap!,
      sealedAddr!,
      '"place":"77002"',
      `"date":"${PLANTED_DAYS.appointment.iso}"`,
    ];
    for (const value of values) expect(onDisk(value), value).toBe(true);

    await say('+15553900001', 'DELETE');
    await say('+15553900001', 'YES');
    expect(await t.redis.exists(conv)).toBe(0);
    expect(await t.redis.exists(ERASURE_PENDING_KEY)).toBe(1);
    // Still on disk: deleting only appends a DEL.
    expect(onDisk(erased)).toBe(true);

    expect(await compactAfterErasures(t.redis, 60_000)).toBe('rewriting-aof');
    const deadline = performance.now() + 20_000;
    while (!(await rewriteDone()) || values.some(onDisk)) {
      if (performance.now() > deadline) break;
      await sleep(50);
    }
    for (const value of values) expect(onDisk(value), value).toBe(false);
    expect(onDisk(kept)).toBe(true);
  });

  it('rewrites at most once per interval across processes, and only after an erasure', async () => {
    await t.redis.del(ERASURE_PENDING_KEY, REWRITE_LOCK_KEY);
    expect(await compactAfterErasures(t.redis, 60_000)).toBe('nothing-erased');
    const from = '+15553900003';
    await say(from, 'hello');
    await say(from, 'DELETE');
    await say(from, 'YES');
    const [first, second] = await Promise.all([
      compactAfterErasures(t.redis, 60_000),
      compactAfterErasures(t.redis, 60_000),
    ]);
    expect([first, second].sort()).toEqual(['rewriting-aof', 'too-soon']);
    // Another erasure within the interval waits for the lock to expire; its mark stays.
    await say('+15553900004', 'hello');
    await say('+15553900004', 'DELETE');
    await say('+15553900004', 'YES');
    expect(await compactAfterErasures(t.redis, 60_000)).toBe('too-soon');
    expect(await t.redis.exists(ERASURE_PENDING_KEY)).toBe(1);
  });
});
