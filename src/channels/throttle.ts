import { keys } from '../store/keys.js';
import type { RedisClient } from '../store/redis.js';

/**
 * Per-number flood limit for incoming messages: a token bucket per person id in Redis, shared by
 * every web process. A person may send `burst` messages at once and then one every
 * `1 / refillPerSecond` seconds; someone who taps send a few times on a bad connection never
 * notices it. Beyond that (a script, a loop with another auto-responder, 100 messages a second)
 * a message is not run through the conversation: the first one gets a short bilingual "slow down,
 * then write again" answer, the rest an empty answer, until the allowance refills. So the person
 * is told once that those messages were not read (never silently dropped), Twilio is answered at
 * once, and the flood costs one small script per message instead of conversation turns that would
 * fight over the person's state and take CPU from everyone else.
 *
 * A MessageSid that was decided before gets the same decision again (Twilio retries, duplicates).
 */
export interface FloodLimits {
  /** Messages a person may send at once. */
  burst: number;
  /** Messages a second the allowance refills with. */
  refillPerSecond: number;
  /** At most one "slow down" answer per this many seconds. */
  noticeEverySeconds: number;
}

export const DEFAULT_FLOOD_LIMITS: FloodLimits = { burst: 15, refillPerSecond: 0.5, noticeEverySeconds: 60 };

/** What to do with one incoming message. */
export type FloodDecision = 'admit' | 'notice' | 'drop';

/** How long the decision for a MessageSid is remembered (Twilio retries come within seconds). */
const DECISION_MEMORY_SECONDS = 15 * 60;

/**
 * The flood check as a Lua function, for this module's own script and for the conversation
 * store's load script (one round trip for the check and the read): `flood(bucket hash, decisions
 * zset, sid, burst, refill per ms, notice every ms, memory ms, ttl s)`. Time is Redis's own clock,
 * the same for every web process.
 */
export const FLOOD_LUA = `
local function flood(bucket, decisions, sid, burst, refill, noticeEvery, memory, ttl)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  for _, d in ipairs({'admit', 'notice', 'drop'}) do
    if redis.call('ZSCORE', decisions, d .. ':' .. sid) then return d end
  end
  burst = tonumber(burst)
  local state = redis.call('HMGET', bucket, 'tokens', 'at', 'noticed')
  local tokens = tonumber(state[1] or burst)
  local at = tonumber(state[2] or now)
  tokens = math.min(burst, tokens + math.max(0, now - at) * tonumber(refill))
  local decision = 'admit'
  if tokens >= 1 then
    tokens = tokens - 1
  elseif now - tonumber(state[3] or '0') >= tonumber(noticeEvery) then
    decision = 'notice'
    redis.call('HSET', bucket, 'noticed', now)
  else
    decision = 'drop'
  end
  redis.call('HSET', bucket, 'tokens', tostring(tokens), 'at', now)
  redis.call('EXPIRE', bucket, ttl)
  redis.call('ZADD', decisions, now, decision .. ':' .. sid)
  redis.call('ZREMRANGEBYSCORE', decisions, '-inf', now - tonumber(memory))
  redis.call('EXPIRE', decisions, ttl)
  return decision
end
`;

/** KEYS[1] bucket hash, KEYS[2] decisions zset. ARGV: sid, burst, refill per ms, notice every ms, memory ms, ttl s. */
const ADMIT = `${FLOOD_LUA}
return flood(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6])
`;

/** One message's flood check, ready to run inside another script: its two keys and six arguments. */
export interface FloodCheck {
  keys: [bucket: string, decisions: string];
  args: [
    sid: string,
    burst: number,
    refillPerMs: number,
    noticeEveryMs: number,
    memoryMs: number,
    ttl: number,
  ];
}

export class FloodThrottle {
  private readonly limits: FloodLimits;

  constructor(
    private readonly redis: RedisClient,
    limits: Partial<FloodLimits> = {},
  ) {
    this.limits = { ...DEFAULT_FLOOD_LIMITS, ...limits };
    this.redis.defineCommand('huellaFloodAdmit', { numberOfKeys: 2, lua: ADMIT });
  }

  /** Counts one message of the person (once per MessageSid) and says what to do with it. */
  async admit(personId: string, messageSid: string): Promise<FloodDecision> {
    const check = this.check(personId, messageSid);
    const run = (this.redis as unknown as Record<string, (...args: (string | number)[]) => Promise<string>>)
      .huellaFloodAdmit!;
    return (await run.call(this.redis, ...check.keys, ...check.args)) as FloodDecision;
  }

  /** The check of one message, for a script that runs `FLOOD_LUA` along with its own work. */
  check(personId: string, messageSid: string): FloodCheck {
    const { burst, refillPerSecond, noticeEverySeconds } = this.limits;
    const refillSeconds = burst / refillPerSecond;
    const ttl = Math.ceil(Math.max(refillSeconds, noticeEverySeconds, DECISION_MEMORY_SECONDS));
    return {
      keys: [keys.flood(personId), keys.floodDecisions(personId)],
      args: [
        messageSid,
        burst,
        refillPerSecond / 1000,
        noticeEverySeconds * 1000,
        DECISION_MEMORY_SECONDS * 1000,
        ttl,
      ],
    };
  }
}
