import { type Logger, pino } from 'pino';

/**
 * One pino logger for the process. Phone numbers and message bodies never reach a log line:
 * code logs opaque person ids, and these paths are redacted in case a request object slips in.
 */
export function createLogger(level: string, pretty = process.stdout.isTTY === true): Logger {
  return pino({
    level,
    redact: {
      paths: [
        'From',
        'To',
        'Body',
        '*.From',
        '*.To',
        '*.Body',
        'body',
        '*.body',
        'phone',
        '*.phone',
        'address',
        '*.address',
        'req.headers["x-twilio-signature"]',
      ],
      censor: '[redacted]',
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true } } } : {}),
  });
}

export type { Logger };
