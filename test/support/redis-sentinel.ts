import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisTarget } from '../../src/store/redis.js';
import { freePort } from './ports.js';
import { askRedisOnce, RestartableRedis } from './redis-server.js';

export const SENTINEL_NAME = 'huella';
/** How long a primary may be silent before the sentinels agree it is down (production: README). */
export const TEST_DOWN_AFTER_MS = 2_000;

const DATA_ARGS = ['--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction'];

/**
 * A primary, a replica and three sentinels (Debian's redis-sentinel) watching them: a test can
 * kill the primary (kill -9) and the sentinels promote the replica.
 */
export class RedisSentinels {
  private constructor(
    readonly servers: RestartableRedis[],
    private readonly sentinels: { port: number; child: ChildProcess }[],
    private readonly dir: string,
  ) {}

  /** Ports are free when picked but may be taken before a server binds them: a failed start is tried again. */
  static async start(): Promise<RedisSentinels> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await RedisSentinels.startOnce();
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }

  private static async startOnce(): Promise<RedisSentinels> {
    const primary = await RestartableRedis.start(DATA_ARGS);
    const replica = await RestartableRedis.start([
      ...DATA_ARGS,
      '--replicaof',
      '127.0.0.1',
      String(primary.port),
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'huella-sentinel-'));
    const sentinels = await Promise.all(
      [0, 1, 2].map(async (i) => {
        const port = await freePort();
        const file = join(dir, `sentinel-${i}.conf`);
        // Sentinel rewrites its own file (what it learns of replicas, peers and failovers).
        writeFileSync(
          file,
          [
            `port ${port}`,
            'bind 127.0.0.1',
            `dir ${dir}`,
            `sentinel monitor ${SENTINEL_NAME} 127.0.0.1 ${primary.port} 2`,
            `sentinel down-after-milliseconds ${SENTINEL_NAME} ${TEST_DOWN_AFTER_MS}`,
            `sentinel failover-timeout ${SENTINEL_NAME} 10000`,
            `sentinel parallel-syncs ${SENTINEL_NAME} 1`,
            '',
          ].join('\n'),
        );
        return { port, child: spawn('redis-sentinel', [file], { stdio: 'ignore' }) };
      }),
    );
    const set = new RedisSentinels([primary, replica], sentinels, dir);
    try {
      await set.waitUntilWatching();
    } catch (error) {
      await set.stop();
      throw error;
    }
    return set;
  }

  /** REDIS_SENTINELS + REDIS_SENTINEL_NAME as the app reads them. */
  get target(): RedisTarget & { kind: 'sentinel' } {
    return {
      kind: 'sentinel',
      sentinels: this.sentinels.map((s) => ({ host: '127.0.0.1', port: s.port })),
      name: SENTINEL_NAME,
    };
  }

  /** The primary's port as the first sentinel that answers names it. */
  async primaryPort(): Promise<number> {
    for (const s of this.sentinels) {
      const addr = (await askRedisOnce(s.port, 'SENTINEL', 'get-master-addr-by-name', SENTINEL_NAME).catch(
        () => undefined,
      )) as [string, string] | undefined;
      if (addr) return Number(addr[1]);
    }
    throw new Error('no sentinel answered');
  }

  /** kill -9 the current primary. Returns its port. */
  async killPrimary(): Promise<number> {
    const port = await this.primaryPort();
    await this.servers.find((s) => s.port === port)?.kill();
    return port;
  }

  /**
   * Until each sentinel knows the replica (in sync) and the two other sentinels: before that, a
   * failover could not be agreed on.
   */
  private async waitUntilWatching(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ready = await Promise.all(
        this.sentinels.map(async (s) => {
          const fields = (await askRedisOnce(s.port, 'SENTINEL', 'master', SENTINEL_NAME).catch(
            () => [],
          )) as string[];
          const get = (name: string) => fields[fields.indexOf(name) + 1];
          return get('num-slaves') === '1' && get('num-other-sentinels') === '2';
        }),
      );
      if (ready.every(Boolean)) return;
      if (Date.now() > deadline)
        throw new Error('the sentinels did not find the replica and each other in time');
      await sleep(200);
    }
  }

  async stop(): Promise<void> {
    for (const s of this.sentinels) s.child.kill('SIGKILL');
    await Promise.all(this.servers.map((s) => s.stop()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
