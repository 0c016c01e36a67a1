import http from 'node:http';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';

/** Long enough for a slow Twilio answer, short enough that a stuck send frees its worker slot. */
export const TWILIO_TIMEOUT_MS = 10_000;
/** Concurrent connections to the API; the queue's concurrency, not this, should be the limit. */
const MAX_SOCKETS = 64;

export interface TwilioClientOptions {
  accountSid: string;
  authToken: string;
  /**
   * Where to send REST calls instead of https://api.twilio.com (and the other *.twilio.com hosts):
   * a Twilio-compatible server for tests and benchmarks. The request's path and query are kept and
   * appended to this URL's path.
   */
  apiBaseUrl?: string;
  /** Per-request timeout in milliseconds (default 10 s). */
  timeoutMs?: number;
}

/**
 * A twilio REST client with a request timeout and no retries inside the SDK: a failed send surfaces
 * at once (as a RestException, or an axios timeout/network error) so that the outbound queue decides
 * whether and when to retry.
 */
export function createTwilioClient(opts: TwilioClientOptions): twilio.Twilio {
  const timeoutMs = opts.timeoutMs ?? TWILIO_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new Error(`timeoutMs must be a positive number, got ${timeoutMs}`);
  }
  if (opts.apiBaseUrl === undefined) {
    return twilio(opts.accountSid, opts.authToken, {
      timeout: timeoutMs,
      autoRetry: false,
      keepAlive: true,
      maxSockets: MAX_SOCKETS,
    });
  }
  const httpClient = new BaseUrlRequestClient(new URL(opts.apiBaseUrl), timeoutMs);
  return twilio(opts.accountSid, opts.authToken, { httpClient, autoRetry: false, timeout: timeoutMs });
}

/**
 * The SDK's own RequestClient with every request's URI moved onto another base URL. The SDK builds
 * absolute URIs (https://api.twilio.com/2010-04-01/...) itself, so rewriting them here is the one
 * place that covers every resource.
 */
class BaseUrlRequestClient extends twilio.RequestClient {
  readonly #base: URL;

  constructor(base: URL, timeoutMs: number) {
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new Error(`apiBaseUrl must be an http(s) URL, got ${base.protocol}`);
    }
    super({ timeout: timeoutMs, autoRetry: false, keepAlive: true, maxSockets: MAX_SOCKETS });
    this.#base = base;
    // The parent only configures an https agent; a plain-http base URL (a local fake) gets the
    // same keep-alive and socket limits so benchmarks measure the server, not connection set-up.
    if (base.protocol === 'http:') {
      this.axios.defaults.httpAgent = new http.Agent({
        keepAlive: true,
        timeout: timeoutMs,
        maxSockets: MAX_SOCKETS,
      });
    }
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    return super.request({ ...opts, uri: rebaseUri(opts.uri, this.#base) });
  }
}

/** https://api.twilio.com/2010-04-01/X?y=1 on http://127.0.0.1:9/prefix → http://127.0.0.1:9/prefix/2010-04-01/X?y=1 */
export function rebaseUri(uri: string, base: URL): string {
  const original = new URL(uri);
  const target = new URL(base.href);
  target.pathname = base.pathname.replace(/\/+$/, '') + original.pathname;
  target.search = original.search;
  target.hash = '';
  return target.href;
}
