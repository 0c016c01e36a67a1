import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SystemKey } from '../../src/conversation/content.js';
import { MACHINE_VERSION } from '../../src/conversation/machine.js';
import { keys } from '../../src/store/keys.js';
import { buildTestApp, newMessageSid, type TestApp } from '../support/app.js';
import { dayAhead, testClock } from '../support/clock.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

const date = dayAhead(10).iso;
const saved = { id: 'a1', date, time: '10:00', zone: 'America/New_York', place: '33101', version: 1 };
const menu = [
  'about',
  'nm_start',
  'bring',
  'reschedule',
  'missed',
  'account',
  'work_permit',
  'legal_help',
  'appt_add',
];
const base = {
  lang: 'en',
  node: 'menu',
  offered: menu,
  asking: false,
  misses: 0,
  appointments: [],
  effects: [],
};

/**
 * Snapshots as version 1 (flat states, the step in the context) saved them, in every state a
 * conversation can be stored in, with the next message and the first words of what it must get.
 */
const CASES: {
  state: string;
  context: Record<string, unknown>;
  says: string;
  expect: SystemKey | 'none' | RegExp;
}[] = [
  { state: 'active', context: base, says: 'what do i bring', expect: /ID|bring/i },
  {
    state: 'capturing',
    context: { ...base, draft: { step: 'date', tries: 0 } },
    says: 'next friday',
    expect: 'appt_ask_time',
  },
  {
    state: 'capturing',
    context: { ...base, draft: { step: 'time', tries: 0, date } },
    says: '10am',
    expect: 'appt_ask_place',
  },
  {
    state: 'capturing',
    context: { ...base, draft: { step: 'place', tries: 0, date, time: '10:00' } },
    says: '33101',
    expect: 'appt_confirm',
  },
  {
    state: 'capturing',
    context: {
      ...base,
      draft: { step: 'confirm', tries: 0, date, time: '10:00', place: '33101', zone: 'America/New_York' },
    },
    says: 'yes',
    expect: 'appt_saved',
  },
  {
    state: 'capturing',
    context: { ...base, appointments: [saved], draft: { step: 'name', tries: 0 } },
    says: 'Rosa',
    expect: 'appt_ask_date',
  },
  {
    state: 'capturing',
    context: {
      ...base,
      appointments: [saved],
      draft: {
        step: 'edit',
        tries: 0,
        editing: 'a1',
        date,
        time: '10:00',
        place: '33101',
        zone: 'America/New_York',
      },
    },
    says: '11am',
    expect: 'appt_confirm',
  },
  {
    state: 'managing',
    context: { ...base, node: 'appt_list', offered: [], appointments: [saved], managing: { step: 'pick' } },
    says: '1',
    expect: 'appt_pick_action',
  },
  {
    state: 'managing',
    context: {
      ...base,
      node: 'appt_list',
      offered: [],
      appointments: [saved],
      managing: { step: 'action', id: 'a1' },
    },
    says: '2',
    expect: 'appt_cancelled',
  },
  {
    state: 'askingFiled',
    context: { ...base, node: 'weekly_on', offered: [], weekly: { active: true }, askingFiled: true },
    says: 'hmm',
    expect: 'weekly_filed_again',
  },
  { state: 'confirmingDelete', context: base, says: 'no', expect: 'delete_kept' },
  { state: 'optedOut', context: base, says: 'hello', expect: 'none' },
];

describe('snapshots saved by version 1 of the conversation machine', () => {
  it('is version 2 now', () => {
    expect(MACHINE_VERSION).toBe(2);
  });

  CASES.forEach(({ state, context, says, expect: wanted }, i) => {
    const step =
      (context.draft as { step?: string } | undefined)?.step ??
      (context.managing as { step?: string } | undefined)?.step;
    it(`resumes in ${state}${step ? ` (${step})` : ''} where it was: "${says}"`, async () => {
      const from = `+1555020${String(i).padStart(4, '0')}`;
      await t.redis.hset(keys.conversation(t.huella.crypto.personId(from)), {
        rev: 5,
        v: 1,
        snap: JSON.stringify({ status: 'active', value: state, context }),
      });
      const result = await t.huella.conversations.handleInbound({
        messageSid: newMessageSid(),
        from,
        channel: 'sms',
        body: says,
        numMedia: 0,
        receivedAt: testClock.now(),
      });
      const reply = result.messages.join('\n');
      if (wanted === 'none') {
        expect(result.messages).toEqual([]);
        expect(result.unanswered).toBe('opted_out');
      } else if (wanted instanceof RegExp) {
        expect(reply).toMatch(wanted);
      } else {
        // The first words of the text, before its first placeholder.
        const text = t.huella.renderer.pack('en').system[wanted];
        expect(reply).toContain(text.split('{')[0]!.trim().slice(0, 25));
      }
      // Saved again by this version.
      expect(await t.redis.hget(keys.conversation(t.huella.crypto.personId(from)), 'v')).toBe(
        String(MACHINE_VERSION),
      );
    });
  });
});
