import { DateTime } from 'luxon';
import { INTENT_MIN_SCORE, type IntentPick, pickIntent } from '../../understanding/understand.js';
import { appointmentInstant, startCapture, tellsOnly } from '../appointments.js';
import { cueFact, HOURS_AWAY, ONLINE_CLOSED, type ReplyPart, type SystemKey } from '../content.js';
import { queueWith } from './collecting.js';
import { type Kit, likeliest } from './kit.js';
import { mapParts, paramsOf, reaskPart, say } from './replies.js';
import type { Actions, Guards, Rule } from './rules.js';
import {
  asksSomething,
  correctsSavedTime,
  datePassed,
  hasQuestionMark,
  languageAsked,
  means,
  monthTold,
  mostly,
  once,
  type Turn,
  tellsFact,
} from './turn.js';
import type { ConversationContext } from './types.js';
import { recordFiled } from './weekly.js';

/**
 * The topics: what a message means at the menu or under a topic (its commands, a number, an
 * answer to the question on screen, a topic), with the fallback last. The rules about saved
 * appointments (saved.ts) sit among them, where they win over a topic.
 */
export const TOPIC_RULES_BEFORE_SAVED: Rule[] = [
  { guard: 'sendsNoWords', actions: ['answerWordless'] },
  { guard: 'asksHelp', actions: ['sendHelp'] },
  { guard: 'asksMenu', actions: ['showMenu'] },
  { guard: 'asksForList', actions: ['showList'] },
  { guard: 'switchesLanguage', actions: ['switchLanguage'] },
  { guard: 'picksNumber', actions: ['showNumbered'] },
  { guard: 'tellsFilingDate', actions: ['showWeeklyChoice'], after: ['recordFilingDate'] },
  { guard: 'answersSpan', actions: ['showSpanChoice'] },
  { guard: 'tellsSpanNoChoiceHolds', actions: ['reask'] },
  { guard: 'answersQuestion', actions: ['showAnswerChoice'] },
  { guard: 'namesChoice', actions: ['showNamedChoice'] },
  { guard: 'stopsWeekly', actions: ['stopWeekly'] },
  { guard: 'asksWhatSaved', actions: ['showList'] },
  { guard: 'stopsReminders', actions: ['stopReminders'] },
  { guard: 'asksAboutHuella', actions: ['answerAboutHuella'] },
];

export const TOPIC_RULES_AFTER_SAVED: Rule[] = [
  { guard: 'namesTopicAndSpan', actions: ['showTopicSpanChoice'] },
  { guard: 'tellsWhatWorries', actions: ['hearWorry'] },
  { guard: 'asksBesidesReminders', actions: ['showAskedTopic'] },
  // "gracias hija", "merci ma fille": thanks, with a word of affection that names no topic.
  { guard: 'onlyThanks', actions: ['answerThanks'] },
  // "listo voy a llamar y decir infopass. gracias pana": thanks, telling what they will do with
  // the answer just shown; not that answer again (blind try 25).
  { guard: 'thanksForShown', actions: ['answerThanks'] },
  // "thank you very much, god bless you", "ok gracias x todo. bye", "bon ok merci, je vais appeler
  // demain": a closing thanks, with a blessing, a goodbye or what they will do, asking nothing and
  // naming no topic for sure (blind try 27: "I'm not sure what you mean").
  { guard: 'closesWithThanks', actions: ['answerThanks'] },
  { guard: 'namesTopic', actions: ['showTopic'] },
  { guard: 'isFrustrated', actions: ['answerFrustrated'] },
  { guard: 'unsureOfChoices', actions: ['helpChoose'] },
  { guard: 'thanks', actions: ['answerThanks'] },
  { guard: 'greets', actions: ['greetAgain'] },
  { guard: 'nods', actions: ['acknowledge'] },
  // "what do i bring, and can my kids come with me": the main one answered, the other offered.
  { guard: 'asksTwoThings', actions: ['answerMainOfferOther'] },
  { guard: 'mayMeanSeveral', actions: ['askWhichTopic'] },
  { guard: 'answersInvitation', actions: ['hearWorry'] },
  { actions: ['reask'] },
];

/** A sad or crying face sent alone: a feeling, answered with a kind word, not "okay". */
const SAD_FACE = /[😢😭😞😔😟😥😰😿💔☹🙁😩😫😓]/u;
/** A pictograph with no words ("👍", "🙏"): a nod, not a question. */
const PICTOGRAPH = /\p{Extended_Pictographic}/u;

export function topicGuards(kit: Kit): Guards {
  const command = (t: Turn) => t.u.command?.name;
  const weeklyChoice = (ctx: ConversationContext) =>
    ctx.asking ? kit.node(ctx.node)?.choices.find((c) => kit.node(c.to)?.weekly) : undefined;
  return {
    sendsNoWords: (_, t) => !t.u.hasWords,
    asksHelp: (_, t) => command(t) === 'help',
    asksMenu: (_, t) => command(t) === 'menu' || command(t) === 'start' || t.u.number === 0,
    // "stop the reminders but keep the chat" holds the words of MY APPOINTMENTS ("reminders"): it
    // turns them off (stopsReminders), not lists them.
    asksForList: (_, t) =>
      command(t) === 'appointments' && kit.listNode !== undefined && !means(t.u, 'stop_reminders'),
    switchesLanguage: (_, t) => kit.flows.packs.has(languageAsked(t) ?? ''),
    picksNumber: (_, t) => t.u.number !== undefined,
    // "aplique en marzo", "hace como 4 meses" to "Want a text every week?": a yes, and the date.
    tellsFilingDate: (ctx, t) => weeklyChoice(ctx) !== undefined && !t.u.command && tellsFiled(t),
    // "hace 2 meses, más de unas semanas", "back in august" to "How long ago was it?": the choice
    // whose span holds it, before answer words ("más", "unas semanas") and topics ("semanas" reads like weekly).
    answersSpan: (ctx, t) => ctx.asking && kit.choiceForTold(ctx.node, t) !== undefined,
    tellsSpanNoChoiceHolds: (ctx, t) => spanLeavesOpen(kit, ctx, t),
    answersQuestion: (ctx, t) => ctx.asking && kit.pickAnswer(ctx.node, t) !== undefined,
    // "telephone" to "1 Sur un téléphone 2 Sur un ordinateur": the choice its label names.
    namesChoice: (ctx, t) => kit.namedChoice(ctx, t) !== undefined,
    stopsWeekly: (_, t) => means(t.u, 'weekly_stop'),
    asksWhatSaved: (ctx, t) => asksWhatSaved(kit, ctx, t),
    stopsReminders: (_, t) => means(t.u, 'stop_reminders') && !t.text.includes('?'),
    // "remind me the day before, my appt is 02/20": a wish to have that one saved, not a question
    // about when Huella reminds (collecting it says when).
    asksAboutHuella: (ctx, t) => asksAboutHuella(kit, ctx, t),
    // "i missed my appointment last thursday", "falté hace 2 semanas": the topic asks "How long
    // ago?", which the message answered already; its choice at once.
    namesTopicAndSpan: (ctx, t) => topicSpanChoice(kit, ctx, t) !== undefined,
    // "…what documents do i bring? pls remind me": between that topic and reminders, the question
    // is answered; the reminders follow (closeTopics).
    asksBesidesReminders: (_, t) => askedBesidesReminders(kit, t) !== undefined,
    namesTopic: (ctx, t) => kit.pick(ctx, t).kind === 'sure',
    // "this is useless", "thank you", "hola buenas": read by the phrases alone (no topic is named,
    // whatever the trained classifier would guess behind them).
    isFrustrated: (ctx, t) => noTopicFound(kit, ctx, t) && means(t.u, 'frustrated'),
    onlyThanks: (_, t) => thanksOnly(t),
    closesWithThanks: (_, t) => closesWithThanks(kit, t),
    thanksForShown: (ctx, t) =>
      means(t.u, 'thanks') && !hasQuestionMark(t) && !ctx.asking && likeliest(kit.pick(ctx, t)) === ctx.node,
    // A "thank you" is not a misunderstanding: answer it warmly and offer the topics.
    thanks: (ctx, t) => noTopicFound(kit, ctx, t) && means(t.u, 'thanks'),
    // "no se como ver eso", "i dont know" under choices: help to choose, the choices kept.
    unsureOfChoices: (ctx, t) => noTopicFound(kit, ctx, t) && means(t.u, 'unsure') && hasChoices(ctx),
    greets: (ctx, t) => noTopicFound(kit, ctx, t) && mostly(t.u, 'greeting'),
    nods: (ctx, t) => kit.pick(ctx, t).kind === 'none' && !ctx.asking && kit.nods(t),
    asksTwoThings: (ctx, t) => twoNeeds(kit, ctx, t) !== undefined,
    mayMeanSeveral: (ctx, t) => kit.pick(ctx, t).kind === 'unsure',
    // What worries them, right after a text that asked it: a topic it names, never that text again.
    tellsWhatWorries: (ctx, t) => listening(kit, ctx, t) && namesShownOrSeveral(kit.pick(ctx, t), t),
    answersInvitation: (ctx, t) => listening(kit, ctx, t),
  };
}

/**
 * "did you save it?", "q guardaste": the list. With reminders just offered, it is about the one
 * told (saved.ts). "como que no la guardaste?? ok recordarme" with none saved: saving, asked in
 * words after the complaint (the empty list would only say to write "recordarme": blind try 32).
 */
function asksWhatSaved(kit: Kit, ctx: ConversationContext, t: Turn): boolean {
  return (
    means(t.u, 'saved_what') &&
    kit.listNode !== undefined &&
    !t.start.offer &&
    !(ctx.appointments.length === 0 && likeliest(kit.pick(ctx, t)) === kit.captureNode)
  );
}

/**
 * A thanks and at most a word or two more, asking nothing ("gracias hija", "merci ma fille"); or
 * thanks and a blessing that make up the message, no topic's phrases in it ("gracias por todo
 * dios le bendiga": blind try 17 got "did you mean…?").
 */
function thanksOnly(t: Turn): boolean {
  const size = t.u.size ?? 99;
  if (!means(t.u, 'thanks') || hasQuestionMark(t)) return false;
  const thanks = t.u.means.thanks ?? 0;
  if (size <= 3 && thanks >= size - 2) return true;
  const blessing = t.u.means.formula ?? 0;
  return size <= MAX_THANKS_WORDS && thanks + blessing >= size - 1 && noTopicNamed(t);
}

/**
 * A closing thanks: thanks, no question, and no topic named for sure. Question words beside a
 * blessing may be none ("que Dieu te bénisse"); elsewhere they ask ("gracias pero como hago para
 * cambiar la cita").
 */
function closesWithThanks(kit: Kit, t: Turn): boolean {
  return (
    means(t.u, 'thanks') &&
    !hasQuestionMark(t) &&
    (!kit.asksQuestion(t) || means(t.u, 'formula')) &&
    (t.u.size ?? 99) <= MAX_CLOSING_WORDS &&
    (pickIntent(t.u.intents).kind !== 'sure' || blessesWhatTheyWillDo(t))
  );
}

/**
 * "ok voy a llamar. muchas gracias dios le bendiga": a blessing, and a topic named only by what
 * they will do ("llamar" is the call's word, weakly): a goodbye, not the call asked about (blind
 * try 29 got the question before it a fourth time).
 */
function blessesWhatTheyWillDo(t: Turn): boolean {
  return means(t.u, 'formula') && (t.u.intents[0]?.score ?? 0) < WEAK_TOPIC_SCORE;
}
/** A topic named with less than this, beside thanks and a blessing, is no question of its own. */
const WEAK_TOPIC_SCORE = 1.5;

/** A longer message is more than a thank-you. */
const MAX_THANKS_WORDS = 8;
/** A closing thanks with what else people add ("mi amor, dios te bendiga"): longer is a message of its own. */
const MAX_CLOSING_WORDS = 12;

/** The earliest and latest day the application was sent, as this message tells it, if it does. */
function filedAboutOf(t: Turn): [string, string] | undefined {
  if (t.cues.applied !== true) return undefined;
  if (t.event.filedOn) return [t.event.filedOn, t.event.filedOn];
  const now = DateTime.fromISO(t.event.now ?? '');
  if (!now.isValid) return undefined;
  if (t.u.span !== undefined) {
    const day = now.minus({ days: t.u.span }).toISODate()!;
    return [day, day];
  }
  return monthTold(t);
}

/** A filing date told, roughly or as a day said with the words for applying. */
function tellsFiled(t: Turn): boolean {
  return (
    t.event.reading?.filedRoughly !== undefined ||
    (t.event.found?.date !== undefined && t.cues.applied === true)
  );
}

/** The topic just shown named for sure, or several in doubt. */
function namesShownOrSeveral(pick: IntentPick, t: Turn): boolean {
  return (pick.kind === 'sure' && pick.node === t.start.shown) || pick.kind === 'unsure';
}

/** A question is asked, or choices are offered, on screen. */
const hasChoices = (ctx: ConversationContext) => ctx.asking || ctx.offered.length > 0;

export function topicActions(kit: Kit): Actions {
  const show = shower(kit);
  const system = (key: SystemKey) => (ctx: ConversationContext) => say(ctx, { say: { system: key } });
  return {
    openTopics: (ctx, t) => openTopics(kit, ctx, t),
    closeTopics: (ctx, t) => closeTopics(kit, ctx, t),
    answerWordless: (ctx, t) => {
      if (t.u.media === 0 && SAD_FACE.test(t.text)) return say(ctx, { say: { system: 'comfort_reply' } });
      if (t.u.media === 0 && PICTOGRAPH.test(t.text)) return say(ctx, { say: { system: 'ack_reply' } });
      return show(ctx, t, kit.flows.menu, t.u.media > 0 ? 'media' : 'no_words');
    },
    sendHelp: (ctx, t) => sendHelp(kit, show, ctx, t),
    showMenu: (ctx, t) => show(ctx, t, kit.flows.menu),
    showList: (ctx, t) => show(ctx, t, kit.listNode!),
    switchLanguage: (ctx, t) => switchLanguage(kit, show, ctx, t),
    // A number beyond the choices shown is the main menu's (its numbers stay the same
    // everywhere): "9" under a three-choice topic is "Remind me".
    showNumbered: (ctx, t) => {
      const n = t.u.number! - 1;
      const target = ctx.offered[n] ?? (ctx.asking ? undefined : kit.menuChoices[n]);
      return target ? show(ctx, t, target) : kit.reask(ctx);
    },
    showWeeklyChoice: (ctx, t) => showWeeklyChoice(kit, show, ctx, t),
    showSpanChoice: (ctx, t) => show(ctx, t, kit.choiceForTold(ctx.node, t)!),
    showAnswerChoice: (ctx, t) => show(ctx, t, kit.pickAnswer(ctx.node, t)!),
    showNamedChoice: (ctx, t) => show(ctx, t, kit.namedChoice(ctx, t)!),
    // "is this free? and is my info safe": each question answered, in the order of HUELLA_ANSWERS.
    answerAboutHuella: (ctx, t) =>
      kit.huellaAnswers(t.u).reduce((c, system) => say(c, { say: { system } }), ctx),
    stopWeekly: (ctx) => stopWeekly(ctx),
    stopReminders: (ctx, t) => stopReminders(kit, ctx, t),
    showTopicSpanChoice: (ctx, t) => show(ctx, t, topicSpanChoice(kit, ctx, t)!),
    showAskedTopic: (ctx, t) => show(ctx, t, askedBesidesReminders(kit, t)!),
    showTopic: (ctx, t) => {
      const pick = kit.pick(ctx, t);
      if (pick.kind !== 'sure') return ctx;
      const other = secondNeed(kit, t, pick.node);
      return other ? offerAlso(show(ctx, t, pick.node), [other]) : show(ctx, t, pick.node);
    },
    answerFrustrated: system('frustrated_reply'),
    answerThanks: system('thanks_reply'),
    greetAgain: (ctx, t) => show(ctx, t, kit.flows.menu, 'greet_again'),
    helpChoose: (ctx) => say(ctx, { ...reaskPart(ctx.node, ctx.offered), lead: 'unsure_choose' }),
    // "ok", "si", "no" with no question pending: a nod. Say we are here, without the whole menu;
    // a correction may still follow the nod ("ok" then "wait, it's 8:30"). "si quiero" under
    // three choices offered: which one, asked, not nodded at (a dead end).
    acknowledge: (ctx, t) =>
      means(t.u, 'yes') && ctx.offered.length >= 2
        ? say(ctx, { ...reaskPart(ctx.node, ctx.offered), lead: 'which_one' })
        : { ...say(ctx, { say: { system: 'ack_reply' } }), justSaved: t.start.justSaved },
    askWhichTopic: (ctx, t) => askWhichSteered(kit, ctx, t),
    answerMainOfferOther: (ctx, t) => {
      const [main, ...others] = twoNeeds(kit, ctx, t)!;
      return others.length > 0 ? offerAlso(show(ctx, t, main!), others) : show(ctx, t, main!);
    },
    reask: (ctx) => kit.reask(ctx),
    hearWorry: (ctx, t) => hearWorry(kit, ctx, t),
  };
}

/**
 * HELP is the carrier's keyword (what this is, how to stop), and also what someone lost types
 * ("ayuda"): the help text, then what they can choose, the question on screen or the menu.
 */
function sendHelp(kit: Kit, show: ReturnType<typeof shower>, ctx: ConversationContext, t: Turn) {
  const helped = say(ctx, { say: { system: 'help' } });
  return ctx.asking ? kit.reask(helped) : show(helped, t, kit.flows.menu);
}

/**
 * "can u say in english pls": the answer just given, again in that language (a blind try got the
 * menu); a topic that does something (collecting, the list, the weekly texts) is not redone.
 */
function switchLanguage(
  kit: Kit,
  show: ReturnType<typeof shower>,
  ctx: ConversationContext,
  t: Turn,
): ConversationContext {
  const node = ctx.node === kit.flows.menu ? undefined : kit.node(ctx.node);
  const again = node && !node.capture && !node.manage && !node.weekly ? node.id : kit.flows.menu;
  return show({ ...ctx, lang: languageAsked(t)! }, t, again, 'language_set');
}

/** "aplique en marzo" to "Want a text every week?": only the first line of the weekly text; the date comes next in this same reply. */
function showWeeklyChoice(
  kit: Kit,
  show: ReturnType<typeof shower>,
  ctx: ConversationContext,
  t: Turn,
): ConversationContext {
  const to = kit.node(ctx.node)!.choices.find((c) => kit.node(c.to)?.weekly)!.to;
  const shown = show(ctx, t, to);
  const last = shown.effects.at(-1);
  if (last?.type !== 'reply') return shown;
  const parts = last.parts.map((p, i) => (i === last.parts.length - 1 ? { ...p, firstOnly: true } : p));
  return { ...shown, effects: [...shown.effects.slice(0, -1), { ...last, parts }] };
}

/** The message answers a text that invited them to say more (`listens`: "tell me what worries you"). */
function listening(kit: Kit, ctx: ConversationContext, t: Turn): boolean {
  return !ctx.asking && t.start.shown !== undefined && kit.node(t.start.shown)?.listens === true;
}

/**
 * What worries them: the topic it names beside the text just sent, or "which one?" among those it
 * may name; else a kind word and where a person can help (`listened_reply`), not that text again.
 */
function hearWorry(kit: Kit, ctx: ConversationContext, t: Turn): ConversationContext {
  // "des fois j'ai envie de tout laisser tomber, même la vie": its text again, where to turn (blind try 17).
  const first = kit.firstTold(t);
  if (first) return shower(kit)(ctx, t, first);
  const pick = pickIntent(t.u.intents.filter((i) => i.node !== t.start.shown));
  if (pick.kind === 'sure') return shower(kit)(ctx, t, pick.node);
  if (pick.kind === 'unsure') return askWhich(ctx, pick.candidates);
  return say(ctx, { say: { system: 'listened_reply' } });
}

/**
 * A question about Huella itself; "when will you remind me" only when no appointment to save is
 * told. A topic picked for sure is the question instead when its words name it more, or when the
 * words about Huella are a small part of a long message: "the notario made my uscis account, the
 * codes go to him not to me" is about the account, though "go to him" reads as "do the reminders
 * go to him?"; "how do i tell immigration so the letters dont go to the old place" is a change of
 * address, not "will you tell immigration?".
 */
function asksAboutHuella(kit: Kit, ctx: ConversationContext, t: Turn): boolean {
  const key = kit.huellaAnswer(t.u);
  // "when my letter comes can you remind me?", "tu peux me rappeler quand ca fait 150 jours?" ask
  // for texts of a notice or a day to come, not when Huella sends them (graph.yaml weekly_optin).
  const later = t.cues.when_it_comes === true || t.cues.milestone_reminder === true;
  if (key === undefined || (key === 'reminders_when' && (later || tellsOneToSave(kit, ctx, t)))) return false;
  // "oups… c'est a 13h00 pas 13h30. pis le rappel de 3h avant j'en veux pas": the saved time put
  // right comes first (blind try 28).
  if (key === 'reminders_when' && correctsSavedTime(ctx, t)) return false;
  const pick = kit.pick(ctx, t);
  // "im texting for my mom she dont speak english. she have court case… what we do": a person's
  // language told beside a need, Huella's own not asked ("tu parles quelles langues?" asks them).
  if (
    key === 'languages_reply' &&
    t.cues.speaks_told === true &&
    t.cues.languages_question !== true &&
    pick.kind !== 'none'
  )
    return false;
  // Saving an appointment is no answer to "when will you remind me?": the question stands.
  if (pick.kind !== 'sure' || !answersPlainly(kit, pick.node)) return true;
  // "quien son ustedes, es gratis? y q hacen con mis datos": who Huella is, asked with what it
  // keeps or costs; those short answers say who it is too (blind try 24).
  if (kit.node(pick.node)?.systemAnswers.includes(key)) return true;
  const named = t.u.intents.find((i) => i.node === pick.node)?.score ?? 0;
  const huellaWords = kit.huellaWords(t.u);
  return named <= huellaWords && huellaWords * HUELLA_SHARE >= (t.u.size ?? 0);
}

/** A question about Huella in a message with a sure topic is the message's when its words are at least 1/HUELLA_SHARE of it. */
const HUELLA_SHARE = 4;

/** The message tells an appointment's date, and its words name saving one (for sure or in doubt). */
function tellsOneToSave(kit: Kit, ctx: ConversationContext, t: Turn): boolean {
  // Or told one earlier ("…dec 18 at 2pm… can i change it", then "remind me the day before pls").
  // A day to ask about is one too ("el martes 14", when the 14th is a Monday: which is it?).
  const date = t.event.found?.date ?? t.event.found?.ambiguous?.[0] ?? ctx.heard?.date;
  if (date === undefined || kit.captureNode === undefined) return false;
  const pick = kit.pick(ctx, t);
  return pick.kind === 'sure'
    ? pick.node === kit.captureNode
    : pick.kind === 'unsure' && pick.candidates.includes(kit.captureNode);
}

/** No topic's phrases are in the message. */
const noTopicNamed = (t: Turn) => pickIntent(t.u.intents).kind === 'none';

/**
 * No topic's phrases, nor one the classifier finds where it weighs in: "salut merci d'avance, j'ai
 * perdu la feuille du rdv" is a need to ask about, not a thank-you to answer.
 */
const noTopicFound = (kit: Kit, ctx: ConversationContext, t: Turn) =>
  noTopicNamed(t) && kit.pick(ctx, t).kind === 'none';

/** A message this long can hold two needs; a shorter unsure one is more likely one need said vaguely. */
const TWO_NEEDS_MIN_WORDS = 8;
/** A second topic is offered when its words weigh at least this share of the answered one's. */
const SECOND_NEED_SHARE = 0.7;

/**
 * The topics a long message may ask about, the likeliest first ("what do I bring, and can my kids
 * come?"), when the first is a plain answer (no question of its own, nor the first of the
 * steps of collecting): it is answered and the other offered, rather than "did you mean…?".
 */
function twoNeeds(kit: Kit, ctx: ConversationContext, t: Turn): string[] | undefined {
  const pick = kit.pick(ctx, t);
  // The phrases named both (a guess of the classifier's alone is asked about, not answered).
  if (pick.kind !== 'unsure' || noTopicNamed(t) || (t.u.size ?? 0) < TWO_NEEDS_MIN_WORDS) return undefined;
  // One word several topics share, and nothing else that tells which: one need, asked about.
  if (t.u.sharedWord) return undefined;
  const { candidates } = pick;
  const [main, other] = candidates;
  if (!main || !other) return undefined;
  // "…no letter from USCIS. Also when I can ask work permit?": a need named only after "also" is
  // the lesser one, put last by the pick (Kit.afterthoughtLast); the first is answered whatever
  // the scores.
  const later = t.u.afterthought ?? [];
  const demoted = !later.includes(main) && candidates.some((id) => later.includes(id));
  // One of the two likeliest a question above the others: it is asked (askWhichSteered), not one
  // answer guessed. (Less likely than both, it may be one the message answers: "the judge said…".)
  const above = askedAbove(kit, candidates);
  if (above === main || above === other) return undefined;
  const score = (id: string) => (t.u.topics ?? t.u.intents).find((i) => i.node === id)?.score ?? 0;
  // The others it may mean stay offered, under the answer (those it offers itself are there already).
  if (!answersPlainly(kit, main) || (!demoted && score(main) <= score(other))) return undefined;
  const others = candidates.slice(1).filter((id) => worthOffering(kit, main, id, t));
  // Those all offered by the answer itself: the next need its words weigh, if any.
  const second = others.length === 0 ? secondNeed(kit, t, main) : undefined;
  return [main, ...others, ...(second ? [second] : [])];
}

/**
 * A topic to offer under `main`'s answer: an answer of its own, not already one of `main`'s choices,
 * and not saving an appointment when the message says the letter has not come ("jai pas encore
 * recu la lettre" holds the words of "jai recu la lettre": see Kit.pick).
 */
function worthOffering(kit: Kit, main: string, id: string, t: Turn): boolean {
  const node = kit.node(id);
  return (
    id !== main &&
    !!node &&
    node.sources.length > 0 &&
    !kit.node(main)!.choices.some((c) => c.to === id) &&
    !(node.capture && (kit.saysNotCome(t) || t.cues.date_gone === true || datePassed(t)))
  );
}

/**
 * A topic answered as it is shown (its own choices kept): not one that starts collecting or asks,
 * nor a list of topics ("USCIS online account"), which would be a second menu.
 */
export function answersPlainly(kit: Kit, id: string): boolean {
  const node = kit.node(id);
  return !!node && node.sources.length > 0 && !node.ask && !node.capture && !node.manage && !node.weekly;
}

/**
 * A long message's second need beside the topic it is sure of ("what do i bring and can my kids
 * come with me": bring, and the family's appointments), when its words weigh nearly as much and
 * the answer does not offer it already.
 */
function secondNeed(kit: Kit, t: Turn, main: string): string | undefined {
  if ((t.u.size ?? 0) < TWO_NEEDS_MIN_WORDS || !answersPlainly(kit, main)) return undefined;
  // "…tengo miedo q ahi me agarre migra. y si llevo mi celular me lo quitan?": the need its last
  // question names, read alone, is the one to offer, whatever else the whole message's words weigh.
  const asked = t.u.lastQuestion;
  if (asked && worthOffering(kit, main, asked, t)) return asked;
  // The phrases' own weights: the classifier's pick of one topic ranks no second one.
  const ranked = t.u.intents;
  const top = ranked.find((i) => i.node === main)?.score ?? 0;
  const next = ranked.find((i) => i.node !== main);
  // A topic's words, not a stray one ("do i have a chance to win my case": "case" is no account
  // question beside legal help, which the classifier or a cue chose with no phrase of its own).
  return next &&
    worthOffering(kit, main, next.node, t) &&
    next.score >= INTENT_MIN_SCORE &&
    next.score >= top * SECOND_NEED_SHARE
    ? next.node
    : undefined;
}

/** Offers `others` under the answer just shown, numbered on from its own choices, "0 Menu" last. */
function offerAlso(shown: ConversationContext, wanted: string[]): ConversationContext {
  // Not the node shown, nor one its choices offer already (a question may have been asked first).
  const others = wanted.filter((id) => id !== shown.node && !shown.offered.includes(id));
  if (others.length === 0) return shown;
  const moved = mapParts(shown, (parts) =>
    parts.map((p) => (p.choices ? { ...p, choices: { ...p.choices, menu: false } } : p)),
  );
  return say(
    { ...moved, offered: [...moved.offered, ...others] },
    { say: { system: 'also_asked' }, choices: { to: others, menu: true, from: moved.offered.length + 1 } },
  );
}

/**
 * "Did you mean one of these?", each offered as the message steers it ("I missed it… the letter
 * never came": the steps for a notice that never came, not those for a missed appointment);
 * steered to one, that one, not a question with a single choice.
 */
function askWhichSteered(kit: Kit, ctx: ConversationContext, t: Turn): ConversationContext {
  // "whats the number again", "c quoi le numero deja" right after an answer: that answer again
  // (it asked "calling USCIS or the account number?": blind try 11).
  const last = t.start.shown;
  if (t.cues.again_asked === true && (t.u.size ?? 99) <= 6 && last && kit.node(last)?.sources.length)
    return shower(kit)(ctx, t, last);
  const pick = kit.pick(ctx, t);
  const candidates = pick.kind === 'unsure' ? pick.candidates.map((id) => steered(kit, ctx, t, id)) : [];
  const distinct = [...new Set(candidates)];
  const one =
    distinct.length === 1 ? distinct[0] : (askedAbove(kit, distinct) ?? questionSorting(kit, distinct));
  return one ? shower(kit)(ctx, t, one) : askWhich(ctx, distinct);
}

/** A question sorts topics with this many answers at most; more is a list of topics, a second menu. */
const SORTING_CHOICES = 3;

/**
 * A short question, not among the two `candidates`, whose answers lead to both: "mon rdv
 * c'était hier" may be the steps after going or those after missing it, and "Did you go?" sorts
 * them in the person's own terms, where "did you mean…?" asks them to name the topic (fresh5).
 */
function questionSorting(kit: Kit, candidates: string[]): string | undefined {
  if (candidates.length !== 2) return undefined;
  return [...kit.flows.nodes.values()].find(
    (n) => n.ask && n.choices.length <= SORTING_CHOICES && candidates.every((id) => kit.leadsTo(n.id, id)),
  )?.id;
}

/**
 * The question among `candidates` whose answers lead to all the others ("Have you got a receipt
 * notice?" above the steps with and without one): asking it is the way to each of them, where
 * "did you mean…?" would ask the person to choose what the question sorts out.
 */
function askedAbove(kit: Kit, candidates: string[]): string | undefined {
  return candidates.find(
    (id) => kit.node(id)?.ask === true && candidates.every((other) => other === id || kit.leadsTo(id, other)),
  );
}

/** "Did you mean one of these?", the topics it may mean numbered. */
function askWhich(ctx: ConversationContext, candidates: string[]): ConversationContext {
  return say(
    { ...ctx, offered: candidates, asking: false, misses: 0 },
    { say: { system: 'clarify' }, choices: { to: candidates, menu: true } },
  );
}

/** Where a turn among the topics starts: the language, and what the last message left expires. */
function openTopics(kit: Kit, start: ConversationContext, t: Turn): ConversationContext {
  const { u } = t;
  let ctx: ConversationContext = {
    ...start,
    channel: t.event.channel,
    justSaved: undefined,
    shown: undefined,
    offer: undefined,
    answerNext: undefined,
    // "I applied on August 3, nothing yet": kept for when weekly checks start.
    ...(t.event.filedOn ? { filedTold: t.event.filedOn } : {}),
    // "i got a letter for fingerprints on dec 18 at 2pm… can i change it": kept for reminders asked later.
    ...(t.event.offerReminders && t.event.found?.date ? { heard: t.event.found } : {}),
  };
  // "aplique hace como 5 meses", then "no" to "Did you get a receipt?": "more than 3 months?"
  // is answered by what was told (blind try 12 was asked it).
  const filed = filedAboutOf(t);
  if (filed) ctx = { ...ctx, filedAbout: filed };
  if (u.language?.confident && u.language.code !== ctx.lang && kit.flows.packs.has(u.language.code)) {
    ctx = { ...ctx, lang: u.language.code };
  } else if (u.command?.from && u.command.from !== ctx.lang && kit.flows.packs.has(u.command.from)) {
    // "AYUDA" in an English conversation: answer in the language of the word.
    ctx = { ...ctx, lang: u.command.from };
  }
  t.memo.set('repliesFrom', ctx.effects.length);
  return u.hasWords && u.media > 0 ? say(ctx, { say: { system: 'media' } }) : ctx;
}

/** How a turn among the topics ends: "one at a time" before the first question, the reminder offer. */
function closeTopics(kit: Kit, start: ConversationContext, t: Turn): ConversationContext {
  let ctx = remindersAsked(kit, start, t);
  // "mine dec 1 9am, hers dec 1 9:30…": say that one is saved at a time, before the first question.
  if (t.event.several && ctx.draft && !t.start.draft) {
    const at = (t.memo.get('repliesFrom') as number | undefined) ?? 0;
    // Each person's time read apart ("la mia a las 9 y la de el a las 9 y 20"): the others are
    // kept, and asked about once this one is saved.
    const others = t.event.others ?? [];
    if (others.length > 0) ctx = { ...ctx, queued: queueWith(ctx.queued, others, ctx.draft.date) };
    const part: ReplyPart = {
      say: { system: others.length > 0 ? 'appt_others_kept' : 'appt_one_at_a_time' },
    };
    ctx = {
      ...ctx,
      effects: [...ctx.effects.slice(0, at), { type: 'reply', parts: [part] }, ...ctx.effects.slice(at)],
    };
  }
  // Not beside the way to change the date ("mi cita es mañana… mi niño tiene fiebre, q hago"):
  // reminders for the day they are moving are no help (blind try 24).
  const changing =
    kit.node(ctx.node)?.savedHint === true || t.cues.cant_attend === true || t.cues.sick === true;
  // Nor for a day already saved ("mes enfants… ils doivent venir aussi demain?" after saving
  // tomorrow's: the reminders are set; blind try 25).
  const day = t.event.found?.date;
  const saved = day !== undefined && ctx.appointments.some((a) => a.date === day);
  if (t.event.offerReminders && !ctx.draft && !changing && !saved)
    ctx = { ...say(ctx, { say: { system: 'appt_offer' } }), offer: t.event.found ?? {} };
  // The offer of the turn before, a question asked under it ("ok i will go early… can i bring
  // them inside?"): kept, unsaid, so that a "yes" after the answer still takes it (blind try 28).
  else if (t.start.offer && !ctx.offer && !ctx.draft && !changing && asksSomething(t) && !means(t.u, 'no'))
    ctx = { ...ctx, offer: t.start.offer };
  return ctx;
}

/**
 * "my appt is dec 12 at 10am in 77002, what do i bring and can you remind me": the answer, then
 * the appointment read back to be saved, from what the message told (offering reminders they asked
 * for lost the date and place when the next message was "so did you save it?"). The answer's own
 * numbered choices are left out: a number now answers the read-back.
 */
function remindersAsked(kit: Kit, ctx: ConversationContext, t: Turn): ConversationContext {
  if (!t.event.offerReminders || !t.event.remindWords || ctx.draft || !t.event.found) return ctx;
  const answered = mapParts(ctx, (parts) => parts.map(({ choices: _, ...part }) => part));
  const input = { ...kit.captureInput(t), yes: false, no: false };
  return kit.applyCapture(answered, startCapture(input, undefined, ctx.appointments.length));
}

/** The one topic besides reminders that a message telling an appointment and asking for them asks about. */
function askedBesidesReminders(kit: Kit, t: Turn): string | undefined {
  if (!t.event.offerReminders || !t.event.asks) return undefined;
  // "puedo llevar a mis 2 niños?… y me avisas un dia antes": the question the other parts ask
  // (understand.ts `besides`), whatever words ask for the reminders (fresh20).
  if (t.u.besides && kit.node(t.u.besides)) return t.u.besides;
  if (!t.event.remindWords) return undefined;
  const picked = pickIntent(t.u.intents);
  const candidates = picked.kind === 'unsure' ? picked.candidates : [];
  const others = candidates.filter((id) => !kit.node(id)?.capture);
  // Exactly one other topic, beside reminders (those are collected after the answer).
  return others.length === 1 && candidates.length > 1 ? others[0] : undefined;
}

/** Showing a topic: some topics do something (collect, list, start weekly checks) instead of a text. */
export function shower(kit: Kit) {
  return function show(
    ctx: ConversationContext,
    t: Turn,
    shown: string,
    lead?: SystemKey,
  ): ConversationContext {
    // "How do you want to change it? By phone or online" with the appointment hours away: the
    // phone, at once (the seed: online does not work within 12 hours).
    // What they told before steers which answer fits ("who do I call?" while waiting for a notice);
    // a number picked from a list is taken as picked.
    // "How long ago?" after a "no" to a question asked first: the day the first message told.
    const next = t.start.answerNext;
    if (next?.question === shown) return show({ ...ctx, answerNext: undefined }, t, next.choice, lead);
    ctx = rememberTold(kit, ctx, t);
    const asked = t.u.number === undefined ? steered(kit, ctx, t, shown) : shown;
    // "ça fait 4 mois… aucun receipt, qui je dois appeler": steered to the 3-month question,
    // which the span told answers; "no not yet, i mailed it like 2 months ago" to "Did you get a
    // receipt?": its "no" leads to that question, which the span answers too (a blind try).
    // (A number picked says which choice; asked is then the one shown.)
    const spanned =
      t.u.number === undefined
        ? (kit.choiceForTold(asked, t) ?? kit.sinceFiledChoice(ctx, t, asked))
        : undefined;
    if (spanned) return show(ctx, t, spanned, lead);
    // "no tengo mi carta de huellas, estoy en corte": the question shown is answered already.
    const answered = t.u.number === undefined ? kit.answeredIn(asked, t) : undefined;
    if (answered) return show(ctx, t, answered, lead);
    // "my appointment was yesterday": did you go? (graph.yaml `asked_first`).
    const first = kit.askedFirst.before(ctx, t, asked);
    if (first) return kit.askedFirst.ask(ctx, t, first);
    const soon =
      kit.lastMinuteNode !== undefined &&
      kit.node(asked)?.choices.some((c) => c.to === kit.lastMinuteNode) === true &&
      (within(ctx, t, 12) || toldHoursAway(ctx, t));
    const id = soon ? kit.lastMinuteNode! : asked;
    const node = kit.node(id);
    let c = ctx;
    if (node?.savedFirst && c.appointments.length > 0) {
      // "When is my appointment?" from someone who told us: say it first.
      const soonest = [...c.appointments].sort((a, b) =>
        (a.date + a.time).localeCompare(b.date + b.time),
      )[0]!;
      c = say(c, { say: { system: 'appt_you_have' }, params: paramsOf(soonest) });
    }
    if (node?.capture) return collectFromTopic(kit, c, t);
    if (node?.manage) return manage(kit, c, t, id);
    if (node?.weekly) return startWeekly(kit, c, t, id);
    // The last-minute way shown: online no longer works, if asked next ("y por internet?").
    const hoursAway = (t.event.lastMinute === true || soon) && node?.lastMinute === true;
    return remember(
      showText(kit, c, t, id, lead, soon),
      aboutAnother(t) ? [] : [...(node?.tells ?? []), ...(hoursAway ? [HOURS_AWAY] : [])],
    );
  };
}

/**
 * A message about a sister's, a parent's or a friend's own case, no spouse or child named: what the
 * person told of themselves does not steer it, and what it tells is not kept as theirs ("mi
 * hermana mando su asilo a uscis…" after "yo meti mi asilo en la corte": blind try 23).
 */
function aboutAnother(t: Turn): boolean {
  // "como se cambia la fecha? es para mi esposa" after one's own missed date: the wife's (blind try 31).
  return (t.cues.relative_apart === true && t.cues.family_words !== true) || t.cues.relative_own === true;
}

/**
 * The node to show for `asked`: its `when_told` alternative for the first fact the person told,
 * before or in this message ("I missed it… the letter never came": not the missed steps but
 * those for a notice that never came), else itself.
 */
function steered(kit: Kit, ctx: ConversationContext, t: Turn, asked: string): string {
  const memory = aboutAnother(t) ? [] : (ctx.told ?? []);
  // Each part of a fact by itself: "made_by_other+!will_create" holds for an account made by
  // someone else told before, asked about now with no plan to make one (blind try 23).
  const held = (name: string) => memory.includes(name) || tellsFact(t, name);
  const told = (fact: string) =>
    memory.includes(fact) || cueFact(fact)?.every(({ name, not }) => held(name) !== not) === true;
  return kit.node(asked)?.whenTold.find(([fact]) => told(fact))?.[1] ?? asked;
}

/**
 * Keeps the facts the message tells that graph.yaml `remembered` lists, in place of those each
 * replaces ("the judge never said anything" holds for later answers, until they say it did).
 */
function rememberTold(kit: Kit, ctx: ConversationContext, t: Turn): ConversationContext {
  if (aboutAnother(t)) return ctx;
  const told = [...kit.flows.remembered.keys()].filter((fact) => tellsFact(t, fact));
  if (told.length === 0) return ctx;
  const replaced = new Set(told.flatMap((fact) => kit.flows.remembered.get(fact) ?? []));
  const kept = (ctx.told ?? []).filter((fact) => !replaced.has(fact) && !told.includes(fact));
  return { ...ctx, told: [...kept, ...told] };
}

/** Keeps what reaching a node tells of the person (graph.yaml `tells`). */
function remember(ctx: ConversationContext, tells: string[]): ConversationContext {
  const told = [...new Set([...(ctx.told ?? []), ...tells])];
  return told.length > (ctx.told?.length ?? 0) ? { ...ctx, told } : ctx;
}

/**
 * The last-minute way was shown earlier in the conversation (the appointment is hours away), or
 * the online way closed otherwise; not for another person's appointment.
 */
function toldHoursAway(ctx: ConversationContext, t: Turn): boolean {
  return !aboutAnother(t) && ONLINE_CLOSED.some((fact) => ctx.told?.includes(fact) === true);
}

/** An appointment within `hours` of the message: online rescheduling no longer works. */
function within(ctx: ConversationContext, t: Turn, hours: number): boolean {
  const now = DateTime.fromISO(t.event.now ?? '');
  // "my appt is 8am tomorrow… its already 11 at night" (fresh13): the one the message tells too.
  const found = t.event.found;
  const told =
    found?.date && found.time && !t.cues.applied
      ? [{ date: found.date, time: found.time, zone: found.place?.zone ?? t.event.defaultZone ?? 'UTC' }]
      : [];
  return [...ctx.appointments, ...told].some((a) => {
    const at = appointmentInstant(a);
    return at !== undefined && now.isValid && at > now && at.diff(now, 'hours').hours < hours;
  });
}

/** A topic's text, with its choices (none when it is the last-minute way, today). */
function showText(
  kit: Kit,
  ctx: ConversationContext,
  t: Turn,
  id: string,
  lead: SystemKey | undefined,
  soon: boolean,
): ConversationContext {
  // "je suis à bout, je dors plus… rien reçu depuis 8 mois": a kind word before the steps (blind try 17).
  const kind = !lead && t.cues.distress_words === true && id !== kit.flows.menu && !kit.node(id)?.listens;
  // A text the graph puts first when the message tells a fact (graph.yaml lead_when_told).
  const told = kit.node(id)?.leadWhenTold.find(([fact]) => tellsFact(t, fact))?.[1];
  const goneTo = kit.goTo(ctx, id, kind ? 'distress_lead' : (lead ?? told));
  // Today: online does not work within 12 hours, so "do it online instead" is not offered: the
  // last-minute way offers nothing, another topic not the ways online closes (their when_told
  // sends them back to the phone: "the line is 40 min on hold… 1 Reschedule online", blind try 16).
  // Only the ways that close send back to the phone: "I missed it" and "change the date" stay
  // offered, and the menu keeps all its topics (blind try 31 lost three of nine to a missed date).
  const closed = id !== kit.flows.menu && (t.event.lastMinute || soon || toldHoursAway(ctx, t));
  const closes = (to: string) =>
    kit.node(to)?.whenTold.some(([f, then]) => ONLINE_CLOSED.includes(f) && then === kit.lastMinuteNode) ===
    true;
  const keep = (to: string) => !closed || (!kit.node(id)?.lastMinute && !closes(to));
  const offered = goneTo.part.choices!.to.filter(keep);
  const moved =
    offered.length === goneTo.part.choices!.to.length
      ? goneTo
      : {
          ctx: { ...goneTo.ctx, offered },
          part: { ...goneTo.part, choices: { ...goneTo.part.choices!, to: offered } },
        };
  // "…walk in if you missed it a few weeks ago at most" to someone who missed it months ago: left out.
  const unfit = kit.node(id)?.lastTextUnless.some((f) => ctx.told?.includes(f) === true || tellsFact(t, f));
  const part = unfit ? { ...moved.part, withoutLast: true } : moved.part;
  const next = id === kit.flows.menu ? moved.ctx : { ...moved.ctx, shown: id };
  // The same topic again right after it ("now it wants a code" after the password text): what
  // the information says, again, with a line that says so ("I know no more" alone read as a
  // dead end, and sent technical questions to legal aid).
  // (Not the comfort text, `listens`: "this is all my information says" before it would be cold.)
  const again =
    id !== kit.flows.menu && id === t.start.shown && !lead && !kit.node(id)?.ask && !kit.node(id)?.listens;
  // "change the time to 10:45" from someone with one saved: how to move it with USCIS, and how
  // to fix only what they told Huella. Once on the way: not again at each of its steps (by phone,
  // online: "the 'my appointments' line is noise", blind try 27).
  const hinted =
    !again &&
    kit.node(id)?.savedHint &&
    next.appointments.length > 0 &&
    (t.start.shown === undefined || !kit.node(t.start.shown)?.savedHint)
      ? say(next, { say: { system: 'appt_fix_hint' } })
      : next;
  return say(hinted, again ? { ...part, lead: 'same_topic' } : part);
}

/** "Remind me": collect the appointment, from what this message (or the one before) told. */
function collectFromTopic(kit: Kit, ctx: ConversationContext, t: Turn): ConversationContext {
  // "my appointment is December 5 at 6:22 PM", as saved already: not another one to add.
  const same = toldAgain(ctx, t);
  if (same) return sayAlreadySaved(ctx, same);
  // After "Want reminders?" ("can u remind me pls"), from what the message before told, as "yes" would.
  const input = kit.captureInput(t);
  // Or from one a message told earlier while asking something else (blind try 14).
  const earlier = t.start.offer ?? t.start.heard;
  const told = earlier && !kit.told(t) ? { ...input, found: earlier } : input;
  return kit.applyCapture(
    { ...ctx, heard: undefined },
    startCapture(told, undefined, ctx.appointments.length),
  );
}

/** The saved appointment whose date and time the message tells again, about no one else. */
function toldAgain(ctx: ConversationContext, t: Turn) {
  const found = t.event.found;
  if (!found?.date || !found.time || aboutSomeoneElse(t)) return undefined;
  return ctx.appointments.find((a) => tellsOnly(found, a));
}

/** The message names someone else: family, "another one", a name. */
export function aboutSomeoneElse(t: Turn): boolean {
  return once(t, 'aboutSomeoneElse', () => {
    const { u } = t;
    return (
      means(u, 'family') ||
      means(u, 'another') ||
      t.event.reading?.nameMentioned !== undefined ||
      t.event.reading?.nameAfterWord !== undefined
    );
  });
}

/** It is saved like that already: say so, and how to change it; a new date or time still corrects it. */
export function sayAlreadySaved(
  ctx: ConversationContext,
  saved: { id: string } & Parameters<typeof paramsOf>[0],
) {
  return {
    ...say(ctx, { say: { system: 'appt_already_saved' }, params: paramsOf(saved) }),
    justSaved: saved.id,
  };
}

/**
 * The choice of the topic named whose span of time the message told, if it asks one: the topic
 * named for sure (or the one it is steered to), or one of two in doubt whose other is that very choice ("missed" or "missed_old").
 */
function topicSpanChoice(kit: Kit, ctx: ConversationContext, t: Turn): string | undefined {
  // "ayer era mi cita y no pude ir, puedo ir hoy?": they did not go, and when is told, whatever
  // else the words name (going today, a broken car).
  const missed = t.event.missedDaysAgo;
  if (missed !== undefined && kit.notWentNode) return kit.choiceForSpan(kit.notWentNode, missed);
  const pick = kit.pick(ctx, t);
  // "mi cita era ayer pero estaba en el hospital", "c'était le 3 mais j'étais malade": the missed
  // topic, and when it was, by a date or by the words of its span question ("ayer", "hier").
  const pastDay = missedDay(kit, ctx, t, pick);
  if (pastDay) return pastDay;
  if (!kit.tellsTimePast(t) || pick.kind === 'none') return undefined;
  // "never got the receipt… filed 5 months ago": the question it is steered to (when_told) is the
  // one the span answers.
  if (pick.kind === 'sure') return kit.choiceForTold(steered(kit, ctx, t, pick.node), t);
  const choices = pick.candidates.map((node) => kit.choiceForTold(node, t));
  const own = choices.find((choice) => choice !== undefined && pick.candidates.includes(choice));
  if (own) return own;
  // "no, lo mande hace 5 meses" in doubt between the answers of one question of spans (wait for
  // the receipt, or call): the answer whose span holds it.
  const question = [...kit.flows.nodes.values()].find(
    (n) => n.choices.some((c) => c.ago) && pick.candidates.every((id) => n.choices.some((c) => c.to === id)),
  );
  return question ? kit.choiceForTold(question.id, t) : undefined;
}

/**
 * The choice of the missed topic's span question that a day told answers, when the topic picked is
 * about a day past and the message says they did not go, so "Did you go?" is not asked first.
 */
function missedDay(kit: Kit, ctx: ConversationContext, t: Turn, pick: IntentPick): string | undefined {
  const question = kit.notWentNode;
  // Between topics, only when the message says they did not go: "applied 6 months ago… never
  // got any paper" may be the missed one or the wait.
  const about =
    pick.kind === 'sure'
      ? [pick.node]
      : pick.kind === 'unsure' && kit.askedFirst.toldNotGoing(t)
        ? pick.candidates
        : [];
  if (!question || !about.some((id) => kit.aboutDayPast(id))) return undefined;
  const days = datePassed(t) ? kit.daysPast(t) : undefined;
  const choice = days !== undefined ? kit.choiceForSpan(question, days) : kit.askedFirst.spanWords(t);
  return choice && !kit.askedFirst.before(ctx, t, choice) ? choice : undefined;
}

/**
 * "hace 2 semanas" to "Did you file more than 3 months ago, or is your hearing less than 6 months
 * away?": a span that no choice holds leaves the question open; it is asked again, not read as a
 * topic ("semanas" reads like the weekly texts).
 */
function spanLeavesOpen(kit: Kit, ctx: ConversationContext, t: Turn): boolean {
  if (!ctx.asking || t.u.span === undefined) return false;
  const spans = kit.node(ctx.node)?.choices.some((c) => c.ago !== undefined) === true;
  return spans && kit.choiceForSpan(ctx.node, t.u.span) === undefined;
}

/** Turns the weekly checks on and asks when the I-589 was sent. */
function startWeekly(kit: Kit, ctx: ConversationContext, t: Turn, id: string): ConversationContext {
  const moved = kit.goTo(ctx, id);
  // Told already (weekly texts turned on again, or "I applied on August 3" said before): not
  // asked twice; the text's first line only.
  const filed = ctx.weekly?.filed;
  const told = filed === undefined ? ctx.filedTold : undefined;
  const shown: ConversationContext = {
    ...say(moved.ctx, filed || told ? { ...moved.part, firstOnly: true } : moved.part),
    weekly: { ...ctx.weekly, active: true },
    askingFiled: filed === undefined && told === undefined,
    filedTold: undefined,
  };
  const next = told ? recordFiled(shown, { date: told, today: (t.event.now ?? '').slice(0, 10) }) : shown;
  return ctx.weekly?.active ? next : { ...next, effects: [...next.effects, { type: 'weekly' }] };
}

/** "stop the weekly messages": the weekly checks end, and nothing else does. */
function stopWeekly(ctx: ConversationContext): ConversationContext {
  if (ctx.weekly?.active !== true) return say(ctx, { say: { system: 'weekly_not_on' } });
  const told = say(ctx, { say: { system: 'weekly_stopped' } });
  return {
    ...told,
    weekly: { ...ctx.weekly, active: false },
    effects: [...told.effects, { type: 'stopWeekly' }],
  };
}

/**
 * "my appointments", or "annule le mien" with the own one and a relative's saved: a cancel said of
 * the one the words mean (by a name, or one's own) takes its reminders off; else the list.
 */
function manage(kit: Kit, ctx: ConversationContext, t: Turn, id: string): ConversationContext {
  const meant =
    means(t.u, 'cancel') && !means(t.u, 'change') ? kit.appointmentMeant(t, ctx.appointments) : undefined;
  return meant && !kit.besideOwn(t, meant)
    ? kit.cancelAppointment(ctx, meant)
    : kit.listAppointments(ctx, id);
}

/**
 * "stop reminders but keep the chat", "parar recordatorios de maria": the reminders of the one
 * named, or of the only one, end; the chat stays. With several saved (or someone named who has
 * none), the list, to choose; nothing saved, weekly checks on: those end.
 */
function stopReminders(kit: Kit, ctx: ConversationContext, t: Turn): ConversationContext {
  const found = kit.appointmentMeant(t, ctx.appointments);
  // Someone named beside one's own ("Olivier c'est à 10h… le mien annule-le"): the list, to choose.
  const named = kit.besideOwn(t, found) ? undefined : found;
  const other =
    means(t.u, 'family') ||
    t.event.reading?.nameMentioned !== undefined ||
    t.event.reading?.nameAfterWord !== undefined ||
    t.cues.reminders_of === true;
  const chosen = named ?? (!other && ctx.appointments.length === 1 ? ctx.appointments[0] : undefined);
  if (chosen) return kit.cancelAppointment(ctx, chosen);
  if (ctx.appointments.length > 0 && kit.listNode) return kit.listAppointments(ctx, kit.listNode);
  if (ctx.weekly?.active) return stopWeekly(ctx);
  return say(ctx, { say: { system: 'appt_none' } });
}
