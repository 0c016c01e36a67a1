import type { Queue } from 'bullmq';
import { FLOOD_LUA, type FloodCheck, type FloodDecision } from '../channels/throttle.js';
import type { Sealer } from './crypto.js';
import { noteErasure } from './erasure-compaction.js';
import { fixedPersonKeys, KEY_PREFIX, keys } from './keys.js';
import { type RedisClient, scanKeys } from './redis.js';

/** A person's stored conversation, as read at the start of a turn. */
export interface StoredConversation {
  rev: number;
  version: number | undefined;
  snapshot: string | undefined;
  /** The person's sealed address as stored (absent for nobody yet, or not read). */
  sealedAddress?: string;
}

export interface TurnToSave {
  personId: string;
  messageSid: string;
  expectedRev: number;
  version: number;
  /** The persisted snapshot as JSON; the store seals it. */
  snapshot: string;
  /** What was answered, kept so that a retried webhook gets the same answer (sealed by the store). */
  reply: string;
  /**
   * The channel of an inbound message (absent for a system event): saved with the time of the
   * message. The sealed address is saved when given; it is left out when the stored one is
   * already sealed with the current key (sealing costs as much as the rest of the save).
   */
  sealedAddress: string | undefined;
  channel: string | undefined;
  receivedAt: number;
  /** Mirrors the machine's opt-out, so senders can check it without reading the snapshot. */
  optedOut: boolean;
  /** Keep the conversation at least until this moment (ms), e.g. the last appointment's follow-up. */
  keepUntil?: number;
}

export type SaveResult = { kind: 'saved' } | { kind: 'conflict' } | { kind: 'duplicate'; reply: string };

/** How long a MessageSid's reply is kept for retries. */
export const MESSAGE_REPLY_TTL_SECONDS = 24 * 60 * 60;

/**
 * Saves a turn only if nobody else saved one for this person since it was read (compare-and-set
 * on `rev`), and only once per MessageSid. One script, one slot: atomic in Redis and Cluster.
 */
const SAVE_TURN = `
local dup = redis.call('GET', KEYS[2])
if dup then return {'duplicate', dup} end
local rev = tonumber(redis.call('HGET', KEYS[1], 'rev') or '0')
if rev ~= tonumber(ARGV[1]) then return {'conflict'} end
redis.call('HSET', KEYS[1], 'rev', rev + 1, 'v', ARGV[2], 'snap', ARGV[3], 'opted_out', ARGV[10])
if ARGV[6] ~= '' then
  redis.call('HSET', KEYS[1], 'ch', ARGV[6], 'last_in', ARGV[7])
end
if ARGV[5] ~= '' then
  redis.call('HSET', KEYS[1], 'addr', ARGV[5])
end
redis.call('EXPIRE', KEYS[1], ARGV[9])
redis.call('SET', KEYS[2], ARGV[4], 'EX', ARGV[8])
local now = tonumber(ARGV[7])
redis.call('ZADD', KEYS[3], now, KEYS[2])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[8]) * 1000)
redis.call('EXPIRE', KEYS[3], ARGV[9])
return {'saved'}
`;

/**
 * The conversation's rev, version, snapshot and sealed address, and the reply already given to
 * this turn id: one script (a third of what MULTI/EXEC costs the client), read at one instant.
 * Missing values come back as false (nil ends a Lua list), read as null.
 */
const LOAD_TURN = `
local c = redis.call('HMGET', KEYS[1], 'rev', 'v', 'snap', 'addr')
return {'admit', c[1], c[2], c[3], c[4], redis.call('GET', KEYS[2])}
`;

/**
 * The same read, after the message is counted against the person's flood limit (KEYS[3], KEYS[4],
 * ARGV as FLOOD_LUA's): a message over the limit is not read, and only its decision comes back. A
 * turn already answered is a retry: it is not counted again.
 */
const ADMIT_AND_LOAD_TURN = `${FLOOD_LUA}
local reply = redis.call('GET', KEYS[2])
if not reply then
  local decision = flood(KEYS[3], KEYS[4], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6])
  if decision ~= 'admit' then return {decision} end
end
local c = redis.call('HMGET', KEYS[1], 'rev', 'v', 'snap', 'addr')
return {'admit', c[1], c[2], c[3], c[4], reply}
`;

export interface ConversationStoreOptions {
  /**
   * Seals the snapshot and the replies kept per turn id (they hold the person's appointments:
   * dates, times, places, family names, filing date) and opens them when read.
   */
  sealer: Sealer;
  /**
   * The BullMQ queues that carry the person's jobs (reminders, outbound sends). With them, erase
   * also removes the person's queued sends and the queue event entries that name the person.
   */
  queues?: Queue[];
}

export class ConversationStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly retentionSeconds: number,
    private readonly options: ConversationStoreOptions,
  ) {
    this.redis.defineCommand('huellaSaveTurn', { numberOfKeys: 3, lua: SAVE_TURN });
    this.redis.defineCommand('huellaLoadTurn', { numberOfKeys: 2, lua: LOAD_TURN });
    this.redis.defineCommand('huellaAdmitAndLoadTurn', { numberOfKeys: 4, lua: ADMIT_AND_LOAD_TURN });
  }

  /**
   * Reads the conversation and any reply already given to this MessageSid (or job id), in one
   * round trip. Given a flood check, the message is first counted against the person's limit
   * (same round trip); when it is over the limit, nothing is read and `flood` says what to do.
   */
  async load(
    personId: string,
    messageSid: string,
    flood?: FloodCheck,
  ): Promise<
    | { flood: 'admit'; stored: StoredConversation; reply: string | null }
    | { flood: Exclude<FloodDecision, 'admit'> }
  > {
    type Run = (...args: (string | number)[]) => Promise<(string | null)[]>;
    const commands = this.redis as unknown as Record<string, Run>;
    const turnKeys = [keys.conversation(personId), keys.messageReply(personId, messageSid)];
    const result = flood
      ? await commands.huellaAdmitAndLoadTurn!.call(this.redis, ...turnKeys, ...flood.keys, ...flood.args)
      : await commands.huellaLoadTurn!.call(this.redis, ...turnKeys);
    const [decision, rev, version, snapshot, addr, reply] = result;
    if (decision !== 'admit') return { flood: decision as Exclude<FloodDecision, 'admit'> };
    return {
      flood: 'admit',
      stored: {
        ...this.toStored([rev ?? null, version ?? null, snapshot ?? null]),
        sealedAddress: addr ?? undefined,
      },
      reply: reply ? this.options.sealer.unseal(reply) : null,
    };
  }

  /** Reads the conversation alone (no turn in progress). */
  async read(personId: string): Promise<StoredConversation> {
    return this.toStored(await this.redis.hmget(keys.conversation(personId), 'rev', 'v', 'snap'));
  }

  /** The stored fields, the snapshot opened (or taken as it is, when stored unsealed before). */
  private toStored([rev, version, snapshot]: (string | null)[]): StoredConversation {
    return {
      rev: rev ? Number(rev) : 0,
      version: version ? Number(version) : undefined,
      snapshot: snapshot ? this.options.sealer.unseal(snapshot) : undefined,
    };
  }

  async saveTurn(turn: TurnToSave): Promise<SaveResult> {
    const run = (this.redis as unknown as Record<string, (...args: (string | number)[]) => Promise<string[]>>)
      .huellaSaveTurn!;
    const result = await run.call(
      this.redis,
      keys.conversation(turn.personId),
      keys.messageReply(turn.personId, turn.messageSid),
      keys.index(turn.personId),
      turn.expectedRev,
      turn.version,
      this.options.sealer.seal(turn.snapshot),
      this.options.sealer.seal(turn.reply),
      turn.sealedAddress ?? '',
      turn.channel ?? '',
      turn.receivedAt,
      MESSAGE_REPLY_TTL_SECONDS,
      this.ttlSeconds(turn),
      turn.optedOut ? '1' : '0',
    );
    if (result[0] === 'duplicate')
      return { kind: 'duplicate', reply: this.options.sealer.unseal(result[1]!) };
    if (result[0] === 'conflict') return { kind: 'conflict' };
    return { kind: 'saved' };
  }

  /** Retention after the last turn, extended so nothing pending outlives the conversation it reads. */
  private ttlSeconds(turn: TurnToSave): number {
    const pending = turn.keepUntil ? Math.ceil((turn.keepUntil - turn.receivedAt) / 1000) : 0;
    return this.retentionSeconds + Math.max(0, pending);
  }

  /**
   * Erases every key held for the person and, given the queues, every queued send of theirs and
   * every queue event entry that names them. (Their reminder jobs are removed by the scheduler
   * before this runs.) Returns how many keys were deleted.
   */
  async erase(personId: string): Promise<number> {
    const indexed = await this.redis.zrange(keys.index(personId), '0', '-1');
    if (this.options.queues) await this.eraseJobs(personId, indexed, this.options.queues);
    const deleted = await this.redis.del(...new Set([...fixedPersonKeys(personId), ...indexed]));
    // Gone from memory; the worker rewrites the files on disk soon (erasure-compaction.ts).
    await noteErasure(this.redis);
    return deleted;
  }

  private async eraseJobs(personId: string, indexed: string[], queues: Queue[]): Promise<void> {
    const sendPrefix = keys.send(personId, '');
    const sendIds = indexed
      .filter((key) => key.startsWith(sendPrefix))
      .map((key) => key.slice(sendPrefix.length));
    for (const queue of queues) {
      // A send being delivered right now stays (it finds its ledger gone and sends nothing).
      for (const id of sendIds) await queue.remove(id).catch(() => 0);
      // The events stream (capped by BullMQ) lists job ids, which carry the person id.
      const stream = queue.keys.events!;
      const names = (fields: string[]) => fields.some((f) => f.includes(personId) || sendIds.includes(f));
      const stale = (await this.redis.xrange(stream, '-', '+'))
        .filter(([, fields]) => names(fields))
        .map(([id]) => id);
      if (stale.length > 0) await this.redis.xdel(stream, ...stale);
    }
  }
}

/** How the stored conversations stand in a key rotation (see README). */
export interface RotationStatus {
  /** Kept under the current secret's person id. */
  current: number;
  /** Still kept under the previous secret's id: HUELLA_SECRET_PREVIOUS is needed while any remain. */
  previous: number;
  /** Addresses sealed with the previous key (they open while HUELLA_SECRET_PREVIOUS is set). */
  sealedWithPrevious: number;
  /** Conversations whose address opens with neither key (or has none). */
  unreadable: number;
}

/**
 * Counts the conversations by the secret they are kept and sealed under, by opening each
 * address (SCAN over hu:*:conv on every primary, so it reads every conversation: an operator's check, not a hot
 * path). When `previous` is 0, HUELLA_SECRET_PREVIOUS can be removed.
 */
export async function rotationStatus(
  redis: RedisClient,
  crypto: {
    personIds(address: string): string[];
    open(sealed: string): string;
    isCurrent(sealed: string): boolean;
  },
): Promise<RotationStatus> {
  const status: RotationStatus = { current: 0, previous: 0, sealedWithPrevious: 0, unreadable: 0 };
  for await (const { id, addr } of storedPeople(redis)) {
    let address: string;
    try {
      if (!addr) throw new Error('no address');
      address = crypto.open(addr);
    } catch {
      status.unreadable += 1;
      continue;
    }
    if (!crypto.isCurrent(addr)) status.sealedWithPrevious += 1;
    if (crypto.personIds(address)[0] === id) status.current += 1;
    else status.previous += 1;
  }
  return status;
}

/** Every stored conversation's person id and sealed address (SCAN: an operator's pass, not a hot path). */
export async function* storedPeople(redis: RedisClient): AsyncGenerator<{ id: string; addr: string | null }> {
  // Every primary of a cluster; each key is read on the node that listed it.
  for await (const { node, keys: batch } of scanKeys(redis, `${KEY_PREFIX}:{*}:conv`)) {
    for (const key of batch) {
      const id = key.slice(`${KEY_PREFIX}:{`.length, -'}:conv'.length);
      yield { id, addr: await node.hget(key, 'addr') };
    }
  }
}
