import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TestProject } from 'vitest/node';
import { type Compiled, compileForBench } from '../../bench/compile.js';
import { loadFlows } from '../../src/conversation/content.js';
import { topicClassifiersOf } from '../../src/understanding/topic-classifiers.js';
import { describeFindings, scanLogs, scanRedis } from '../privacy/scan.js';
import { type RedisServer, startRedisServer } from './redis-server.js';

/**
 * One real redis-server for the whole run. Each test file takes a database of its own
 * (test/support/redis.ts), so files do not see each other's keys. Tests' log lines go to files
 * in one folder (test/support/log.ts). After the whole run, the privacy scan looks through every
 * database and every log line (test/privacy/scan.ts) and fails the run on a finding.
 */
const DATABASES = 64;
let redis: RedisServer | undefined;
let logDir: string | undefined;
let compiled: Compiled | undefined;

export async function setup(project: TestProject): Promise<void> {
  // The topic classifiers, trained once here and kept on disk (classifier-store.ts), so that the
  // test files' processes load them rather than all train them at once on a fresh machine.
  topicClassifiersOf(loadFlows());
  await compileOnce();
  redis = await startRedisServer(['--databases', String(DATABASES)]);
  logDir = mkdtempSync(join(tmpdir(), 'huella-test-logs-'));
  project.provide('redisUrl', redis.url);
  project.provide('logDir', logDir);
}

/**
 * One plain-JavaScript copy of src/ for the processes the tests start (test/support/entry.ts),
 * its classifiers trained here too: its code differs from src/'s, and so does its stored model.
 */
async function compileOnce(): Promise<void> {
  compiled = compileForBench();
  process.env.HUELLA_COMPILED_DIR = compiled.dir;
  const at = (file: string) => pathToFileURL(`${compiled!.dir}/src/${file}`).href;
  const content = (await import(
    at('conversation/content.js')
  )) as typeof import('../../src/conversation/content.js');
  const classifiers = (await import(
    at('understanding/topic-classifiers.js')
  )) as typeof import('../../src/understanding/topic-classifiers.js');
  classifiers.topicClassifiersOf(content.loadFlows());
}

export async function teardown(): Promise<void> {
  try {
    if (redis && logDir) await privacyScan(redis.url, logDir);
  } finally {
    redis?.stop();
    compiled?.remove();
    if (logDir) rmSync(logDir, { recursive: true, force: true });
  }
}

async function privacyScan(url: string, dir: string): Promise<void> {
  const stored = await scanRedis(
    url,
    Array.from({ length: DATABASES }, (_, db) => db),
  );
  const logged = scanLogs(dir);
  const findings = [...stored.findings, ...logged.findings];
  console.log(
    `privacy scan: ${stored.keys} Redis keys in ${DATABASES} databases (${stored.sealed} sealed addresses), ${logged.lines} log lines: ${findings.length} findings`,
  );
  if (findings.length > 0) {
    // Vitest reports an error thrown here but would still exit 0: fail the run explicitly.
    process.exitCode = 1;
    throw new Error(
      `privacy scan: phone numbers, bodies, A-numbers, receipt numbers, or a test person's dates, ZIP codes or names found:\n${describeFindings(findings)}`,
    );
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    logDir: string;
  }
}
