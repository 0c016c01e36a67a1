import type { Queue } from 'bullmq';
import { DateTime } from 'luxon';
import type { ContentRenderer } from '../conversation/content.js';
import type { Channel } from '../conversation/machine.js';
import type { TurnEffectRunner, TurnEffects } from '../conversation/service.js';
import type { Logger } from '../logger.js';
import { enqueueSend, type OutboundJobData } from '../outbound/outbox.js';
import type { Sealer } from '../store/crypto.js';
import type { RedisClient } from '../store/redis.js';
import type { ReminderScheduler } from './scheduler.js';

/** The person's zone: their latest appointment's, else the scheduler's default. */
function zoneOf(turn: TurnEffects): string | undefined {
  return turn.context.appointments.at(-1)?.zone;
}

/**
 * Carries out what a turn asked for, after it was saved: schedule or cancel reminders, queue a
 * text, remove every job on STOP and DELETE, bring back future reminders on START. Every step is
 * idempotent (deterministic job and send ids), so running a turn's effects twice is harmless.
 */
export class EffectRunner implements TurnEffectRunner {
  constructor(
    private readonly deps: {
      redis: RedisClient;
      /** Seals the texts stored for sending. */
      sealer: Sealer;
      scheduler: ReminderScheduler;
      outbound: Record<Channel, Queue<OutboundJobData>>;
      renderer: ContentRenderer;
      logger: Logger;
    },
  ) {}

  async run(turn: TurnEffects): Promise<void> {
    const { scheduler, renderer } = this.deps;
    const now = DateTime.fromJSDate(turn.now);
    for (const effect of turn.effects) {
      switch (effect.type) {
        case 'schedule':
          await scheduler.schedule(turn.personId, effect.appointment, now, effect.previous);
          break;
        case 'cancel':
          await scheduler.cancel(turn.personId, effect.appointment);
          break;
        case 'optOut':
        case 'erase':
          await scheduler.cancelAll(turn.personId);
          break;
        case 'optIn':
          for (const appointment of turn.context.appointments) {
            await scheduler.schedule(turn.personId, appointment, now);
          }
          if (turn.context.weekly?.active)
            await scheduler.scheduleWeekly(turn.personId, now, undefined, zoneOf(turn));
          if (turn.context.weekly?.filed) {
            await scheduler.scheduleMilestones(turn.personId, turn.context.weekly.filed, now, zoneOf(turn));
          }
          break;
        case 'weekly':
          await scheduler.scheduleWeekly(turn.personId, now, effect.after, zoneOf(turn));
          break;
        case 'stopWeekly':
          await scheduler.stopWeekly(turn.personId);
          break;
        case 'milestones':
          await scheduler.scheduleMilestones(turn.personId, effect.filed, now, zoneOf(turn));
          break;
        case 'send': {
          const channel = turn.channel ?? turn.context.channel;
          if (!channel) break;
          const lang = turn.context.lang;
          const params = effect.parts.find((p) => p.params)?.params;
          // A WhatsApp template's variables: 1 the date, 2 the time, 3 the place, in the person's language.
          const pack = renderer.pack(lang);
          const variables: Record<string, string> = params
            ? {
                '1': renderer.fillAppointment(pack, '{date}', params),
                '2': renderer.fillAppointment(pack, '{time}', params),
                '3': renderer.fillAppointment(pack, '{place}', params),
              }
            : {};
          await enqueueSend(
            { redis: this.deps.redis, sealer: this.deps.sealer },
            this.deps.outbound,
            turn.personId,
            `${turn.turnId}-${effect.kind}`,
            {
              kind: effect.kind,
              channel,
              lang,
              parts: renderer.render(lang, effect.parts),
              ...(effect.template ? { template: { name: effect.template.name, variables } } : {}),
            },
          );
          break;
        }
        case 'reply':
          break;
      }
    }
  }
}
