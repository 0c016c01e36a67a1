import {
  type ConnectionOptions,
  DelayedError,
  type Job,
  UnrecoverableError,
  WaitingError,
  Worker,
  type WorkerOptions,
} from 'bullmq';
import { scrubText } from '../logger.js';
import { type DeliverDeps, deliver, SendDeferred, SendInterrupted, SendRateLimited } from './deliver.js';
import { type OutboundJobData, sendBackoff } from './outbox.js';

/**
 * A BullMQ worker for one outbound queue, around deliver(): a sending number at OUTBOUND_MPS
 * pauses the queue and puts the job back (BullMQ's manual rate limit), a part perhaps still in
 * flight delays the job until its mark settles, and a shutdown between parts puts it back to
 * wait; none of these counts as a failed attempt.
 */
export function createOutboundWorker(
  queueName: string,
  deps: DeliverDeps,
  options: Omit<WorkerOptions, 'limiter' | 'connection'> & { connection: ConnectionOptions },
): Worker<OutboundJobData> {
  const worker: Worker<OutboundJobData> = new Worker<OutboundJobData>(
    queueName,
    // Three parameters, so BullMQ passes the abort signal that cancelAllJobs() fires.
    async (job: Job<OutboundJobData>, token?: string, signal?: AbortSignal) => {
      try {
        return await deliver(deps, job.data, signal);
      } catch (error) {
        if (error instanceof SendRateLimited) {
          await worker.rateLimit(error.waitMs);
          throw Worker.RateLimitError();
        }
        if (error instanceof SendDeferred) {
          await job.moveToDelayed(Date.now() + error.waitMs, token);
          throw new DelayedError();
        }
        if (error instanceof SendInterrupted) {
          await job.moveToWait(token);
          throw new WaitingError();
        }
        throw scrubbedError(error);
      }
    },
    {
      ...options,
      settings: { ...options.settings, backoffStrategy: sendBackoff },
      // BullMQ applies a manual rate limit only to a queue with a limiter; the exact limit per
      // text is the SendLimiter's. This one only bounds how many jobs start per window, with room
      // to spare: at the SendLimiter's own rate it would hold back jobs the limit has room for.
      ...(deps.limiter ? { limiter: { max: 2 * deps.limiter.max, duration: deps.limiter.windowMs } } : {}),
    },
  );
  return worker;
}

/**
 * BullMQ keeps a failed attempt's message and stack trace (failedReason, stacktrace) for days and
 * shows them on the dashboard: they get a new error of the same kind, its message scrubbed like a
 * log line and cut short, its stack this one's (code locations only, no words from elsewhere).
 */
function scrubbedError(error: unknown): Error {
  const message = scrubText(error instanceof Error ? error.message : String(error)).slice(0, 200);
  return error instanceof UnrecoverableError ? new UnrecoverableError(message) : new Error(message);
}
