import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './support/ports.js';

/** `npm start` as a team would run it: no REDIS_URL, no Twilio: local redis-server and simulator. */
let child: ChildProcess | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'huella-start-'));

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** The first OK answer from `url` (whose JSON body `accept` takes, when given). */
async function waitFor(
  url: string,
  deadlineMs: number,
  accept?: (body: Record<string, unknown>) => boolean,
): Promise<Response> {
  const deadline = performance.now() + deadlineMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok && (!accept || accept((await res.clone().json()) as Record<string, unknown>))) return res;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`${url} did not answer in time`);
    await sleep(100);
  }
}

/** The environment of `npm start` with nothing configured but its ports, data folder and log level. */
function startEnv(port: number, redisPort: number, dir: string, logLevel: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PORT: String(port),
    LOCAL_REDIS_PORT: String(redisPort),
    DATA_DIR: dir,
    LOG_LEVEL: logLevel,
  };
}

describe('npm start (embedded default)', () => {
  it('starts its own Redis with append-only persistence, serves the simulator, and stops cleanly', async () => {
    const port = await freePort();
    const redisPort = await freePort();
    const env = startEnv(port, redisPort, dataDir, 'warn');
    // Through npm, as a process manager that tracks the `npm start` pid runs it: SIGTERM to npm
    // must reach the app (package.json's `exec`; a plain `sh -c` left the app and its Redis running).
    child = spawn('npm', ['start', '--silent'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));

    // Ready as soon as Redis answers; the embedded worker registers a moment later.
    const health = await waitFor(`http://127.0.0.1:${port}/healthz`, 20_000, (b) => b.workers === 1).catch(
      (e) => {
        throw new Error(`${e.message}\n${output}`);
      },
    );
    expect(await health.json()).toMatchObject({ status: 'ok', redis: 'ready', workers: 1 });
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(await page.text()).toContain('Huella simulator');
    const reply = await fetch(`http://127.0.0.1:${port}/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '+15550002222', channel: 'sms', text: 'hola' }),
    });
    expect(reply.status).toBe(200);
    expect(((await reply.json()) as { messages: string[] }).messages.length).toBeGreaterThan(0);

    expect(existsSync(join(dataDir, 'secret'))).toBe(true);
    expect(readdirSync(join(dataDir, 'redis'))).toContain('appendonlydir');

    const exited = new Promise<number | null>((done) => child!.once('exit', (code) => done(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The app and its Redis are gone, not left serving.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  }, 60_000);

  it('exits with a clear line when its port is taken, and leaves no redis-server behind', async () => {
    // A first try on a port already in use used to leave its Redis running on the data folder.
    const taken = createServer();
    const port = await freePort();
    await new Promise<void>((done) => taken.listen(port, '127.0.0.1', done));
    const redisPort = await freePort();
    const takenDir = mkdtempSync(join(tmpdir(), 'huella-taken-'));
    const failed = spawn('npm', ['start', '--silent'], {
      env: startEnv(port, redisPort, takenDir, 'fatal'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    failed.stderr?.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((done) => failed.once('exit', (c) => done(c)));
    taken.close();
    rmSync(takenDir, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(output).toContain('could not start');
    expect(output).toContain('EADDRINUSE');
    const redisAnswers = await new Promise<boolean>((done) => {
      const socket = connect(redisPort, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        done(true);
      });
      socket.once('error', () => done(false));
    });
    expect(redisAnswers).toBe(false);
  }, 60_000);
});
