import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { buildWiredTestApp, inboundParams, type TestApp } from '../support/app.js';
import { PLANTED, plantedBody } from './planted.js';

const PHONE = '+15553700001';
const SECRETS = ['5553700001', '555) 370-0001', PLANTED.aNumber, PLANTED.receipt, PLANTED.canary];

function memoryLogger() {
  const lines: string[] = [];
  const logger = createLogger('debug', false, { write: (line: string) => lines.push(line) });
  return { logger, lines };
}

describe('log lines', () => {
  it('never carry a phone number, a body, an A-number or a receipt number, however they are logged', () => {
    const { logger, lines } = memoryLogger();
    const body = plantedBody('hola');
    logger.info({ From: PHONE, Body: body }, 'flat fields');
    logger.info(
      { req: { body: { From: `whatsapp:${PHONE}`, To: '+15005550006', Body: body } } },
      'a request',
    );
    logger.info({ params: [{ phone: PHONE }, { address: PHONE }] }, 'in a list');
    logger.error(
      { err: new Error(`The 'To' number ${PHONE} is not a valid phone number`) },
      'twilio refused',
    );
    logger.warn(`a message from +1 (555) 370-0001 quoting ${PLANTED.aNumber} and ${PLANTED.receipt}`);
    logger.child({ conversation: 'P0123456789abcdefghijk' }).info({ text: body }, 'child');
    expect(lines).toHaveLength(6);
    const all = lines.join('\n');
    for (const secret of SECRETS) expect(all).not.toContain(secret);
    // What is not secret stays readable.
    expect(all).toContain('not a valid phone number');
    expect(all).toContain('"conversation":"P0123456789abcdefghijk"');
    expect(all).toContain('[redacted]');
  });

  it('keep a live request to its method and scrubbed URL, without walking it', () => {
    const { logger, lines } = memoryLogger();
    class LiveRequest {
      method = 'POST';
      url = `/simulator/messages?phone=${encodeURIComponent('+15553700001')}&n=15553700001`;
      socket = { server: { secret: PHONE } };
    }
    class LiveReply {
      statusCode = 200;
      raw = { body: PHONE };
    }
    logger.info({ req: new LiveRequest(), res: new LiveReply(), at: new Date(0) }, 'request');
    const line = JSON.parse(lines[0]!);
    expect(line.req).toEqual({ method: 'POST', url: '/simulator/messages?phone=[phone]&n=[phone]' });
    expect(line.res).toEqual({ statusCode: 200 });
    expect(line.at).toBe('1970-01-01T00:00:00.000Z');
    expect(lines[0]).not.toContain('5553700001');
  });

  it('are JSON lines when not on a terminal', () => {
    const { logger, lines } = memoryLogger();
    logger.info({ n: 1 }, 'hello');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, msg: 'hello', n: 1 });
  });
});

describe('a webhook request', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildWiredTestApp();
  });
  afterAll(async () => t.close());

  it('is logged with its request id and the conversation id, and without the number or the body', async () => {
    const params = inboundParams(PHONE, plantedBody('what do i bring'));
    // The process's log file may hold other files' lines (and their req-1, req-2…) before this one.
    const file = join(inject('logDir'), `${process.pid}.jsonl`);
    const before = existsSync(file) ? statSync(file).size : 0;
    const res = await t.sendSigned(params);
    expect(res.statusCode).toBe(200);
    const lines = readFileSync(file)
      .subarray(before)
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const personId = t.huella.crypto.personId(PHONE);
    const mine = lines.filter((line) => line.conversation === personId);
    expect(mine.length).toBeGreaterThan(0);
    const reqIds = new Set(mine.map((line) => line.reqId).filter(Boolean));
    expect(reqIds.size).toBe(1);
    const request = lines.filter((line) => reqIds.has(line.reqId));
    // One line per request, when it is answered, with the method, the path and the status.
    const completed = request.filter((line) => line.msg === 'request completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({
      req: { method: 'POST', url: '/twilio/messages' },
      res: { statusCode: 200 },
    });
    expect(request.some((line) => line.msg === 'incoming request')).toBe(false);
    const text = JSON.stringify(request);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });
});
