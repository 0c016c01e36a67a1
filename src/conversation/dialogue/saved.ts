import { correctsInWords } from '../../understanding/cues.js';
import { dateLanguage } from '../../understanding/date-language.js';
import { INTENT_MIN_SCORE, pickIntent } from '../../understanding/understand.js';
import { deniedHours, onTwelveHourClock } from '../../understanding/when.js';
import { type Appointment, detailsIn, startCapture, tellsOnly } from '../appointments.js';
import type { Kit } from './kit.js';
import { effect, paramsOf, say, sayFirst } from './replies.js';
import type { Actions, Guards, Rule } from './rules.js';
import { answersPlainly, sayAlreadySaved, shower } from './topics.js';
import {
  asksSomething,
  correctsSavedTime,
  hasQuestionMark,
  listedAlready,
  means,
  once,
  type Turn,
} from './turn.js';
import type { ConversationContext } from './types.js';

/**
 * Messages about the appointments already told, among the topics: "yes" to the reminder offer,
 * another person's appointment, a correction of the one just saved, news that it changed, a
 * cancellation by name. They come before the topics' own pick: "me la cambiaron para las 10" is
 * about the saved one, even though its words also name the topic of rescheduling.
 */
export const SAVED_RULES: Rule[] = [
  // "le rappel 3h avant… peux tu le mettre la veille au soir plutot": when the texts come, asked
  // of the one just saved; not another appointment, nor a change of its day (blind try 26).
  { guard: 'asksReminderTimes', actions: ['answerAboutHuella'] },
  // "y la del 18 ya se borro verdad? no quiero q me llegue aviso de la vieja" once the one saved
  // was moved: the old date is gone already, and the list shows what is kept; not the old date
  // taken for another appointment (blind try 27).
  { guard: 'asksAfterOldOne', actions: ['sayOldOneGone'] },
  // "Yes i want reminder. And what time i should reach there, 9 sharp or before?": the question
  // answered, then the offered one read back to save (blind try 32 lost the question).
  { guard: 'acceptsOfferAndAsks', actions: ['showAskedBesideYes', 'collectOffered'] },
  { guard: 'acceptsOffer', actions: ['collectOffered'] },
  { guard: 'asksIfOfferedSaved', actions: ['collectOffered', 'sayNotYet'] },
  // "efface les rappels du mien (le 22), garde juste ceux de ma blonde": the one saved on the day
  // told, its reminders off; not another appointment to add (blind try 28).
  { guard: 'cancelsByDay', actions: ['cancelByDay'] },
  { guard: 'tellsAnother', actions: ['collectAnother'] },
  { guard: 'cancelsOneOfTwo', actions: ['showList'] },
  { guard: 'cancelsNamed', actions: ['cancelNamed'] },
  { guard: 'cancelsUnsaved', actions: ['showList'] },
  { guard: 'tellsSomeoneElses', actions: ['collectNew'] },
  { guard: 'tellsOtherDay', actions: ['collectNew'] },
  // "her name is Maria", "se llama Maria" right after saving: the saved one's name is put right,
  // whatever else the words say ("oops his name is Danyel" asked for a new date: blind try 11).
  { guard: 'renamesSaved', actions: ['renameSaved'] },
  { guard: 'saysItChanged', actions: ['collectChange'] },
  // "ay perdon… es el miercoles 16 no el 15, misma hora. y otra pregunta yo puedo entrar con
  // ella?": the question after "y otra pregunta" answered, then the saved one put right and read
  // back (blind try 34 answered the question and kept the wrong day).
  { guard: 'correctsSavedAndAsksAfter', actions: ['showAskedAfter', 'correctSaved'] },
  { guard: 'correctsSaved', actions: ['correctSaved'] },
];

/**
 * The one saved appointment at the hour the message says is wrong ("mine is at 8:30 not 9"),
 * when a time is told beside it: that is the one put right.
 */
function deniedOne(kit: Kit, t: Turn): Appointment | undefined {
  const saved = t.start.appointments;
  if (saved.length === 0 || !t.event.found?.time) return undefined;
  const hours = deniedHours(t.text, dateLanguage(kit.flows, kit.languageOf(t.u, t.start.lang)));
  const at = saved.filter((a) => hours.includes(onTwelveHourClock(Number(a.time.slice(0, 2)))));
  return at.length === 1 ? at[0] : undefined;
}

/** What a message says about the saved appointments, read once a turn. */
interface AboutSaved {
  family: boolean;
  /** Another appointment: "y la mía…", "also my husband has one". */
  another: boolean;
  /** It tells a date (or, for another person's, a date with the time). */
  told: boolean;
  /** Right after saving one, and not a question: the next one may start. */
  next: boolean;
  /** It asks something besides, and reminders are offered after the answer instead. */
  asksBesides: boolean;
  dated: boolean;
  /** The saved appointment the message names by its person's name. */
  named?: Appointment;
  /** Someone named who has none saved. */
  someoneElse: boolean;
  /** The saved appointment a date, time or place in the message would correct. */
  toChange?: Appointment;
  /** "they changed it", "now it's…". */
  changeWords: boolean;
  /** "wait, it's 10:30", "no!! its 10:30 not 9": a correction in so many words. */
  correction: boolean;
  /** "can I go to Atlanta instead?": a question, not a correction. */
  asksInstead: boolean;
  justSaved?: Appointment;
  sure: boolean;
}

/**
 * "now Rosa, same day 9:30 same office" right after saving: the saved one is that day and office
 * already, so it names the next one; "wait, same day but 9:30" still corrects it.
 */
function namesNextBySaved(t: Turn, changeWords: boolean): boolean {
  const { u, cues } = t;
  return (
    (means(u, 'same_day') || means(u, 'same_place')) &&
    !changeWords &&
    !means(u, 'no') &&
    !cues.correcting &&
    !cues.negation
  );
}

/**
 * "my cousin told me ICE… I am scared to go tomorrow" with tomorrow's saved: a fear of arrest, or
 * the saved day told again with no hour, tells no other appointment (blind try 34).
 */
function tellsNoOtherOne(t: Turn): boolean {
  const found = t.event.found;
  return (
    t.cues.arrest_fear === true || (found?.time === undefined && listedAlready(found, t.start.appointments))
  );
}

function aboutSaved(kit: Kit, t: Turn): AboutSaved {
  return once(t, 'aboutSaved', () => {
    const { u, event, start, text } = t;
    const found = event.found;
    const family = means(u, 'family');
    const justSaved = start.appointments.find((a) => a.id === start.justSaved);
    const only = start.appointments.length === 1 ? start.appointments[0] : undefined;
    const changeWords = means(u, 'changed');
    // The words inbound-event.ts reads a date for, with one saved (a saved one put right).
    const correction = correctsInWords(t.cues);
    const sameAsSaved = justSaved !== undefined && namesNextBySaved(t, changeWords);
    // "mine is at 8:30 not 9" with Mateo's just saved: the one at the hour said to be wrong.
    const denied = deniedOne(kit, t);
    const named = kit.appointmentMeant(t, start.appointments) ?? denied;
    const noOther = tellsNoOtherOne(t);
    // "for maria dec 8 10am miami", "cancel jose": someone by name, even with a place.
    const someoneElse =
      !named &&
      (family ||
        (event.reading?.nameMentioned !== undefined && !found?.place) ||
        event.reading?.nameAfterWord !== undefined);
    return {
      family,
      // "the 2nd one is my husband marvin, it got moved to jan 14": a relative whose appointment
      // is saved names that one, not another (blind try 21 added a third).
      another:
        denied === undefined && !noOther && (means(u, 'another') || ((family || sameAsSaved) && !named)),
      // A family member with only an hour ("my husband works until 8 am, can he drive me") is not
      // an appointment: a date must come with it.
      // Nor is the day one's own notice came, told with a relative's that did not ("i got my
      // notice last week but he didnt get anything": blind try 17).
      told:
        !(t.cues.own_came && t.cues.not_received) &&
        !noOther &&
        (family && !means(u, 'another') ? !!(found?.date || found?.ambiguous) : detailsIn(found)),
      next: justSaved !== undefined && !text.includes('?') && !means(u, 'trouble'),
      // With nothing just saved, a question that names someone and a day ("appt is 9am tmrw, my
      // son has fever, how do i change it") is answered, not taken for their appointment.
      // (Asking to save it, "la puedes guardar tambien?", asks nothing besides: blind try 16.)
      // A question beside the request for reminders ("can i bring my baby?… and remind me the day
      // before") asks besides too (understand.ts `besides`).
      asksBesides:
        event.asks === true &&
        (event.remindWords !== true || u.besides !== undefined) &&
        (event.offerReminders === true || justSaved === undefined),
      dated: found?.date !== undefined || found?.ambiguous !== undefined,
      ...(named ? { named } : {}),
      someoneElse,
      ...(justSaved ? { justSaved } : {}),
      toChange:
        named ?? (someoneElse ? undefined : changeWords || correction ? (justSaved ?? only) : justSaved),
      changeWords,
      correction,
      asksInstead: text.includes('?') || means(u, 'instead'),
      sure: kit.pick(start, t).kind === 'sure',
    };
  });
}

/** "did you save it?", "ya la guardaste?": whether what was told is saved. */
function offeredSaved(t: Turn): boolean {
  return means(t.u, 'saved_what') && !t.u.command;
}

/**
 * When the texts come, asked of the saved ones ("le rappel 3h avant… la veille au soir plutot"):
 * its "3h" and "la veille" are no appointment's time and day; one told with its own words
 * ("remind me the day before, my appt is 02/20") is another appointment.
 */
function asksReminderTimes(kit: Kit, ctx: ConversationContext, t: Turn): boolean {
  return (
    ctx.appointments.length > 0 &&
    t.cues.when_it_comes !== true &&
    kit.huellaAnswer(t.u) === 'reminders_when' &&
    (!detailsIn(t.event.found) || !kit.namesAppointment(t)) &&
    // "oups… c'est a 13h00 pas 13h30. pis le rappel de 3h avant j'en veux pas": the time put
    // right first (blind try 28); the reminders' times are asked again if they still want to.
    !correctsSavedTime(ctx, t)
  );
}

/** The words name a topic for sure, and not saving it ("ok YES remind her pls" names saving). */
function namesOtherThanSaving(kit: Kit, t: Turn): boolean {
  const pick = pickIntent(t.u.intents);
  return pick.kind === 'sure' && kit.node(pick.node)?.capture !== true;
}

/**
 * "ok i will go early. i have 2 children… i can bring them with me inside?" under the reminder
 * offer: a question of a topic, named for sure or in doubt, not a yes to the offer (blind try 28);
 * answered, or asked which, and the offer made again after it.
 */
/** Under the reminder offer, a yes with a question ("yes… and what time should i get there?"): the topic it asks. */
function askedBesideYes(kit: Kit, t: Turn): string | undefined {
  // The yes is to the reminders, in so many words ("ok i will go early… can i bring them?" is a
  // question, not a yes: blind try 28).
  const yes = means(t.u, 'yes') && t.event.remindWords === true && !means(t.u, 'no');
  if (t.start.offer === undefined || !yes || !hasQuestionMark(t)) return undefined;
  // The words' own weights: the pick takes the offer's reminders for the topic under it.
  const top = t.u.intents[0];
  return top && top.score >= INTENT_MIN_SCORE && answersPlainly(kit, top.node) ? top.node : undefined;
}

/** The question a message asks after its afterthought word ("…y otra pregunta yo puedo entrar con ella?"), answered plainly. */
function askedAfter(kit: Kit, t: Turn): string | undefined {
  return t.u.afterthought?.find((id) => answersPlainly(kit, id));
}

function asksAnotherTopic(kit: Kit, t: Turn): boolean {
  if (!asksSomething(t)) return false;
  const pick = kit.pick(t.start, t);
  return pick.kind === 'unsure' || (pick.kind === 'sure' && kit.node(pick.node)?.capture !== true);
}

/** The one saved appointment on the day a cancel asks for ("borra la del 22"), if one. */
function savedOnDayCancelled(ctx: ConversationContext, t: Turn): Appointment | undefined {
  const date = t.event.found?.date;
  if (!date || !means(t.u, 'cancel') || means(t.u, 'change')) return undefined;
  const on = ctx.appointments.filter((a) => a.date === date);
  // "le 22" alone reads as the next 22nd, or today's: the one saved on a 22nd is meant.
  const onDay = ctx.appointments.filter((a) => a.date.slice(8) === date.slice(8));
  return on.length === 1 ? on[0] : on.length === 0 && onDay.length === 1 ? onDay[0] : undefined;
}

/**
 * Whether the old date of the one appointment saved, moved since, is asked to be deleted or asked
 * after ("la del 18 ya se borro?", "delete the reminder for the 18th"): by its words ("la vieja")
 * or by a date told that is not the saved one's.
 */
export function asksAfterOldOne(ctx: ConversationContext, t: Turn): boolean {
  const only = ctx.appointments.length === 1 ? ctx.appointments[0]! : undefined;
  if (!only || only.version < 2 || !means(t.u, 'cancel')) return false;
  const date = t.event.found?.date;
  return t.cues.old_one === true || (date !== undefined && date !== only.date);
}

/**
 * "mes enfants sont dans mon dossier, ils doivent venir aussi demain?": whether the family in one's
 * own case comes too, asked with no time of theirs: a question, not their appointment (blind try 25).
 */
function asksIfFamilyComes(t: Turn): boolean {
  return t.cues.in_application === true && hasQuestionMark(t) && !t.event.found?.time;
}

export function savedGuards(kit: Kit): Guards {
  const read = (t: Turn) => aboutSaved(kit, t);
  return {
    // "si" to "Want reminders before your appointment?": collect it, from what that message told.
    // "si pa los dos porfavor": a yes first, then words that name no topic, accepts it too.
    acceptsOffer: (_, t) =>
      t.start.offer !== undefined &&
      (kit.nods(t) || t.cues.says_yes === true) &&
      !means(t.u, 'no') &&
      !namesOtherThanSaving(kit, t) &&
      !asksAnotherTopic(kit, t),
    // "so did you save it?" after "Want reminders? Reply YES": not yet, and the one told is read
    // back to save (the list said none was saved, and what was told was lost).
    asksIfOfferedSaved: (_, t) => t.start.offer !== undefined && offeredSaved(t),
    acceptsOfferAndAsks: (_, t) => askedBesideYes(kit, t) !== undefined,
    asksReminderTimes: (ctx, t) => asksReminderTimes(kit, ctx, t),
    // "y la mía es el 3 a las 9", "also my husband has one dec 15": another appointment, not a
    // correction of the one just saved; with a date, news of one even if it reads as the family topic.
    tellsAnother: (_, t) => {
      const r = read(t);
      // Right after saving, with a time: "y la de mi hija sofia? es a las 7 y cuarto" names the
      // next one, even with its "?" and words that also name the family topic.
      const toldNext = r.told && (!r.sure || r.dated || r.justSaved !== undefined);
      return r.another && !r.asksBesides && !asksIfFamilyComes(t) && (toldNext || r.next);
    },
    ...cancelGuards(kit),
    // Theirs is not saved yet: collect it as another appointment, keeping what was given.
    // "el de 15 se llama Brayan y su cita es el 14… me lo apunta tambien?": asked to save it, its
    // "?" is the asking, not a question (blind try 30).
    tellsSomeoneElses: (ctx, t) =>
      read(t).someoneElse &&
      ctx.appointments.length > 0 &&
      kit.told(t) &&
      (!t.text.includes('?') || t.event.remindWords === true) &&
      !read(t).sure,
    ...changeGuards(kit),
    renamesSaved: (_, t) =>
      read(t).justSaved !== undefined &&
      t.u.command === undefined &&
      t.event.reading?.nameIntroduced !== undefined &&
      !kit.told(t),
  };
}

/** Reminders turned off: of the old date of one moved, of the one on a day, of someone named. */
function cancelGuards(kit: Kit): Guards {
  const read = (t: Turn) => aboutSaved(kit, t);
  return {
    asksAfterOldOne: (ctx, t) => kit.listNode !== undefined && asksAfterOldOne(ctx, t),
    cancelsByDay: (ctx, t) => savedOnDayCancelled(ctx, t) !== undefined,
    cancelsNamed: (_, t) =>
      read(t).named !== undefined &&
      means(t.u, 'cancel') &&
      !means(t.u, 'change') &&
      !t.text.includes('?') &&
      !kit.besideOwn(t, read(t).named),
    // "Olivier c'est à 10h finalement… et le mien tu peux l'annuler": someone named and one's own,
    // and a cancel word said of one of them: the list, to choose, nothing cancelled (blind try 19).
    cancelsOneOfTwo: (ctx, t) =>
      kit.besideOwn(t, read(t).named) &&
      means(t.u, 'cancel') &&
      kit.listNode !== undefined &&
      ctx.appointments.length > 1,
    // "borrar la de carlos", "cancel my son's" with none saved for them: the list, nothing cancelled.
    cancelsUnsaved: (ctx, t) =>
      read(t).someoneElse &&
      kit.listNode !== undefined &&
      ctx.appointments.length > 0 &&
      means(t.u, 'cancel') &&
      !read(t).sure,
  };
}

/** A date, time or place about a saved appointment: a correction, news of a change, or another day. */
function changeGuards(kit: Kit): Guards {
  const read = (t: Turn) => aboutSaved(kit, t);
  return {
    // A whole other date and time right after saving ("jose dec 10 1pm miami"), with no word of a
    // correction: another appointment, whose is asked; the one saved stays.
    tellsOtherDay: (_, t) => {
      const r = read(t);
      const found = t.event.found;
      return (
        r.toChange !== undefined &&
        r.toChange === r.justSaved &&
        !r.named &&
        !r.changeWords &&
        !means(t.u, 'no') &&
        found?.date !== undefined &&
        found.time !== undefined &&
        found.date !== r.toChange.date &&
        !t.cues.correcting &&
        !t.cues.negation &&
        !r.asksInstead
      );
    },
    // "i called uscis and they change my appt", with one saved and no new date yet: what is new.
    saysItChanged: (_, t) => {
      const r = read(t);
      const pick = kit.pick(t.start, t);
      const aboutChanging = pick.kind !== 'sure' || kit.node(pick.node)?.savedHint === true;
      return (
        !!r.toChange && !r.asksInstead && r.changeWords && aboutChanging && !kit.told(t) && !r.someoneElse
      );
    },
    // "wait no, it's 8:30" right after saving, "me la cambiaron para las 10" with one saved: a
    // correction, even where its words also name a topic ("confundido"). A wish ("quiero cambiar
    // la cita para el 15") is not: that still explains how to change it with USCIS.
    correctsSaved: (_, t) => {
      const r = read(t);
      // Later on too, with one saved: "oh wait i looked again its 10:30 not 9" after "what do i
      // bring" was read as login trouble (blind try 12).
      const correcting = r.toChange !== undefined && r.correction;
      return !!r.toChange && !r.asksInstead && kit.told(t) && (r.changeWords || !r.sure || correcting);
    },
    correctsSavedAndAsksAfter: (_, t) => {
      const r = read(t);
      return !!r.toChange && r.correction && kit.told(t) && askedAfter(kit, t) !== undefined;
    },
  };
}

export function savedActions(kit: Kit): Actions {
  const read = (t: Turn) => aboutSaved(kit, t);
  const collect = (ctx: ConversationContext, t: Turn, input = kit.captureInput(t), editing?: Appointment) =>
    kit.applyCapture(ctx, startCapture(input, editing, editing ? undefined : ctx.appointments.length));
  return {
    showAskedBesideYes: (ctx, t) => shower(kit)(ctx, t, askedBesideYes(kit, t)!),
    showAskedAfter: (ctx, t) => shower(kit)(ctx, t, askedAfter(kit, t)!),
    collectOffered: (ctx, t) =>
      collect(ctx, t, { ...kit.captureInput(t), found: t.start.offer!, yes: false, no: false }),
    // Whose it is comes next, unless it is the person's own.
    collectAnother: (ctx, t) => {
      const base = kit.captureInput(t);
      return collect(ctx, t, { ...base, own: (!read(t).family && means(t.u, 'self')) || base.own === true });
    },
    sayNotYet: (ctx) =>
      ctx.draft?.step === 'confirm' ? sayFirst(ctx, { say: { system: 'appt_not_yet' } }) : ctx,
    cancelNamed: (ctx, t) => kit.cancelAppointment(ctx, read(t).named!),
    cancelByDay: (ctx, t) => kit.cancelAppointment(ctx, savedOnDayCancelled(ctx, t)!),
    collectNew: (ctx, t) => collect(ctx, t),
    sayOldOneGone: (ctx) =>
      kit.listAppointments(say(ctx, { say: { system: 'appt_old_gone' } }), kit.listNode!),
    renameSaved: (ctx, t) => renameSaved(ctx, read(t).justSaved!, t.event.reading!.nameIntroduced!),
    collectChange: (ctx, t) => collect(ctx, t, kit.captureInput(t), read(t).toChange),
    // "December 5 at 6:22 PM" again, as saved: nothing to change (asking "What is the new date
    // or time?" here was a loop). Said the same way each time it comes again.
    correctSaved: (ctx, t) => {
      const saved = read(t).toChange!;
      if (tellsOnly(t.event.found, saved)) return sayAlreadySaved(ctx, saved);
      return collect(ctx, t, kit.captureInput(t), saved);
    },
  };
}

/** The saved appointment under its right name: a new version, its reminders (which say the name) planned again. */
function renameSaved(ctx: ConversationContext, saved: Appointment, name: string): ConversationContext {
  const renamed: Appointment = { ...saved, name, version: saved.version + 1 };
  const told = say(ctx, { say: { system: 'appt_renamed' }, params: paramsOf(renamed) });
  return effect(
    {
      ...told,
      appointments: ctx.appointments.map((a) => (a.id === saved.id ? renamed : a)),
      justSaved: saved.id,
    },
    { type: 'schedule', appointment: renamed, previous: saved },
  );
}
