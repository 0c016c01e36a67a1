import { assertEvent, assign, createActor, type SnapshotFrom, type StateValue, setup } from 'xstate';
import type { Understood } from '../understanding/understand.js';
import type { Flows } from './content.js';
import {
  COLLECTING_RULES,
  collectingActions,
  collectingGuards,
  EDIT_RULES,
  WHOSE_RULES,
  whoseGuards,
} from './dialogue/collecting.js';
import { Kit } from './dialogue/kit.js';
import {
  ACTION_RULES,
  managingActions,
  managingGuards,
  PICK_RULES,
  turnsOffChosen,
  UNDO_RULES,
} from './dialogue/managing.js';
import { remind } from './dialogue/reminders.js';
import { finishTurn, say } from './dialogue/replies.js';
import { type Action, type Actions, type Guards, type Rule, runRules } from './dialogue/rules.js';
import { SAVED_RULES, savedActions, savedGuards } from './dialogue/saved.js';
import {
  TOPIC_RULES_AFTER_SAVED,
  TOPIC_RULES_BEFORE_SAVED,
  topicActions,
  topicGuards,
} from './dialogue/topics.js';
import { freshTurn, type Turn, turnOf } from './dialogue/turn.js';
import type { ConversationContext, ConversationEvent, MachineInput } from './dialogue/types.js';
import {
  FILED_AGAIN_RULES,
  FILED_RULES,
  milestoneDue,
  weeklyActions,
  weeklyDue,
  weeklyGuards,
} from './dialogue/weekly.js';

export {
  everyReplyPart,
  MENU_LEADS,
  nodePart,
  reaskPart,
  STANDALONE_SYSTEM_TEXTS,
} from './dialogue/replies.js';
export type {
  Channel,
  ConversationContext,
  ConversationEvent,
  Effect,
  InboundEvent,
  MachineInput,
  Told,
} from './dialogue/types.js';

/**
 * The conversation with one person, as a statechart. Pure: no I/O, no clock, no environment.
 * Each INBOUND event carries what the message said (understanding ran before); the transition
 * leaves the reply and any other effect as data in `context.effects`, which the service carries
 * out after saving.
 *
 * Each sub-dialogue is a state whose transitions are its rules (src/conversation/dialogue/*):
 * named guards tried in order, the fallback last. After a message the `settling` state sends the
 * conversation to the sub-dialogue and step its context now holds.
 *
 * Version 2: nested states (version 1 had flat ones: snapshots.ts migrates them).
 */
export const MACHINE_VERSION = 2;

/** The sub-dialogues, the top level of the chart. */
export type ConversationState =
  | 'new'
  | 'active'
  | 'managing'
  | 'askingFiled'
  | 'capturing'
  | 'confirmingDelete'
  | 'optedOut'
  | 'erased';

/** The sub-dialogue a state value is in ("capturing" for { capturing: "time" }). */
export function modeOf(value: StateValue): ConversationState {
  return (typeof value === 'string' ? value : Object.keys(value)[0]!) as ConversationState;
}

/** Where the conversation goes on after a message: the first whose condition holds. */
export const SETTLE: [guard: string, target: string, holds: (ctx: ConversationContext) => boolean][] = [
  ['collectingWhose', 'capturing.whose', (c) => c.draft?.step === 'name'],
  ['collectingDate', 'capturing.date', (c) => c.draft?.step === 'date'],
  ['collectingWhichDate', 'capturing.whichDate', (c) => c.draft?.step === 'which_date'],
  ['collectingTime', 'capturing.time', (c) => c.draft?.step === 'time'],
  ['collectingPlace', 'capturing.place', (c) => c.draft?.step === 'place'],
  ['collectingConfirm', 'capturing.confirm', (c) => c.draft?.step === 'confirm'],
  ['collectingEdit', 'capturing.edit', (c) => c.draft?.step === 'edit'],
  ['choosingAppointment', 'managing.pick', (c) => c.managing?.step === 'pick'],
  ['choosingAction', 'managing.action', (c) => c.managing?.step === 'action'],
  ['askingFiledAgain', 'askingFiled.again', (c) => c.askingFiled === true && c.filedAgain === true],
  ['askingFiled', 'askingFiled.first', (c) => c.askingFiled === true],
  ['justSaved', 'active.saved', (c) => c.justSaved !== undefined],
  ['asking', 'active.question', (c) => c.asking],
];

/** The state value a context settles in (also how version-1 snapshots are migrated). */
export function settledValue(ctx: ConversationContext): StateValue {
  const target = SETTLE.find(([, , holds]) => holds(ctx))?.[1] ?? 'active.topics';
  const [mode, step] = target.split('.') as [string, string];
  return { [mode]: step };
}

const TOPIC_RULES: Rule[] = [
  ...UNDO_RULES,
  ...TOPIC_RULES_BEFORE_SAVED,
  ...SAVED_RULES,
  ...TOPIC_RULES_AFTER_SAVED,
];
const TOPIC_FRAME = { open: ['openTopics'], close: ['closeTopics'] };
const NO_FRAME = { open: [], close: [] };

/** The named guards and actions of every sub-dialogue, over turns. */
function dialogue(kit: Kit): { guards: Guards; actions: Actions } {
  const flows = kit.flows;
  const guards: Guards = {
    ...topicGuards(kit),
    ...savedGuards(kit),
    ...collectingGuards(kit),
    ...whoseGuards(kit),
    ...managingGuards(kit),
    ...weeklyGuards(kit),
  };
  const actions: Actions = {};
  // Another sub-dialogue hands the message to the topics ("what do I bring?" while collecting).
  const answerAsTopic = (ctx: ConversationContext, t: Turn) =>
    runRules(TOPIC_RULES, guards, actions, ctx, freshTurn(ctx, t.raw, kit), TOPIC_FRAME);
  Object.assign(
    actions,
    topicActions(kit),
    savedActions(kit),
    collectingActions(kit, answerAsTopic),
    managingActions(kit, answerAsTopic),
    weeklyActions(answerAsTopic),
    {
      recordFilingDate: (ctx, t) =>
        runRules(ctx.filedAgain ? FILED_AGAIN_RULES : FILED_RULES, guards, actions, ctx, t, NO_FRAME),
      greet: greeter(kit, answerAsTopic),
      keepData: (ctx) => {
        const moved = kit.goTo(ctx, flows.menu, 'delete_kept');
        return say({ ...moved.ctx, effects: [] }, moved.part);
      },
      optIn: (ctx) => {
        const moved = kit.goTo(ctx, flows.menu, 'start_confirm');
        return say({ ...moved.ctx, effects: [{ type: 'optIn' }] }, moved.part);
      },
    } satisfies Actions,
  );
  // A rule naming a guard or an action nobody defined would be skipped without a word.
  const rules = [
    TOPIC_RULES,
    COLLECTING_RULES,
    EDIT_RULES,
    WHOSE_RULES,
    PICK_RULES,
    ACTION_RULES,
    FILED_RULES,
  ];
  for (const rule of rules.flat()) {
    if (rule.guard && !guards[rule.guard]) throw new Error(`no guard named ${rule.guard}`);
    for (const name of [...rule.actions, ...(rule.after ?? [])])
      if (!actions[name]) throw new Error(`no action named ${name}`);
  }
  return { guards, actions };
}

/**
 * The first message, after the introduction: a first "hola" or "hi" is not a misunderstanding, and
 * gets the menu; a topic, a command, a number or a question about Huella ("will you tell ICE?")
 * is answered as in any turn.
 */
function greeter(kit: Kit, answerAsTopic: Action): Action {
  return (ctx, t) => {
    const u = t.u;
    const hasTopic =
      kit.pick(ctx, t).kind !== 'none' ||
      u.command !== undefined ||
      u.number !== undefined ||
      kit.huellaAnswer(u) !== undefined;
    if (hasTopic || !u.hasWords) return answerAsTopic(ctx, t);
    const moved = kit.goTo(ctx, kit.flows.menu);
    return say(moved.ctx, moved.part);
  };
}

/** What an inbound message said; any other event here is a wiring mistake. */
function said(event: ConversationEvent): Understood {
  assertEvent(event, 'INBOUND');
  return event.understood;
}

/** A sub-dialogue's rules as the chart's transitions for INBOUND, each ending where it settles. */
function inbound(rules: Rule[], frame: { open: string[]; close: string[] } = NO_FRAME) {
  return rules.map((r) => ({
    ...(r.guard ? { guard: r.guard } : {}),
    target: '#conversation.settling',
    actions: ['beginTurn', ...frame.open, ...r.actions, ...frame.close, ...(r.after ?? []), 'finishTurn'],
  }));
}

type Args = { context: ConversationContext; event: ConversationEvent };

/** Answer lists that end one kind of text only (the weekly checks, the reminders): no STOP. */
const NARROWER_STOPS = ['weekly_stop', 'stop_reminders'];

/** The chart's guards: each sub-dialogue's, over the turn, and those of every state (STOP, DELETE). */
function chartGuards(kit: Kit, guards: Guards): Record<string, (args: Args) => boolean> {
  return {
    ...Object.fromEntries(
      Object.entries(guards).map(([name, guard]) => [
        name,
        ({ context, event }: Args) => guard(context, turnOf(context, event, kit)),
      ]),
    ),
    ...Object.fromEntries(SETTLE.map(([name, , holds]) => [name, ({ context }: Args) => holds(context)])),
    // "cancel" while an appointment is being collected, on WhatsApp, is "don't save it": there no
    // carrier takes the word as an opt-out (on SMS one does, so it stays STOP there).
    // "stop the weekly messages", "stop the reminders texts": only those end (topics.ts), not all.
    saysStop: ({ context, event }) =>
      said(event).command?.name === 'stop' &&
      !NARROWER_STOPS.some((list) => (said(event).means[list] ?? 0) > 0) &&
      !(
        event.type === 'INBOUND' &&
        event.channel === 'whatsapp' &&
        (context.draft !== undefined || context.managing !== undefined) &&
        said(event).cues?.whatsapp_cancel === true
      ),
    // After STOP, a lone YES (one of Twilio's opt-in words, with START and UNSTOP) or SÍ
    // (commands.start_after_stop) is START too: Huella and Twilio must agree on the number.
    saysStart: ({ event }) => said(event).command?.name === 'start' || said(event).optIn === true,
    // In the list itself, before one is chosen, "borrar" is still DELETE (turnsOffChosen).
    saysDelete: ({ context, event }) =>
      said(event).command?.name === 'delete' && !turnsOffChosen(context, turnOf(context, event, kit)),
    // Erasing needs a plain yes: "no, ya no" holds a yes word too, and must keep everything; so
    // does "yes but wait" or "si? que pasa con mis citas".
    saysYes: ({ event }) => {
      const { means, command } = said(event);
      const held = (means.hold ?? 0) > 0 || (means.not_that ?? 0) > 0;
      const asks = event.type === 'INBOUND' && (event.text ?? '').includes('?');
      return (means.yes ?? 0) > 0 && (means.no ?? 0) === 0 && command === undefined && !held && !asks;
    },
  };
}

/** Runs a sub-dialogue's action on the turn of the event. */
const onTurn = (kit: Kit, run: (ctx: ConversationContext, t: Turn) => ConversationContext) =>
  assign<ConversationContext, ConversationEvent, undefined, ConversationEvent, never>(({ context, event }) =>
    run(context, turnOf(context, event, kit)),
  );

/** An action of the chart's own: the context after it (in part). */
const change = (run: (ctx: ConversationContext, event: ConversationEvent) => Partial<ConversationContext>) =>
  assign<ConversationContext, ConversationEvent, undefined, ConversationEvent, never>(({ context, event }) =>
    run(context, event),
  );

/** The chart's actions: each sub-dialogue's, over the turn, and those of every state. */
function chartActions(kit: Kit, actions: Actions): Record<string, ReturnType<typeof onTurn>> {
  const { flows } = kit;
  return {
    ...Object.fromEntries(Object.entries(actions).map(([name, run]) => [name, onTurn(kit, run)])),
    // Every event starts with no effects; a message also notes its channel, for texts sent later.
    // What was just cancelled can be put back by the next message only (its turn keeps it).
    beginTurn: change((context, event) => {
      if (event.type === 'INBOUND') turnOf(context, event, kit);
      return {
        effects: [],
        justCancelled: undefined,
        ...(event.type === 'INBOUND' ? { channel: event.channel } : {}),
      };
    }),
    finishTurn: change((context) => finishTurn(context)),
    adoptLanguage: change((context, event) => ({ lang: kit.languageOf(said(event), context.lang) })),
    // "BORRAR" or "PARAR" in an English conversation: confirm in the language of the word.
    commandLanguage: change((context, event) => {
      const from = said(event).command?.from;
      return { lang: from && flows.packs.has(from) ? from : context.lang };
    }),
    // A first "HELP" is answered by the help text, which says all the introduction does.
    introduce: change((context, event) =>
      said(event).command?.name === 'help' ? {} : say(context, { say: { system: 'intro' } }),
    ),
    // "stop texting me and delete what i told you": stopped at once; how to erase is said now,
    // since after STOP no text can ask "are you sure?" (eraseQuietly).
    optOut: change((context, event) =>
      say(
        { ...context, effects: [...context.effects, { type: 'optOut' }] },
        { say: { system: said(event).command?.erase ? 'stop_confirm_erase' : 'stop_confirm' } },
      ),
    ),
    askDelete: change((context) => say(context, { say: { system: 'delete_ask' } })),
    erase: change((context) =>
      say({ ...context, effects: [{ type: 'erase' }] }, { say: { system: 'delete_done' } }),
    ),
    // DELETE after STOP: erased at once, and no text says so. The person asked for no more
    // texts, and Twilio blocks texts to a number that sent STOP (README, "Opt-out words").
    eraseQuietly: change(() => ({ effects: [{ type: 'erase' as const }] })),
    weeklyDue: change((context, event) => {
      assertEvent(event, 'WEEKLY_DUE');
      return weeklyDue(kit, context, event);
    }),
    milestoneDue: change((context, event) => {
      assertEvent(event, 'MILESTONE_DUE');
      return milestoneDue(context, event);
    }),
    remind: change((context, event) => {
      assertEvent(event, 'REMINDER_DUE');
      return remind(kit, context, event);
    }),
  };
}

function chartSetup(kit: Kit, guards: Guards, actions: Actions) {
  return setup({
    types: {
      context: {} as ConversationContext,
      events: {} as ConversationEvent,
      input: {} as MachineInput,
    },
    guards: chartGuards(kit, guards),
    actions: chartActions(kit, actions),
  });
}
type Chart = Parameters<ReturnType<typeof chartSetup>['createMachine']>[0];
type ChartStates = NonNullable<Chart['states']>;

export function createConversationMachine(flows: Flows) {
  const kit = new Kit(flows);
  const { guards, actions } = dialogue(kit);
  return chartSetup(kit, guards, actions).createMachine({
    id: 'conversation',
    initial: 'new',
    context: ({ input }) => ({
      lang: input.lang,
      node: flows.menu,
      offered: kit.menuChoices,
      asking: false,
      misses: 0,
      appointments: [],
      effects: [],
    }),
    on: {
      // The carrier blocks every text to them: nothing is sent, not even a confirmation.
      CARRIER_OPT_OUT: { target: '.optedOut', actions: 'beginTurn' },
    },
    states: { ...openingStates(), ...dialogueStates(), ...closingStates() },
  });
}

/** Scheduled texts are handled the same way in every state where the person listens. */
const SCHEDULED_EVENTS = {
  REMINDER_DUE: { target: '#conversation.settling', actions: ['beginTurn', 'remind'] },
  WEEKLY_DUE: { target: '#conversation.settling', actions: ['beginTurn', 'weeklyDue'] },
  MILESTONE_DUE: { target: '#conversation.settling', actions: ['beginTurn', 'milestoneDue'] },
};
/** STOP and DELETE win in every state where the person is talking to Huella. */
const STOP_OR_DELETE = [
  {
    guard: 'saysStop',
    target: '#conversation.optedOut',
    actions: ['beginTurn', 'commandLanguage', 'optOut'],
  },
  {
    guard: 'saysDelete',
    target: '#conversation.confirmingDelete',
    actions: ['beginTurn', 'commandLanguage', 'askDelete'],
  },
];

/** The first message, and the choice of where the conversation goes on after each one. */
function openingStates(): ChartStates {
  return {
    new: {
      description: 'Nobody has written yet: the first reply introduces Huella and still answers.',
      on: {
        INBOUND: [
          { guard: 'saysStop', target: 'optedOut', actions: ['beginTurn', 'adoptLanguage', 'optOut'] },
          {
            guard: 'saysDelete',
            target: 'confirmingDelete',
            actions: ['beginTurn', 'adoptLanguage', 'askDelete'],
          },
          {
            target: 'settling',
            actions: ['beginTurn', 'adoptLanguage', 'introduce', 'greet', 'finishTurn'],
          },
        ],
      },
    },
    settling: {
      description: 'Where the conversation goes on after a message: the sub-dialogue and step it holds.',
      always: [...SETTLE.map(([guard, target]) => ({ guard, target })), { target: 'active.topics' }],
    },
    active: {
      description:
        'Topics and the questions of the graph; news of the saved appointments (dialogue/topics.ts, saved.ts).',
      initial: 'topics',
      on: {
        INBOUND: [...STOP_OR_DELETE, ...inbound(TOPIC_RULES, TOPIC_FRAME)],
        ...SCHEDULED_EVENTS,
      },
      states: {
        topics: { description: 'At the menu or a topic: a number or words pick the next one.' },
        question: {
          description: "A question of the graph is on screen: its answer words count ('yes', 'by phone').",
        },
        saved: {
          description: 'An appointment was just saved: a date or time now corrects it; another may follow.',
        },
      },
    },
  };
}

/** The sub-dialogues with steps: collecting an appointment, the saved list, the filing date. */
function dialogueStates(): ChartStates {
  return {
    capturing: {
      description: 'Collecting an appointment, one question at a time (dialogue/collecting.ts).',
      initial: 'date',
      on: {
        INBOUND: [...STOP_OR_DELETE, ...inbound(COLLECTING_RULES)],
        ...SCHEDULED_EVENTS,
      },
      states: {
        whose: {
          description: 'Whose appointment is it? (others are saved on this phone, or family was named)',
          on: { INBOUND: inbound(WHOSE_RULES) },
        },
        date: { description: 'What is the date?' },
        whichDate: { description: '5/3: March 5 or May 3?' },
        time: { description: 'What time?' },
        place: { description: 'Where (ZIP code or state), for the time zone?' },
        confirm: { description: 'Read back: is that right?' },
        edit: {
          description: 'What is the new date or time? (a correction, or a saved one being changed)',
          on: { INBOUND: inbound(EDIT_RULES) },
        },
      },
    },
    managing: {
      description: 'The saved appointments were listed (dialogue/managing.ts).',
      initial: 'pick',
      on: SCHEDULED_EVENTS,
      states: {
        pick: {
          description: 'Which one? A number, a name, or the only one.',
          on: { INBOUND: [...STOP_OR_DELETE, ...inbound(PICK_RULES)] },
        },
        action: {
          description: '1 Change it, 2 Turn off its reminders.',
          on: { INBOUND: [...STOP_OR_DELETE, ...inbound(ACTION_RULES)] },
        },
      },
    },
    askingFiled: {
      description: 'Weekly checks just started: when was the I-589 sent? (dialogue/weekly.ts)',
      initial: 'first',
      on: SCHEDULED_EVENTS,
      states: {
        first: { on: { INBOUND: [...STOP_OR_DELETE, ...inbound(FILED_RULES)] } },
        again: {
          description: 'Asked once more already: no third time.',
          on: { INBOUND: [...STOP_OR_DELETE, ...inbound(FILED_AGAIN_RULES)] },
        },
      },
    },
  };
}

/** Erasing, and silence after STOP. */
function closingStates(): ChartStates {
  return {
    confirmingDelete: {
      description: 'Asked whether to erase everything; only a yes erases.',
      on: {
        ...SCHEDULED_EVENTS,
        INBOUND: [
          { guard: 'saysStop', target: 'optedOut', actions: ['beginTurn', 'optOut'] },
          // "BORRAR" again, as the help text names it, is a yes too.
          { guard: 'saysYes', target: 'erased', actions: ['beginTurn', 'erase'] },
          { guard: 'saysDelete', target: 'erased', actions: ['beginTurn', 'erase'] },
          { target: 'settling', actions: ['beginTurn', 'keepData'] },
        ],
      },
    },
    optedOut: {
      description: 'Said STOP: one confirmation was sent; silent until START (messages are still recorded).',
      on: {
        INBOUND: [
          { guard: 'saysStart', target: 'settling', actions: ['beginTurn', 'optIn'] },
          // Erasing is honoured after STOP too, at once: a question to confirm would not reach them.
          { guard: 'saysDelete', target: 'erased', actions: ['beginTurn', 'eraseQuietly'] },
          // Anything else: no answer (carriers and Twilio allow one confirmation, then nothing
          // until START); the service records and counts the message as unanswered.
          { actions: 'beginTurn' },
        ],
        REMINDER_DUE: { actions: 'beginTurn' },
        WEEKLY_DUE: { actions: 'beginTurn' },
        MILESTONE_DUE: { actions: 'beginTurn' },
      },
    },
    erased: {
      description: 'Everything about the person is to be erased; nothing of this is saved.',
      type: 'final',
    },
  };
}

export type ConversationMachine = ReturnType<typeof createConversationMachine>;
export type ConversationSnapshot = SnapshotFrom<ConversationMachine>;

/**
 * Runs the machine one event at a time without starting an actor per message: every action is
 * an `assign` (the machine is pure), so there is nothing to execute beside the next snapshot. One
 * inert scope, like the one behind xstate's own pure `transition()`, serves every turn; building
 * an actor and its system for each message was most of a turn's machine time.
 */
export function createStepper(machine: ConversationMachine) {
  type Scope = Parameters<ConversationMachine['transition']>[2];
  const self = createActor(machine, { input: { lang: 'en' } });
  const scope = {
    self,
    defer: () => {},
    id: '',
    logger: () => {},
    sessionId: '',
    stopChild: () => {},
    system: self.system,
    emit: () => {},
    // An action that is not an assign would land here, and be a wiring mistake in a pure machine.
    actionExecutor: (action: { type?: string }) => {
      throw new Error(`the conversation machine ran a side effect (${action.type ?? 'unknown'})`);
    },
  } as unknown as Scope;
  return {
    /** The first snapshot of a conversation nobody has written to yet. */
    initial(input: MachineInput): ConversationSnapshot {
      return machine.getInitialSnapshot(scope, input);
    },
    /** The snapshot after `event`, eventless transitions included. */
    step(snapshot: ConversationSnapshot, event: ConversationEvent): ConversationSnapshot {
      // A copy: the dialogue reads each event object as one turn (dialogue/turn.ts).
      return machine.transition(snapshot, { ...event }, scope);
    },
    /** What is saved of a snapshot (as an actor's getPersistedSnapshot). */
    persisted(snapshot: ConversationSnapshot): unknown {
      return machine.getPersistedSnapshot(snapshot);
    },
  };
}

export type ConversationStepper = ReturnType<typeof createStepper>;
