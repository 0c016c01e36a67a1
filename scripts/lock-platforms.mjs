#!/usr/bin/env node
// The npm registry reachable here lacks some other-platform builds (darwin, win32, android, musl)
// of packages with per-platform optional dependencies (@biomejs/cli-*, @msgpackr-extract/*).
// npm then leaves them out of package-lock.json, and `npm ci` refuses the lock as out of sync.
// This records each missing optional entry with the os/cpu its name states, so npm skips it as
// another platform's package. Run after `npm install` whenever dependencies change:
//   node scripts/lock-platforms.mjs && npm ci
import { readFileSync, writeFileSync } from 'node:fs';

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;
const OS = ['android', 'darwin', 'linux', 'win32', 'freebsd'];
const CPU = ['arm64', 'x64', 'arm', 'ia32'];
let added = 0;

for (const [path, info] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(info.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (packages[key] || packages[`${path}/node_modules/${name}`]) continue;
    const base = name.split('/').pop();
    const os = OS.find((o) => base.includes(`-${o}-`) || base.endsWith(`-${o}`));
    const cpu = CPU.find((c) => base.includes(`-${c}-`) || base.endsWith(`-${c}`));
    if (!os || !cpu) continue;
    packages[key] = {
      version,
      ...(info.dev ? { dev: true } : {}),
      optional: true,
      os: [os],
      cpu: [cpu],
      ...(base.includes('-musl') ? { libc: ['musl'] } : {}),
    };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lock-platforms: recorded ${added} other-platform optional package(s)`);
