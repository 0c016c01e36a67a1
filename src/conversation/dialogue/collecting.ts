import { nameFrom } from '../../understanding/names.js';
import { foldWord } from '../../understanding/pack-words.js';
import { type IntentPick, pickIntent } from '../../understanding/understand.js';
import {
  type Appointment,
  askAgain,
  type CaptureInput,
  type CaptureOutcome,
  confirmReply,
  continueCapture,
  type Draft,
  detailsIn,
  holdsSomething,
  startCapture,
  tellsOnly,
  whoseAgain,
} from '../appointments.js';
import type { ReplyPart, SystemKey } from '../content.js';
import type { Kit } from './kit.js';
import { mapParts, paramsOf, partsOf, say, sayFirst } from './replies.js';
import type { Actions, Guards, Rule } from './rules.js';
import { hasQuestionMark, languageAsked, means, once, type Turn } from './turn.js';
import type { ConversationContext, Told } from './types.js';

/**
 * Collecting an appointment (whose, date, which date, time, place, confirm, edit), one question
 * at a time. The steps' own questions come from appointments.ts; here is what else a message can
 * do meanwhile: keep a saved one as it is, tell another person's, ask a side question (answered,
 * then the question is asked again), or leave.
 */
export const COLLECTING_RULES: Rule[] = [
  { guard: 'keepsSavedForNow', actions: ['keepSavedForLater'] },
  // "her name is Maria", "es para Maria" after the name was asked: the name is put right.
  { guard: 'correctsName', actions: ['renameDraft'] },
  // "la mia a las 9 y la de el a las 9 y 20": theirs now, the others' kept for after it.
  { guard: 'tellsSeveralAtOnce', actions: ['keepOthers', 'collectStep'] },
  // "yes. and my son Mateo has one too, same place dec 15 but at 10:30" at "Is that right?": this
  // one saved, Mateo's next (blind try 17: the yes was dropped, and Mateo's details with it).
  { guard: 'confirmsAndTellsAnother', actions: ['saveAndKeepAnother'] },
  { guard: 'tellsAnotherMeanwhile', actions: ['sayOneAtATime'] },
  // "oui c'est ça mais c'est le rdv de ma maman hein, pas le mien" at "Is that right?": hers, so
  // her first name is asked before it is saved (blind try 32 saved it as their own).
  { guard: 'saysNotOwn', actions: ['askWhoseName'] },
  { guard: 'asksAside', actions: ['answerAside'] },
  // "english please" at "What is the ZIP code?": the language changes, the appointment stays.
  { guard: 'switchesLanguageMidway', actions: ['askAgainInLanguage'] },
  { guard: 'leavesCollecting', actions: ['leaveCollecting'] },
  { actions: ['collectStep'] },
];
/** At "What is the new date or time?": the one saved, told again, is no change. */
export const EDIT_RULES: Rule[] = [{ guard: 'tellsSavedAgain', actions: ['keepSavedAsIs'] }];
/**
 * At "Whose appointment is it?": "se llama Maria" is her name (not the topic of calling); "my
 * wife" alone asks for her first name only.
 */
export const WHOSE_RULES: Rule[] = [
  { guard: 'tellsName', actions: ['collectStep'] },
  { guard: 'namesRelationOnly', actions: ['askNameAgain'] },
  // "I don't understand what you mean whose name": no name, the question again (blind try 33 saved
  // "I Don't").
  { guard: 'namesNobody', actions: ['askNameAgain'] },
];

/** Another person's appointment told while this one is collected ("and my son has one dec 15 at 10:30"). */
function anotherMeanwhile(ctx: ConversationContext, t: Turn, a: AtStep): boolean {
  const { draft, input } = a;
  const family = means(t.u, 'family') && !draft.name;
  const also = means(t.u, 'another') && t.cues.also === true;
  // "c a Hyattsville dans le Maryland… la lettre est chez mon frere" at "What ZIP code or state?":
  // the place asked for, and a relative's home; another's appointment tells its day or hour.
  const when = !!(input.found?.date || input.found?.ambiguous || input.found?.time);
  return (
    !t.u.command &&
    (draft.step !== 'name' || also) &&
    !!(draft.date || draft.time) &&
    detailsIn(input.found) &&
    (when || draft.step !== 'place') &&
    (family || also)
  );
}

/**
 * "yes. and put marcus dec 18 2pm miami pls" at "Is that right?": a yes, then another person's
 * appointment by their name alone (no "my husband"), with its day or time.
 */
function namesAnother(t: Turn, a: AtStep): boolean {
  return !t.u.command && detailsIn(a.input.found) && otherName(t, a) !== undefined;
}

/** A name the message mentions that is not the one of the appointment being told. */
function otherName(t: Turn, a: AtStep): string | undefined {
  const said = t.raw.reading?.nameAfterAdd ?? t.raw.reading?.nameMentioned;
  const name = said === undefined ? undefined : nameFrom(said);
  return name !== undefined && foldWord(name) !== foldWord(a.draft.name ?? '') ? name : undefined;
}

/**
 * "merci beaucoup bonne journée", "stop semaine" at "What date?": a goodbye, or the weekly texts
 * stopped, not a date missed (both got "I could not find a date", again and again: blind try 11).
 * Only before anything is told: a thanks at the read-back is not taken for leaving it unsaved.
 */
function closes(t: Turn): boolean {
  return means(t.u, 'weekly_stop') || (means(t.u, 'thanks') && (t.u.size ?? 99) <= 5 && !hasQuestionMark(t));
}

/** What a message is, to the appointment being collected, read once a turn. */
interface AtStep {
  draft: Draft;
  input: CaptureInput;
  /** The saved appointment being changed, if any. */
  saved?: Appointment;
  pick: IntentPick;
  /** Yes, no and numbers answer only the read-back and "which date?". */
  gaveSomething: boolean;
  /** It asks about another topic. */
  elsewhere: boolean;
  toManage: boolean;
  /** A number or an answer that picks one of the topics offered meanwhile ("Did you mean…?"). */
  picked: boolean;
  asksHuella: boolean;
  saysNo: boolean;
  /** A stop word that got this far is WhatsApp's "cancel": do not save it. */
  cancelled: boolean;
}

function atStep(kit: Kit, ctx: ConversationContext, t: Turn): AtStep {
  return once(t, 'atStep', () => {
    const { u } = t;
    const input = kit.captureInput(t);
    const { picking: _, ...draft } = ctx.draft!;
    const answering = draft.step === 'confirm' || draft.step === 'which_date';
    // After "Did you mean one of these?", a number picks one of those topics, once; "si" to a
    // question shown meanwhile ("Want a text every week?") answers that question.
    const picked =
      ctx.draft?.picking === true &&
      ((input.number !== undefined && input.number > 0 && input.number <= ctx.offered.length) ||
        (ctx.asking && input.number === undefined && kit.pickAnswer(ctx.node, t) !== undefined));
    // "me puedes mandar uno hoy en la noche" asks about the reminders: its "hoy" is no new date.
    const asksHuella = kit.huellaAnswer(u) !== undefined;
    const pick = pickIntent(u.intents);
    const isCapture = (id: string) => kit.node(id)?.capture === true;
    // "q tengo q llevar para la niña … no tiene pasaporte" at "Is that right?": a question that
    // holds a "no", not the answer "no" (that starts the message, or is most of it).
    const saysNo = input.no && (!(pick.kind === 'sure' && !isCapture(pick.node)) || t.cues.says_no === true);
    const saved = draft.editing ? ctx.appointments.find((a) => a.id === draft.editing) : undefined;
    // "dec 18 at 9am, i want to die": the words of hurting oneself are answered first, aside.
    const first = kit.firstTold(t) !== undefined;
    return {
      draft,
      input,
      ...(saved ? { saved } : {}),
      pick,
      // Asked to save at "Is that right?" or "What should I fix?" ("todo está bien, solo
      // guárdala"): an answer, whatever topic its words name (the list of saved ones).
      gaveSomething:
        !first &&
        ((answering && !picked && (input.yes || saysNo || input.number !== undefined)) ||
          ((answering || draft.step === 'edit') && input.save === true) ||
          (detailsIn(input.found) && !asksHuella)),
      // A question while collecting ("what number do I call?") is answered, not taken for a date.
      elsewhere:
        first ||
        (pick.kind === 'sure' && !isCapture(pick.node)) ||
        (pick.kind === 'unsure' && !pick.candidates.some(isCapture)),
      toManage: pick.kind === 'sure' && kit.node(pick.node)?.manage === true && input.save !== true,
      picked,
      asksHuella,
      saysNo,
      cancelled: u.command?.name === 'stop',
    };
  });
}

export function collectingGuards(kit: Kit): Guards {
  const at = (ctx: ConversationContext, t: Turn) => atStep(kit, ctx, t);
  return {
    // "i dont know the new date yet, the letter didnt come" while changing a saved one: nothing to
    // change yet; it stays, and they can tell the new date when the notice comes.
    keepsSavedForNow: (ctx, t) =>
      at(ctx, t).saved !== undefined &&
      means(t.u, 'unsure') &&
      !detailsIn(at(ctx, t).input.found) &&
      !t.u.command,
    tellsSavedAgain: (ctx, t) =>
      at(ctx, t).saved !== undefined && !t.u.command && tellsOnly(at(ctx, t).input.found, at(ctx, t).saved!),
    // "y mi esposa tiene la suya mañana a las 8", told before this one is saved: it would replace
    // this one ("la mía es el 10" alone is a correction of this one).
    tellsAnotherMeanwhile: (ctx, t) => anotherMeanwhile(ctx, t, at(ctx, t)),
    confirmsAndTellsAnother: (ctx, t) => {
      const { draft, input } = at(ctx, t);
      if (draft.step !== 'confirm' || !input.yes || draft.editing) return false;
      return anotherMeanwhile(ctx, t, at(ctx, t)) || namesAnother(t, at(ctx, t));
    },
    tellsSeveralAtOnce: (_, t) => !t.u.command && (t.event.others?.length ?? 0) > 0,
    asksAside: (ctx, t) => {
      const a = at(ctx, t);
      const asks = a.elsewhere || a.asksHuella || a.picked;
      return !t.u.command && !a.toManage && !a.gaveSomething && asks && holdsSomething(a.draft);
    },
    switchesLanguageMidway: (_, t) => kit.flows.packs.has(languageAsked(t) ?? ''),
    // "0", shown as "0 Menu" under every list, leaves as MENU does (no step is answered by 0):
    // at "What time?" too, where a bare "0" read as midnight (blind try 26).
    leavesCollecting: (ctx, t) => {
      const a = at(ctx, t);
      const toMenu = a.input.number === 0 && (!detailsIn(a.input.found) || t.text.trim() === '0');
      return (
        (!!t.u.command && !a.cancelled) ||
        a.toManage ||
        toMenu ||
        (!a.gaveSomething && (a.elsewhere || (closes(t) && !holdsSomething(a.draft))) && !a.cancelled)
      );
    },
  };
}

/** Whose the appointment is: a name told or put right, a relation alone, none given. */
export function whoseGuards(kit: Kit): Guards {
  const at = (ctx: ConversationContext, t: Turn) => atStep(kit, ctx, t);
  return {
    tellsName: (_, t) =>
      !t.u.command &&
      (t.raw.reading?.nameIntroduced !== undefined || t.raw.reading?.nameAfterFamily !== undefined),
    // "si pero ponle q es de mi mamá Rosa" at the read-back: whose it is, by a relative's name too.
    correctsName: (ctx, t) =>
      !t.u.command && at(ctx, t).draft.step !== 'name' && nameTold(t, at(ctx, t)) !== undefined,
    // "wife", "mi hijo" at "Whose is it?": someone else's; their first name is asked, not the topic.
    namesRelationOnly: (ctx, t) =>
      !t.u.command &&
      t.raw.reading?.nameAfterFamily === undefined &&
      !detailsIn(at(ctx, t).input.found) &&
      relative(t) &&
      (t.u.size ?? 99) <= 4,
    saysNotOwn: (ctx, t) =>
      !t.u.command &&
      at(ctx, t).draft.step === 'confirm' &&
      at(ctx, t).draft.name === undefined &&
      t.cues.not_mine === true &&
      (relative(t) || t.cues.relative_apart === true),
    namesNobody: (_, t) =>
      !t.u.command &&
      t.raw.reading?.nameIntroduced === undefined &&
      (t.cues.not_understood === true || means(t.u, 'unsure')),
  };
}

/** The message names a spouse or a child (the family's words). */
const relative = (t: Turn) => means(t.u, 'family') || t.cues.family_words === true;

/** Someone else's: their first name asked again (the next step, when `step` is given). */
function askName(kit: Kit, ctx: ConversationContext, t: Turn, step?: 'name'): ConversationContext {
  const draft = { ...atStep(kit, ctx, t).draft, family: true, ...(step ? { step } : {}) };
  return {
    ...say({ ...ctx, draft, asking: false, offered: [] }, { say: { system: whoseAgain(draft) } }),
    draft,
  };
}

export function collectingActions(
  kit: Kit,
  answerAsTopic: (ctx: ConversationContext, t: Turn) => ConversationContext,
): Actions {
  const at = (ctx: ConversationContext, t: Turn) => atStep(kit, ctx, t);
  /** Stops changing the saved one, which stays as it is, with this text about it. */
  const keepSaved = (ctx: ConversationContext, kept: Appointment, key: SystemKey) =>
    say(
      { ...ctx, draft: undefined, node: kit.flows.menu, offered: [], asking: false },
      {
        say: { system: key },
        params: paramsOf(kept),
      },
    );
  /** This reply, the appointment being told kept as it is. */
  const keeping = (ctx: ConversationContext, t: Turn, ...parts: ReplyPart[]) =>
    say({ ...ctx, draft: at(ctx, t).draft, asking: false, offered: [] }, ...parts);
  const question = (draft: Draft, now?: string): ReplyPart => {
    const { say: key, params } = askAgain(draft, now);
    return { say: { system: key }, ...(params ? { params } : {}) };
  };
  return {
    keepSavedForLater: (ctx, t) => keepSaved(ctx, at(ctx, t).saved!, 'appt_new_date_later'),
    keepSavedAsIs: (ctx, t) => ({
      ...keepSaved(ctx, at(ctx, t).saved!, 'appt_already_saved'),
      justSaved: at(ctx, t).saved!.id,
    }),
    askAgainInLanguage: (ctx, t) =>
      keeping(
        { ...ctx, lang: languageAsked(t)! },
        t,
        { say: { system: 'language_set' } },
        question(at(ctx, t).draft, t.event.now),
      ),
    sayOneAtATime: (ctx, t) =>
      keeping(ctx, t, { say: { system: 'appt_one_at_a_time' } }, question(at(ctx, t).draft, t.event.now)),
    keepOthers: (ctx, t) => keepOthers(ctx, t.event.others ?? [], ctx.draft?.date),
    saveAndKeepAnother: (ctx, t) => {
      const a = at(ctx, t);
      const name = t.raw.reading?.nameAfterFamily ?? otherName(t, a);
      const told: Told = { ...a.input.found, someoneElse: true, ...(name ? { name } : {}) };
      // "same place": the office of the one being saved.
      if (!told.place && a.draft.place && a.draft.zone)
        told.place = { label: a.draft.place, zone: a.draft.zone };
      const queued = { ...ctx, queued: queueWith(ctx.queued, [told], a.draft.date) };
      return collectStep(kit, queued, t, { ...a, input: { ...a.input, found: {} }, gaveSomething: true });
    },
    // At the read-back, the name is the step now; at "Whose is it?", the step stays.
    askWhoseName: (ctx, t) => askName(kit, ctx, t, 'name'),
    askNameAgain: (ctx, t) => askName(kit, ctx, t),
    renameDraft: (ctx, t) => renamed(kit, ctx, t, at(ctx, t), keeping, question),
    answerAside: (ctx, t) => answerAside(kit, ctx, t, at(ctx, t), answerAsTopic, question),
    leaveCollecting: (ctx, t) => {
      const left = answerAsTopic({ ...ctx, draft: undefined }, t);
      return at(ctx, t).cancelled ? left : notSaved(left, at(ctx, t).draft, t.event.now);
    },
    collectStep: (ctx, t) => savedThenAnswered(kit, ctx, t, at(ctx, t), answerAsTopic),
  };
}

/**
 * "her name is Maria" while collecting: the name put right. With a date or time too, that is
 * taken as well; at the read-back, or at "What should I fix?" after it, the read-back again with
 * the name (it asked what to fix, round and round: a blind try, 2026-12-06); else the question.
 */
function renamed(
  kit: Kit,
  ctx: ConversationContext,
  t: Turn,
  a: AtStep,
  keeping: (ctx: ConversationContext, t: Turn, ...parts: ReplyPart[]) => ConversationContext,
  question: (draft: Draft, now?: string) => ReplyPart,
): ConversationContext {
  const named = { ...a.draft, name: nameTold(t, a)! };
  if (detailsIn(a.input.found)) return collectStep(kit, { ...ctx, draft: named }, t, { ...a, draft: named });
  const readBack = !named.editing && (named.step === 'confirm' || named.step === 'edit');
  const draft: Draft = readBack ? { ...named, step: 'confirm', tries: 0 } : named;
  return { ...keeping(ctx, t, question(draft, t.event.now)), draft };
}

/**
 * The name a message gives the appointment being collected: "her name is Maria", anywhere; "es de
 * mi mamá Rosa", "it's my wife Ana's", at the read-back or at "What should I fix?" (blind try 21
 * looped on "date, time or place").
 */
function nameTold(t: Turn, a: AtStep): string | undefined {
  const reading = t.raw.reading;
  if (reading?.nameIntroduced !== undefined) return reading.nameIntroduced;
  // Not a relative's own appointment told beside it ("yes. and my son Mateo has one too, dec 2").
  const readBack = (a.draft.step === 'confirm' || a.draft.step === 'edit') && !a.draft.editing;
  const another = means(t.u, 'another') || detailsIn(a.input.found);
  return readBack && !another ? reading?.nameAfterFamily : undefined;
}

/**
 * A question with part of an appointment told ("do I need to bring my kids?" at "Is that right?"):
 * answered, and the question asked again, keeping what was told (dropping it silently would leave
 * them without reminders).
 */
function answerAside(
  kit: Kit,
  ctx: ConversationContext,
  t: Turn,
  a: AtStep,
  answerAsTopic: (ctx: ConversationContext, t: Turn) => ConversationContext,
  question: (draft: Draft, now?: string) => ReplyPart,
): ConversationContext {
  const answered = answerAsTopic({ ...ctx, draft: undefined }, t);
  // The answer starts something else (weekly texts and their filing date, the list of saved
  // appointments, another appointment): that goes on; this one is said not to be saved.
  if (answered.askingFiled === true || answered.managing !== undefined || answered.draft !== undefined)
    return notSaved(answered, a.draft, t.event.now);
  // Not sure which topic, or an answer that is itself a choice ("Or choose one:", "USCIS or
  // court?"): its numbers pick, the appointment kept. (An answer of Huella's own is one text with
  // no choices: "1" after it is "1 Yes, save it".)
  if ((a.pick.kind === 'unsure' && !a.asksHuella && !a.picked) || (choosing(kit, answered) && !a.asksHuella))
    return { ...answered, draft: { ...a.draft, picking: true } };
  // The answer's own numbered choices are left out: here a number answers the question asked
  // again ("1 Yes"), and two lists starting at 1 would be a trap.
  const asked = mapParts(answered, (parts) => [
    ...parts.map(({ choices: _, ...part }) => part),
    question(a.draft, t.event.now),
  ]);
  return { ...asked, draft: a.draft, asking: false, offered: [] };
}

/**
 * "si esta bien. y a q hora tengo q llegar?" at "Is that right?": saved, and the question asked
 * with the yes answered after it (it was dropped: blind try 13).
 */
function savedThenAnswered(
  kit: Kit,
  ctx: ConversationContext,
  t: Turn,
  a: AtStep,
  answerAsTopic: (ctx: ConversationContext, t: Turn) => ConversationContext,
): ConversationContext {
  const next = collectStep(kit, ctx, t, a);
  const saved = next.draft === undefined && next.justSaved !== undefined && next.queued === undefined;
  const asks = a.input.yes && a.pick.kind === 'sure' && a.elsewhere && hasQuestionMark(t);
  return saved && asks ? answerAsTopic(next, t) : next;
}

/** One step of collecting: the answer to the question asked, or stopping ("never mind"). */
function collectStep(kit: Kit, ctx: ConversationContext, t: Turn, a: AtStep): ConversationContext {
  // "the son one is cancel" while telling one's own: about the son's, which is not being told.
  const aboutOther = !a.draft.name && !detailsIn(a.input.found) && t.cues.family_words === true;
  // "no its not an appointment, just remind me to CALL uscis at 8": nothing to save, and why.
  const notOne = means(t.u, 'not_appointment');
  // "annule tout" with others saved: they are listed after, to turn off too, instead of the menu.
  const listAll = means(t.u, 'everything') && ctx.appointments.length > 0 && kit.listNode !== undefined;
  const outcome: CaptureOutcome =
    // "laisse tomber. c le 5 janvier 8h, tu peux me rappeler la veille?": the question dropped,
    // not the reminder asked for in the same message (blind try 21).
    (means(t.u, 'quit') && !aboutOther && !a.input.save) || a.cancelled || notOne
      ? { kind: 'abandoned', reply: { say: notOne ? 'appt_not_one' : 'appt_quit', menu: !listAll } }
      : continueCapture(a.draft, { ...a.input, no: a.saysNo }, ctx.appointments);
  const applied = kit.applyCapture({ ...ctx, channel: t.event.channel }, outcome);
  if (outcome.kind === 'abandoned' && listAll)
    return kit.listAppointments({ ...applied, queued: undefined }, kit.listNode!);
  // Stopped: the others told with it go too; saved: the next one told starts.
  const next =
    outcome.kind === 'abandoned'
      ? { ...applied, queued: undefined }
      : outcome.kind === 'saved' && applied.queued?.length
        ? startQueued(kit, applied, t)
        : applied;
  // "did u save my appt?", "ya la guardaste?", "wait" at "Is that right?": not yet, and why.
  const pauses = t.text.includes('?') || means(t.u, 'hold');
  if (a.draft.step === 'confirm' && outcome.kind === 'continue' && pauses && !a.gaveSomething)
    return sayFirst(next, { say: { system: 'appt_not_yet' } });
  // A photo of the notice at "What date?": it is not read, and saying only "no date found" left
  // the person thinking the photo was unclear (a blind try).
  if (outcome.kind === 'continue' && t.u.media > 0 && !t.u.hasWords)
    return sayFirst(next, { say: { system: 'appt_photo' } });
  return next;
}

/** The most appointments kept waiting: a family's, not a list. */
const MOST_QUEUED = 5;

/**
 * Other people's appointments told with this one, kept to collect after it (the day of the one
 * being told, when theirs was said without one: "la mia el 3 a las 9 y la de el a las 9 y 20").
 */
export function queueWith(queued: Told[] | undefined, others: Told[], day?: string): Told[] {
  // "hers is 01/05/2027": a date read two ways stays to be asked about, not the day before it.
  const kept = others.map((found) =>
    found.date || found.ambiguous || !day ? found : { ...found, date: day },
  );
  return [...(queued ?? []), ...kept].slice(0, MOST_QUEUED);
}

function keepOthers(ctx: ConversationContext, others: Told[], day?: string): ConversationContext {
  if (others.length === 0) return ctx;
  return say({ ...ctx, queued: queueWith(ctx.queued, others, day) }, { say: { system: 'appt_others_kept' } });
}

/** The next appointment told earlier starts, once one is saved: what was told of it is read back, whose is asked. */
function startQueued(kit: Kit, ctx: ConversationContext, t: Turn): ConversationContext {
  const [next, ...rest] = ctx.queued!;
  const { someoneElse, name, ...found } = next!;
  const input: CaptureInput = {
    ...kit.captureInput(t),
    found,
    reading: name ? { nameAfterFamily: name } : {},
    self: false,
    family: someoneElse === true,
    yes: false,
    no: false,
    number: undefined,
  };
  const { own: _, ...notOwn } = input;
  const told: ReplyPart =
    found.date && found.time
      ? { say: { system: 'appt_next_told' }, params: { date: found.date, time: found.time } }
      : { say: { system: 'appt_next_told_time' }, params: { date: '', time: found.time ?? '' } };
  const noted = say({ ...ctx, ...(rest.length > 0 ? { queued: rest } : { queued: undefined }) }, told);
  return kit.applyCapture(noted, startCapture(notOwn, undefined, ctx.appointments.length));
}

/**
 * "mis citas" at "Is that right?", MENU before the office was told: says that the date and time
 * given were not saved, before the reply that follows.
 */
function notSaved(next: ConversationContext, draft: Draft, now?: string): ConversationContext {
  if (!draft.date || !draft.time || partsOf(next).length === 0) return next;
  // Changing a saved one: that one stays; said only when something else was told for it.
  const saved = draft.editing ? next.appointments.find((a) => a.id === draft.editing) : undefined;
  if (saved && saved.date === draft.date && saved.time === draft.time && saved.place === draft.place)
    return next;
  const { params } = confirmReply(draft, now);
  return sayFirst(
    next,
    saved
      ? { say: { system: 'appt_not_changed' }, params: paramsOf(saved) }
      : { say: { system: 'appt_not_saved' }, ...(params ? { params } : {}) },
  );
}

/** Whether a reply ends in a choice among its numbered lines ("Or choose one:", a question). */
function choosing(kit: Kit, ctx: ConversationContext): boolean {
  if (ctx.asking) return true;
  const texts = kit.flows.packs.get(ctx.lang)?.nodes[ctx.node]?.text;
  return ctx.offered.length > 0 && texts !== undefined && /[:?]\s*$/.test(texts.at(-1) ?? '');
}
