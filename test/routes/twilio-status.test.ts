import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/store/keys.js';
import { buildTestApp, sign, TEST_ACCOUNT_SID, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

function post(path: string, params: Record<string, string>, signature = sign(path, params)) {
  return t.app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    payload: new URLSearchParams(params).toString(),
  });
}

describe('POST /twilio/status', () => {
  const personId = 'P0000000000000000000aa';
  const path = `/twilio/status?p=${personId}&s=send-1&i=0`;
  const report = {
    MessageSid: `SM${'a'.repeat(32)}`,
    MessageStatus: 'delivered',
    AccountSid: TEST_ACCOUNT_SID,
  };

  it('records a signed delivery report on the send ledger', async () => {
    await t.redis.hset(keys.send(personId, 'send-1'), 'status', 'sent', 'sid:0', report.MessageSid);
    const res = await post(path, report);
    expect(res.statusCode).toBe(204);
    expect(await t.redis.hget(keys.send(personId, 'send-1'), 'delivery:0')).toBe('delivered');
  });

  it('stops later sends when the carrier reports the number unreachable', async () => {
    await t.redis.hset(keys.send(personId, 'send-1'), 'status', 'sent');
    const res = await post(path, { ...report, MessageStatus: 'undelivered', ErrorCode: '30005' });
    expect(res.statusCode).toBe(204);
    expect(await t.redis.hget(keys.conversation(personId), 'undeliverable')).toBe('30005');
  });

  it('rejects a forged or tampered report with 403 and records nothing', async () => {
    const other = `/twilio/status?p=${personId}&s=send-2&i=0`;
    await t.redis.hset(keys.send(personId, 'send-2'), 'status', 'sent');
    expect((await post(other, report, 'Zm9yZ2Vk')).statusCode).toBe(403);
    expect((await post(other, { ...report, MessageStatus: 'failed' }, sign(other, report))).statusCode).toBe(
      403,
    );
    expect(await t.redis.hget(keys.send(personId, 'send-2'), 'delivery:0')).toBeNull();
  });

  it('keeps nothing for a send that was erased', async () => {
    const gone = `/twilio/status?p=${personId}&s=erased&i=0`;
    expect((await post(gone, report)).statusCode).toBe(204);
    expect(await t.redis.exists(keys.send(personId, 'erased'))).toBe(0);
  });

  it('says what is missing (400) for a signed report without ids', async () => {
    expect((await post('/twilio/status', report)).statusCode).toBe(400);
  });
});
