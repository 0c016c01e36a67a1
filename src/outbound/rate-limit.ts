import { randomBytes } from 'node:crypto';
import type { Channel } from '../conversation/machine.js';
import { KEY_PREFIX } from '../store/keys.js';
import type { RedisClient } from '../store/redis.js';

/**
 * One sending number's allowance, shared by every worker. Each request to send a part reserves
 * the next free moment: at least `spacing` ms after the one reserved before it, and never a
 * `max`-th one within `window` ms (a sorted set of reserved moments, scored by Redis' own clock).
 * So texts go out evenly at the limit instead of in bursts that wait out the window, and no
 * window of `window` ms, wherever it starts, holds more than `max` of them. A moment more than
 * `horizon` ms ahead is not reserved. Returns the wait until the reserved moment (0: now), or
 * minus the wait when nothing was reserved.
 */
const TAKE_SLOT = `
local max = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local spacing = tonumber(ARGV[3])
local horizon = tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - window))
local at = now
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] then at = math.max(at, tonumber(last[2]) + spacing) end
if redis.call('ZCARD', KEYS[1]) >= max then
  local kth = redis.call('ZRANGE', KEYS[1], -max, -max, 'WITHSCORES')
  at = math.max(at, tonumber(kth[2]) + window)
end
local wait = math.ceil(at - now)
if wait > horizon then return {-wait, tostring(at)} end
redis.call('ZADD', KEYS[1], at, ARGV[5])
redis.call('PEXPIRE', KEYS[1], wait + math.ceil(window))
return {wait, tostring(at)}
`;

/**
 * Added to the window: a request reaches Twilio a few milliseconds after it takes its slot, and
 * not always the same few, so two slots exactly a window apart could arrive a little closer.
 */
export const RATE_GUARD_MS = 10;

/** Where a sending number's recent requests are kept (one sender per channel). */
export const rateKey = (channel: Channel) => `${KEY_PREFIX}:rate:${channel}`;

/** How far ahead a send may reserve its moment and wait for it, holding its worker slot. */
export const RESERVE_HORIZON_MS = 2_000;

/** A slot: go after `waitMs` (0: now), or, not `reserved`, ask again after `waitMs`. */
export interface SendSlot {
  reserved: boolean;
  waitMs: number;
}

/**
 * OUTBOUND_MPS as Twilio counts it: texts per second from one sending number, across all workers.
 * Every request to send a part takes a slot, whether Twilio then accepts it or not, so retries
 * count too. Slots are spaced evenly, `windowMs / max` apart. Below one per second it becomes
 * one per 1/MPS seconds.
 */
export class SendLimiter {
  readonly max: number;
  readonly windowMs: number;
  readonly spacingMs: number;

  /**
   * `onReserved` hears each reserved moment (ms, Redis's clock): what the limit guarantees is
   * that these never crowd; tests and the benchmark compare them with what Twilio saw.
   */
  constructor(
    private readonly redis: RedisClient,
    perSecond: number,
    private readonly onReserved?: (atMs: number) => void,
  ) {
    if (!(perSecond > 0)) throw new Error(`perSecond must be positive, got ${perSecond}`);
    this.max = Math.max(1, Math.floor(perSecond));
    this.windowMs = (perSecond >= 1 ? 1_000 : Math.round(1_000 / perSecond)) + RATE_GUARD_MS;
    this.spacingMs = this.windowMs / this.max;
    this.redis.defineCommand('huellaTakeSendSlot', { numberOfKeys: 1, lua: TAKE_SLOT });
  }

  /** Reserves the next moment this channel's number may send at, if it is near enough. */
  async take(channel: Channel): Promise<SendSlot> {
    const run = (
      this.redis as unknown as Record<string, (...args: (string | number)[]) => Promise<[number, string]>>
    ).huellaTakeSendSlot!;
    const [answer, at] = await run.call(
      this.redis,
      rateKey(channel),
      this.max,
      this.windowMs,
      this.spacingMs,
      RESERVE_HORIZON_MS,
      randomBytes(8).toString('hex'),
    );
    const wait = Number(answer);
    if (wait >= 0) this.onReserved?.(Number(at));
    return wait < 0 ? { reserved: false, waitMs: -wait } : { reserved: true, waitMs: wait };
  }
}
