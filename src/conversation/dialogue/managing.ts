import { type Appointment, appointmentNamed, detailsIn, type Found, startCapture } from '../appointments.js';
import type { Kit } from './kit.js';
import { paramsOf, say } from './replies.js';
import type { Actions, Guards, Rule } from './rules.js';
import { means, once, type Turn } from './turn.js';
import type { ConversationContext } from './types.js';

/**
 * The list of saved appointments: pick one (by number, by name, or the only one), then change it
 * or turn its reminders off. Anything else leaves the list and is answered as a topic.
 */
const LEAVING: Rule[] = [
  { guard: 'leavesList', actions: ['leaveList'] },
  // "el de kevin me llega a mi o a el?" asks where reminders go: answered, not a pick.
  { guard: 'asksWhereRemindersGo', actions: ['leaveList'] },
];
const BY_NAME: Rule[] = [
  { guard: 'cancelsNamedOne', actions: ['cancelNamedOne'] },
  { guard: 'changesNamedOne', actions: ['changeNamedOne'] },
  { guard: 'namesOne', actions: ['offerNamedActions'] },
  // "my wife has hers dec 16", "borrar la de carlos" with none saved for Carlos: another
  // appointment, never one of those listed.
  { guard: 'asksAboutUnlisted', actions: ['listAgain'] },
  { guard: 'tellsUnlisted', actions: ['leaveList'] },
];
export const PICK_RULES: Rule[] = [
  ...LEAVING,
  // A number beyond the list ("2" under one appointment): the list again, not the main menu's 2.
  { guard: 'picksBeyondList', actions: ['listAgain'] },
  ...BY_NAME,
  // "borra la de houston" when the only one saved is in Atlanta: not that one.
  { guard: 'onlyOneDoesNotFit', actions: ['listAgain'] },
  { guard: 'deletesOldOne', actions: ['sayOldOneGone'] },
  { guard: 'cancelsOnlyOne', actions: ['cancelOnlyOne'] },
  { guard: 'changesOnlyOne', actions: ['changeOnlyOne'] },
  { guard: 'picksOne', actions: ['offerActions'] },
  { actions: ['leaveList'] },
];
export const ACTION_RULES: Rule[] = [
  ...LEAVING,
  ...BY_NAME,
  { guard: 'choosesChange', actions: ['changeChosen'] },
  { guard: 'choosesCancel', actions: ['cancelChosen'] },
  { actions: ['leaveList'] },
];

interface InList {
  wantsCancel: boolean;
  wantsChange: boolean;
  named?: Appointment;
  /** Someone else named, or another appointment. */
  another: boolean;
  only?: Appointment;
  /** The appointment picked at "What do you want to do with it?". */
  chosen?: Appointment;
}

function inList(ctx: ConversationContext, t: Turn): InList {
  return once(t, 'inList', () => {
    const { u, text } = t;
    const found = t.raw.found;
    const named = u.number === undefined ? appointmentNamed(text, ctx.appointments) : undefined;
    const only = ctx.appointments.length === 1 ? ctx.appointments[0] : undefined;
    const step = ctx.managing;
    const chosen = step?.step === 'action' ? ctx.appointments.find((a) => a.id === step.id) : undefined;
    return {
      // In words too: "change it", "la hora, ahora es a las 10", "delete it", "cancelala".
      wantsCancel: means(u, 'cancel') && !means(u, 'change'),
      wantsChange: means(u, 'change') || detailsIn(found),
      ...(named ? { named } : {}),
      another:
        means(u, 'another') ||
        means(u, 'family') ||
        (t.raw.reading?.nameMentioned !== undefined && !found?.place) ||
        t.raw.reading?.nameAfterWord !== undefined,
      ...(only ? { only } : {}),
      ...(chosen ? { chosen } : {}),
    };
  });
}

/** Whether what a message names (a date, a place) fits a saved appointment; a change's new time always fits. */
function matches(appointment: Appointment, found: Found | undefined): boolean {
  if (!found) return true;
  if (found.date && found.date !== appointment.date && !found.time) return false;
  if (found.place && found.place.label !== appointment.place) {
    const state = (label: string) => label.slice(-2);
    if (state(found.place.label) !== state(appointment.place)) return false;
  }
  return true;
}

/**
 * "borrar" or "delete" alone under "2 Turn off its reminders": that, not DELETE. DELETE is no
 * carrier's word; "borrar mis datos" still asks to erase all.
 */
export function turnsOffChosen(ctx: ConversationContext, t: Turn): boolean {
  const { u } = t;
  return (
    u.command?.name === 'delete' &&
    ctx.managing?.step === 'action' &&
    means(u, 'cancel') &&
    (u.size ?? 2) <= 1
  );
}

export function managingGuards(): Guards {
  const wordsOnly = (t: Turn) => t.u.number === undefined;
  return {
    // "cancelar el recordatorio" is also the words that show the list: here, it picks what to do.
    // On WhatsApp "cancel" (a stop word elsewhere) gets here only while managing: cancel this one.
    leavesList: (ctx, t) => {
      const { wantsCancel, wantsChange } = inList(ctx, t);
      const command = t.u.command?.name;
      const listWords =
        (command === 'appointments' && (wantsCancel || wantsChange)) ||
        (command === 'stop' && wantsCancel) ||
        (wantsCancel && turnsOffChosen(ctx, t));
      return (command !== undefined && !listWords) || t.u.number === 0;
    },
    asksWhereRemindersGo: (_, t) => means(t.u, 'reminders_where'),
    picksBeyondList: (ctx, t) => t.u.number !== undefined && t.u.number > ctx.appointments.length,
    cancelsNamedOne: (ctx, t) => !!inList(ctx, t).named && inList(ctx, t).wantsCancel,
    changesNamedOne: (ctx, t) => !!inList(ctx, t).named && (detailsIn(t.raw.found) || means(t.u, 'change')),
    namesOne: (ctx, t) => !!inList(ctx, t).named,
    asksAboutUnlisted: (ctx, t) =>
      wordsOnly(t) && inList(ctx, t).another && (inList(ctx, t).wantsCancel || means(t.u, 'change')),
    tellsUnlisted: (ctx, t) => wordsOnly(t) && inList(ctx, t).another,
    onlyOneDoesNotFit: (ctx, t) => {
      const { only, wantsCancel, wantsChange } = inList(ctx, t);
      return wordsOnly(t) && !!only && (wantsCancel || wantsChange) && !matches(only, t.raw.found);
    },
    // "delete the old one" when the only one saved was moved: the old date is gone already; the
    // new one is not deleted without asking.
    deletesOldOne: (ctx, t) => {
      const { only, wantsCancel } = inList(ctx, t);
      return wordsOnly(t) && !!only && wantsCancel && only.version > 1 && t.cues.old_one === true;
    },
    cancelsOnlyOne: (ctx, t) => wordsOnly(t) && !!inList(ctx, t).only && inList(ctx, t).wantsCancel,
    changesOnlyOne: (ctx, t) => wordsOnly(t) && !!inList(ctx, t).only && inList(ctx, t).wantsChange,
    // A number, or "yes" with one listed ("cancel the reminder", then "yes").
    picksOne: (ctx, t) => pickedOne(ctx, t) !== undefined,
    choosesChange: (ctx, t) =>
      !!inList(ctx, t).chosen && (t.u.number === 1 || (wordsOnly(t) && inList(ctx, t).wantsChange)),
    choosesCancel: (ctx, t) =>
      !!inList(ctx, t).chosen && (t.u.number === 2 || (wordsOnly(t) && inList(ctx, t).wantsCancel)),
  };
}

function pickedOne(ctx: ConversationContext, t: Turn): Appointment | undefined {
  const { only } = inList(ctx, t);
  const yes = means(t.u, 'yes') && !means(t.u, 'no');
  return t.u.number === undefined ? (yes && only ? only : undefined) : ctx.appointments[t.u.number - 1];
}

export function managingActions(
  kit: Kit,
  answerAsTopic: (ctx: ConversationContext, t: Turn) => ConversationContext,
): Actions {
  const change = (ctx: ConversationContext, t: Turn, chosen: Appointment) =>
    kit.applyCapture({ ...ctx, managing: undefined }, startCapture(kit.captureInput(t), chosen));
  const actionsFor = (ctx: ConversationContext, chosen: Appointment) => ({
    ...say(ctx, { say: { system: 'appt_pick_action' }, params: paramsOf(chosen) }),
    managing: { step: 'action' as const, id: chosen.id },
  });
  return {
    leaveList: (ctx, t) => answerAsTopic({ ...ctx, managing: undefined }, t),
    listAgain: (ctx) => kit.listAppointments(ctx, ctx.node),
    cancelNamedOne: (ctx, t) => kit.cancelAppointment(ctx, inList(ctx, t).named!),
    changeNamedOne: (ctx, t) => change(ctx, t, inList(ctx, t).named!),
    offerNamedActions: (ctx, t) => actionsFor(ctx, inList(ctx, t).named!),
    sayOldOneGone: (ctx, t) =>
      actionsFor(say(ctx, { say: { system: 'appt_old_gone' } }), inList(ctx, t).only!),
    cancelOnlyOne: (ctx, t) => kit.cancelAppointment(ctx, inList(ctx, t).only!),
    changeOnlyOne: (ctx, t) => change(ctx, t, inList(ctx, t).only!),
    offerActions: (ctx, t) => actionsFor(ctx, pickedOne(ctx, t)!),
    changeChosen: (ctx, t) => change(ctx, t, inList(ctx, t).chosen!),
    cancelChosen: (ctx, t) => kit.cancelAppointment(ctx, inList(ctx, t).chosen!),
  };
}
