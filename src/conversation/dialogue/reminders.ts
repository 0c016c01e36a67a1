import type { ReplyPart, SystemKey } from '../content.js';
import type { Kit } from './kit.js';
import { nodePart, paramsOf } from './replies.js';
import type { ConversationContext, ReminderDueEvent } from './types.js';

/** A reminder's time came: text it, unless the appointment changed or was removed since. */
export function remind(kit: Kit, ctx: ConversationContext, event: ReminderDueEvent): ConversationContext {
  const appointment = ctx.appointments.find((a) => a.id === event.appointmentId);
  if (!appointment || appointment.version !== event.version) return ctx;
  const params = paramsOf(appointment);
  if (event.kind === 'followup') {
    // "Did you go?": its answers are the question's choices, read in the next message.
    const part: ReplyPart = {
      ...nodePart(kit.flows, 'appt_followup', appointment.name ? 'for_name' : undefined),
      params,
    };
    return {
      ...ctx,
      node: 'appt_followup',
      offered: part.choices!.to,
      asking: true,
      misses: 0,
      effects: [
        { type: 'send', kind: 'followup', parts: [part], template: { name: 'followup', variables: {} } },
      ],
    };
  }
  const opening: SystemKey = appointment.name ? 'reminder_for' : 'reminder';
  const keys: SystemKey[] =
    event.kind === 'first' ? [opening, 'reminder_bring', 'reminder_reschedule'] : [opening, 'reminder_bring'];
  return {
    ...ctx,
    effects: [
      {
        type: 'send',
        kind: event.kind,
        parts: keys.map((key) => ({ say: { system: key }, params })),
        template: { name: 'reminder', variables: {} },
      },
    ],
  };
}
