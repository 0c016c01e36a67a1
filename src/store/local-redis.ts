import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LocalRedis {
  url: string;
  stop(): Promise<void>;
}

/**
 * The embedded default: a redis-server of our own, data under the project folder, append-only
 * file on (everysec) and noeviction, so reminders survive a restart and are never evicted.
 */
export async function startLocalRedis(opts: { dataDir: string; port: number }): Promise<LocalRedis> {
  const dir = resolve(opts.dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const args = [
    '--port',
    String(opts.port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--maxmemory-policy',
    'noeviction',
    '--save',
    '',
    '--daemonize',
    'no',
    '--protected-mode',
    'yes',
  ];
  let child: ChildProcess;
  try {
    child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    throw new Error(`could not start redis-server: ${(error as Error).message}`);
  }
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'ENOENT'
            ? 'redis-server is not installed. Install it (Debian/Ubuntu: sudo apt-get install redis-server) or set REDIS_URL.'
            : `could not start redis-server: ${error.message}`,
        ),
      ),
    );
    void exited.then((code) =>
      reject(
        new Error(
          `redis-server exited (code ${code}); is port ${opts.port} already in use? Set LOCAL_REDIS_PORT.`,
        ),
      ),
    );
  });
  await Promise.race([waitForPort(opts.port), failed]);
  return {
    url: `redis://127.0.0.1:${opts.port}`,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM'); // redis-server flushes the append-only file on SIGTERM
      await Promise.race([exited, sleep(5_000)]);
    },
  };
}

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((done) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        done(true);
      });
      socket.once('error', () => done(false));
    });
    if (open) return;
    await sleep(50);
  }
  throw new Error(`redis-server did not open port ${port} in time`);
}
