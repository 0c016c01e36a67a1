import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { RedisTarget } from '../../src/store/redis.js';
import { freePort } from './ports.js';
import { askRedisOnce, RestartableRedis } from './redis-server.js';

const run = promisify(execFile);

/**
 * How long a primary may be silent before its replica takes over. Production keeps Redis's
 * 15 s (README), and so do the suites that only run on a cluster: on a busy 2-core machine a
 * primary starved for 2 s was failed over by mistake in the middle of the DELETE suite (its
 * commands timed out). The failover tests take 2 s, so that a failover fits in a test.
 */
export const STEADY_NODE_TIMEOUT_MS = 15_000;
export const FAILOVER_NODE_TIMEOUT_MS = 2_000;

/** What every node runs with: the append-only file as in production (README). */
const NODE_ARGS = [
  '--cluster-enabled',
  'yes',
  '--appendonly',
  'yes',
  '--appendfsync',
  'everysec',
  '--maxmemory-policy',
  'noeviction',
  // A replica that comes up copies its primary straight over the socket, at once.
  '--repl-diskless-sync',
  'yes',
  '--repl-diskless-sync-delay',
  '0',
];

/**
 * A real Redis Cluster of the test's own: `primaries` primaries with one replica each, made of
 * Debian's redis-server with `redis-cli --cluster create`. Each node is a RestartableRedis, so a
 * test can kill a primary (kill -9) and watch its replica take over.
 */
export class RedisCluster {
  private constructor(readonly nodes: RestartableRedis[]) {}

  /**
   * Starts the nodes and joins them. Ports are free when picked but may be taken before a node
   * binds them (other tests start servers at the same time): a start that fails is tried again.
   */
  static async start(primaries = 3, nodeTimeoutMs = STEADY_NODE_TIMEOUT_MS): Promise<RedisCluster> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await RedisCluster.startOnce(primaries, nodeTimeoutMs);
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }

  private static async startOnce(primaries: number, nodeTimeoutMs: number): Promise<RedisCluster> {
    const busPorts = new Set<number>();
    while (busPorts.size < primaries * 2) busPorts.add(await freePort());
    const nodes: RestartableRedis[] = [];
    const cluster = new RedisCluster(nodes);
    try {
      await Promise.all(
        [...busPorts].map(async (busPort) => {
          const args = [...NODE_ARGS, '--cluster-node-timeout', String(nodeTimeoutMs)];
          nodes.push(await RestartableRedis.start([...args, '--cluster-port', String(busPort)]));
        }),
      );
      await run('redis-cli', [
        '--cluster',
        'create',
        ...nodes.map((node) => `127.0.0.1:${node.port}`),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
      ]);
      await cluster.waitUntilHealthy(primaries);
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** REDIS_CLUSTER_NODES as the app reads it: every node, so any one of them answers first. */
  get target(): RedisTarget & { kind: 'cluster' } {
    return { kind: 'cluster', nodes: this.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })) };
  }

  get env(): string {
    return this.target.nodes.map((node) => `${node.host}:${node.port}`).join(',');
  }

  /** The running node on this port (a node a test killed is not asked). */
  private node(port: number): RestartableRedis | undefined {
    return this.nodes.find((node) => node.port === port && node.running);
  }

  /** Asks one node for a reply, on a short-lived connection. */
  private async ask(port: number, ...args: string[]): Promise<string> {
    return String(await askRedisOnce(port, ...args));
  }

  /** [first slot, last slot, [host, port of its primary]] per shard, as a live node sees them now. */
  private async slots(): Promise<[number, number, [string, number]][]> {
    const alive = this.nodes.find((node) => node.running)!;
    return (await askRedisOnce(alive.port, 'CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
  }

  /** The port of the primary serving the slot of this key, as the cluster sees it now. */
  async primaryOf(key: string): Promise<number> {
    const alive = this.nodes.find((node) => node.running)!;
    const slot = Number(await this.ask(alive.port, 'CLUSTER', 'KEYSLOT', key));
    const owner = (await this.slots()).find(([from, to]) => slot >= from && slot <= to);
    if (!owner) throw new Error(`no primary serves slot ${slot}`);
    return owner[2][1];
  }

  /** The ports of the primaries that serve slots now. */
  async primaryPorts(): Promise<number[]> {
    return [...new Set((await this.slots()).map((shard) => shard[2][1]))];
  }

  /** kill -9 the node on this port (whatever its AOF had not fsynced is gone with it). */
  async kill(port: number): Promise<void> {
    await this.node(port)?.kill();
  }

  /**
   * Waits until every live node says the cluster is ok, `primaries` primaries serve all slots
   * and each has a replica in sync (so that a failover has something to promote).
   */
  async waitUntilHealthy(primaries: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await this.healthy(primaries).catch(() => false)) return;
      if (Date.now() > deadline) throw new Error('the Redis Cluster did not become healthy in time');
      await sleep(100);
    }
  }

  private async healthy(primaries: number): Promise<boolean> {
    const live = this.nodes.filter((node) => node.running);
    for (const node of live) {
      if (!/cluster_state:ok/.test(await this.ask(node.port, 'CLUSTER', 'INFO'))) return false;
    }
    const lines = (await this.ask(live[0]!.port, 'CLUSTER', 'NODES')).trim().split('\n');
    const masters = lines.filter(
      (line) => / master /.test(line.replace(/myself,/, '')) && !/fail/.test(line),
    );
    if (masters.length !== primaries) return false;
    for (const master of masters) {
      const port = Number(/:(\d+)@/.exec(master)?.[1]);
      const info = await this.ask(port, 'INFO', 'replication');
      if (!/slave0:.*state=online/.test(info)) return false;
    }
    return true;
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.stop()));
  }
}
