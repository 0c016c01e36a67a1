import type { TestProject } from 'vitest/node';
import { type RedisServer, startRedisServer } from './redis-server.js';

/**
 * One real redis-server for the whole run. Each test file takes a database of its own
 * (test/support/redis.ts), so files do not see each other's keys.
 */
let redis: RedisServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  redis = await startRedisServer(['--databases', '64']);
  project.provide('redisUrl', redis.url);
}

export async function teardown(): Promise<void> {
  redis?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
