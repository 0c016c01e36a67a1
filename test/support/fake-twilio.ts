import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { countSegments } from '../../src/channels/sms-segments.js';
import { type Clock, systemClock } from '../../src/clock.js';
import { seededRandom } from '../../src/random.js';

/**
 * A local, Twilio-compatible REST server for integration tests and benchmarks: the real twilio SDK
 * talks HTTP to it (see createTwilioClient's apiBaseUrl). It implements only what Huella uses:
 * creating a Message, reading the Message list (To, From, DateSent filters, newest first, one page),
 * plus status callbacks signed like Twilio's. Plain node:http, no logging, so that tens of thousands
 * of sends measure Huella rather than the fake.
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
  /** When the fake accepted the request, by its clock (ms). */
  receivedAt: number;
  /** 'queued' (or 'accepted' via a messaging service), then whatever deliverStatus last sent. */
  status: string;
  /** When deliverStatus reported it sent (Twilio's date_sent); undefined while still queued. */
  sentAt?: number;
}

export interface FakeAttempt {
  /** 1-based position among all requests the fake received. */
  seq: number;
  receivedAt: number;
  to: string | undefined;
  body: string | undefined;
  /** 'lost': accepted (the message exists) but the answer never came back. */
  outcome: 'accepted' | 'failed' | 'hang' | 'lost';
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

/**
 * undefined = answer normally; 'hang' = never answer and send nothing (the socket stays open until the
 * client gives up); 'lost' = accept the message (it goes out) but never answer, as when a response is
 * lost on the way back.
 */
export type FailureDecision = ProgrammedFailure | 'hang' | 'lost' | undefined;
export type FailurePolicy = (req: FailureRequest) => FailureDecision;
export type RandomFailureKind = 429 | 500 | 503 | 'hang' | 'lost';

/** One read of the Message list. */
export interface FakeLookup {
  receivedAt: number;
  to: string | undefined;
  from: string | undefined;
  /** How many messages the page held (0 when it failed). */
  returned: number;
  outcome: 'answered' | 'failed' | 'hang';
}

type Answer =
  | { kind: 'accepted'; message: FakeMessage }
  | { kind: 'failed'; status: number; code: number; message: string }
  | { kind: 'hang' }
  | { kind: 'lost'; message: FakeMessage };

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
  /** Every request to create a Message, accepted or not, in arrival order. */
  readonly attempts: FakeAttempt[];
  /** Every read of the Message list, in arrival order. */
  readonly lookups: FakeLookup[];
  /** Replaces the failure policy (undefined clears it). Consulted after auth and validation. */
  failWith(policy: FailurePolicy | undefined): void;
  /** Fails reads of the Message list as `policy` says (set after failWith, which clears it). */
  failLookupsWith(policy: (() => FailureDecision) | undefined): void;
  /**
   * Fails about `ratio` of valid requests with one of `kinds`, picked uniformly. Pass a seed for a
   * reproducible sequence. Replaces any failWith policy.
   */
  failRate(
    ratio: number,
    kinds?: readonly RandomFailureKind[],
    opts?: {
      seed?: number;
      /** Fail reads of the Message list the same way (a 'lost' read is a 'hang'). */
      lookups?: boolean;
    },
  ): void;
  /** Holds every answer (accepted or failed) for `ms` milliseconds, like a slow API; 0 or undefined: answer at once. */
  respondAfter(ms: number | undefined): void;
  /** When the last answer held by respondAfter went out (the fake's clock); undefined if none did. */
  lastHeldAnswerAt(): number | undefined;
  /** Forgets messages, attempts, lookups, the failure policy and the delay, and drops any hanging requests. */
  reset(): void;
  /** receivedAt of every accepted message, in arrival order. */
  sendTimes(): number[];
  /** The most messages accepted within any window of `windowMs` milliseconds. */
  maxSendsWithin(windowMs: number): number;
  /** The most requests to create a Message (accepted, refused or left unanswered) within any window of `windowMs`. */
  maxAttemptsWithin(windowMs: number): number;
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
  opts: { accountSid?: string; authToken?: string; clock?: Clock } = {},
): Promise<FakeTwilio> {
  // Twilio's own clock: the tests' clock where a test compares its dates, else the wall.
  const clock = opts.clock ?? systemClock;
  const now = () => clock.now().getTime();
  const accountSid = opts.accountSid ?? FAKE_ACCOUNT_SID;
  const authToken = opts.authToken ?? FAKE_AUTH_TOKEN;
  const expectedAuthorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;

  const messages: FakeMessage[] = [];
  const bySid = new Map<string, FakeMessage>();
  const byTo = new Map<string, FakeMessage[]>();
  const attempts: FakeAttempt[] = [];
  const lookups: FakeLookup[] = [];
  const triesByContent = new Map<string, number>();
  const hanging = new Set<ServerResponse>();
  const delayed = new Set<NodeJS.Timeout>();
  let policy: FailurePolicy | undefined;
  let lookupPolicy: (() => FailureDecision) | undefined;
  let answerDelayMs = 0;
  let lastHeldAnswer: number | undefined;

  function store(message: FakeMessage): void {
    messages.push(message);
    bySid.set(message.sid, message);
    const list = byTo.get(message.to);
    if (list) list.push(message);
    else byTo.set(message.to, [message]);
  }

  /** Answers now, or after respondAfter's delay. */
  function answerLater(res: ServerResponse, status: number, payload: unknown): void {
    if (answerDelayMs <= 0) {
      sendJson(res, status, payload);
      return;
    }
    const timer = setTimeout(() => {
      delayed.delete(timer);
      if (res.destroyed) return;
      sendJson(res, status, payload);
      lastHeldAnswer = now();
    }, answerDelayMs);
    delayed.add(timer);
  }

  function record(
    to: string | undefined,
    body: string | undefined,
    outcome: FakeAttempt['outcome'],
    status: number | null,
    code: number | null,
    sid: string | null,
  ): void {
    attempts.push({ seq: attempts.length + 1, receivedAt: now(), to, body, outcome, status, code, sid });
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
    if (decision !== undefined && decision !== 'lost') {
      return {
        kind: 'failed',
        status: decision.status,
        code: decision.code ?? defaultCode(decision.status),
        message: decision.message ?? defaultMessage(decision.status),
      };
    }
    return {
      kind: decision === 'lost' ? 'lost' : 'accepted',
      message: {
        sid: `SM${randomUUID().replaceAll('-', '')}`,
        to,
        from,
        messagingServiceSid,
        body,
        contentSid,
        contentVariables,
        statusCallback: form.get('StatusCallback') || undefined,
        receivedAt: now(),
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
      case 'lost':
        store(answer.message);
        record(to, body, 'lost', null, null, answer.message.sid);
        hold(res);
        break;
      case 'hang':
        record(to, body, 'hang', null, null, null);
        hold(res);
        break;
      case 'failed':
        record(to, body, 'failed', answer.status, answer.code, null);
        answerLater(res, answer.status, twilioError(answer.status, answer.code, answer.message));
        break;
      case 'accepted':
        store(answer.message);
        record(to, body, 'accepted', 201, null, answer.message.sid);
        answerLater(res, 201, messageResource(accountSid, answer.message));
        break;
    }
  }

  function hold(res: ServerResponse): void {
    hanging.add(res);
    res.once('close', () => hanging.delete(res));
  }

  /** GET Messages.json: the newest first, filtered like Twilio's list (To, From, DateSent, DateSent<, DateSent>). */
  function handleListMessages(req: IncomingMessage, res: ServerResponse, pathAccountSid: string): void {
    if (req.headers.authorization !== expectedAuthorization) {
      sendJson(res, 401, twilioError(401, 20003, 'Authentication Error - invalid username'));
      return;
    }
    if (pathAccountSid !== accountSid) {
      sendJson(res, 404, twilioError(404, 20404, `The requested resource ${req.url ?? ''} was not found`));
      return;
    }
    const query = new URL(req.url ?? '/', 'http://fake').searchParams;
    const to = query.get('To') ?? undefined;
    const from = query.get('From') ?? undefined;
    const decision = lookupPolicy?.();
    if (decision === 'hang' || decision === 'lost') {
      lookups.push({ receivedAt: now(), to, from, returned: 0, outcome: 'hang' });
      hold(res);
      return;
    }
    if (decision !== undefined) {
      lookups.push({ receivedAt: now(), to, from, returned: 0, outcome: 'failed' });
      const code = decision.code ?? defaultCode(decision.status);
      const message = decision.message ?? defaultMessage(decision.status);
      answerLater(res, decision.status, twilioError(decision.status, code, message));
      return;
    }
    const pageSize = Math.min(1000, Math.max(1, Number(query.get('PageSize') ?? 50) || 50));
    const page = Math.max(0, Number(query.get('Page') ?? 0) || 0);
    const sentOn = dayFilter(query.get('DateSent'));
    const sentBefore = dateFilter(query.get('DateSent<'));
    const sentAfter = dateFilter(query.get('DateSent>'));
    const candidates = to === undefined ? messages : (byTo.get(to) ?? []);
    const matching: FakeMessage[] = [];
    for (let i = candidates.length - 1; i >= 0; i -= 1) {
      const m = candidates[i]!;
      if (from !== undefined && m.from !== from) continue;
      if (sentOn || sentBefore !== undefined || sentAfter !== undefined) {
        // Twilio filters on date_sent, which a message still queued does not have yet.
        if (m.sentAt === undefined) continue;
        if (sentOn && new Date(m.sentAt).toISOString().slice(0, 10) !== sentOn) continue;
        if (sentBefore !== undefined && m.sentAt > sentBefore) continue;
        if (sentAfter !== undefined && m.sentAt < sentAfter) continue;
      }
      matching.push(m);
    }
    const slice = matching.slice(page * pageSize, (page + 1) * pageSize);
    lookups.push({ receivedAt: now(), to, from, returned: slice.length, outcome: 'answered' });
    const base = `/${API_VERSION}/Accounts/${accountSid}/Messages.json`;
    const pageUri = (n: number) => {
      const q = new URLSearchParams(query);
      q.set('PageSize', String(pageSize));
      q.set('Page', String(n));
      return `${base}?${q}`;
    };
    answerLater(res, 200, {
      messages: slice.map((m) => messageResource(accountSid, m)),
      page,
      page_size: pageSize,
      start: page * pageSize,
      end: page * pageSize + Math.max(0, slice.length - 1),
      uri: pageUri(page),
      first_page_uri: pageUri(0),
      previous_page_uri: page > 0 ? pageUri(page - 1) : null,
      next_page_uri: matching.length > (page + 1) * pageSize ? pageUri(page + 1) : null,
    });
  }

  const server = createServer((req, res) => {
    const path = req.url?.split('?')[0] ?? '';
    const listMatch = req.method === 'GET' ? MESSAGES_PATH.exec(path) : null;
    if (listMatch) {
      req.resume();
      handleListMessages(req, res, decodeURIComponent(listMatch[1] ?? ''));
      return;
    }
    const match = req.method === 'POST' ? MESSAGES_PATH.exec(path) : null;
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
    for (const timer of delayed) clearTimeout(timer);
    delayed.clear();
  }

  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    messages,
    attempts,
    lookups,

    failWith(next) {
      policy = next;
      lookupPolicy = undefined;
    },

    failLookupsWith(next) {
      lookupPolicy = next;
    },

    failRate(ratio, kinds = [429, 500], rateOpts = {}) {
      if (!(ratio >= 0 && ratio <= 1)) throw new Error(`ratio must be within [0, 1], got ${ratio}`);
      if (kinds.length === 0) throw new Error('failRate needs at least one kind of failure');
      const random = rateOpts.seed === undefined ? Math.random : seededRandom(rateOpts.seed);
      const decide = (): FailureDecision => {
        if (random() >= ratio) return undefined;
        const kind = kinds[Math.floor(random() * kinds.length)];
        if (kind === undefined) return undefined;
        return kind === 'hang' || kind === 'lost' ? kind : { status: kind };
      };
      policy = decide;
      lookupPolicy = rateOpts.lookups ? decide : undefined;
    },

    respondAfter(ms) {
      answerDelayMs = ms ?? 0;
    },

    lastHeldAnswerAt() {
      return lastHeldAnswer;
    },

    reset() {
      messages.length = 0;
      attempts.length = 0;
      lookups.length = 0;
      bySid.clear();
      byTo.clear();
      triesByContent.clear();
      policy = undefined;
      lookupPolicy = undefined;
      answerDelayMs = 0;
      dropHanging();
    },

    sendTimes() {
      return messages.map((m) => m.receivedAt);
    },

    maxSendsWithin(windowMs) {
      return busiestWindow(
        messages.map((m) => m.receivedAt),
        windowMs,
      );
    },

    maxAttemptsWithin(windowMs) {
      return busiestWindow(
        attempts.filter((a) => a.status !== 401 && a.status !== 404).map((a) => a.receivedAt),
        windowMs,
      );
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
      // Twilio's record changes whether or not the callback gets through.
      message.status = status;
      if (message.sentAt === undefined && SENT_STATUSES.has(status)) message.sentAt = now();
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'X-Twilio-Signature': twilio.getExpectedTwilioSignature(authToken, url, params),
        },
        body: new URLSearchParams(params).toString(),
      });
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

/** The most of `times` (ms) that fall within any window of `windowMs`. */
export function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
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

/** Statuses after which a message has a date_sent. */
const SENT_STATUSES = new Set(['sent', 'delivered', 'undelivered', 'read']);

/** DateSent=YYYY-MM-DD (or a full ISO date-time, as the SDK writes it): the UTC day. */
function dayFilter(value: string | null): string | undefined {
  const at = dateFilter(value);
  return at === undefined ? undefined : new Date(at).toISOString().slice(0, 10);
}

function dateFilter(value: string | null): number | undefined {
  if (!value) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : at;
}

function rfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

function messageResource(accountSid: string, m: FakeMessage) {
  const now = rfc2822(m.receivedAt);
  const uri = `/${API_VERSION}/Accounts/${accountSid}/Messages/${m.sid}`;
  const segments = m.body === undefined || m.to.startsWith('whatsapp:') ? 1 : countSegments(m.body).segments;
  return {
    account_sid: accountSid,
    api_version: API_VERSION,
    body: m.body ?? '',
    date_created: now,
    date_sent: m.sentAt === undefined ? null : rfc2822(m.sentAt),
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
