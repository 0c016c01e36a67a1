import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startWeb } from '../../src/server.js';
import { simulatorNotice } from '../../src/simulator/access.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_PUBLIC_URL, TEST_SECRET } from '../support/app.js';
import { testLogger } from '../support/log.js';
import { freePort } from '../support/ports.js';
import { isolatedRedis } from '../support/redis.js';

/** Where the web process listens, and what it says about the simulator when it starts. */
const TWILIO = {
  TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
  TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
  PUBLIC_BASE_URL: TEST_PUBLIC_URL,
  HUELLA_SECRET: TEST_SECRET,
};
const dataDir = mkdtempSync(join(tmpdir(), 'huella-listen-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the listen address', () => {
  it('is 127.0.0.1 in local mode unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '' }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '::1' }).host).toBe('::1');
  });

  it('is every interface with Twilio (the proxy and Twilio must reach it), or HOST', () => {
    expect(loadConfig(TWILIO).host).toBe('0.0.0.0');
    expect(loadConfig({ ...TWILIO, HOST: '10.1.2.3' }).host).toBe('10.1.2.3');
  });

  it('is where a local-mode web process really listens', async () => {
    const { url, redis } = await isolatedRedis();
    const config = loadConfig({
      PORT: String(await freePort()),
      DATA_DIR: dataDir,
      REDIS_ALLOW_UNSAFE: 'true',
      LOG_LEVEL: 'silent',
    });
    const web = await startWeb(config, testLogger(), url);
    try {
      expect(new URL(web.url).hostname).toBe('127.0.0.1');
    } finally {
      await web.close();
      await redis.quit();
    }
  });
});

describe('the start-up line about the simulator', () => {
  it('says whether it is on, where, and who reaches it', () => {
    const local = simulatorNotice(loadConfig({ PORT: '3000' }));
    expect(local).toEqual({
      level: 'info',
      msg: expect.stringContaining('simulator on at http://localhost:3000/'),
    });
    expect(local.msg).toMatch(/without login: local mode .*127\.0\.0\.1 so only this machine/);

    const exposed = simulatorNotice(loadConfig({ HOST: '0.0.0.0' }));
    expect(exposed.level).toBe('warn');
    expect(exposed.msg).toMatch(/HOST=0\.0\.0\.0 lets other machines reach it/);

    const off = simulatorNotice(loadConfig(TWILIO));
    expect(off.msg).toMatch(/^simulator off: Twilio credentials are set/);

    const login = simulatorNotice(
      loadConfig({ ...TWILIO, SIMULATOR: 'on', ADMIN_PASSWORD: 'a-long-enough-password' }),
    );
    expect(login.level).toBe('warn');
    expect(login.msg).toMatch(/simulator on at https:\/\/huella\.example\.org\/ behind the operator login/);

    expect(simulatorNotice(loadConfig({ SIMULATOR: 'off' })).msg).toBe('simulator off (SIMULATOR=off)');
  });
});

describe('containers', () => {
  // Inside a container 127.0.0.1 is the container's own loopback: the port could not be published.
  it('set HOST=0.0.0.0 explicitly (Dockerfile, docker-compose*.yml)', () => {
    const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
    expect(dockerfile).toMatch(/^ENV .*\bHOST=0\.0\.0\.0\b/m);
    for (const file of ['docker-compose.yml', 'docker-compose.cluster.yml', 'docker-compose.sentinel.yml']) {
      const compose = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
      const web = compose.slice(compose.indexOf('\n  web:'), compose.indexOf('\n  worker:'));
      expect(web, file).toMatch(/^\s+HOST: "0\.0\.0\.0"$/m);
    }
  });
});
