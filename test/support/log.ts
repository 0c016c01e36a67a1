import { join } from 'node:path';
import { pino } from 'pino';
import { inject } from 'vitest';
import { createLogger, type Logger } from '../../src/logger.js';

let logger: Logger | undefined;

/**
 * A logger for tests: JSON lines, every level from debug up, into this test process's file in
 * the run's log folder, which the privacy scan reads after the whole run (global-setup.ts).
 */
export function testLogger(): Logger {
  logger ??= createLogger(
    'debug',
    false,
    pino.destination({ dest: join(inject('logDir'), `${process.pid}.jsonl`), append: true, sync: true }),
  );
  return logger;
}
