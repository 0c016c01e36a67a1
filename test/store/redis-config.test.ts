import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError, loadConfig } from '../../src/config.js';
import { describeTarget, queuePrefixFor, redisTarget } from '../../src/store/redis.js';

describe('which Redis', () => {
  it('reads REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS, and refuses more than one', () => {
    expect(redisTarget(loadConfig({}))).toBeUndefined();
    expect(redisTarget(loadConfig({ REDIS_URL: 'redis://:pw@r:6379' }))).toEqual({
      kind: 'single',
      url: 'redis://:pw@r:6379',
    });
    const cluster = redisTarget(loadConfig({ REDIS_CLUSTER_NODES: 'a:7000, b:7001' }))!;
    expect(cluster).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'a', port: 7000 },
        { host: 'b', port: 7001 },
      ],
    });
    expect(queuePrefixFor(cluster)).toBe('{huella}');
    const sentinel = redisTarget(loadConfig({ REDIS_SENTINELS: 's1:26379,s2:26379' }))!;
    expect(sentinel).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
      name: 'huella',
    });
    expect(queuePrefixFor(sentinel)).toBe('bull');
    expect(describeTarget({ kind: 'single', url: 'redis://:pw@r:6379' })).not.toContain('pw');
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'a' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_URL: 'redis://r', REDIS_SENTINELS: 's:1' })).toThrow(/one of REDIS_URL/);
  });
});

/** The compose files (there is no Docker engine here): each points web and worker at its Redis, kept safe. */
describe('compose files', () => {
  const read = (file: string) =>
    parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'), { merge: true }) as {
      services: Record<string, { command?: string[] | string; environment?: Record<string, string> }>;
    };

  it.each([
    ['docker-compose.yml', 'single', ['redis']],
    [
      'docker-compose.cluster.yml',
      'cluster',
      ['redis-1', 'redis-2', 'redis-3', 'redis-4', 'redis-5', 'redis-6'],
    ],
    ['docker-compose.sentinel.yml', 'sentinel', ['redis-primary', 'redis-replica']],
  ])('%s: web and worker use a %s Redis that keeps its data', (file, kind, dataServices) => {
    const { services } = read(file);
    for (const name of ['web', 'worker']) {
      const env = services[name]!.environment!;
      expect(redisTarget(loadConfig(env))?.kind, `${file} ${name}`).toBe(kind);
    }
    for (const name of dataServices) {
      const command = [services[name]!.command ?? []].flat().join(' ');
      expect(command, `${file} ${name}`).toMatch(/--appendonly yes/);
      expect(command, `${file} ${name}`).toMatch(/--maxmemory-policy noeviction/);
    }
    if (kind === 'cluster') {
      const nodes = services.web!.environment!.REDIS_CLUSTER_NODES!.split(',').map((n) => n.split(':')[0]);
      expect(nodes).toEqual(dataServices);
    }
    if (kind === 'sentinel') {
      const sentinels = services.web!.environment!.REDIS_SENTINELS!.split(',').map((n) => n.split(':')[0]);
      for (const name of sentinels)
        expect(String(services[name!]?.command)).toMatch(/sentinel monitor huella redis-primary 6379 2/);
    }
  });
});
