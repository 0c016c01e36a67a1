import { MESSAGE_REPLY_TTL_SECONDS, storedPeople } from './conversation-store.js';
import type { PersonCrypto } from './crypto.js';
import { fixedPersonKeys, keys } from './keys.js';
import type { RedisClient } from './redis.js';

/** What moving a person needs from the reminders: their pending jobs, added again and removed. */
export interface PersonJobs {
  moveJobs(fromId: string, toId: string): Promise<void>;
  cancelAll(personId: string): Promise<void>;
  /** Whether one of the person's jobs is running now (its turn would be saved under the old id). */
  anyRunning(personId: string): Promise<boolean>;
}

/** Conversation fields sealed with the key: opened and sealed again with the current one. */
const SEALED_FIELDS = new Set(['snap', 'addr']);

/** Writes the moved conversation, only where none is yet (another turn may have moved it first). */
const WRITE_IF_ABSENT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`;

/**
 * Key rotation, finished for people who keep writing: at their next message, a person found under
 * the previous secret's id is moved to the current one, every value sealed again with the current
 * key. Redis cannot move keys between hash slots in one step, so the order makes a crash harmless:
 * first the copies (replies kept per MessageSid, the jobs, the index), then the conversation
 * itself, written only if absent (from then on the person is found under the new id), and only
 * then the old keys and jobs are removed. Cut short before the conversation is written, the
 * person is still under the old id and the next message moves them again (jobs already copied
 * keep their ids); cut short after, the next message finds both and removes the old ones. A
 * person with a send queued or a reminder running is moved at a later message, so that no send
 * or turn reads a conversation that has just gone. Settled send records stay behind and go with
 * the old keys (their ledger guards retries of jobs that have finished).
 */
export class PersonMover {
  constructor(
    private readonly redis: RedisClient,
    private readonly crypto: PersonCrypto,
    private readonly jobs: PersonJobs,
  ) {
    this.redis.defineCommand('huellaWriteIfAbsent', { numberOfKeys: 1, lua: WRITE_IF_ABSENT });
  }

  /**
   * Moves the person from `fromId` to `toId`; when `toId` already has the conversation (a move
   * cut short), removes what is left under `fromId`. Says whether the person is under `toId` now.
   */
  async move(fromId: string, toId: string): Promise<boolean> {
    if ((await this.redis.exists(keys.conversation(toId))) === 1) {
      await this.removeOld(fromId);
      return true;
    }
    const old = await this.redis.hgetall(keys.conversation(fromId));
    if (!old.rev && !old.snap) return false;
    const indexed = await this.redis.zrange(keys.index(fromId), '0', '-1', 'WITHSCORES');
    if ((await this.sendPending(fromId, indexed)) || (await this.jobs.anyRunning(fromId))) return false;
    await this.copyReplies(fromId, toId, indexed);
    await this.jobs.moveJobs(fromId, toId);
    await this.copyIndex(fromId, toId, indexed);
    const ttl = await this.redis.pttl(keys.conversation(fromId));
    const fields = Object.entries(old).flatMap(([field, value]) => [field, this.reseal(field, value)]);
    const write = (this.redis as unknown as Record<string, (...args: (string | number)[]) => Promise<number>>)
      .huellaWriteIfAbsent!;
    await write.call(this.redis, keys.conversation(toId), ttl > 0 ? ttl : 1, ...fields);
    await this.removeOld(fromId);
    return true;
  }

  private reseal(field: string, value: string): string {
    return SEALED_FIELDS.has(field) ? this.crypto.seal(this.crypto.unseal(value)) : value;
  }

  /** Whether a send of the person is queued or being sent (not yet sent, refused or skipped). */
  private async sendPending(personId: string, indexed: string[]): Promise<boolean> {
    const sendPrefix = keys.send(personId, '');
    for (const key of indexed.filter((k, i) => i % 2 === 0 && k.startsWith(sendPrefix))) {
      const status = await this.redis.hget(key, 'status');
      if (status === 'queued') return true;
    }
    return false;
  }

  /** The replies kept per MessageSid (a Twilio retry gets the same answer), sealed again. */
  private async copyReplies(fromId: string, toId: string, indexed: string[]): Promise<void> {
    const sidPrefix = keys.messageReply(fromId, '');
    for (const key of indexed.filter((k, i) => i % 2 === 0 && k.startsWith(sidPrefix))) {
      const [value, ttl] = await Promise.all([this.redis.get(key), this.redis.pttl(key)]);
      if (value === null || ttl <= 0) continue;
      const copy = keys.messageReply(toId, key.slice(sidPrefix.length));
      await this.redis.set(copy, this.crypto.seal(this.crypto.unseal(value)), 'PX', ttl);
    }
  }

  /** The index of the copied replies (moveJobs indexed the jobs' record), kept as long as the old one. */
  private async copyIndex(fromId: string, toId: string, indexed: string[]): Promise<void> {
    const sidPrefix = keys.messageReply(fromId, '');
    const members: (string | number)[] = [];
    for (let i = 0; i < indexed.length; i += 2) {
      const key = indexed[i]!;
      if (key.startsWith(sidPrefix)) {
        members.push(indexed[i + 1]!, keys.messageReply(toId, key.slice(sidPrefix.length)));
      }
    }
    const ttl = await this.redis.pttl(keys.index(fromId));
    const move = this.redis.multi();
    if (members.length > 0) move.zadd(keys.index(toId), ...members);
    await move.pexpire(keys.index(toId), ttl > 0 ? ttl : MESSAGE_REPLY_TTL_SECONDS * 1000).exec();
  }

  /** Everything left under the old id: its jobs, then its keys. */
  private async removeOld(fromId: string): Promise<void> {
    if ((await this.redis.exists(keys.conversation(fromId), keys.jobs(fromId))) === 0) return;
    await this.jobs.cancelAll(fromId);
    const indexed = await this.redis.zrange(keys.index(fromId), '0', '-1');
    await this.redis.del(...new Set([...fixedPersonKeys(fromId), ...indexed]));
  }
}

/**
 * Moves everyone still kept under the previous secret's id, without waiting for their next
 * message (`npm run summary -- --rotation --move`): their number, opened with the previous key,
 * gives their current id. Those with a send queued or a reminder running are left for another
 * pass. Returns how many were moved and how many are left.
 */
export async function moveEveryone(
  redis: RedisClient,
  crypto: PersonCrypto,
  move: (fromId: string, toId: string) => Promise<boolean>,
): Promise<{ moved: number; left: number }> {
  const result = { moved: 0, left: 0 };
  for await (const { id, addr } of storedPeople(redis)) {
    let currentId: string | undefined;
    try {
      currentId = addr ? crypto.personIds(crypto.open(addr))[0] : undefined;
    } catch {
      continue; // opens with neither key: nothing to move it with
    }
    if (currentId === undefined || currentId === id) continue;
    if (await move(id, currentId)) result.moved += 1;
    else result.left += 1;
  }
  return result;
}
