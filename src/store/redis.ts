import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';

export type { Cluster, Redis };

/**
 * "A Redis client": one server (REDIS_URL, or a Sentinel-watched primary, which ioredis follows
 * as a plain client) or a Redis Cluster. The rest of the code takes this and does not care which:
 * every script and MULTI touches the keys of one slot (a person's keys share the hash tag
 * {personId}; the global ones are single keys), and whatever must see every key goes through
 * `primaries()`.
 */
export type RedisClient = Redis | Cluster;

/** Where Huella's data lives, as the environment says (README, "Environment"). */
export type RedisTarget =
  | { kind: 'single'; url: string }
  | { kind: 'cluster'; nodes: { host: string; port: number }[] }
  | { kind: 'sentinel'; sentinels: { host: string; port: number }[]; name: string };

/** The Redis settings read from the environment (src/config.ts). */
export interface RedisSettings {
  redisUrl: string | undefined;
  redisClusterNodes: { host: string; port: number }[] | undefined;
  redisSentinels: { host: string; port: number }[] | undefined;
  redisSentinelName: string;
}

/** The configured target, or undefined when none is (`npm start` then runs a local redis-server). */
export function redisTarget(settings: RedisSettings): RedisTarget | undefined {
  if (settings.redisClusterNodes) return { kind: 'cluster', nodes: settings.redisClusterNodes };
  if (settings.redisSentinels)
    return { kind: 'sentinel', sentinels: settings.redisSentinels, name: settings.redisSentinelName };
  return settings.redisUrl ? { kind: 'single', url: settings.redisUrl } : undefined;
}

/** For logs and error messages: no password. */
export function describeTarget(target: RedisTarget): string {
  if (target.kind === 'single') return target.url.replace(/\/\/[^@]*@/, '//…@');
  const hosts = (target.kind === 'cluster' ? target.nodes : target.sentinels).map(
    (n) => `${n.host}:${n.port}`,
  );
  return target.kind === 'cluster'
    ? `cluster ${hosts.join(',')}`
    : `sentinel ${target.name} @ ${hosts.join(',')}`;
}

/**
 * BullMQ keeps a queue's keys together by the prefix; a cluster needs it hash-tagged (BullMQ's
 * "Redis Cluster" guide). One server keeps `bull`, so jobs queued before this change still run.
 */
export function queuePrefixFor(target: RedisTarget | RedisClient | string): string {
  const cluster =
    target instanceof Cluster ||
    (typeof target === 'object' && 'kind' in target && target.kind === 'cluster');
  return cluster ? '{huella}' : 'bull';
}

/** A client for request paths: fails fast instead of queueing while Redis is away, so a webhook answers in time. */
const REQUEST_OPTIONS: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: 2_000,
  connectTimeout: 2_000,
  retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  lazyConnect: true,
  enableAutoPipelining: true,
};

/**
 * A client for request paths (see REQUEST_OPTIONS); it reconnects by itself when Redis returns,
 * and follows a failover (Sentinel: asks the sentinels for the new primary; Cluster: reloads the
 * slots when a replica takes over). A string is a REDIS_URL.
 */
export function createRedis(target: RedisTarget | string, options: RedisOptions = {}): RedisClient {
  const to: RedisTarget = typeof target === 'string' ? { kind: 'single', url: target } : target;
  const redisOptions = { ...REQUEST_OPTIONS, ...options };
  if (to.kind === 'single') return new Redis(to.url, redisOptions);
  if (to.kind === 'sentinel') {
    return new Redis({
      ...redisOptions,
      sentinels: to.sentinels,
      name: to.name,
      // No `failoverDetector`: in ioredis 6.0.0 its disconnect on +switch-master, landing while
      // the client was already reconnecting to the killed primary, fails that connect with
      // "Connection is closed." and leaves the client ended for good (Redis#connect sets "end"
      // on a connector error): a worker then failed every reminder until restarted. A killed
      // primary closes the connection, and reconnecting asks the sentinels for the new one; a
      // demoted primary that stays up answers writes with READONLY, which reconnects the same way.
      reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
      sentinelRetryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
  }
  const { lazyConnect, enableOfflineQueue, enableAutoPipelining, ...perNode } = redisOptions;
  const clusterOptions: ClusterOptions = {
    lazyConnect: lazyConnect ?? true,
    enableOfflineQueue: enableOfflineQueue ?? false,
    enableAutoPipelining: enableAutoPipelining ?? true,
    redisOptions: perNode,
    clusterRetryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    // A command to a primary that died waits out the failover (cluster-node-timeout) instead of failing.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    slotsRefreshTimeout: 2_000,
  };
  return new Cluster(to.nodes, clusterOptions);
}

/**
 * BullMQ workers block on Redis and must wait out an outage or a failover instead of failing
 * commands (BullMQ's guide: maxRetriesPerRequest null, an offline queue).
 */
export function createQueueConnection(target: RedisTarget | string): RedisClient {
  return createRedis(target, {
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    commandTimeout: undefined,
    lazyConnect: false,
    enableAutoPipelining: false,
  });
}

/** Connects, failing the boot with a clear message if Redis is not reachable. */
export async function connectRedis(client: RedisClient, what = 'Redis'): Promise<void> {
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw new Error(`${what} is not reachable: ${(error as Error).message}`);
  }
}

/**
 * The servers that hold the data: the one server, or every primary of a cluster. A command that
 * must see the whole keyspace (SCAN, INFO) runs on each of them.
 */
export function primaries(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}

/** Every key matching the pattern, on every primary (SCAN: an operator's or a test's walk, not a hot path). */
export async function* scanKeys(
  client: RedisClient,
  pattern = '*',
): AsyncGenerator<{ node: Redis; keys: string[] }> {
  for (const node of primaries(client)) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (batch.length > 0) yield { node, keys: batch };
    } while (cursor !== '0');
  }
}

/**
 * Reminders and conversations live only in Redis: a server that evicts keys under memory
 * pressure, or keeps nothing across a restart, would silently lose them. Returns what is wrong
 * on any primary, or an empty list. Reads INFO, which managed Redis services allow even where
 * CONFIG is blocked.
 */
export async function redisSafetyProblems(client: RedisClient): Promise<string[]> {
  const nodes = primaries(client);
  const found = await Promise.all(nodes.map((node) => serverSafetyProblems(node)));
  if (nodes.length === 1) return found[0]!;
  return found.flatMap((problems, i) =>
    problems.map((problem) => `${nodes[i]!.options.host}:${nodes[i]!.options.port}: ${problem}`),
  );
}

async function serverSafetyProblems(client: Redis): Promise<string[]> {
  const info = await client.info();
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
  const problems: string[] = [];
  const policy = field('maxmemory_policy');
  if (policy !== undefined && policy !== 'noeviction') {
    problems.push(
      `maxmemory-policy is "${policy}": set it to noeviction, or keys (reminders) may be evicted`,
    );
  }
  const aof = field('aof_enabled') === '1';
  let rdb = false;
  try {
    const save = (await client.config('GET', 'save')) as string[];
    rdb = (save[1] ?? '').trim() !== '';
  } catch {
    // CONFIG is blocked on some managed services: judge by the append-only file alone.
  }
  if (!aof && !rdb) problems.push('no persistence (appendonly no, save ""): turn on appendonly yes');
  return problems;
}
