import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { freePort } from './ports.js';

export interface RedisServer {
  url: string;
  stop(): void;
}

/**
 * A redis-server of a test's own on a free port and a temporary folder that it keeps across
 * restarts: kill -9 it, freeze it, start it again on the same port and data (fault tests).
 */
export class RestartableRedis {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly args: string[],
  ) {}

  static async start(args: string[] = []): Promise<RestartableRedis> {
    const redis = new RestartableRedis(await freePort(), mkdtempSync(join(tmpdir(), 'huella-redis-')), args);
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again), and waits until it answers PING (a restart first reloads its data). */
  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', ...this.args],
      { stdio: 'ignore' },
    );
    this.child = child;
    let spawnError: Error | undefined;
    child.once('error', (error) => {
      spawnError = error;
    });
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (spawnError)
        throw new Error(`redis-server could not start (is it installed?): ${spawnError.message}`);
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      const probe = new Redis(this.url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      probe.on('error', () => {}); // refused until it listens
      try {
        await probe.connect();
        // A restarted server answers LOADING while it reads the append-only file back.
        if ((await probe.ping()) === 'PONG') return;
      } catch {
        // not yet
      } finally {
        probe.disconnect();
      }
      if (Date.now() > deadline) throw new Error('redis-server did not start in time');
      await sleep(25);
    }
  }

  /** Started and not killed (nor exited). */
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null;
  }

  /** Sends a signal to the running server (SIGSTOP freezes it, SIGCONT lets it go on). */
  signal(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  /** kill -9: whatever the append-only file has not fsynced is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A throwaway redis-server on a free port in a temporary folder (tests and benchmarks). */
export async function startRedisServer(extraArgs: string[] = []): Promise<RedisServer> {
  const server = await RestartableRedis.start(['--appendonly', 'no', ...extraArgs]);
  return {
    url: server.url,
    stop() {
      server.signal('SIGKILL');
      rmSync(server.dir, { recursive: true, force: true });
    },
  };
}

/** Sends one command to the redis-server (or sentinel) on `port`, on a connection of its own that gives up at once. */
export async function askRedisOnce(port: number, ...args: string[]): Promise<unknown> {
  const client = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return await client.call(args[0]!, ...args.slice(1));
  } finally {
    client.disconnect();
  }
}
