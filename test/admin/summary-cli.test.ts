import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, inboundParams, TEST_SECRET, type TestApp } from '../support/app.js';
import { nodeArgsFor } from '../support/entry.js';

const run = promisify(execFile);

/** `npm run summary`, the operator's command, against the same Redis the app writes to. */
let t: TestApp;
let redisUrl: string;
beforeAll(async () => {
  t = await buildTestApp();
  redisUrl = t.url;
  for (const [from, body] of [
    ['+15557040001', 'weekly reminder'],
    ['+15557040001', 'yes'],
    ['whatsapp:+15557040002', 'hola'],
    ['+15557040003', 'STOP'],
  ] as const) {
    expect((await t.sendSigned(inboundParams(from, body))).statusCode).toBe(200);
  }
}, 30_000);
afterAll(async () => t?.close());

const cli = (args: string[]) =>
  run(process.execPath, [...nodeArgsFor('src/summary-main.ts'), ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      REDIS_URL: redisUrl,
      LOG_LEVEL: 'silent',
      HUELLA_SECRET: TEST_SECRET,
    },
  });

describe('npm run summary', () => {
  it('prints counts, and JSON with --json, with no personal data', async () => {
    const { stdout } = await cli([]);
    expect(stdout).toMatch(/People with a conversation\s+3/);
    expect(stdout).toMatch(/Waiting for a notice \(weekly checks on\)\s+1/);
    expect(stdout).toMatch(/Opted out \(STOP\)\s+1/);
    expect(stdout).toMatch(/by channel\s+sms 2, whatsapp 1/);
    expect(stdout).not.toMatch(/555704/);
    const json = JSON.parse((await cli(['--json'])).stdout);
    expect(json).toMatchObject({ people: 3, waitingForNotice: 1, optedOut: 1 });
    expect(json.rotation).toBeUndefined();
  });

  it('with --rotation, says whether HUELLA_SECRET_PREVIOUS is still needed', async () => {
    const { stdout } = await cli(['--rotation']);
    expect(stdout).toContain(
      'Key rotation: 3 conversations under HUELLA_SECRET, 0 still under HUELLA_SECRET_PREVIOUS',
    );
    expect(stdout).toContain('HUELLA_SECRET_PREVIOUS can be removed.');
  });

  it('says clearly when Redis cannot be reached', async () => {
    const failed = await run(process.execPath, nodeArgsFor('src/summary-main.ts'), {
      env: { PATH: process.env.PATH ?? '', REDIS_URL: 'redis://127.0.0.1:1', LOG_LEVEL: 'silent' },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toContain('Cannot reach Redis at redis://127.0.0.1:1');
  });
});
