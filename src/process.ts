import { type Config, ConfigError, loadConfig } from './config.js';
import { createLogger, type Logger } from './logger.js';

export interface Closable {
  close(): Promise<void>;
}

/** Reads the config or exits with its message (78: configuration error). */
export function configOrExit(): Readonly<Config> {
  try {
    return loadConfig();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(error instanceof ConfigError ? 78 : 1);
  }
}

/** How long a shutdown may take before the process exits anyway (status 1). */
export const SHUTDOWN_BOUND_MS = 15_000;

/**
 * Runs until SIGTERM or SIGINT, then closes the parts in the order given (HTTP first, Redis
 * last), each bounded, the whole within SHUTDOWN_BOUND_MS.
 */
export function closeOnSignal(logger: Logger, parts: [string, Closable][]): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error(
        { signal },
        'shutdown took over 15 s: exiting now; jobs still held come back to another worker',
      );
      process.exit(1);
    }, SHUTDOWN_BOUND_MS);
    force.unref();
    for (const [name, part] of parts) {
      await part
        .close()
        .catch((error: unknown) => logger.error({ err: error, part: name }, 'closing failed'));
    }
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

export function startProcess(
  name: string,
  run: (config: Readonly<Config>, logger: Logger) => Promise<void>,
): void {
  const config = configOrExit();
  const logger = createLogger(config.logLevel);
  run(config, logger).catch((error: Error) => {
    logger.fatal({ err: error.message }, `${name} could not start`);
    process.stderr.write(`Huella ${name} could not start: ${error.message}\n`);
    process.exit(1);
  });
}
