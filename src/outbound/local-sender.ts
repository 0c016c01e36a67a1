import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { keys } from '../store/keys.js';
import type { OutboundText, Sender, SendOutcome } from './sender.js';

/** Texts kept per simulated phone. */
const OUTBOX_LIMIT = 200;

/**
 * Local mode: nothing leaves the machine. A text "sent" lands in the simulated phone's outbox,
 * which the simulator page shows.
 */
export class LocalSender implements Sender {
  constructor(private readonly redis: Redis) {}

  async send(text: OutboundText): Promise<SendOutcome> {
    const sid = `SIM${randomBytes(16).toString('hex')}`;
    const key = keys.simulatorOutbox(text.personId);
    const body =
      text.body ??
      `[template ${text.template?.contentSid}] ${JSON.stringify(text.template?.variables ?? {})}`;
    await this.redis
      .multi()
      .rpush(key, JSON.stringify({ sid, text: body, kind: text.kind, at: new Date().toISOString() }))
      .ltrim(key, -OUTBOX_LIMIT, -1)
      .exec();
    return { kind: 'sent', sid };
  }
}
