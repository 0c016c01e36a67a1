import { setTimeout as sleep } from 'node:timers/promises';
import type { StateValue } from 'xstate';
import type { FloodCheck, FloodDecision } from '../channels/throttle.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { ConversationStore, StoredConversation } from '../store/conversation-store.js';
import type { PersonCrypto } from '../store/crypto.js';
import { boundText } from '../understanding/bound.js';
import { pickIntent, type Understander, type Understood } from '../understanding/understand.js';
import { type Appointment, appointmentInstant, type Found } from './appointments.js';
import type { ContentRenderer, Flows, ReplyPart } from './content.js';
import { inboundEvent } from './inbound-event.js';
import {
  type Channel,
  type ConversationContext,
  type ConversationEvent,
  type ConversationMachine,
  type ConversationSnapshot,
  createStepper,
  type Effect,
  MACHINE_VERSION,
  modeOf,
  settledValue,
  type Told,
} from './machine.js';

/** One text from a person, whatever channel it came by. */
export interface InboundMessage {
  messageSid: string;
  /** "+15551234567" for SMS, "whatsapp:+15551234567" for WhatsApp. */
  from: string;
  channel: Channel;
  body: string;
  numMedia: number;
  receivedAt: Date;
  /**
   * The US state the number is from (Twilio's FromState), a hint of the zone until the place is
   * told. Personal data: read for this message only, never stored or logged.
   */
  fromState?: string;
}

export interface InboundResult {
  personId: string;
  /** Set when the message was over the person's flood limit: it was not read (see throttle.ts). */
  limited?: Exclude<FloodDecision, 'admit'>;
  /** The texts to answer with, in order (may be none: an opted-out person gets silence). */
  messages: string[];
  duplicate: boolean;
  effects: Effect['type'][];
  /** The message was recorded and not answered: the person is opted out (STOP, until START). */
  unanswered?: 'opted_out';
}

/** What a turn answered and asked for, kept per MessageSid or job id for repeats. */
interface StoredReply {
  messages: string[];
  /** Effects other than the reply, re-run (they are idempotent) when the same turn comes again. */
  effects?: Effect[];
  context?: Pick<ConversationContext, 'lang' | 'channel' | 'appointments' | 'weekly'>;
}

/** Where a turn comes from: the person's number and channel for an inbound message, neither for a system event. */
interface TurnSource {
  address: string | undefined;
  channel: Channel | undefined;
  receivedAt: Date;
}

/** Attempts before giving up on a person who is writing very fast from several places at once. */
const MAX_TURN_ATTEMPTS = 40;

/** What a saved turn asks to be done, beyond its reply. */
export interface TurnEffects {
  personId: string;
  /** The MessageSid or job id of the turn: sends derive their ids from it. */
  turnId: string;
  context: ConversationContext;
  channel: Channel | undefined;
  effects: Effect[];
  now: Date;
}

/** Carries out a turn's effects after it is saved (scheduling, sends, erasing jobs). */
export interface TurnEffectRunner {
  run(turn: TurnEffects): Promise<void>;
}

export interface ConversationServiceDeps {
  flows: Flows;
  /** Finds dates, times and places in a message, read at `now` in `zone`. */
  findDetails?: (text: string, now: Date, zone: string, lang: string) => Found;
  effects?: TurnEffectRunner;
  defaultTimezone?: string;
  machine: ConversationMachine;
  understander: Understander;
  renderer: ContentRenderer;
  store: ConversationStore;
  crypto: PersonCrypto;
  logger: Logger;
  /** Counts inbound messages, replies and what was understood (no ids, no text). */
  metrics?: Metrics;
  defaultLanguage: string;
}

export class ConversationService {
  private readonly stepper: ReturnType<typeof createStepper>;

  constructor(private readonly deps: ConversationServiceDeps) {
    this.stepper = createStepper(deps.machine);
  }

  /**
   * Runs one inbound message through the person's conversation. Messages from the same person
   * are applied one after the other: a turn that raced another is re-run on the newer state.
   * Given a flood check, the message is counted against the person's limit in the same round
   * trip that reads the conversation, and one over the limit is not read at all.
   */
  async handleInbound(inbound: InboundMessage, options: { flood?: FloodCheck } = {}): Promise<InboundResult> {
    // Every reader below gets the text bounded once, here (why and how much: understanding/bound.ts).
    const message = { ...inbound, body: boundText(inbound.body) };
    const personId = this.deps.crypto.personId(message.from);
    let understood: Understood | undefined;
    // Read in the conversation's language (unless the message is plainly in another); the count
    // after the turn reads it so too.
    const understand = (lang?: string) => {
      understood ??= this.deps.understander.understand(message.body, message.numMedia, lang);
      return understood;
    };
    const zone = this.deps.defaultTimezone ?? 'America/New_York';
    const result = await this.runTurn(
      personId,
      message.messageSid,
      (state, context) =>
        inboundEvent(
          { flows: this.deps.flows, findDetails: this.deps.findDetails, zone },
          message,
          state,
          context,
          understand(context.lang),
        ),
      { address: message.from, channel: message.channel, receivedAt: message.receivedAt },
      options.flood,
    );
    // A repeated MessageSid is only counted as such: its message is not read again.
    if (!result.limited) this.count(message, understand, result);
    return result;
  }

  private count(message: InboundMessage, understand: () => Understood, result: InboundResult): void {
    const metrics = this.deps.metrics;
    if (!metrics) return;
    if (result.duplicate) {
      metrics.inc('duplicates');
      return;
    }
    const understood = understand();
    metrics.inc('inbound', { channel: message.channel });
    if (result.messages.length > 0)
      metrics.inc('replies', { channel: message.channel }, result.messages.length);
    if (result.unanswered) metrics.inc('unanswered', { reason: result.unanswered });
    const pick = pickIntent(understood.intents);
    const read = understood.command
      ? 'command'
      : understood.number !== undefined
        ? 'number'
        : !understood.hasWords
          ? understood.media > 0
            ? 'media'
            : 'empty'
          : pick.kind === 'sure'
            ? 'matched'
            : pick.kind === 'unsure'
              ? 'unsure'
              : 'not_understood';
    metrics.inc('understanding', { result: read });
    if (pick.kind === 'sure' && read === 'matched') metrics.inc('intents', { intent: pick.node });
  }

  /**
   * Runs an event that did not come from the person (a reminder due, a carrier opt-out) through
   * their conversation, once per `eventId`. A person with no conversation (erased) is left alone.
   */
  async handleSystemEvent(
    personId: string,
    eventId: string,
    event: ConversationEvent,
    at: Date,
  ): Promise<InboundResult | undefined> {
    return this.runTurn(personId, eventId, () => event, {
      address: undefined,
      channel: undefined,
      receivedAt: at,
    });
  }

  private async runTurn(
    personId: string,
    turnId: string,
    makeEvent: (state: string, context: ConversationContext) => ConversationEvent,
    /** `address` is the person's number, for an inbound message; absent for a system event. */
    source: TurnSource,
    flood?: FloodCheck,
  ): Promise<InboundResult> {
    const { store, logger } = this.deps;
    const isInbound = source.address !== undefined;
    // The turn's ids on each of its lines (a child logger per turn cost more than the lines).
    const ids = { conversation: personId, turn: turnId, inbound: isInbound };

    for (let attempt = 1; attempt <= MAX_TURN_ATTEMPTS; attempt++) {
      // The message counts against the flood limit once, on the first read (not on a re-run).
      const loaded = await store.load(personId, turnId, attempt === 1 ? flood : undefined);
      if (loaded.flood !== 'admit') {
        return { personId, limited: loaded.flood, messages: [], duplicate: false, effects: [] };
      }
      const { stored, reply } = loaded;
      if (reply !== null) {
        logger.info(ids, 'repeated turn id: same answer, no change');
        return this.repeat(personId, turnId, reply, source.receivedAt);
      }
      if (!isInbound && !stored.snapshot) {
        return { personId, messages: [], duplicate: false, effects: [] };
      }
      const turn = this.stepTurn(stored, makeEvent, isInbound);
      const { context, messages, effects, quiet } = turn;
      const carryOut = () => this.carryOut(personId, turnId, context, source);

      if (effects.includes('erase')) {
        await carryOut();
        const erased = await store.erase(personId);
        logger.info({ ...ids, keys: erased, ...quiet }, 'erased everything held for the person');
        return { personId, messages, duplicate: false, effects, ...quiet };
      }

      const saved = await this.saveTurn(personId, turnId, stored, turn, source);
      if (saved.kind === 'duplicate') {
        return this.repeat(personId, turnId, saved.reply, source.receivedAt);
      }
      if (saved.kind === 'saved') {
        await carryOut();
        const { event, snapshot } = turn;
        const intent = event.type === 'INBOUND' ? { intent: event.understood.intents[0]?.node } : {};
        const line = { state: snapshot.value, node: context.node, event: event.type, ...intent };
        logger.info({ ...ids, ...line, effects, attempt, ...quiet }, 'turn saved');
        return { personId, messages, duplicate: false, effects, ...quiet };
      }
      // Another turn for this person was saved first: run this one again on top of it.
      await sleep(Math.min(2 * attempt, 20) + Math.random() * 5);
    }
    throw new Error('conversation is too busy: gave up after repeated conflicts');
  }

  /** The machine run on the stored conversation with the turn's event, and what it answers. */
  private stepTurn(
    stored: StoredConversation,
    makeEvent: (state: string, context: ConversationContext) => ConversationEvent,
    isInbound: boolean,
  ) {
    const before = this.resume(stored);
    const event = makeEvent(modeOf(before.value), before.context);
    const snapshot = this.stepper.step(before, event);
    const context = snapshot.context;
    const messages = this.renderReplies(context);
    // After STOP a message gets no answer, but is not lost: it is saved, logged and counted.
    const unanswered =
      isInbound && messages.length === 0 && modeOf(before.value) === 'optedOut'
        ? ('opted_out' as const)
        : undefined;
    return {
      event,
      snapshot,
      context,
      messages,
      effects: context.effects.map((e) => e.type),
      quiet: unanswered ? { unanswered } : {},
    };
  }

  /** Carries out a stepped turn's effects (after it is saved, or before erasing). */
  private async carryOut(
    personId: string,
    turnId: string,
    context: ConversationContext,
    source: TurnSource,
  ): Promise<void> {
    await this.deps.effects?.run({
      personId,
      turnId,
      context,
      channel: source.channel ?? context.channel,
      effects: context.effects,
      now: source.receivedAt,
    });
  }

  /** Saves a stepped turn if nobody saved another first, with its answer kept for repeats. */
  private saveTurn(
    personId: string,
    turnId: string,
    stored: StoredConversation,
    turn: ReturnType<ConversationService['stepTurn']>,
    source: TurnSource,
  ) {
    const { crypto } = this.deps;
    const { snapshot, context, messages } = turn;
    return this.deps.store.saveTurn({
      personId,
      messageSid: turnId,
      expectedRev: stored.rev,
      version: MACHINE_VERSION,
      snapshot: JSON.stringify(this.stepper.persisted(snapshot)),
      reply: JSON.stringify({
        messages,
        effects: context.effects.filter((e) => e.type !== 'reply'),
        context: {
          lang: context.lang,
          appointments: context.appointments,
          ...(context.channel ? { channel: context.channel } : {}),
          ...(context.weekly ? { weekly: context.weekly } : {}),
        },
      } satisfies StoredReply),
      // Sealed again only when missing or sealed with a key that is no longer current.
      sealedAddress:
        source.address !== undefined && !(stored.sealedAddress && crypto.isCurrent(stored.sealedAddress))
          ? crypto.seal(source.address)
          : undefined,
      channel: source.channel,
      receivedAt: source.receivedAt.getTime(),
      optedOut: modeOf(snapshot.value) === 'optedOut',
      keepUntil: lastAppointmentAt(context.appointments),
    });
  }

  /** A turn seen before: the same answer, and its effects carried out again in case they were cut short. */
  private async repeat(personId: string, turnId: string, raw: string, now: Date): Promise<InboundResult> {
    const stored = parseStored(raw);
    if (stored.effects?.length && stored.context && this.deps.effects) {
      const context = { ...sanitizeContext(stored.context, this.deps.flows, this.deps.defaultLanguage) };
      await this.deps.effects.run({
        personId,
        turnId,
        context,
        channel: context.channel,
        effects: stored.effects,
        now,
      });
    }
    return { personId, messages: stored.messages, duplicate: true, effects: [] };
  }

  /** The appointments a person has told us about (for the simulator's preview). */
  async appointmentsOf(personId: string): Promise<Appointment[]> {
    return (await this.remindersOf(personId)).appointments;
  }

  /** What a person has reminders for: the saved appointments, and whether weekly checks are on. */
  async remindersOf(personId: string): Promise<{ appointments: Appointment[]; weekly: boolean }> {
    const stored = await this.deps.store.read(personId);
    if (!stored.snapshot) return { appointments: [], weekly: false };
    const { context } = this.resume(stored);
    return { appointments: context.appointments, weekly: context.weekly?.active === true };
  }

  renderReplies(context: ConversationContext): string[] {
    const parts: ReplyPart[] = context.effects.flatMap((e) => (e.type === 'reply' ? e.parts : []));
    return this.deps.renderer.render(context.lang, parts);
  }

  /** The snapshot a stored conversation resumes from (the first one for nobody yet). */
  private resume(stored: StoredConversation): ConversationSnapshot {
    const { input, snapshot } = this.restore(stored);
    return snapshot ?? this.stepper.initial(input);
  }

  /** Actor options to resume a stored conversation, migrating one written by another version. */
  private restore(stored: StoredConversation) {
    const { machine, flows, defaultLanguage } = this.deps;
    const input = { lang: defaultLanguage };
    if (!stored.snapshot) return { input };
    try {
      const persisted = JSON.parse(stored.snapshot) as {
        value?: StateValue;
        context?: Partial<ConversationContext>;
      };
      const context = sanitizeContext(persisted.context ?? {}, flows, defaultLanguage);
      const value = resumableValue(stored.version, persisted.value, context);
      if (value !== undefined) return { input, snapshot: machine.resolveState({ value, context }) };
      // Another machine version: keep what matters (language, opt-out) and resume at the menu.
      const optedOut = persisted.value === 'optedOut';
      return {
        input,
        snapshot: machine.resolveState({
          value: optedOut ? 'optedOut' : { active: 'topics' },
          context: { ...context, node: flows.menu, offered: menuChoices(flows), asking: false },
        }),
      };
    } catch {
      return { input };
    }
  }
}

/** Modes that hold no step: their value is their name. */
const PLAIN_STATES = ['new', 'confirmingDelete', 'optedOut'];
/** Modes whose step the context holds. */
const STEPPED_STATES = ['active', 'capturing', 'managing', 'askingFiled'];

/**
 * The state a stored snapshot resumes in: its own (this version), or for one saved by version 1
 * (flat states: "capturing" with the step in its context) the step its context holds.
 */
export function resumableValue(
  version: number | undefined,
  value: StateValue | undefined,
  context: ConversationContext,
): StateValue | undefined {
  if (value === undefined) return undefined;
  const known = version === 1 || version === MACHINE_VERSION;
  const mode = modeOf(value);
  if (!known) return undefined;
  if (PLAIN_STATES.includes(mode)) return mode;
  // Version 1's flat "active", "capturing", "managing", "askingFiled", or this version's nested
  // ones: where the context settles (the context holds the step).
  return STEPPED_STATES.includes(mode) ? settledValue(context) : undefined;
}

/** When the person's last appointment is, in ms (its reminders and follow-up read the conversation). */
function lastAppointmentAt(appointments: Appointment[]): number | undefined {
  const times = appointments.map((a) => appointmentInstant(a)?.toMillis() ?? 0);
  return times.length > 0 ? Math.max(...times) : undefined;
}

function isAppointment(value: unknown): value is Appointment {
  const a = value as Partial<Appointment> | null;
  return (
    !!a &&
    typeof a.id === 'string' &&
    typeof a.date === 'string' &&
    typeof a.time === 'string' &&
    typeof a.zone === 'string' &&
    typeof a.place === 'string' &&
    typeof a.version === 'number'
  );
}

/** An appointment told with another, waiting its turn: what was said of it, nothing else. */
function isTold(value: unknown): value is Told {
  const t = value as Partial<Told> | null;
  return (
    !!t &&
    typeof t === 'object' &&
    (t.date === undefined || typeof t.date === 'string') &&
    (t.time === undefined || typeof t.time === 'string') &&
    (t.date !== undefined || t.time !== undefined)
  );
}

function menuChoices(flows: Flows): string[] {
  return flows.nodes.get(flows.menu)?.choices.map((c) => c.to) ?? [];
}

/** Content may have changed since the snapshot was written: drop what no longer exists. */
export function sanitizeContext(
  context: Partial<ConversationContext>,
  flows: Flows,
  defaultLanguage: string,
): ConversationContext {
  const node = context.node && flows.nodes.has(context.node) ? context.node : flows.menu;
  const offered = Array.isArray(context.offered) ? context.offered.filter((id) => flows.nodes.has(id)) : [];
  return {
    lang: context.lang && flows.packs.has(context.lang) ? context.lang : defaultLanguage,
    node,
    offered: offered.length > 0 || node !== flows.menu ? offered : menuChoices(flows),
    asking: context.asking === true && node === context.node && flows.nodes.get(node)?.ask === true,
    misses: typeof context.misses === 'number' ? context.misses : 0,
    appointments: Array.isArray(context.appointments) ? context.appointments.filter(isAppointment) : [],
    ...(context.draft && typeof context.draft === 'object' && typeof context.draft.step === 'string'
      ? { draft: context.draft }
      : {}),
    ...(context.channel === 'sms' || context.channel === 'whatsapp' ? { channel: context.channel } : {}),
    ...(context.managing && typeof context.managing === 'object' ? { managing: context.managing } : {}),
    ...(context.weekly && typeof context.weekly === 'object' ? { weekly: context.weekly } : {}),
    ...(context.askingFiled === true ? { askingFiled: true } : {}),
    ...(context.filedAgain === true ? { filedAgain: true } : {}),
    ...(typeof context.justSaved === 'string' ? { justSaved: context.justSaved } : {}),
    ...(typeof context.filedTold === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(context.filedTold)
      ? { filedTold: context.filedTold }
      : {}),
    ...(Array.isArray(context.filedAbout) &&
    context.filedAbout.length === 2 &&
    context.filedAbout.every((d) => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d))
      ? { filedAbout: context.filedAbout }
      : {}),
    ...(context.justCancelled && isAppointment(context.justCancelled)
      ? { justCancelled: context.justCancelled }
      : {}),
    ...(typeof context.shown === 'string' && flows.nodes.has(context.shown) ? { shown: context.shown } : {}),
    ...(context.offer && typeof context.offer === 'object' ? { offer: context.offer } : {}),
    ...(context.heard && typeof context.heard === 'object' ? { heard: context.heard } : {}),
    ...(context.answerNext &&
    flows.nodes.has(context.answerNext.question) &&
    flows.nodes.has(context.answerNext.choice)
      ? { answerNext: { question: context.answerNext.question, choice: context.answerNext.choice } }
      : {}),
    ...(Array.isArray(context.told) && context.told.every((f) => typeof f === 'string')
      ? { told: context.told.slice(0, 20) }
      : {}),
    ...(Array.isArray(context.queued) && context.queued.every(isTold)
      ? { queued: context.queued.slice(0, 5) }
      : {}),
    effects: [],
  };
}

function parseStored(reply: string): StoredReply {
  try {
    const parsed = JSON.parse(reply) as StoredReply;
    return { ...parsed, messages: Array.isArray(parsed.messages) ? parsed.messages : [] };
  } catch {
    return { messages: [] };
  }
}
