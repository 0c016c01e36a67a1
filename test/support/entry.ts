import { join } from 'node:path';

/**
 * The node arguments that start one of Huella's entry points (`src/worker-main.ts`…) in a child
 * process. The run's global setup (global-setup.ts) makes one plain-JavaScript copy of src/, as
 * production runs (`node dist/…`), and names it in HUELLA_COMPILED_DIR: a process started from it
 * skips the TypeScript loader, about a second of CPU at each start, and the faults, failover and
 * CLI tests start dozens. Without it (a test file run outside vitest's setup), through tsx.
 */
export function nodeArgsFor(entry: string): string[] {
  const dir = process.env.HUELLA_COMPILED_DIR;
  return dir ? [join(dir, entry.replace(/\.ts$/, '.js'))] : ['--import', 'tsx', entry];
}
