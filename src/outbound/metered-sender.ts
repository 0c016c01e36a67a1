import type { Metrics } from '../metrics.js';
import type { LookupOutcome, OutboundText, Sender, SendOutcome } from './sender.js';

/** Times every call to Twilio and counts its error codes, for /metrics. */
export class MeteredSender implements Sender {
  readonly timeoutMs: number;

  constructor(
    private readonly inner: Sender,
    private readonly metrics: Metrics,
  ) {
    this.timeoutMs = inner.timeoutMs;
  }

  findSent(text: OutboundText, since: number, exclude: ReadonlySet<string>): Promise<LookupOutcome> {
    return this.inner.findSent(text, since, exclude);
  }

  async send(text: OutboundText): Promise<SendOutcome> {
    const started = performance.now();
    try {
      const outcome = await this.inner.send(text);
      if (outcome.kind !== 'sent') this.metrics.inc('twilioErrors', { code: outcome.code ?? 'none' });
      return outcome;
    } catch (error) {
      this.metrics.inc('twilioErrors', { code: 'exception' });
      throw error;
    } finally {
      this.metrics.observe(
        'outboundLatency',
        { channel: text.channel },
        (performance.now() - started) / 1000,
      );
    }
  }
}
