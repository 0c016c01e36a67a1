/**
 * `npm run summary [-- --json] [-- --rotation [--move]]`: the operator summary in a terminal
 * (counts only, no personal data). Reads REDIS_URL, or the local Redis that `npm start` runs.
 * With `--rotation`, also how many conversations are still kept under HUELLA_SECRET_PREVIOUS;
 * with `--move` too, those people are first moved to the current secret (person-move.ts).
 */
import { Queue } from 'bullmq';
import { createHuella } from './app.js';
import { createLogger } from './logger.js';
import { OUTBOUND_QUEUES } from './outbound/outbox.js';
import { configOrExit } from './process.js';
import { REMINDER_QUEUE } from './reminders/scheduler.js';
import { resolveSecret } from './secret.js';
import { rotationStatus } from './store/conversation-store.js';
import { PersonCrypto } from './store/crypto.js';
import { moveEveryone } from './store/person-move.js';
import { connectRedis, createRedis, describeTarget, queuePrefixFor, redisTarget } from './store/redis.js';
import { collectSummary, summaryLines } from './summary.js';

const config = configOrExit();
const target = redisTarget(config) ?? { kind: 'single', url: `redis://127.0.0.1:${config.localRedisPort}` };
const redis = createRedis(target);
redis.on('error', () => {});
try {
  await connectRedis(redis);
} catch (error) {
  process.stderr.write(`Cannot reach Redis at ${describeTarget(target)}: ${(error as Error).message}\n`);
  process.exit(1);
}
const queues = [REMINDER_QUEUE, ...Object.values(OUTBOUND_QUEUES)].map(
  (name) => new Queue(name, { connection: redis, prefix: queuePrefixFor(target) }),
);
const crypto = new PersonCrypto(resolveSecret(config));
const summary = await collectSummary(redis, queues, (stored) => crypto.unseal(stored));
const rotating = process.argv.includes('--rotation');
if (rotating && process.argv.includes('--move')) {
  const huella = createHuella({ config, redis, logger: createLogger('warn'), secret: resolveSecret(config) });
  const { moved, left } = await moveEveryone(redis, crypto, huella.movePerson);
  process.stdout.write(
    `Moved ${moved} people to HUELLA_SECRET (${left} with a text in flight: run again).\n`,
  );
  await huella.close();
}
const rotation = rotating ? await rotationStatus(redis, crypto) : undefined;
if (process.argv.includes('--json')) {
  process.stdout.write(`${JSON.stringify(rotation ? { ...summary, rotation } : summary, null, 2)}\n`);
} else {
  const lines = summaryLines(summary);
  const width = Math.max(...lines.map(([label]) => label.length));
  process.stdout.write(`Huella summary, ${summary.at} (counts only)\n\n`);
  for (const [label, value] of lines) process.stdout.write(`${label.padEnd(width)}  ${value}\n`);
  if (rotation) {
    process.stdout.write(
      `\nKey rotation: ${rotation.current} conversations under HUELLA_SECRET, ${rotation.previous} still under HUELLA_SECRET_PREVIOUS` +
        ` (${rotation.sealedWithPrevious} numbers sealed with it, ${rotation.unreadable} unreadable).\n` +
        (rotation.previous === 0 && rotation.sealedWithPrevious === 0
          ? 'HUELLA_SECRET_PREVIOUS can be removed.\n'
          : 'Keep HUELLA_SECRET_PREVIOUS until both are 0.\n'),
    );
  }
}
await Promise.all(queues.map((q) => q.close()));
redis.disconnect();
