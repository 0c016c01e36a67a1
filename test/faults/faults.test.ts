import { describe, it } from 'vitest';
import { redisRestart } from './redis-restart.js';
import { sigterm } from './sigterm.js';
import { FULL, faultStage } from './support.js';
import { twilioErrors } from './twilio-errors.js';
import { workerKill } from './worker-kill.js';

/**
 * The fault tests of the proof issue. Each has its own redis-server, fake Twilio and Huella
 * processes. In `npm test` they run at small counts side by side (they mostly wait on processes,
 * timeouts and Redis); `npm run test:faults` (FAULT_FULL=1) runs them at full counts one after
 * another, each with the machine to itself. The figures of each are printed.
 */
describe('faults', () => {
  for (const fault of [workerKill, redisRestart, twilioErrors, sigterm]) {
    const stage = faultStage(fault.redisArgs);
    const test = FULL ? it : it.concurrent;
    test(fault.title, ({ expect }) => fault.run(stage, expect), fault.timeoutMs);
  }
});
