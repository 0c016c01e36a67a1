import type { Redis } from 'ioredis';
import { KEY_PREFIX } from './keys.js';
import { primaries, type RedisClient } from './redis.js';

/**
 * DELETE removes a person's keys from memory at once, but Redis's append-only file keeps every
 * command ever written until it is rewritten, which Redis does by itself only when the file has
 * grown (auto-aof-rewrite-min-size, 64 MB by default): weeks on a small deployment. The erased
 * person's id (in every key name), their sealed values and their job ids stay readable on disk
 * till then. So an erase marks that a rewrite is due, and the worker rewrites the file
 * (BGREWRITEAOF) at most once per REWRITE_AT_MOST_EVERY_MS across every worker; without an
 * append-only file, it saves a new snapshot (BGSAVE) instead, which replaces the old one.
 */
export const ERASURE_PENDING_KEY = `${KEY_PREFIX}:disk:erased`;
/** Held (SET NX PX) by the worker that rewrote last: no other rewrite until it expires. */
export const REWRITE_LOCK_KEY = `${KEY_PREFIX}:disk:rewrite-lock`;
/** A rewrite reads the whole dataset: at most this often, however many people are erased. */
export const REWRITE_AT_MOST_EVERY_MS = 10 * 60 * 1000;
/** How often a worker looks whether a rewrite is due. */
export const REWRITE_CHECK_EVERY_MS = 60 * 1000;

/** Called after an erase: the files on disk still hold what was erased. */
export async function noteErasure(redis: RedisClient, now = Date.now()): Promise<void> {
  await redis.set(ERASURE_PENDING_KEY, String(now));
}

export type CompactionResult =
  | 'nothing-erased'
  | 'too-soon'
  | 'rewriting-aof'
  | 'saving-snapshot'
  | 'no-files';

/**
 * Rewrites the files on disk when a person was erased since the last rewrite and no worker did
 * one in the last `minIntervalMs`. The mark is cleared before the rewrite starts, so an erase
 * during it marks the next one. Returns what was done.
 */
export async function compactAfterErasures(
  redis: RedisClient,
  minIntervalMs = REWRITE_AT_MOST_EVERY_MS,
): Promise<CompactionResult> {
  if ((await redis.exists(ERASURE_PENDING_KEY)) === 0) return 'nothing-erased';
  const took = await redis.set(REWRITE_LOCK_KEY, String(Date.now()), 'PX', minIntervalMs, 'NX');
  if (took !== 'OK') return 'too-soon';
  await redis.del(ERASURE_PENDING_KEY);
  // On a cluster the erased keys lived on one primary or another: each rewrites its own files.
  const done = await Promise.all(primaries(redis).map((node) => compactFiles(node)));
  return done[0]!;
}

async function compactFiles(redis: Redis): Promise<CompactionResult> {
  const persistence = await redis.info('persistence');
  if (/^aof_enabled:1/m.test(persistence)) {
    // Queued by Redis if a rewrite or a snapshot is already running ("scheduled").
    await redis.bgrewriteaof();
    return 'rewriting-aof';
  }
  if (await snapshotsConfigured(redis)) {
    await redis.bgsave('SCHEDULE');
    return 'saving-snapshot';
  }
  return 'no-files';
}

/** Whether Redis writes RDB snapshots (`save` set); unknown (CONFIG blocked) counts as yes. */
async function snapshotsConfigured(redis: Redis): Promise<boolean> {
  try {
    const save = (await redis.config('GET', 'save')) as string[];
    return (save[1] ?? '').trim() !== '';
  } catch {
    return true;
  }
}
