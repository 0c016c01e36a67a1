import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Channel } from '../conversation/machine.js';
import { KEY_PREFIX } from '../store/keys.js';

/**
 * One sending number's allowance, shared by every worker: a sliding window of the last send
 * requests (a sorted set scored by Redis' own clock), so no window of `window` ms, wherever it
 * starts, holds more than `max` of them. Returns 0 when this request may go now, else how many
 * milliseconds until it could.
 */
const TAKE_SLOT = `
local max = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < max then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
`;

/**
 * Added to the window: a request reaches Twilio a few milliseconds after it takes its slot, and
 * not always the same few, so two slots exactly a window apart could arrive a little closer.
 */
export const RATE_GUARD_MS = 10;

/** Where a sending number's recent requests are kept (one sender per channel). */
export const rateKey = (channel: Channel) => `${KEY_PREFIX}:rate:${channel}`;

/**
 * OUTBOUND_MPS as Twilio counts it: texts per second from one sending number, across all workers.
 * Every request to send a part takes a slot, whether Twilio then accepts it or not, so retries
 * count too. Below one per second it becomes one per 1/MPS seconds.
 */
export class SendLimiter {
  readonly max: number;
  readonly windowMs: number;

  constructor(
    private readonly redis: Redis,
    perSecond: number,
  ) {
    if (!(perSecond > 0)) throw new Error(`perSecond must be positive, got ${perSecond}`);
    this.max = Math.max(1, Math.floor(perSecond));
    this.windowMs = (perSecond >= 1 ? 1_000 : Math.round(1_000 / perSecond)) + RATE_GUARD_MS;
    this.redis.defineCommand('huellaTakeSendSlot', { numberOfKeys: 1, lua: TAKE_SLOT });
  }

  /** 0: send now (the slot is taken); otherwise the milliseconds to wait before asking again. */
  async take(channel: Channel): Promise<number> {
    const run = (this.redis as unknown as Record<string, (...args: (string | number)[]) => Promise<number>>)
      .huellaTakeSendSlot!;
    return Number(
      await run.call(this.redis, rateKey(channel), this.max, this.windowMs, randomBytes(8).toString('hex')),
    );
  }
}
