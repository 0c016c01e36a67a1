import { randomBytes } from 'node:crypto';
import type { Sealer } from '../store/crypto.js';
import { keys } from '../store/keys.js';
import type { RedisClient } from '../store/redis.js';
import {
  LOOKUP_CLOCK_SKEW_MS,
  type LookupOutcome,
  type OutboundText,
  type Sender,
  type SendOutcome,
} from './sender.js';

/** Texts kept per simulated phone. */
const OUTBOX_LIMIT = 200;

/**
 * Local mode: nothing leaves the machine. A text "sent" lands in the simulated phone's outbox,
 * which the simulator page shows. Each entry is sealed: a reminder names the date, time and place.
 */
export class LocalSender implements Sender {
  /** A send is one Redis transaction, bounded by the client's command timeout. */
  readonly timeoutMs = 2_000;

  constructor(
    private readonly redis: RedisClient,
    private readonly sealer: Sealer,
  ) {}

  async findSent(text: OutboundText, since: number, exclude: ReadonlySet<string>): Promise<LookupOutcome> {
    const entries = await this.redis.lrange(keys.simulatorOutbox(text.personId), 0, -1);
    const body = shownText(text);
    for (const entry of entries.reverse()) {
      const shown = JSON.parse(this.sealer.unseal(entry)) as { sid: string; text: string; at: string };
      if (exclude.has(shown.sid) || Date.parse(shown.at) < since - LOOKUP_CLOCK_SKEW_MS) continue;
      if (shown.text === body) return { kind: 'found', sid: shown.sid };
    }
    return { kind: 'notFound' };
  }

  async send(text: OutboundText): Promise<SendOutcome> {
    const sid = `SIM${randomBytes(16).toString('hex')}`;
    const key = keys.simulatorOutbox(text.personId);
    const body = shownText(text);
    await this.redis
      .multi()
      .rpush(
        key,
        this.sealer.seal(JSON.stringify({ sid, text: body, kind: text.kind, at: new Date().toISOString() })),
      )
      .ltrim(key, -OUTBOX_LIMIT, -1)
      .exec();
    return { kind: 'sent', sid };
  }
}

function shownText(text: OutboundText): string {
  return (
    text.body ?? `[template ${text.template?.contentSid}] ${JSON.stringify(text.template?.variables ?? {})}`
  );
}
