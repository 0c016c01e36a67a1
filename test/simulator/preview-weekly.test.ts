import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/store/keys.js';
import { buildLocalApp, LOCAL_HOST, type LocalApp } from '../security/local-app.js';
import { testClock } from '../support/clock.js';

/**
 * The simulator's "send my reminders now" with weekly checks on: before, it sent nothing for them
 * (the reminders only of saved appointments), so the weekly text could not be tried there. Now one
 * weekly check is queued too, and the conversation sends it without planning another: the checks
 * already planned stay as they are.
 */
const PHONE = '+15557400321';
const json = { 'content-type': 'application/json' };

describe('preview of the weekly check', () => {
  let t: LocalApp;
  const post = (url: string, payload: Record<string, string>) =>
    t.app.inject({ method: 'POST', url, headers: { ...json, host: LOCAL_HOST }, payload });
  const weeklyJobs = async (personId: string) =>
    (await t.redis.smembers(keys.jobs(personId))).filter((id) => id.startsWith(`wk-${personId}-`)).sort();

  beforeAll(async () => {
    t = await buildLocalApp();
    for (const text of ['can you text me every week to check my mail', 'yes', '0']) {
      const res = await post('/simulator/messages', { phone: PHONE, channel: 'sms', text });
      expect(res.statusCode).toBe(200);
    }
  });
  afterAll(async () => t?.close());

  it('queues one weekly check beside the appointments', async () => {
    const res = await post('/simulator/preview-reminders', { phone: PHONE, channel: 'sms' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ appointments: 0, weekly: true, queued: 1 });
  });

  it('sends the check and plans no other; a real check plans the next', async () => {
    const personId = t.huella.crypto.personId(PHONE);
    const planned = await weeklyJobs(personId);
    expect(planned).toHaveLength(1);
    const at = testClock.now().toISOString();
    const preview = await t.huella.conversations.handleSystemEvent(
      personId,
      'preview-wk-test',
      { type: 'WEEKLY_DUE', at, preview: true },
      testClock.now(),
    );
    // The check is sent (the text itself: test/flows' weekly goldens); nothing is planned.
    expect(preview?.effects).toEqual(['send']);
    expect(await weeklyJobs(personId)).toEqual(planned);
    await t.huella.conversations.handleSystemEvent(
      personId,
      'wk-test',
      { type: 'WEEKLY_DUE', at },
      testClock.now(),
    );
    expect((await weeklyJobs(personId)).length).toBe(2);
  });
});
