import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantedBody } from '../privacy/planted.js';
import {
  buildWiredTestApp,
  inboundParams,
  sign,
  TEST_ACCOUNT_SID,
  TEST_PUBLIC_URL,
  type TestApp,
} from '../support/app.js';
import { snapshotState } from './state.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildWiredTestApp();
  // Something to tamper with: one person who already has a conversation.
  const res = await t.sendSigned(inboundParams('+15553000001', 'hola'));
  expect(res.statusCode).toBe(200);
});
afterAll(async () => t.close());

const PATH = '/twilio/messages';
type Attack = { name: string; url?: string; params: Record<string, string>; signature?: string | string[] };

function post(attack: Attack) {
  const headers: Record<string, string | string[]> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (attack.signature !== undefined) headers['x-twilio-signature'] = attack.signature;
  return t.app.inject({
    method: 'POST',
    url: attack.url ?? PATH,
    headers,
    payload: new URLSearchParams(attack.params).toString(),
  });
}

/** Every way a request can fail to be from our Twilio account, for one genuine message. */
function attacks(from: string): Attack[] {
  const params = inboundParams(from, plantedBody('STOP'));
  const good = sign(PATH, params);
  const flip = (s: string) => (s[0] === 'A' ? `B${s.slice(1)}` : `A${s.slice(1)}`);
  const signedAs = (url: string, p = params) =>
    twilio.getExpectedTwilioSignature('test-auth-token-0123456789abcdef', url, p);
  const otherAccount = { ...params, AccountSid: `AC${'2'.repeat(32)}` };
  return [
    { name: 'missing signature', params },
    { name: 'empty signature', params, signature: '' },
    { name: 'forged signature', params, signature: 'bm90IGEgc2lnbmF0dXJl' },
    { name: 'one character changed', params, signature: flip(good) },
    { name: 'lower-cased signature', params, signature: good.toLowerCase() },
    {
      name: 'signed with another auth token',
      params,
      signature: twilio.getExpectedTwilioSignature('another-token', `${TEST_PUBLIC_URL}${PATH}`, params),
    },
    { name: 'body changed', params: { ...params, Body: 'DELETE' }, signature: good },
    { name: 'From changed', params: { ...params, From: '+15553000009' }, signature: good },
    {
      name: 'field added',
      params: { ...params, NumMedia: '1', MediaUrl0: 'https://example.org/x' },
      signature: good,
    },
    {
      name: 'field removed',
      params: Object.fromEntries(Object.entries(params).filter(([k]) => k !== 'To')),
      signature: good,
    },
    { name: 'MessageSid changed', params: { ...params, MessageSid: `SM${'9'.repeat(32)}` }, signature: good },
    { name: 'wrong AccountSid, signed correctly', params: otherAccount, signature: sign(PATH, otherAccount) },
    {
      name: 'AccountSid missing, signed correctly',
      params: Object.fromEntries(Object.entries(params).filter(([k]) => k !== 'AccountSid')),
      signature: sign(PATH, Object.fromEntries(Object.entries(params).filter(([k]) => k !== 'AccountSid'))),
    },
    { name: 'signed for another path', params, signature: signedAs(`${TEST_PUBLIC_URL}/twilio/status`) },
    { name: 'signed for another host', params, signature: signedAs(`https://evil.example.org${PATH}`) },
    {
      name: 'signed for http instead of https',
      params,
      signature: signedAs(`${TEST_PUBLIC_URL.replace('https', 'http')}${PATH}`),
    },
    { name: 'query added to the URL', url: `${PATH}?x=1`, params, signature: good },
    { name: 'two signature headers', params, signature: [good, good] },
  ];
}

describe('forged, missing and tampered requests', () => {
  it('rejects every one with 403, changes no key and adds no job', async () => {
    const before = await snapshotState(t.redis);
    const list = [...attacks('+15553000001'), ...attacks('+15553000002')];
    const statuses = await Promise.all(list.map(async (a) => [a.name, (await post(a)).statusCode] as const));
    const accepted = statuses.filter(([, status]) => status !== 403);
    expect(accepted).toEqual([]);
    expect(await snapshotState(t.redis)).toEqual(before);
    console.log(
      `signatures: ${statuses.length} forged/tampered/misaddressed requests, ${statuses.length - accepted.length} rejected (403)`,
    );
  });

  it('rejects forged delivery reports too, without touching the send ledger', async () => {
    const before = await snapshotState(t.redis);
    const path = '/twilio/status?p=P0000000000000000000aa&s=send-1&i=0';
    const report = {
      MessageSid: `SM${'a'.repeat(32)}`,
      MessageStatus: 'undelivered',
      ErrorCode: '30005',
      AccountSid: TEST_ACCOUNT_SID,
    };
    const results = await Promise.all([
      post({ name: 'no signature', url: path, params: report }),
      post({ name: 'signed for messages', url: path, params: report, signature: sign(PATH, report) }),
      post({
        name: 'other account',
        url: path,
        params: { ...report, AccountSid: `AC${'3'.repeat(32)}` },
        signature: sign(path, { ...report, AccountSid: `AC${'3'.repeat(32)}` }),
      }),
    ]);
    expect(results.map((r) => r.statusCode)).toEqual([403, 403, 403]);
    expect(await snapshotState(t.redis)).toEqual(before);
  });

  it('accepts the genuine request the attacks were made from (the check is not simply closed)', async () => {
    const params = inboundParams('+15553000003', 'hola');
    expect((await post({ name: 'genuine', params, signature: sign(PATH, params) })).statusCode).toBe(200);
  });
});
