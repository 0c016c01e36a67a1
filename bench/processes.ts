/**
 * Processes a benchmark measures from outside: Huella's web and worker (and the baseline server)
 * started as separate `node` processes, their resident set size read from /proc (Linux).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

export interface NodeProcess {
  pid: number;
  /** Resident set size now, in bytes (NaN where /proc is missing). */
  rss(): number;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** VmRSS of a process, in bytes. */
export function residentBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * Starts `node [nodeArgs] <script>` with exactly `env` (plus PATH, HOME and TMPDIR), and waits until `url`
 * answers 2xx or `check` resolves true. Its standard output is discarded, or written to `logTo`
 * (the benchmark reads the errors back: `errorLines`).
 */
export async function startNode(
  script: string,
  env: Record<string, string>,
  wait: { url: string } | { check: () => Promise<boolean> },
  nodeArgs: string[] = [],
  // A web process trains its classifiers at start when none is stored for its code (a compiled
  // copy's differs from src/'s): seconds on an idle machine, more on a busy one.
  timeoutMs = 120_000,
  logTo?: string,
): Promise<NodeProcess> {
  const out = logTo ? openSync(logTo, 'w') : 'ignore';
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, script], {
    // TMPDIR: the processes of one run share the classifiers the first of them stored there.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: tmpdir(), ...env },
    stdio: ['ignore', out, 'pipe'],
  });
  if (typeof out === 'number') closeSync(out);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 10_000) stderr += chunk.toString();
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}): ${stderr.slice(0, 2000)}`))),
  );
  exited.catch(() => {});
  const ready = (async () => {
    for (;;) {
      const ok =
        'url' in wait
          ? await fetch(wait.url).then(
              (r) => r.ok,
              () => false,
            )
          : await wait.check().catch(() => false);
      if (ok) return;
      await sleep(100);
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${script} was not ready within ${timeoutMs} ms: ${stderr.slice(0, 2000)}`)),
      timeoutMs,
    );
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${script} did not start`);
  const stop = async (graceMs = 5_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(killer);
  };
  try {
    await Promise.race([ready, exited, timeout]);
  } catch (error) {
    await stop(0);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return { pid, rss: () => residentBytes(pid), stop };
}

/** Samples processes' RSS every `everyMs` until stopped; gives each one's peak. */
export function sampleRss(processes: NodeProcess[], everyMs = 200): { stop(): number[] } {
  const peaks = processes.map((p) => p.rss());
  const timer = setInterval(() => {
    processes.forEach((p, i) => {
      const now = p.rss();
      if (now > (peaks[i] ?? 0)) peaks[i] = now;
    });
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      processes.forEach((p, i) => {
        peaks[i] = Math.max(peaks[i] ?? 0, p.rss());
      });
      return peaks;
    },
  };
}

/** CPU time a process has used so far (user + system), in ms, from /proc (NaN where /proc is missing). */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime is the 14th field, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return Number.NaN;
  }
}

export const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/**
 * The error lines (pino level 50 and up) of log files written by `startNode`, counted by message
 * and error: why a benchmark's server answered "try again later".
 */
export function errorLines(files: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const file of files) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (!/"level":[56]0/.test(line)) continue;
      let entry: { msg?: string; err?: { type?: string; message?: string } };
      try {
        entry = JSON.parse(line);
      } catch {
        continue;
      }
      const what = `${entry.msg ?? ''}: ${entry.err?.type ?? ''} ${entry.err?.message ?? ''}`.slice(0, 300);
      counts[what] = (counts[what] ?? 0) + 1;
    }
  }
  return counts;
}
