import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { countSegments } from '../../src/channels/sms-segments.js';

/**
 * A local, Twilio-compatible REST server for integration tests and benchmarks: the real twilio SDK
 * talks HTTP to it (see createTwilioClient's apiBaseUrl). It implements only what Huella uses:
 * creating a Message, plus status callbacks signed like Twilio's. Plain node:http, no logging, so
 * that tens of thousands of sends measure Huella rather than the fake.
 */

const API_VERSION = '2010-04-01';
const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const MAX_BODY_BYTES = 1024 * 1024;

export const FAKE_ACCOUNT_SID = `AC${'f'.repeat(32)}`;
export const FAKE_AUTH_TOKEN = 'fake-twilio-auth-token-0123456789';

export interface FakeMessage {
  sid: string;
  to: string;
  /** Undefined when the message was sent through a MessagingServiceSid only. */
  from: string | undefined;
  messagingServiceSid: string | undefined;
  /** Undefined when the message is a content template (ContentSid). */
  body: string | undefined;
  contentSid: string | undefined;
  /** The raw ContentVariables form field (a JSON string), as Twilio receives it. */
  contentVariables: string | undefined;
  statusCallback: string | undefined;
  /** Date.now() when the fake accepted the request. */
  receivedAt: number;
  /** 'queued' (or 'accepted' via a messaging service), then whatever deliverStatus last sent. */
  status: string;
}

export interface FakeAttempt {
  /** 1-based position among all requests the fake received. */
  seq: number;
  receivedAt: number;
  to: string | undefined;
  body: string | undefined;
  outcome: 'accepted' | 'failed' | 'hang';
  /** HTTP status answered; null for a request left hanging. */
  status: number | null;
  /** Twilio error code for failures. */
  code: number | null;
  /** Message sid for accepted requests. */
  sid: string | null;
}

export interface FailureRequest {
  to: string;
  from: string | undefined;
  body: string | undefined;
  contentSid: string | undefined;
  /**
   * 1-based count of valid requests seen for this To and content, this one included: retries of
   * the same message count 1, 2, 3…, so "fail the first two tries" is `attempt <= 2`.
   */
  attempt: number;
  /** 1-based position among all requests the fake received. */
  seq: number;
}

export interface ProgrammedFailure {
  status: number;
  code?: number;
  message?: string;
}

/** undefined = answer normally; 'hang' = never answer (the socket stays open until the client gives up). */
export type FailureDecision = ProgrammedFailure | 'hang' | undefined;
export type FailurePolicy = (req: FailureRequest) => FailureDecision;
export type RandomFailureKind = 429 | 500 | 503 | 'hang';

type Answer =
  | { kind: 'accepted'; message: FakeMessage }
  | { kind: 'failed'; status: number; code: number; message: string }
  | { kind: 'hang' };

export interface StatusDelivery {
  url: string;
  params: Record<string, string>;
  status: number;
  body: string;
}

export interface FakeTwilio {
  /** Base URL, e.g. http://127.0.0.1:54321 — pass as apiBaseUrl. */
  readonly url: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** Accepted messages, in arrival order. */
  readonly messages: FakeMessage[];
  /** Every request to the Messages endpoint, accepted or not, in arrival order. */
  readonly attempts: FakeAttempt[];
  /** Replaces the failure policy (undefined clears it). Consulted after auth and validation. */
  failWith(policy: FailurePolicy | undefined): void;
  /**
   * Fails about `ratio` of valid requests with one of `kinds`, picked uniformly. Pass a seed for a
   * reproducible sequence. Replaces any failWith policy.
   */
  failRate(ratio: number, kinds?: readonly RandomFailureKind[], opts?: { seed?: number }): void;
  /** Forgets messages, attempts and the failure policy, and drops any hanging requests. */
  reset(): void;
  /** receivedAt of every accepted message, in arrival order. */
  sendTimes(): number[];
  /** The most messages accepted within any window of `windowMs` milliseconds. */
  maxSendsWithin(windowMs: number): number;
  /**
   * POSTs a status callback for a message the fake accepted, to its StatusCallback (or `callbackUrl`),
   * signed with X-Twilio-Signature. `extra` adds or overrides form fields, e.g. { ErrorCode: '30003' }.
   */
  deliverStatus(
    messageSid: string,
    status: string,
    callbackUrl?: string,
    extra?: Record<string, string>,
  ): Promise<StatusDelivery>;
  close(): Promise<void>;
}

export async function startFakeTwilio(
  opts: { accountSid?: string; authToken?: string } = {},
): Promise<FakeTwilio> {
  const accountSid = opts.accountSid ?? FAKE_ACCOUNT_SID;
  const authToken = opts.authToken ?? FAKE_AUTH_TOKEN;
  const expectedAuthorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;

  const messages: FakeMessage[] = [];
  const bySid = new Map<string, FakeMessage>();
  const attempts: FakeAttempt[] = [];
  const triesByContent = new Map<string, number>();
  const hanging = new Set<ServerResponse>();
  let policy: FailurePolicy | undefined;

  function record(
    to: string | undefined,
    body: string | undefined,
    outcome: FakeAttempt['outcome'],
    status: number | null,
    code: number | null,
    sid: string | null,
  ): void {
    attempts.push({ seq: attempts.length + 1, receivedAt: Date.now(), to, body, outcome, status, code, sid });
  }

  /** Decides what Twilio would answer; handleCreateMessage then records and sends it. */
  function answerFor(
    authorization: string | undefined,
    pathAccountSid: string,
    form: URLSearchParams,
  ): Answer {
    if (authorization !== expectedAuthorization) {
      return { kind: 'failed', status: 401, code: 20003, message: 'Authentication Error - invalid username' };
    }
    if (pathAccountSid !== accountSid) {
      const message = `The requested resource /${API_VERSION}/Accounts/${pathAccountSid}/Messages.json was not found`;
      return { kind: 'failed', status: 404, code: 20404, message };
    }
    const to = form.get('To') || undefined;
    const from = form.get('From') || undefined;
    const messagingServiceSid = form.get('MessagingServiceSid') || undefined;
    const body = form.get('Body') || undefined;
    const contentSid = form.get('ContentSid') || undefined;
    const contentVariables = form.get('ContentVariables') ?? undefined;
    if (!to) return { kind: 'failed', status: 400, code: 21604, message: "A 'To' phone number is required." };
    if (!from && !messagingServiceSid) {
      return { kind: 'failed', status: 400, code: 21603, message: "A 'From' phone number is required." };
    }
    if (!body && !contentSid)
      return { kind: 'failed', status: 400, code: 21602, message: 'Message body is required.' };

    const contentKey = `${to}\u0000${body ?? ''}\u0000${contentSid ?? ''}\u0000${contentVariables ?? ''}`;
    const attempt = (triesByContent.get(contentKey) ?? 0) + 1;
    triesByContent.set(contentKey, attempt);
    const decision = policy?.({ to, from, body, contentSid, attempt, seq: attempts.length + 1 });
    if (decision === 'hang') return { kind: 'hang' };
    if (decision !== undefined) {
      return {
        kind: 'failed',
        status: decision.status,
        code: decision.code ?? defaultCode(decision.status),
        message: decision.message ?? defaultMessage(decision.status),
      };
    }
    return {
      kind: 'accepted',
      message: {
        sid: `SM${randomUUID().replaceAll('-', '')}`,
        to,
        from,
        messagingServiceSid,
        body,
        contentSid,
        contentVariables,
        statusCallback: form.get('StatusCallback') || undefined,
        receivedAt: Date.now(),
        status: from ? 'queued' : 'accepted',
      },
    };
  }

  function handleCreateMessage(
    req: IncomingMessage,
    res: ServerResponse,
    pathAccountSid: string,
    raw: string,
  ): void {
    const form = new URLSearchParams(raw);
    const to = form.get('To') ?? undefined;
    const body = form.get('Body') ?? undefined;
    const answer = answerFor(req.headers.authorization, pathAccountSid, form);
    switch (answer.kind) {
      case 'hang':
        record(to, body, 'hang', null, null, null);
        hanging.add(res);
        res.once('close', () => hanging.delete(res));
        break;
      case 'failed':
        record(to, body, 'failed', answer.status, answer.code, null);
        sendJson(res, answer.status, twilioError(answer.status, answer.code, answer.message));
        break;
      case 'accepted':
        messages.push(answer.message);
        bySid.set(answer.message.sid, answer.message);
        record(to, body, 'accepted', 201, null, answer.message.sid);
        sendJson(res, 201, messageResource(accountSid, answer.message));
        break;
    }
  }

  const server = createServer((req, res) => {
    const match = req.method === 'POST' ? MESSAGES_PATH.exec(req.url?.split('?')[0] ?? '') : null;
    if (!match) {
      req.resume();
      sendJson(res, 404, twilioError(404, 20404, `The requested resource ${req.url ?? ''} was not found`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      handleCreateMessage(
        req,
        res,
        decodeURIComponent(match[1] ?? ''),
        Buffer.concat(chunks).toString('utf8'),
      );
    });
  });
  // Longer than any client's idle keep-alive, so a reused socket is never closed under a request.
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  function dropHanging(): void {
    for (const res of hanging) res.destroy();
    hanging.clear();
  }

  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    messages,
    attempts,

    failWith(next) {
      policy = next;
    },

    failRate(ratio, kinds = [429, 500], rateOpts = {}) {
      if (!(ratio >= 0 && ratio <= 1)) throw new Error(`ratio must be within [0, 1], got ${ratio}`);
      if (kinds.length === 0) throw new Error('failRate needs at least one kind of failure');
      const random = rateOpts.seed === undefined ? Math.random : mulberry32(rateOpts.seed);
      policy = () => {
        if (random() >= ratio) return undefined;
        const kind = kinds[Math.floor(random() * kinds.length)];
        if (kind === undefined) return undefined;
        return kind === 'hang' ? 'hang' : { status: kind };
      };
    },

    reset() {
      messages.length = 0;
      attempts.length = 0;
      bySid.clear();
      triesByContent.clear();
      policy = undefined;
      dropHanging();
    },

    sendTimes() {
      return messages.map((m) => m.receivedAt);
    },

    maxSendsWithin(windowMs) {
      const times = messages.map((m) => m.receivedAt).sort((a, b) => a - b);
      let best = 0;
      let start = 0;
      for (let end = 0; end < times.length; end += 1) {
        while ((times[end] ?? 0) - (times[start] ?? 0) >= windowMs) start += 1;
        best = Math.max(best, end - start + 1);
      }
      return best;
    },

    async deliverStatus(messageSid, status, callbackUrl, extra = {}) {
      const message = bySid.get(messageSid);
      if (!message) throw new Error(`fake Twilio never accepted message ${messageSid}`);
      const url = callbackUrl ?? message.statusCallback;
      if (!url) throw new Error(`message ${messageSid} has no StatusCallback and no callbackUrl was given`);
      const params: Record<string, string> = {
        MessageSid: message.sid,
        SmsSid: message.sid,
        MessageStatus: status,
        SmsStatus: status,
        AccountSid: accountSid,
        To: message.to,
        From: message.from ?? '',
        ApiVersion: API_VERSION,
        ...(message.messagingServiceSid ? { MessagingServiceSid: message.messagingServiceSid } : {}),
        ...extra,
      };
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'X-Twilio-Signature': twilio.getExpectedTwilioSignature(authToken, url, params),
        },
        body: new URLSearchParams(params).toString(),
      });
      message.status = status;
      return { url, params, status: response.status, body: await response.text() };
    },

    async close() {
      dropHanging();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Twilio's legacy error body, which the SDK turns into a RestException. */
function twilioError(status: number, code: number, message: string) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

function defaultCode(status: number): number {
  if (status === 429) return 20429;
  if (status === 401) return 20003;
  if (status === 404) return 20404;
  return 20500;
}

function defaultMessage(status: number): string {
  if (status === 429) return 'Too Many Requests';
  if (status >= 500) return 'Internal Server Error';
  return 'Request failed';
}

function messageResource(accountSid: string, m: FakeMessage) {
  const now = new Date(m.receivedAt).toUTCString().replace('GMT', '+0000');
  const uri = `/${API_VERSION}/Accounts/${accountSid}/Messages/${m.sid}`;
  const segments = m.body === undefined || m.to.startsWith('whatsapp:') ? 1 : countSegments(m.body).segments;
  return {
    account_sid: accountSid,
    api_version: API_VERSION,
    body: m.body ?? '',
    date_created: now,
    date_sent: null,
    date_updated: now,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: m.from ?? null,
    messaging_service_sid: m.messagingServiceSid ?? null,
    num_media: '0',
    num_segments: String(segments),
    price: null,
    price_unit: 'USD',
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: `${uri}/Media.json`, feedback: `${uri}/Feedback.json` },
    to: m.to,
    uri: `${uri}.json`,
  };
}

/** Small seeded PRNG so a benchmark's failure pattern can be replayed. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
