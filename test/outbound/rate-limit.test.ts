import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESERVE_HORIZON_MS, rateKey, SendLimiter } from '../../src/outbound/rate-limit.js';
import type { RedisClient } from '../../src/store/redis.js';
import { isolatedRedis } from '../support/redis.js';

let redis: RedisClient;

beforeAll(async () => {
  ({ redis } = await isolatedRedis());
});
afterAll(async () => {
  await redis.quit();
});

/** Redis' clock, which the limiter reserves moments by, in milliseconds. */
async function redisMs(): Promise<number> {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Number(micros) / 1000;
}

/** Reserved moments by Redis' clock (the limiter's sorted set), oldest first. */
async function reservedMoments(): Promise<number[]> {
  const pairs = await redis.zrange(rateKey('whatsapp'), '0', '-1', 'WITHSCORES');
  const moments: number[] = [];
  for (let i = 1; i < pairs.length; i += 2) moments.push(Number(pairs[i]));
  return moments.sort((a, b) => a - b);
}

describe('send limiter (OUTBOUND_MPS)', () => {
  it('hands out evenly spaced moments, never more than MPS within a window, and none beyond the horizon', async () => {
    await redis.del(rateKey('whatsapp'));
    const limiter = new SendLimiter(redis, 50);
    expect(limiter.spacingMs).toBeCloseTo(limiter.windowMs / 50, 6);
    // 150 requests at once, as many busy workers would make them.
    const before = await redisMs();
    const slots = await Promise.all(Array.from({ length: 150 }, () => limiter.take('whatsapp')));
    const burstMs = (await redisMs()) - before;
    const reserved = slots.filter((s) => s.reserved);
    const refused = slots.filter((s) => !s.reserved);
    // 2 s ahead at 50 a second (20.2 ms apart): about 100 moments, the rest told to come back. The
    // horizon runs from each call's own moment by Redis' clock, so a burst that a loaded machine
    // stretches over 60 ms fits 3 more (a CI run under load average 8 reserved 103): the slack is
    // the burst's length, by that same clock.
    const expected = Math.floor(RESERVE_HORIZON_MS / limiter.spacingMs) + 1;
    expect(reserved.length).toBeGreaterThanOrEqual(expected - 2);
    expect(reserved.length).toBeLessThanOrEqual(expected + 2 + Math.ceil(burstMs / limiter.spacingMs));
    expect(refused.length).toBe(150 - reserved.length);
    expect(reserved.filter((s) => s.waitMs === 0).length).toBe(1);
    for (const slot of refused) expect(slot.waitMs).toBeGreaterThan(RESERVE_HORIZON_MS);
    for (const slot of reserved) expect(slot.waitMs).toBeLessThanOrEqual(RESERVE_HORIZON_MS);

    const moments = await reservedMoments();
    expect(moments).toHaveLength(reserved.length);
    const gaps = moments.slice(1).map((m, i) => m - moments[i]!);
    // (Scores are milliseconds since 1970 in a double: a few ten-thousandths of a ms of rounding.)
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(limiter.spacingMs - 0.001);
    // Not a burst: the moments run on one after the other, no more than a spacing apart.
    expect(Math.max(...gaps)).toBeLessThan(limiter.spacingMs + 1);
    const inAnyWindow = Math.max(
      ...moments.map((m) => moments.filter((x) => x > m - limiter.windowMs && x <= m).length),
    );
    expect(inAnyWindow).toBeLessThanOrEqual(50);
  });

  it('below one text a second, allows one per 1/MPS seconds and asks the rest to come back', async () => {
    await redis.del(rateKey('whatsapp'));
    const limiter = new SendLimiter(redis, 0.25);
    const first = await limiter.take('whatsapp');
    const second = await limiter.take('whatsapp');
    expect(first).toEqual({ reserved: true, waitMs: 0 });
    expect(second.reserved).toBe(false);
    expect(second.waitMs).toBeGreaterThan(3_900);
    expect(second.waitMs).toBeLessThanOrEqual(limiter.windowMs);
  });
});
