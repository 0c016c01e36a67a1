import { type Appointment, detailsIn, type Found, startCapture } from '../appointments.js';
import type { ReplyPart } from '../content.js';
import { type Kit, likeliest } from './kit.js';
import { effect, paramsOf, say, sayFirst } from './replies.js';
import type { Actions, Guards, Rule } from './rules.js';
import { asksAfterOldOne } from './saved.js';
import { listedAlready, means, mostly, once, type Turn } from './turn.js';
import type { ConversationContext } from './types.js';

/**
 * The list of saved appointments: pick one (by number, by name, or the only one), then change it
 * or turn its reminders off. Anything else leaves the list and is answered as a topic.
 */
const LEAVING: Rule[] = [
  { guard: 'leavesList', actions: ['leaveList'] },
  // "el de kevin me llega a mi o a el?" asks where reminders go: answered, not a pick.
  { guard: 'asksWhereRemindersGo', actions: ['leaveList'] },
  // "You keep my number and my mother name in your system? … i want you delete everything": a
  // question about Huella, answered, not a pick to cancel (blind try 25).
  { guard: 'askedAboutHuellaInList', actions: ['leaveList'] },
  // "no nada q cambiar. la licencia vencida le sirve o no?": nothing to do with the list, and a
  // question of a topic; the list is left as it is, said so, and the question answered.
  { guard: 'keepsAndAsksTopic', actions: ['keepAndAnswerTopic'] },
  // "ok asi dejelo. y wilmer solo tiene la licencia… le sirve esa?": a topic's question, with no
  // word of changing or cancelling, is no pick (blind try 25).
  { guard: 'asksTopicInList', actions: ['leaveList'] },
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
/**
 * Turning reminders off needs a plain choice: a "no" or a question in the middle of it does
 * nothing ("no era eso" while explaining a strange text is no "cancel").
 */
const HOLDING: Rule[] = [
  // "no", "not that", "forget it", "no, no la canceles": nothing is done, and it says so.
  { guard: 'refusesAction', actions: ['keepAsIs'] },
  // "wait", "cancel? what is this": nothing is done yet; the choice is asked again.
  { guard: 'holdsAction', actions: ['askPlainChoice'] },
];
export const PICK_RULES: Rule[] = [
  ...LEAVING,
  ...HOLDING,
  // A number beyond the list ("2" under one appointment): the list again, not the main menu's 2.
  { guard: 'picksBeyondList', actions: ['listAgain'] },
  ...BY_NAME,
  // "borra la de houston" when the only one saved is in Atlanta: not that one.
  { guard: 'onlyOneDoesNotFit', actions: ['listAgain'] },
  { guard: 'deletesOldOne', actions: ['sayOldOneGone'] },
  { guard: 'cancelsOnlyOne', actions: ['cancelOnlyOne'] },
  { guard: 'changesOnlyOne', actions: ['changeOnlyOne'] },
  // "2 delete", "2 efase li": the one by its number, its reminders off at once.
  { guard: 'picksAndCancels', actions: ['cancelLeading'] },
  { guard: 'picksOne', actions: ['offerActions'] },
  { actions: ['leaveList'] },
];
export const ACTION_RULES: Rule[] = [
  ...LEAVING,
  ...HOLDING,
  ...BY_NAME,
  // "solo quiero saber si borro el recordatorio del 18 de diciembre", the old date of the one
  // moved: gone already; not a change of the one kept to that old date (blind try 27).
  { guard: 'deletesOldOne', actions: ['sayOldOneGone'] },
  { guard: 'choosesChange', actions: ['changeChosen'] },
  { guard: 'choosesCancel', actions: ['cancelChosen'] },
  { actions: ['leaveList'] },
];

/**
 * The choice number a message opens with, words after it ("2 efase li", "2 delete", "1 change the
 * time"): the number picks, the words say why (blind tries 28, 29).
 */
function leadingNumber(t: Turn): number | undefined {
  const lead = /^\s*([1-9])(?=[\s,.:;!-]+\p{L})/u.exec(t.text);
  return lead ? Number(lead[1]) : undefined;
}

/** The listed appointment the number a message opens with picks ("2 delete"), if one. */
function leadingOne(ctx: ConversationContext, t: Turn): Appointment | undefined {
  const n = leadingNumber(t);
  return n === undefined ? undefined : ctx.appointments[n - 1];
}

/**
 * Right after reminders were turned off, "put it back", "vuélvela a poner", "not that": the one
 * just cancelled is saved again (among the topics, where a cancellation leaves the conversation).
 */
export const UNDO_RULES: Rule[] = [{ guard: 'undoesCancel', actions: ['restoreCancelled'] }];

interface InList {
  wantsCancel: boolean;
  wantsChange: boolean;
  named?: Appointment;
  /** Someone else named, or another appointment. */
  another: boolean;
  only?: Appointment;
  /** The appointment picked at "What do you want to do with it?". */
  chosen?: Appointment;
  /** It says no to what it would do ("no", "not that", "forget it", "don't cancel"). */
  refuses: boolean;
  /** It waits, or says no beside a cancel word ("wait", "no dont cancel the reminders"). */
  holds: boolean;
}

function inList(kit: Kit, ctx: ConversationContext, t: Turn): InList {
  return once(t, 'inList', () => {
    const { u } = t;
    const found = t.raw.found;
    const named = u.number === undefined ? kit.appointmentMeant(t, ctx.appointments) : undefined;
    const only = ctx.appointments.length === 1 ? ctx.appointments[0] : undefined;
    const step = ctx.managing;
    const chosen = step?.step === 'action' ? ctx.appointments.find((a) => a.id === step.id) : undefined;
    // In words too: "change it", "la hora, ahora es a las 10", "delete it", "cancelala"; and
    // "ya no me mandes recordatorios": its reminders off is what cancelling does here.
    // "quitala, me la cambiaron y todavia no se la nueva fecha": a change told as done, with no new
    // day or time, is why they cancel, not a change to make.
    const changeDone = means(u, 'changed') && !detailsIn(found);
    const wantsCancel =
      (means(u, 'cancel') || means(u, 'stop_reminders')) && (!means(u, 'change') || changeDone);
    // "ok merci. priez pour moi lol jai tres peur demain" with tomorrow's listed: the day it is,
    // no new one (blind try 31 got "is that right?" for the saved appointment again).
    const wantsChange =
      (means(u, 'change') && !wantsCancel) || (detailsIn(found) && !listedAlready(found, ctx.appointments));
    return {
      wantsCancel,
      wantsChange,
      ...holding(t, wantsCancel, wantsChange),
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

/**
 * Whether a message holds back what the list would do. A "no" that is the request itself ("no more
 * reminders") is no refusal; one beside a cancel word ("no, dont cancel", "no la canceles") is.
 */
function holding(t: Turn, wantsCancel: boolean, wantsChange: boolean): Pick<InList, 'refuses' | 'holds'> {
  const { u } = t;
  if (u.number !== undefined || u.command !== undefined || detailsIn(t.raw.found))
    return { refuses: false, holds: false };
  const plainly = mostly(u, 'cancel') || mostly(u, 'stop_reminders');
  // A denial anywhere in the message is not one of the cancelling: "delete it i dont need it no
  // more" and "no me mandes recordatorios" ask for it. A "no" that opens the message, or one
  // said of the cancelling ("dont cancel", not_that), holds it back.
  // "y si no puedo ir ese dia porque trabajo": not going told, a question, not a refusal.
  const negated =
    (t.cues.says_no === true || (t.cues.negation === true && !wantsCancel && t.cues.cant_attend !== true)) &&
    !plainly;
  const refuses =
    mostly(u, 'no') ||
    means(u, 'not_that') ||
    // "turn it off thats the wrong one": the cancelling, with its reason (blind try 17).
    (means(u, 'wrong_one') && !wantsCancel) ||
    t.cues.emphatic_no === true ||
    (means(u, 'quit') && !wantsCancel) ||
    (negated && !wantsCancel && !wantsChange && !t.text.includes('?'));
  // "quitala, me la cambiaron y todavia no se la nueva fecha": a "not yet" beside a cancel word
  // is said of something else; "wait, dont cancel" holds it by its denial.
  return { refuses, holds: (means(u, 'hold') && !wantsCancel) || (wantsCancel && negated) };
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

/** A question ("?", or its words: "je fais koi") of a topic, not of the list's own. */
function topicAsked(kit: Kit, ctx: ConversationContext, t: Turn): boolean {
  // "priez pour moi lol jai tres peur demain": tomorrow's day, listed already, tells nothing new.
  const told =
    t.u.command === undefined && (!detailsIn(t.raw.found) || listedAlready(t.raw.found, ctx.appointments));
  if (t.u.number !== undefined || !told || means(t.u, 'reminders_where')) return false;
  // In doubt between topics too ("la licencia vencida le sirve": the ID, or what to bring):
  // the topics ask which, rather than the list taking it.
  const first = likeliest(kit.pick(ctx, t));
  const node = first === undefined ? undefined : kit.node(first);
  // A fear told is answered as a question is (the comfort topic listens: `listens`).
  const asks = kit.asksQuestion(t) || t.cues.how_asked === true || node?.listens === true;
  return asks && !!node && !node.capture && !node.manage;
}

/** "put it back", "not that" right after reminders were turned off: words only, no new detail. */
function undoesCancel(t: Turn): boolean {
  return (
    t.start.justCancelled !== undefined &&
    t.u.command === undefined &&
    t.u.number === undefined &&
    !detailsIn(t.raw.found) &&
    (means(t.u, 'undo') || means(t.u, 'not_that') || means(t.u, 'wrong_one'))
  );
}

/** A change or a cancel of one listed: the list's own business. */
const wantsListAction = (l: InList) => l.wantsCancel || l.wantsChange;

/**
 * A question about Huella, asked in the list; when the texts come needs no "?" ("juste changer le
 * rappel de 3h avant pour la veille au soir" is no change of the appointment: blind try 26).
 */
function asksAboutHuella(kit: Kit, t: Turn, asks: boolean): boolean {
  const key = kit.huellaAnswer(t.u);
  return key !== undefined && (asks || key === 'reminders_when');
}

export function managingGuards(kit: Kit): Guards {
  const wordsOnly = (t: Turn) => t.u.number === undefined;
  // "cancel? what is this text", "what does turn off mean": a question, not a choice.
  const asks = (t: Turn) => t.u.command === undefined && !detailsIn(t.raw.found) && kit.asksQuestion(t);
  return {
    keepsAndAsksTopic: (ctx, t) => inList(kit, ctx, t).refuses && topicAsked(kit, ctx, t),
    asksTopicInList: (ctx, t) => topicAsked(kit, ctx, t) && !wantsListAction(inList(kit, ctx, t)),
    askedAboutHuellaInList: (_, t) => asksAboutHuella(kit, t, asks(t)),
    refusesAction: (ctx, t) => inList(kit, ctx, t).refuses,
    holdsAction: (ctx, t) => {
      const { holds, wantsCancel, chosen } = inList(kit, ctx, t);
      const unclear = chosen !== undefined && kit.pick(ctx, t).kind !== 'sure';
      return holds || (wordsOnly(t) && asks(t) && (wantsCancel || unclear));
    },
    undoesCancel: (_, t) => undoesCancel(t),
    // "cancelar el recordatorio" is also the words that show the list: here, it picks what to do.
    // On WhatsApp "cancel" (a stop word elsewhere) gets here only while managing: cancel this one.
    leavesList: (ctx, t) => {
      const { wantsCancel, wantsChange } = inList(kit, ctx, t);
      const command = t.u.command?.name;
      const listWords =
        (command === 'appointments' && (wantsCancel || wantsChange)) ||
        (command === 'stop' && wantsCancel) ||
        (wantsCancel && turnsOffChosen(ctx, t));
      return (command !== undefined && !listWords) || t.u.number === 0;
    },
    asksWhereRemindersGo: (_, t) => means(t.u, 'reminders_where'),
    picksBeyondList: (ctx, t) => t.u.number !== undefined && t.u.number > ctx.appointments.length,
    cancelsNamedOne: (ctx, t) => cancelsNamedOne(kit, ctx, t),
    changesNamedOne: (ctx, t) =>
      !!inList(kit, ctx, t).named && (detailsIn(t.raw.found) || means(t.u, 'change')),
    namesOne: (ctx, t) => !!inList(kit, ctx, t).named,
    asksAboutUnlisted: (ctx, t) =>
      wordsOnly(t) &&
      inList(kit, ctx, t).another &&
      (inList(kit, ctx, t).wantsCancel || means(t.u, 'change')),
    tellsUnlisted: (ctx, t) => wordsOnly(t) && inList(kit, ctx, t).another,
    onlyOneDoesNotFit: (ctx, t) => {
      const { only, wantsCancel, wantsChange } = inList(kit, ctx, t);
      return wordsOnly(t) && !!only && (wantsCancel || wantsChange) && !matches(only, t.raw.found);
    },
    // "delete the old one" when the only one saved was moved: the old date is gone already; the
    // new one is not deleted without asking.
    deletesOldOne: (ctx, t) => wordsOnly(t) && asksAfterOldOne(ctx, t),
    cancelsOnlyOne: (ctx, t) => wordsOnly(t) && !!inList(kit, ctx, t).only && inList(kit, ctx, t).wantsCancel,
    changesOnlyOne: (ctx, t) => wordsOnly(t) && !!inList(kit, ctx, t).only && inList(kit, ctx, t).wantsChange,
    picksAndCancels: (ctx, t) => leadingOne(ctx, t) !== undefined && inList(kit, ctx, t).wantsCancel,
    // A number, or "yes" with one listed ("cancel the reminder", then "yes").
    picksOne: (ctx, t) => pickedOne(kit, ctx, t) !== undefined,
    choosesChange: (ctx, t) => choosesAction(kit, ctx, t, CHANGE_CHOICE),
    choosesCancel: (ctx, t) => choosesAction(kit, ctx, t, CANCEL_CHOICE),
  };
}

/** The numbers of appt_pick_action's choices: 1 change the date or time, 2 turn off its reminders. */
const CHANGE_CHOICE = 1;
const CANCEL_CHOICE = 2;

/**
 * The chosen one's action picked: by its number, alone or with words after it ("2 efase li"), or
 * by words alone ("cambiar la hora", "turn it off").
 */
function choosesAction(kit: Kit, ctx: ConversationContext, t: Turn, choice: number): boolean {
  const { chosen, wantsChange, wantsCancel } = inList(kit, ctx, t);
  const [wants, other] = choice === CHANGE_CHOICE ? [wantsChange, wantsCancel] : [wantsCancel, wantsChange];
  return (
    chosen !== undefined &&
    (t.u.number === choice || (t.u.number === undefined && wants) || (leadingNumber(t) === choice && !other))
  );
}

/** A cancel word and someone's appointment named, not beside one's own ("…et le mien annule-le"). */
function cancelsNamedOne(kit: Kit, ctx: ConversationContext, t: Turn): boolean {
  const { named, wantsCancel } = inList(kit, ctx, t);
  return !!named && wantsCancel && !kit.besideOwn(t, named);
}

function pickedOne(kit: Kit, ctx: ConversationContext, t: Turn): Appointment | undefined {
  const { only } = inList(kit, ctx, t);
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
  /** The one the message is about: chosen, named, or the only one. */
  const about = (ctx: ConversationContext, t: Turn) =>
    inList(kit, ctx, t).chosen ?? inList(kit, ctx, t).named ?? inList(kit, ctx, t).only;
  const whose = (a: Appointment): Pick<ReplyPart, 'params' | 'lead'> => ({
    params: paramsOf(a),
    ...(a.name ? { lead: 'for_name' as const } : {}),
  });
  /** "Nothing changed": of the one the message is about, or of them all. */
  const keptPart = (ctx: ConversationContext, t: Turn): ReplyPart => {
    const kept = about(ctx, t);
    return kept ? { say: { system: 'appt_kept' }, ...whose(kept) } : { say: { system: 'appt_kept_all' } };
  };
  return {
    keepAsIs: (ctx, t) => say(kit.atMenu({ ...ctx, managing: undefined }), keptPart(ctx, t)),
    askPlainChoice: (ctx, t) => {
      const one = about(ctx, t);
      const asked = one ? actionsFor(ctx, one) : kit.listAppointments(ctx, ctx.node);
      return sayFirst(asked, { say: { system: 'appt_nothing_yet' } });
    },
    restoreCancelled: (ctx, t) => {
      const gone = t.start.justCancelled!;
      // A new version: the reminders are planned afresh, under new job ids.
      const back: Appointment = { ...gone, version: gone.version + 1 };
      const told = say(ctx, { say: { system: 'appt_restored' }, ...whose(back) });
      return effect(
        {
          ...told,
          appointments: [...ctx.appointments.filter((a) => a.id !== back.id), back],
          justSaved: back.id,
        },
        { type: 'schedule', appointment: back, previous: gone },
      );
    },
    leaveList: (ctx, t) => answerAsTopic({ ...ctx, managing: undefined }, t),
    keepAndAnswerTopic: (ctx, t) =>
      sayFirst(answerAsTopic({ ...ctx, managing: undefined }, t), keptPart(ctx, t)),
    listAgain: (ctx) => kit.listAppointments(ctx, ctx.node),
    cancelNamedOne: (ctx, t) => kit.cancelAppointment(ctx, inList(kit, ctx, t).named!),
    changeNamedOne: (ctx, t) => change(ctx, t, inList(kit, ctx, t).named!),
    offerNamedActions: (ctx, t) => actionsFor(ctx, inList(kit, ctx, t).named!),
    sayOldOneGone: (ctx, t) =>
      actionsFor(say(ctx, { say: { system: 'appt_old_gone' } }), inList(kit, ctx, t).only!),
    cancelOnlyOne: (ctx, t) => kit.cancelAppointment(ctx, inList(kit, ctx, t).only!),
    changeOnlyOne: (ctx, t) => change(ctx, t, inList(kit, ctx, t).only!),
    offerActions: (ctx, t) => actionsFor(ctx, pickedOne(kit, ctx, t)!),
    changeChosen: (ctx, t) => change(ctx, t, inList(kit, ctx, t).chosen!),
    cancelChosen: (ctx, t) => kit.cancelAppointment(ctx, inList(kit, ctx, t).chosen!),
    cancelLeading: (ctx, t) => kit.cancelAppointment(ctx, leadingOne(ctx, t)!),
  };
}
