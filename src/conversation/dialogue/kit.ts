import { DateTime } from 'luxon';
import { foldingOf } from '../../understanding/folding.js';
import { messageCues } from '../../understanding/message-cues.js';
import { nameFrom, nameWords } from '../../understanding/names.js';
import { foldWord } from '../../understanding/pack-words.js';
import type { IntentPick, RankedIntent, Understood } from '../../understanding/understand.js';
import { INTENT_MIN_SCORE, pickIntent } from '../../understanding/understand.js';
import {
  type Appointment,
  appointmentNamed,
  type CaptureInput,
  type CaptureOutcome,
  detailsIn,
  saysName,
} from '../appointments.js';
import type { Choice, Flows, ReplyPart, SystemKey } from '../content.js';
import { AskedFirst } from './asked-first.js';
import { LabelChoice } from './label-choice.js';
import { effect, nodePart, paramsOf, reaskPart, say } from './replies.js';
import { datePassed, hasQuestionMark, means, monthTold, mostly, once, type Turn, tellsFact } from './turn.js';
import type { ConversationContext, Effect } from './types.js';

/**
 * What every sub-dialogue of the chart uses: the graph's special nodes, moving to a node, and the
 * steps shared by several states (collecting, listing, cancelling). Built once per set of flows.
 */
export class Kit {
  readonly menuChoices: string[];
  /** The topic that lists the saved appointments (marked `manage` in graph.yaml). */
  readonly listNode: string | undefined;
  /** The phone steps for an appointment hours away (marked `lastMinute`). */
  readonly lastMinuteNode: string | undefined;
  /** The question asked of someone who did not go ("How long ago?": graph.yaml `not_went`). */
  readonly notWentNode: string | undefined;
  /** The topic that collects an appointment (marked `capture`). */
  readonly captureNode: string | undefined;
  /** Nodes that answer a message in doubt when it tells their facts (graph.yaml `wins_when_told`), in graph order. */
  private readonly winners: { id: string; fact: string }[];
  /** Nodes that answer a message that tells their facts whatever topic it names (graph.yaml `first_when_told`). */
  private readonly firsts: { id: string; fact: string }[];
  /** The offered choice a short message names by its label's words. */
  readonly labels: LabelChoice;
  /** Questions asked before the topics under their answers (graph.yaml `asked_first`). */
  readonly askedFirst: AskedFirst;
  /** Words just before a name that leave that person's appointment alone, folded (every pack's `reading.spare_words`). */
  readonly spares: ReadonlySet<string>;
  /** Words just after a name that leave that person's appointment alone, folded (`reading.spare_after_words`). */
  readonly sparesAfter: ReadonlySet<string>;

  constructor(readonly flows: Flows) {
    this.menuChoices = flows.nodes.get(flows.menu)?.choices.map((c) => c.to) ?? [];
    this.listNode = [...flows.nodes.values()].find((n) => n.manage)?.id;
    this.lastMinuteNode = [...flows.nodes.values()].find((n) => n.lastMinute)?.id;
    this.notWentNode = [...flows.nodes.values()].find((n) => n.notWent)?.id;
    this.captureNode = [...flows.nodes.values()].find((n) => n.capture)?.id;
    this.winners = [...flows.nodes.values()].flatMap((n) =>
      n.winsWhenTold.map((fact) => ({ id: n.id, fact })),
    );
    this.firsts = [...flows.nodes.values()].flatMap((n) =>
      n.firstWhenTold.map((fact) => ({ id: n.id, fact })),
    );
    this.labels = new LabelChoice(flows);
    this.askedFirst = new AskedFirst(this);
    this.spares = new Set([...flows.packs.values()].flatMap((p) => p.reading.spareWords.map(foldWord)));
    this.sparesAfter = new Set(
      [...flows.packs.values()].flatMap((p) => p.reading.spareAfterWords.map(foldWord)),
    );
  }

  /** The offered choice the message names by its label's words ("telephone", "consejos"), if one. */
  namedChoice(ctx: ConversationContext, turn: Turn): string | undefined {
    return once(turn, `label:${ctx.node}`, () => this.labels.pick(ctx, turn.text));
  }

  node(id: string) {
    return this.flows.nodes.get(id);
  }

  /** Moves to a node and shows it with its numbered choices. */
  goTo(
    ctx: ConversationContext,
    id: string,
    lead?: SystemKey,
  ): { ctx: ConversationContext; part: ReplyPart } {
    const node = this.node(id) ?? this.node(this.flows.menu)!;
    const part = nodePart(this.flows, node.id, lead);
    return { ctx: { ...ctx, node: node.id, offered: part.choices!.to, asking: node.ask, misses: 0 }, part };
  }

  /** At the main menu, its choices offered. */
  atMenu(ctx: ConversationContext): ConversationContext {
    return { ...ctx, node: this.flows.menu, offered: this.menuChoices, asking: false };
  }

  /** The language a message is answered in: the one it is written in, or its command's. */
  languageOf(u: Understood, fallback: string): string {
    if (u.language && this.flows.packs.has(u.language.code)) return u.language.code;
    const from = u.command?.from;
    return from && this.flows.packs.has(from) ? from : fallback;
  }

  /** The message's topic, with the node just shown counting extra when the message points at it. */
  pick(ctx: ConversationContext, turn: Turn): IntentPick {
    return once(turn, `pick:${ctx.node}:${ctx.asking}`, () =>
      this.wonByFacts(
        ctx,
        turn,
        this.afterthoughtLast(turn, this.withoutToldOff(turn, this.named(ctx, turn))),
      ),
    );
  }

  /**
   * Topics named only after "also" ("…jamais recu de recu. et aussi quand je peux demander le
   * permis de travail?") come after the others: in doubt, last; picked for sure while the words
   * before name another, in doubt behind it. The dialogue answers the first and offers the rest
   * (twoNeeds).
   */
  private afterthoughtLast(turn: Turn, picked: IntentPick): IntentPick {
    const later = turn.u.afterthought;
    if (!later) return picked;
    if (picked.kind === 'unsure')
      return {
        kind: 'unsure',
        candidates: [
          ...picked.candidates.filter((id) => !later.includes(id)),
          ...picked.candidates.filter((id) => later.includes(id)),
        ],
      };
    if (picked.kind !== 'sure' || !later.includes(picked.node)) return picked;
    const earlier = turn.u.intents.find((i) => i.score >= INTENT_MIN_SCORE && !later.includes(i.node));
    return earlier ? { kind: 'unsure', candidates: [earlier.node, picked.node] } : picked;
  }

  /**
   * The pick without the topics the message tells it is not about (graph.yaml `not_when_told`):
   * "tengo que pedir permiso en el trabajo" is time off, not the work permit; the next topic its
   * words name is read instead.
   */
  private withoutToldOff(turn: Turn, picked: IntentPick): IntentPick {
    const off = (id: string) => this.node(id)?.notWhenTold.some((fact) => tellsFact(turn, fact)) === true;
    if (picked.kind === 'sure') {
      if (!off(picked.node)) return picked;
      const rest = (turn.u.topics ?? turn.u.intents).filter((i) => i.node !== picked.node && !off(i.node));
      const again = pickIntent(rest);
      return again.kind === 'none' ? pickIntent(turn.u.intents.filter((i) => !off(i.node))) : again;
    }
    if (picked.kind === 'unsure' && picked.candidates.some(off)) {
      const candidates = picked.candidates.filter((id) => !off(id));
      if (candidates.length === 0) return { kind: 'none' };
      return candidates.length === 1
        ? { kind: 'sure', node: candidates[0]! }
        : { kind: 'unsure', candidates };
    }
    return picked;
  }

  /**
   * A message opening a topic whose words leave it in doubt, or name none, that tells the facts a
   * node wins by (graph.yaml `wins_when_told`): that node. "appt is the 14th, my baby has fever
   * and no car, what can i do" names the day and the family; not being able to go is the need.
   * In a message that asks something, a topic named for sure gives way too, unless it is on the
   * node's own path: "mi cita es el viernes y no tengo quien me lleve porque mi esposo trabaja,
   * que hago" names the spouse for sure, and asks what to do about the day.
   */
  private wonByFacts(ctx: ConversationContext, turn: Turn, picked: IntentPick): IntentPick {
    const first = this.firstTold(turn);
    if (first) return { kind: 'sure', node: first };
    // The topic just shown, named again ("ok but ICE. is it safe to go or no" under who Huella
    // is: blind try 23): facts that point elsewhere win, rather than the same text again.
    const again = picked.kind === 'sure' && picked.node === ctx.node;
    // Right after saving, or under the offer, too: "…I must be with her in hospital. How I can
    // change my appointment?" with it just saved is the change, not the wife's notice (blind try 28).
    const opens = this.opens({ ...ctx, justSaved: undefined, offer: undefined });
    if (!opens || (picked.kind === 'sure' && turn.event.asks !== true && !again)) return picked;
    // Not a node the message says it is not about ("j'ai pas encore raté… une operation ce jour la":
    // sick and afraid, yet not missed: graph.yaml not_when_told).
    const holding = this.winners.filter(
      ({ id, fact }) => tellsFact(turn, fact) && !this.node(id)?.notWhenTold.some((f) => tellsFact(turn, f)),
    );
    const won = holding.length > 1 ? this.ownWinner(turn, picked, holding) : holding[0];
    if (!won || (picked.kind === 'sure' && (picked.node === won.id || this.leadsTo(won.id, picked.node))))
      return picked;
    return { kind: 'sure', node: won.id };
  }

  /**
   * Of several nodes whose facts the message tells, the topic the words name, or one it is steered
   * to by what the message tells (when_told), first: "it says my biometrics was oct 3!! I never
   * got any letter, we moved… what do i do" is the notice never come, not the move.
   */
  private ownWinner(
    turn: Turn,
    picked: IntentPick,
    holding: { id: string; fact: string }[],
  ): { id: string; fact: string } {
    const named = picked.kind === 'sure' ? [picked.node] : picked.kind === 'unsure' ? picked.candidates : [];
    const steered = named.flatMap((id) =>
      (this.node(id)?.whenTold ?? []).filter(([fact]) => tellsFact(turn, fact)).map(([, to]) => to),
    );
    return holding.find(({ id }) => named.includes(id) || steered.includes(id)) ?? holding[0]!;
  }

  /** The topic the message names, as the matcher and the classifier read it in the conversation. */
  private named(ctx: ConversationContext, turn: Turn): IntentPick {
    const picked = this.topicOf(ctx, turn, turn.u);
    // Something has not come yet ("jai pas encore recu la lettre", "toujours pas recu la
    // convocation", "ça fait des mois que j'attends"), or only a time past is told ("mon rdv
    // etait il y a deux mois"): the words may hold a wish's ("jai recu la lettre", "mon rdv est
    // le", "obtenir le rdv"), and saving is no answer to it, nor a choice to offer: left out of
    // those in doubt, and a pick sure of it made again without it. So too when the time it is
    // now is told beside the appointment's: they are on their way or there.
    // So too "…the date already passed" (date_gone): nothing ahead to save.
    const moot =
      this.saysNotCome(turn) ||
      turn.cues.long_wait === true ||
      turn.cues.date_gone === true ||
      this.toldOnlyPast(ctx, turn);
    if (moot || (this.opens(ctx) && onTheDay(turn))) {
      if (picked.kind === 'unsure') return withoutCapture(picked, this);
      if (picked.kind !== 'sure' || picked.node !== this.captureNode) return picked;
      // The phrases named nothing else ("vi que tenia biometricos el 10/11 y jamas me llego el
      // aviso"): the classifier's other topics are asked about, not nothing understood.
      const other = this.notSaving(turn.u);
      // On the day, the classifier's topics (the matcher reads a dated message only for saving).
      if (!moot && other.topics) return pickIntent(other.topics);
      const again = this.topicOf(ctx, turn, other);
      return again.kind === 'none' && other.topics ? pickIntent(other.topics) : again;
    }
    const { u } = turn;
    // "la cita es mañana, ayúdeme a acordarme": asking for reminders in so many words wins a
    // tie with a topic the other words fit. Not in a question about something else: "j'ai reçu
    // une lettre … on va me faire quoi là-bas?" tells the letter came and asks what happens.
    const asked =
      picked.kind === 'unsure' ? picked.candidates.find((id) => this.node(id)?.capture) : undefined;
    // Nor with the time it is now told beside the appointment's ("il est 10h15 mon rdv c'est
    // 10h30, je trouve pas l'entrée"): they are there, on the day; the trouble is answered.
    const wish = (turn.event.asks !== true && !onTheDay(turn)) || turn.event.remindWords === true;
    return asked && wish && u.intents.some((i) => i.node === asked && i.score >= 2)
      ? ({ kind: 'sure', node: asked } as const)
      : picked;
  }

  /** The topic `u` names (a nod names none), the classifier weighing in where it may. */
  private topicOf(ctx: ConversationContext, turn: Turn, u: Understood): IntentPick {
    // "ok" after a topic is a nod, even where the topic's own phrases hold the word ("is my ead ok").
    if (this.nods(turn) && !ctx.asking && pickIntent(u.intents).kind !== 'sure') return { kind: 'none' };
    return this.datedPick(ctx, turn, u, topicPick(u, ctx.node, this.newTopic(ctx, turn)));
  }

  /**
   * A message that opens a topic of its own: nothing asked or being collected, nothing just saved,
   * no date or time told. The trained classifier weighs in on these only; in the middle of
   * something, what was asked and told decides, as the matcher reads it.
   */
  private newTopic(ctx: ConversationContext, turn: Turn): boolean {
    // Under the reminder offer alone, a question is a topic of its own too ("ok i will go early…
    // i can bring them with me inside?": blind try 28): the offer asks only yes or no.
    // "pregunto si puedo entrar con mi celular a la oficina": question words ask too, where no date
    // was read to say so (the event's `asks` is read with a date only).
    const offerOnly = ctx.offer !== undefined && this.opens({ ...ctx, offer: undefined });
    // A trouble told ("my ride canceled… what do i do") is read as the offer's day steers it.
    const asks = () =>
      turn.event.asks === true ||
      (turn.cues.cant_attend !== true &&
        (hasQuestionMark(turn) || foldingOf(this.flows).hasQuestionWords(turn.text)));
    return (this.opens(ctx) || (offerOnly && asks())) && !dated(turn);
  }

  /** Nothing asked, being collected or managed, just saved or offered: a message may open a topic. */
  private opens(ctx: ConversationContext): boolean {
    return (
      !ctx.asking && !ctx.draft && !ctx.managing && ctx.justSaved === undefined && ctx.offer === undefined
    );
  }

  /**
   * A message that tells a date or a time and opens a topic: the matcher reads it, as the date may
   * be an appointment to save. The classifier, which the date does not sway, weighs in on a topic:
   * - "tengo la cita on the 12 … cant miss it, can i move it": the matcher sure of one topic (not
   *   saving), the classifier confident of another, as it answers alone in a message with no date;
   * - "my appointment is on Friday, what papers should I have with me?": the matcher unsure between
   *   saving it and a topic the question names, the classifier sure of one of those.
   * It brings in no saving the phrases did not name.
   */
  private datedPick(ctx: ConversationContext, turn: Turn, u: Understood, picked: IntentPick): IntentPick {
    if (!u.topics || !this.opens(ctx) || !dated(turn)) return picked;
    const guess = pickIntent(u.topics);
    // Nothing the phrases name, a question asked: "did you mean…?" among the classifier's, not the menu.
    const asks = turn.event.asks === true || onTheDay(turn);
    // "mi cita de huellas fue el 18 de noviembre": a day gone by, nothing to save; the rest of
    // the classifier's doubt is the topic (a missed one first asks "Did you go?").
    if (picked.kind === 'none' && guess.kind === 'unsure' && datePassed(turn))
      return withoutCapture(guess, this);
    // "my fingerprint appointment was on november 18", and nothing else: whether they went is
    // the question (the missed topic asks "Did you go?" first, the day told kept).
    if (
      picked.kind === 'none' &&
      guess.kind === 'none' &&
      datePassed(turn) &&
      this.notWentNode &&
      this.namesAppointment(turn)
    )
      return { kind: 'sure', node: this.notWentNode };
    if (guess.kind !== 'sure')
      return picked.kind === 'none' && guess.kind === 'unsure' && asks ? guess : picked;
    // "me pueden recordar la cita? es el 22 de febrero y yo todo se me olvida": a day ahead is no
    // missed appointment ("se me olvida", I forget, reads like "se me olvidó"): saving, as guessed.
    if (guess.node === this.captureNode)
      return picked.kind === 'sure' && this.aboutDayPast(picked.node) && !datePassed(turn) ? guess : picked;
    // "J'ai un rendez-vous le 15, je dois amener quoi?": the day told is saved only when the
    // question is about reminders; the other question is answered (reminders offered after it).
    const asksElse = turn.event.asks === true && turn.event.remindWords !== true;
    if (picked.kind === 'sure') return picked.node === this.captureNode && !asksElse ? picked : guess;
    // The phrases naming nothing sure ("…can i go with him? its on december 15"): the question is
    // the classifier's topic, not the menu.
    return asks ? guess : picked;
  }

  /**
   * Whether the message marks the writer's own appointment ("le mien", "la mia", "mine"): beside
   * a name, two appointments are spoken of, and a cancel word may be said of either ("Olivier c'est
   * à 10h… et le mien tu peux l'annuler").
   */
  mentionsOwn(turn: Turn): boolean {
    return once(turn, 'mentionsOwn', () => {
      const marks = messageCues(this.flows, this.langOf(turn)).whoseMarks;
      return [...foldWord(turn.text).matchAll(marks)].some((m) => m[1] !== undefined);
    });
  }

  /** Someone's appointment, named beside words for one's own: which of the two a word is said of is in doubt. */
  besideOwn(turn: Turn, named: Appointment | undefined): boolean {
    return !!named?.name && this.mentionsOwn(turn);
  }

  /** The language a turn is read in: the message's, else the conversation's. */
  private langOf(turn: Turn): string {
    return turn.u.language?.code ?? turn.start.lang;
  }

  /**
   * The saved appointment the message means by a name ("cancel luis", "keep marcus" sparing his),
   * or, with no name said, by the words for one's own ("annule le mien"): the one saved with no
   * name, when there is exactly one.
   */
  appointmentMeant(turn: Turn, appointments: Appointment[]): Appointment | undefined {
    const named = appointmentNamed(turn.text, appointments, this.spares, this.sparesAfter);
    // "update we called!! new date for my mom is january 12", one relative's saved: hers, changed
    // (blind try 33 started another relative's).
    const relative =
      means(turn.u, 'family') || turn.cues.relative_apart === true || turn.cues.family_words === true;
    const change = means(turn.u, 'changed') || turn.cues.change_done === true;
    const others = appointments.filter((a) => a.name);
    if (!named && relative && change && others.length === 1 && !this.mentionsOwn(turn)) return others[0];
    if (named || !this.mentionsOwn(turn)) return named;
    const own = appointments.filter((a) => !a.name);
    const nameSaid = appointments.some((a) => saysName(turn.text, a));
    return !nameSaid && own.length === 1 && appointments.length > 1 ? own[0] : undefined;
  }

  /** Whether the message names an appointment (the packs' appointment words, or the fingerprints'). */
  namesAppointment(turn: Turn): boolean {
    return (
      turn.cues.bio_words === true || messageCues(this.flows, this.langOf(turn)).appointment.test(turn.text)
    );
  }

  /** A topic about an appointment that has passed: the one that asks how long ago it was missed, and its answers. */
  aboutDayPast(id: string): boolean {
    const missed = this.notWentNode;
    return missed !== undefined && (id === missed || this.node(missed)!.choices.some((c) => c.to === id));
  }

  /** What the message means, the topic that collects an appointment left out. */
  private notSaving(u: Understood): Understood {
    const other = (i: RankedIntent) => i.node !== this.captureNode;
    return {
      ...u,
      intents: u.intents.filter(other),
      ...(u.topics ? { topics: u.topics.filter(other) } : {}),
    };
  }

  /**
   * A message opening a topic that tells a span of time past and no date ahead ("mon rdv etait il
   * y a deux mois", "6 semaines que jai loupe les empreintes"): whatever its words for an
   * appointment ("mon rdv est le"), there is none ahead to save.
   */
  private toldOnlyPast(ctx: ConversationContext, turn: Turn): boolean {
    return this.opens(ctx) && turn.u.span !== undefined && (!dated(turn) || datePassed(turn));
  }

  private readonly below = new Map<string, Set<string>>();

  /** Whether `to` is reached from question `from` through its answers (and the questions among them). */
  leadsTo(from: string, to: string): boolean {
    let reached = this.below.get(from);
    if (!reached) {
      reached = new Set<string>();
      const queue = [from];
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        for (const { to: next } of this.node(id)?.choices ?? []) {
          if (reached.has(next) || next === from) continue;
          reached.add(next);
          if (this.node(next)?.ask) queue.push(next);
        }
      }
      this.below.set(from, reached);
    }
    return reached.has(to);
  }

  /** The message says the letter or notice has not come ("not yet", "toujours pas recu"). */
  saysNotCome(turn: Turn): boolean {
    return means(turn.u, 'not_yet') || turn.cues.not_received === true;
  }

  /** The message asks something: a question mark, or words that start a question ("what do i bring"). */
  asksQuestion(turn: Turn): boolean {
    return hasQuestionMark(turn) || foldingOf(this.flows).hasQuestionWords(turn.text);
  }

  /** "ok", "si", "no" and little else: a nod. A "no" in a longer message ("no entiendo") is not. */
  nods(turn: Turn): boolean {
    const { u } = turn;
    return ['ack', 'yes', 'no'].some((m) => mostly(u, m)) && (!means(u, 'no') || mostly(u, 'no'));
  }

  /** The answer to a question about Huella itself, if the message asks one. */
  huellaAnswer(u: Understood): SystemKey | undefined {
    return huellaAsked(u)[0]?.[1];
  }

  /** The answers to every question about Huella the message asks: "is this free? is my info safe?". */
  huellaAnswers(u: Understood): SystemKey[] {
    return huellaAsked(u).map(([, reply]) => reply);
  }

  /** How many of the message's words its questions about Huella cover (0 if it asks none). */
  huellaWords(u: Understood): number {
    return huellaAsked(u).reduce((words, [m]) => words + (u.means[m] ?? 0), 0);
  }

  /**
   * The choice of a question of spans that the time a message tells falls in: a span ("3 weeks
   * ago"), or a month before this one ("back in august", "en juin") whose first and last days fall
   * in the same choice (in November, August is past "a few weeks"; June is past 3 months, and
   * September may not be).
   */
  choiceForTold(nodeId: string, t: Turn): string | undefined {
    if (t.u.span !== undefined) return this.choiceForSpan(nodeId, t.u.span);
    const month = monthOver(t);
    return month && this.choiceForDays(nodeId, month, t);
  }

  /**
   * The choice of a question that counts from the filing (graph.yaml `since_filed`) that the day
   * told before answers, when its earliest and latest days agree ("hace como 5 meses", then "no"
   * to "Did you get a receipt?": more than 3 months).
   */
  sinceFiledChoice(ctx: ConversationContext, t: Turn, id: string): string | undefined {
    return ctx.filedAbout && this.node(id)?.sinceFiled
      ? this.choiceForDays(id, ctx.filedAbout, t)
      : undefined;
  }

  /** Days since a time past the message tells: a span ("3 weeks ago") or a date before today. */
  daysPast(t: Turn): number | undefined {
    if (t.u.span !== undefined) return t.u.span;
    const date = t.event.found?.date;
    const now = DateTime.fromISO(t.event.now ?? '');
    if (!date || !now.isValid) return undefined;
    const days = Math.floor(now.diff(DateTime.fromISO(date, { zone: now.zone }), 'days').days);
    return days >= 1 ? days : undefined;
  }

  /** Whether a message tells a time past that a question of spans can read (`choiceForTold`). */
  tellsTimePast(t: Turn): boolean {
    return t.u.span !== undefined || monthOver(t) !== undefined;
  }

  /** The choice the days since the earliest and the latest of two days both fall in, if one. */
  private choiceForDays(nodeId: string, [earliest, latest]: [string, string], t: Turn): string | undefined {
    const now = DateTime.fromISO(t.event.now ?? '');
    if (!now.isValid) return undefined;
    const since = (day: string) =>
      this.choiceForSpan(
        nodeId,
        Math.floor(now.diff(DateTime.fromISO(day, { zone: now.zone }), 'days').days),
      );
    const choice = since(earliest);
    return choice === since(latest) ? choice : undefined;
  }

  /** The choice of a question whose span of time (`ago` in graph.yaml) holds `days`, if any. */
  choiceForSpan(nodeId: string, days: number): string | undefined {
    return this.node(nodeId)?.choices.find(
      ({ ago }) =>
        ago !== undefined &&
        (ago.under === undefined || days < ago.under) &&
        (ago.atLeast === undefined || days >= ago.atLeast),
    )?.to;
  }

  /**
   * The choice of question `nodeId` (one graph.yaml marks `skipped_when_told`) that the message
   * answers in its own words before being asked, if exactly one: a choice's answer list other than
   * a bare yes or no ("estoy en corte" answers "USCIS or court?"; the "no" of "no tengo mi carta"
   * answers nothing).
   */
  answeredIn(nodeId: string, turn: Turn): string | undefined {
    const node = this.node(nodeId);
    if (!node?.ask || !node.skippedWhenTold) return undefined;
    const held = node.choices.filter((c) => c.means !== undefined && means(turn.u, c.means));
    const own = held.filter((c) => !PLAIN_ANSWERS.includes(c.means!));
    return own.length === 1 && held.every((c) => c.to === own[0]!.to) ? own[0]!.to : undefined;
  }

  /** The node whose `first_when_told` facts the message tells, if one: it answers, whatever else. */
  firstTold(turn: Turn): string | undefined {
    return this.firsts.find(({ fact }) => tellsFact(turn, fact))?.id;
  }

  /** The choice of a question that the message's answer words pick, if exactly one does. */
  pickAnswer(nodeId: string, turn: Turn): string | undefined {
    const node = this.node(nodeId);
    const { u } = turn;
    // "Y SI NO TENGO PRUEBA DEL DOCTOR", "and if…", "what if…": a question, not a yes. "no i
    // didnt go and i want to die": no answer, the words of hurting oneself come first.
    if (!node || turn.cues.what_if || this.firstTold(turn)) return undefined;
    const told = toldChoice(openChoices(node.choices, turn), u) ?? toldByFacts(node.choices, turn);
    if (told) return told;
    const longest = Math.max(0, ...Object.values(u.means));
    if (longest === 0) return undefined;
    let best = node.choices.filter((c) => c.means !== undefined && u.means[c.means] === longest);
    // Other words read longer ("il y a longtemps") but the answer is said first: it answers.
    if (best.length === 0 && (turn.cues.says_yes || turn.cues.says_no))
      best = node.choices.filter((c) => c.means === (turn.cues.says_no ? 'no' : 'yes') && means(u, c.means));
    // "ya le dije q no!!": its "ya" reads as a yes as long as its "no"; saying no again breaks the tie.
    if (best.length > 1 && turn.cues.says_no) best = best.filter((c) => c.means === 'no');
    // "si ese si me llego… o no se si era otra cosa": a yes said first, a doubt after about
    // something else; the yes answers (blind try 26).
    else if (best.length > 1 && turn.cues.says_yes) best = best.filter((c) => c.means === 'yes');
    if (best.length !== 1) return undefined;
    const plain = ['yes', 'no', 'ack'];
    // "NO NO ME LLEGO NINGUN RECIBO" at "Did the receipt notice come? 1 Yes 2 No": a no said
    // twice over, whatever topic the rest of the words name.
    const emphaticNo = best[0]!.means === 'no' && turn.cues.emphatic_no === true;
    // "ya me llego la carta" at "Want a weekly text?": its "ya" is no yes when the words clearly
    // name another topic (unless the answer word is most of the message: "si, ya"). A topic the
    // answers lead to is none: "yes the judge told me" at "Did the judge say…?" names the call;
    // nor is one whose questions led here: "no tampoco me ha llegado esa carta" at "Did the
    // receipt notice come?" tells again the no-notice-yet that asked it.
    // "oui le reçu est arrivé il y a longtemps" at "Did the receipt notice come?": an answer said
    // first, and no question after it, answers whatever its other words name ("arrivé": the day).
    const said = best[0]!.means;
    // Its question words may be a doubt told after it ("…o no se si era otra cosa"): no question.
    const doubt = means(u, 'unsure') && !hasQuestionMark(turn);
    const leads =
      ((said === 'yes' && turn.cues.says_yes === true) || (said === 'no' && turn.cues.says_no === true)) &&
      (doubt || !this.asksQuestion(turn));
    if (plain.includes(said!) && !plain.some((m) => mostly(u, m)) && !emphaticNo && !leads) {
      const pick = pickIntent(u.intents);
      const sameLine =
        pick.kind === 'sure' && (this.leadsTo(nodeId, pick.node) || this.leadsTo(pick.node, nodeId));
      if (pick.kind === 'sure' && pick.node !== nodeId && !sameLine) return undefined;
    }
    return best[0]!.to;
  }

  /** What a message gives a step of collecting an appointment. */
  captureInput(turn: Turn): CaptureInput {
    const { event, u } = turn;
    // "ok", "vale", "perfecto" to "Is that right?" are a yes.
    // "ya la guardaste?" asks whether it is saved: its "ya" is no yes; "yes but wait", "si, no era
    // eso": no plain yes either.
    const held = means(u, 'hold') || means(u, 'not_that') || means(u, 'wrong_one') || means(u, 'saved_what');
    const yes = (means(u, 'yes') || mostly(u, 'ack')) && !means(u, 'no') && !turn.cues.what_if && !held;
    // "solo guárdala", "just save it", "tu peux me rappeler la veille?": asked to save; "no la
    // guardes" is not (a "no" with no "yes" beside it), "nada, ta bien asi, guardala" is (a "no"
    // beside an "ok": nothing to fix; blind try 32 got "not saved").
    const save = means(u, 'save') && !held && (!means(u, 'no') || means(u, 'yes') || means(u, 'ack'));
    return {
      found: event.found ?? {},
      text: turn.text,
      typedName: nameFrom(turn.text, nameWords(this.flows, this.langOf(turn)).common),
      reading: event.reading ?? {},
      self: means(u, 'self'),
      // The family named in a question asked beside the reminders ("can i bring my baby?… and
      // remind me") is the question's, not whose appointment it is.
      family: means(u, 'family') && u.besides === undefined,
      // "for me and my wife ana and my 2 kids": the person's own comes first (the others after it).
      // "mine at 8am and my wife's at 8:30": the one collected now is their own.
      ...(turn.cues.self_and_others || event.firstIsOwn ? { own: true } : {}),
      yes,
      no: means(u, 'no') && !yes,
      ...(save ? { save: true } : {}),
      number: u.number,
      now: event.now ?? new Date(0).toISOString(),
      defaultZone: event.defaultZone ?? 'America/New_York',
    };
  }

  /** Applies one step of collecting an appointment, saying its reply. */
  applyCapture(ctx: ConversationContext, outcome: CaptureOutcome): ConversationContext {
    // Saved from WhatsApp: the renderer knows (from config) whether late reminders get through.
    const params =
      outcome.kind === 'saved' && ctx.channel === 'whatsapp' && outcome.reply.params
        ? { ...outcome.reply.params, channel: 'whatsapp' as const }
        : outcome.reply.params;
    const said = say(ctx, {
      say: { system: outcome.reply.say },
      ...(params ? { params } : {}),
      ...(outcome.reply.menu
        ? { choices: { owner: this.flows.menu, to: this.menuChoices, menu: false } }
        : {}),
    });
    if (outcome.kind === 'continue') return { ...said, draft: outcome.draft, asking: false, offered: [] };
    // assign() merges into the context: an absent key would keep the old draft, so clear it.
    const rest = { ...said, draft: undefined };
    if (outcome.kind === 'abandoned') return this.atMenu(rest);
    return this.saved(rest, outcome);
  }

  /** An appointment was saved: schedule it, and end the weekly checks (the notice came). */
  private saved(ctx: ConversationContext, outcome: Extract<CaptureOutcome, { kind: 'saved' }>) {
    const appointments = [
      ...ctx.appointments.filter((a) => a.id !== outcome.appointment.id),
      outcome.appointment,
    ];
    const weeklyOn = ctx.weekly?.active === true;
    const told = weeklyOn ? say(ctx, { say: { system: 'weekly_ended_saved' } }) : ctx;
    const schedule: Effect = {
      type: 'schedule',
      appointment: outcome.appointment,
      ...(outcome.previous ? { previous: outcome.previous } : {}),
    };
    return effect(
      {
        ...this.atMenu(told),
        ...(ctx.weekly ? { weekly: { ...ctx.weekly, active: false } } : {}),
        appointments,
        justSaved: outcome.appointment.id,
        // What they had told was about waiting for a notice (graph.yaml `tells`): it came.
        told: undefined,
      },
      ...(weeklyOn ? [{ type: 'stopWeekly' } as const] : []),
      schedule,
    );
  }

  /** Shows the saved appointments, numbered, to change or cancel one. */
  listAppointments(ctx: ConversationContext, id: string): ConversationContext {
    if (ctx.appointments.length === 0) {
      const none = say(ctx, {
        say: { system: 'appt_none' },
        choices: { owner: this.flows.menu, to: this.menuChoices, menu: false },
      });
      return { ...this.atMenu(none), managing: undefined };
    }
    const listed = say(ctx, {
      say: { node: id },
      list: { item: 'appt_list_item', items: ctx.appointments.map(paramsOf), footer: 'appt_list_footer' },
    });
    return { ...listed, node: id, offered: [], asking: false, managing: { step: 'pick' } };
  }

  /** Cancels a saved appointment's reminders and says so ("For Luis:" first, when someone else's). */
  cancelAppointment(ctx: ConversationContext, chosen: Appointment): ConversationContext {
    const said = say(ctx, {
      say: { system: 'appt_cancelled' },
      params: paramsOf(chosen),
      ...(chosen.name ? { lead: 'for_name' as const } : {}),
    });
    return effect(
      {
        ...said,
        managing: undefined,
        appointments: ctx.appointments.filter((a) => a.id !== chosen.id),
        justCancelled: chosen,
        node: this.flows.menu,
        offered: this.menuChoices,
      },
      { type: 'cancel', appointment: chosen },
    );
  }

  /** A message not understood: the question again, or the menu (a short line the second time). */
  reask(ctx: ConversationContext): ConversationContext {
    const missed = { ...ctx, misses: ctx.misses + 1 };
    if (missed.asking) return say(missed, reaskPart(missed.node, missed.offered));
    // The menu is on screen already: a short line instead of the nine topics again.
    if (missed.misses >= 2 && missed.node === this.flows.menu)
      return say(missed, { say: { system: 'not_understood_again' } });
    const moved = this.goTo(missed, this.flows.menu, 'not_understood');
    return say({ ...moved.ctx, misses: missed.misses }, moved.part);
  }

  /** Whether a message gave a date, a time or a place. */
  told(turn: Turn): boolean {
    return detailsIn(turn.event.found);
  }
}

/** The message tells a date or a time. */
function dated(turn: Turn): boolean {
  return turn.event.found?.date !== undefined || turn.event.found?.time !== undefined;
}

/**
 * The choice whose own answer list (`told`) the message holds, the longest match if several do
 * ("no fui" holds "fui" too): "yes i went! they stamped the paper" is a yes to "Did you go?" though
 * its words name the stamped notice.
 */
function toldChoice(choices: Choice[], u: Understood): string | undefined {
  const held = choices
    .filter((c) => c.told !== undefined && (u.means[c.told] ?? 0) > 0)
    .sort((a, b) => (u.means[b.told!] ?? 0) - (u.means[a.told!] ?? 0));
  if (held.length === 0) return undefined;
  const [first, second] = held;
  return second && u.means[second.told!] === u.means[first!.told!] ? undefined : first!.to;
}

/** The choices whose answer words may pick them: none whose `unless_told` facts the message tells. */
function openChoices(choices: Choice[], t: Turn): Choice[] {
  return choices.filter((c) => !c.unlessTold?.some((fact) => tellsFact(t, fact)));
}

/**
 * The one choice whose facts (`told_by`) the message tells by its cues: "estaba en el hospital" at
 * "Did you go?" is a no.
 */
export function toldByFacts(choices: Choice[], t: Turn): string | undefined {
  const held = choices.filter((c) => c.toldBy?.some((fact) => tellsFact(t, fact)));
  return held.length === 1 ? held[0]!.to : undefined;
}

/**
 * Questions about Huella itself, by answer list, and the system text that answers each:
 * "will you tell ICE?", "do Kevin's reminders come to me?", "is this free?", "when will you remind me?".
 */
const HUELLA_ANSWERS: [means: string, reply: SystemKey][] = [
  ['privacy', 'privacy_reply'],
  ['reminders_where', 'reminders_where_reply'],
  ['free_service', 'free_reply'],
  ['languages_asked', 'languages_reply'],
  ['when_remind', 'reminders_when'],
  // "remember me on Thursday to go to the library for print my letter": a reminder to do something
  // else; Huella reminds only of appointments, and says so (blind try 30).
  ['task_reminder', 'task_reminder_reply'],
];

/** The questions about Huella the message asks, by their answer lists. */
const huellaAsked = (u: Understood) => HUELLA_ANSWERS.filter(([m]) => means(u, m));

/** The topic a pick names first: the one it is sure of, or the likeliest of those in doubt. */
export function likeliest(pick: IntentPick): string | undefined {
  return pick.kind === 'sure' ? pick.node : pick.kind === 'unsure' ? pick.candidates[0] : undefined;
}

/** Answers that say yes, no or okay, and name no choice of their own. */
const PLAIN_ANSWERS = ['yes', 'no', 'ack', 'unsure'];

/**
 * How much a topic the person was just shown counts extra, when the message points at it (a score
 * of at least CONTEXT_MIN, a good part of one word's vote): "y q les digo" right after the steps to
 * reschedule by phone is about those steps, not about calling for a receipt. Less than the margin
 * between two topics, so a clear new question still wins and a close call becomes "did you
 * mean…?"; and a message that barely touches the topic is not made into one about it.
 */
const CONTEXT_WEIGHT = 1;
const CONTEXT_MIN = 0.25;

/** Words a message may hold besides its social ones and still be only social ("ok gracias", "hola buenas tardes"). */
const SOCIAL_SLACK = 2;

/**
 * What a message can mean that the dialogue answers itself (a thank-you, "this is useless", "i dont
 * know what to do", a question about Huella's texts): when one of these is most of a message that
 * names no topic's phrases, the classifier's guess at a topic is not taken. In a longer message it
 * is a greeting or a "wait" around a need the classifier may find.
 */
const ANSWERED_BY_THE_DIALOGUE = [
  'ack',
  'greeting',
  'thanks',
  'frustrated',
  'unsure',
  'privacy',
  'free_service',
  'languages_asked',
  'reminders_where',
  'when_remind',
  'saved_what',
  'save',
  'quit',
  'hold',
  'undo',
  'not_that',
  'wrong_one',
];

/**
 * A message of fewer words than this carries no topic the classifier can weigh ("ok gracias",
 * "hola buenas"): the matcher alone picks its topic. Chosen on the dev set.
 */
const CLASSIFIED_MIN_WORDS = 3;

/**
 * The message's topic: the matcher and the classifier together (`u.topics`) when the message is
 * long enough to carry one; the matcher alone when the node just shown decides it, as context.
 */
function topicPick(u: Understood, current: string, newTopic: boolean): IntentPick {
  const matched = pickIntent(inContext(u.intents, current));
  // (No topics left: the classifier's only guess was left out, saving an appointment for one that
  // has passed, "se me olvido la cita del 3 de noviembre".)
  if (!u.topics?.length || !newTopic || (u.size ?? 0) < CLASSIFIED_MIN_WORDS) return matched;
  // A greeting, a thanks or a "wait" is the message only when it is most of it: "bonsoir ma soeur
  // … personne ne m'a dit quoi faire" or "j'attends la lettre depuis longtemps" tell a need.
  const social = ANSWERED_BY_THE_DIALOGUE.some((m) => (u.means[m] ?? 0) >= (u.size ?? 0) - SOCIAL_SLACK);
  // Where the phrases named no topic, the classifier's pick stands alone: the topic just shown is
  // no reason to take a message that names none of its words as one about it.
  // (The topic just shown, named by a word or two of a follow-up, still counts: "y q les digo".)
  if (pickIntent(u.intents).kind === 'none')
    return matched.kind !== 'none' || social ? matched : pickIntent(u.topics);
  const unaided = pickIntent(u.intents);
  if (matched.kind === 'sure' && matched.node === current && unaided.kind !== 'sure') return matched;
  return pickIntent(inContext(u.topics, current));
}

/** The ranked topics of a message, the one just shown moved up by CONTEXT_WEIGHT if the message points at it. */
function inContext(intents: RankedIntent[], current: string): RankedIntent[] {
  if (!intents.some((i) => i.node === current && i.score >= CONTEXT_MIN)) return intents;
  return intents
    .map((i) => (i.node === current ? { ...i, score: i.score + CONTEXT_WEIGHT } : i))
    .sort((a, b) => b.score - a.score);
}

/** A pick in doubt with the topic that collects an appointment left out of its candidates. */
function withoutCapture(picked: Extract<IntentPick, { kind: 'unsure' }>, kit: Kit): IntentPick {
  const candidates = picked.candidates.filter((id) => !kit.node(id)?.capture);
  if (candidates.length === picked.candidates.length) return picked;
  return candidates.length === 0
    ? { kind: 'none' }
    : candidates.length === 1
      ? { kind: 'sure', node: candidates[0]! }
      : { kind: 'unsure', candidates };
}

/** The one month a message names, when that month is over (this month tells no time past). */
function monthOver(t: Turn): [string, string] | undefined {
  const month = monthTold(t);
  return month &&
    month[1] <
      (DateTime.fromISO(t.event.now ?? '')
        .startOf('month')
        .toISODate() ?? '')
    ? month
    : undefined;
}

/**
 * The time it is now was told beside the appointment's, and no day: the person is on their way
 * or there.
 */
function onTheDay(turn: Turn): boolean {
  const found = turn.event.found;
  return found?.clockNow === true && found.date === undefined && turn.event.remindWords !== true;
}
