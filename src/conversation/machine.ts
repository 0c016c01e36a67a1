import { assertEvent, assign, type SnapshotFrom, setup } from 'xstate';
import type { CommandName, Understood } from '../understanding/understand.js';
import { pickIntent } from '../understanding/understand.js';
import type { Flows, ReplyPart, SystemKey } from './content.js';

/**
 * The conversation with one person. Pure: no I/O, no clock, no environment. Each INBOUND event
 * carries what the message said (understanding ran before); the transition leaves the reply and
 * any other effect as data in `context.effects`, which the service carries out after saving.
 *
 * Topic navigation is data-driven from flows/ (the current node lives in context); the states
 * are the modes that change what a message can do: new, active, confirmingDelete, optedOut.
 */
export const MACHINE_VERSION = 1;

export type Channel = 'sms' | 'whatsapp';

export type Effect =
  | { type: 'reply'; parts: ReplyPart[] }
  | { type: 'optOut' }
  | { type: 'optIn' }
  | { type: 'erase' };

export interface ConversationContext {
  lang: string;
  /** The node the person is at. */
  node: string;
  /** The node ids behind the numbers shown last: "1" picks offered[0]. */
  offered: string[];
  /** The last message asked a question whose answer words count. */
  asking: boolean;
  /** Messages in a row that were not understood. */
  misses: number;
  /** What the last event asks the service to do. Replaced on every event. */
  effects: Effect[];
}

export interface InboundEvent {
  type: 'INBOUND';
  understood: Understood;
  channel: Channel;
}
/** Twilio said the number unsubscribed (error 21610): stop, without texting them about it. */
export interface CarrierOptOutEvent {
  type: 'CARRIER_OPT_OUT';
}
export type ConversationEvent = InboundEvent | CarrierOptOutEvent;

export interface MachineInput {
  lang: string;
}

/** A node's text with its numbered choices ("0 Menu" on every node but the menu). */
export function nodePart(flows: Flows, id: string, lead?: SystemKey): ReplyPart {
  const node = flows.nodes.get(id)!;
  const choices = { owner: id, to: node.choices.map((c) => c.to), menu: id !== flows.menu };
  // Before the menu, a lead ("Sorry, I did not understand...") takes the place of its prompt.
  if (lead && id === flows.menu) return { say: { system: lead }, choices };
  return { say: { node: id }, choices, ...(lead ? { lead } : {}) };
}

/** A question asked again after an unclear answer: a short lead, the question, its choices. */
export function reaskPart(id: string, offered: string[]): ReplyPart {
  return {
    lead: 'reask',
    say: { node: id },
    lastOnly: true,
    choices: { owner: id, to: offered, menu: true },
  };
}

/** Leads the machine puts before the main menu. */
export const MENU_LEADS = [
  'not_understood',
  'no_words',
  'media',
  'start_confirm',
  'language_set',
  'delete_kept',
] as const;
/** System texts the machine sends on their own. */
export const STANDALONE_SYSTEM_TEXTS = [
  'intro',
  'help',
  'media',
  'stop_confirm',
  'delete_ask',
  'delete_done',
] as const;

/**
 * Every shape of reply part the machine can send, for checking sizes: each node as shown, the
 * menu behind each lead, each question asked again, each standalone system text, and a
 * clarifying question over the three longest labels.
 */
export function everyReplyPart(flows: Flows, longestLabels: string[]): ReplyPart[] {
  const parts: ReplyPart[] = [];
  for (const node of flows.nodes.values()) {
    parts.push(nodePart(flows, node.id));
    if (node.ask)
      parts.push(
        reaskPart(
          node.id,
          node.choices.map((c) => c.to),
        ),
      );
  }
  for (const lead of MENU_LEADS) parts.push(nodePart(flows, flows.menu, lead));
  for (const key of STANDALONE_SYSTEM_TEXTS) parts.push({ say: { system: key } });
  parts.push({ say: { system: 'clarify' }, choices: { to: longestLabels.slice(0, 3), menu: true } });
  return parts;
}

/** What an inbound message said; any other event here is a wiring mistake. */
function said(event: ConversationEvent): Understood {
  assertEvent(event, 'INBOUND');
  return event.understood;
}

export function createConversationMachine(flows: Flows) {
  const menuChoices = (): string[] => flows.nodes.get(flows.menu)?.choices.map((c) => c.to) ?? [];

  /** Moves to a node and shows it with its numbered choices. */
  const goTo = (ctx: ConversationContext, id: string, lead?: SystemKey) => {
    const node = flows.nodes.get(id) ?? flows.nodes.get(flows.menu)!;
    const part = nodePart(flows, node.id, lead);
    return { ctx: { ...ctx, node: node.id, offered: part.choices!.to, asking: node.ask, misses: 0 }, part };
  };

  const languageOf = (u: Understood, fallback: string): string => {
    if (u.language && flows.packs.has(u.language.code)) return u.language.code;
    const from = u.command?.from;
    return from && flows.packs.has(from) ? from : fallback;
  };

  /** Handles a message in the active conversation: commands, numbers, answers, topics. */
  const respond = (start: ConversationContext, u: Understood): ConversationContext => {
    let ctx = start;
    const parts: ReplyPart[] = [];
    const show = (id: string, lead?: SystemKey) => {
      const moved = goTo(ctx, id, lead);
      ctx = moved.ctx;
      parts.push(moved.part);
    };
    const done = () => ({ ...ctx, effects: [...ctx.effects, { type: 'reply' as const, parts }] });

    if (u.language?.confident && u.language.code !== ctx.lang && flows.packs.has(u.language.code)) {
      ctx = { ...ctx, lang: u.language.code };
    } else if (u.command?.from && u.command.from !== ctx.lang && flows.packs.has(u.command.from)) {
      // "AYUDA" in an English conversation: answer in the language of the word.
      ctx = { ...ctx, lang: u.command.from };
    }
    if (!u.hasWords) {
      show(flows.menu, u.media > 0 ? 'media' : 'no_words');
      return done();
    }
    if (u.media > 0) parts.push({ say: { system: 'media' } });

    const command: CommandName | undefined = u.command?.name;
    if (command === 'help') {
      parts.push({ say: { system: 'help' } });
      return done();
    }
    if (command === 'menu' || command === 'start' || u.number === 0) {
      show(flows.menu);
      return done();
    }
    if (command === 'language' && u.command?.lang && flows.packs.has(u.command.lang)) {
      ctx = { ...ctx, lang: u.command.lang };
      show(flows.menu, 'language_set');
      return done();
    }
    if (u.number !== undefined) {
      const target = ctx.offered[u.number - 1];
      if (target) show(target);
      else reask();
      return done();
    }
    const answer = ctx.asking ? pickAnswer(ctx.node, u) : undefined;
    if (answer) {
      show(answer);
      return done();
    }
    const pick = pickIntent(u.intents);
    if (pick.kind === 'sure') {
      show(pick.node);
      return done();
    }
    if (pick.kind === 'unsure') {
      ctx = { ...ctx, offered: pick.candidates, asking: false, misses: 0 };
      parts.push({ say: { system: 'clarify' }, choices: { to: pick.candidates, menu: true } });
      return done();
    }
    reask();
    return done();

    function reask() {
      ctx = { ...ctx, misses: ctx.misses + 1 };
      if (ctx.asking) {
        parts.push(reaskPart(ctx.node, ctx.offered));
      } else {
        const misses = ctx.misses;
        show(flows.menu, 'not_understood');
        ctx = { ...ctx, misses };
      }
    }
  };

  /** The choice of a question that the message's answer words pick, if exactly one does. */
  const pickAnswer = (nodeId: string, u: Understood): string | undefined => {
    const node = flows.nodes.get(nodeId);
    if (!node) return undefined;
    const longest = Math.max(0, ...Object.values(u.means));
    if (longest === 0) return undefined;
    const best = node.choices.filter((c) => c.means !== undefined && u.means[c.means] === longest);
    return best.length === 1 ? best[0]!.to : undefined;
  };

  return setup({
    types: {
      context: {} as ConversationContext,
      events: {} as ConversationEvent,
      input: {} as MachineInput,
    },
    guards: {
      saysStop: ({ event }) => said(event).command?.name === 'stop',
      saysStart: ({ event }) => said(event).command?.name === 'start',
      saysDelete: ({ event }) => said(event).command?.name === 'delete',
      // Erasing needs a plain yes: "no, ya no" holds a yes word too, and must keep everything.
      saysYes: ({ event }) => {
        const { means, command } = said(event);
        return (means.yes ?? 0) > 0 && (means.no ?? 0) === 0 && command === undefined;
      },
    },
    actions: {
      beginTurn: assign({ effects: () => [] }),
      adoptLanguage: assign({ lang: ({ context, event }) => languageOf(said(event), context.lang) }),
      introduce: assign({
        effects: ({ context }) => [
          ...context.effects,
          { type: 'reply', parts: [{ say: { system: 'intro' } }] },
        ],
      }),
      greet: assign(({ context, event }) => {
        const u = said(event);
        // A first "hola" or "hi" is not a misunderstanding: show the menu after the introduction.
        const hasTopic =
          pickIntent(u.intents).kind !== 'none' || u.command !== undefined || u.number !== undefined;
        if (hasTopic || !u.hasWords) return respond(context, u);
        const moved = goTo(context, flows.menu);
        return { ...moved.ctx, effects: [...context.effects, { type: 'reply', parts: [moved.part] }] };
      }),
      respond: assign(({ context, event }) => respond(context, said(event))),
      optOut: assign({
        effects: ({ context }) => [
          ...context.effects,
          { type: 'optOut' },
          { type: 'reply', parts: [{ say: { system: 'stop_confirm' } }] },
        ],
      }),
      optIn: assign(({ context }) => {
        const moved = goTo(context, flows.menu, 'start_confirm');
        return { ...moved.ctx, effects: [{ type: 'optIn' }, { type: 'reply', parts: [moved.part] }] };
      }),
      askDelete: assign({
        effects: ({ context }) => [
          ...context.effects,
          { type: 'reply', parts: [{ say: { system: 'delete_ask' } }] },
        ],
      }),
      erase: assign({
        effects: () => [{ type: 'erase' }, { type: 'reply', parts: [{ say: { system: 'delete_done' } }] }],
      }),
      keepData: assign(({ context }) => {
        const moved = goTo(context, flows.menu, 'delete_kept');
        return { ...moved.ctx, effects: [{ type: 'reply', parts: [moved.part] }] };
      }),
    },
  }).createMachine({
    id: 'conversation',
    initial: 'new',
    context: ({ input }) => ({
      lang: input.lang,
      node: flows.menu,
      offered: menuChoices(),
      asking: false,
      misses: 0,
      effects: [],
    }),
    on: {
      CARRIER_OPT_OUT: { target: '.optedOut', actions: 'beginTurn' },
    },
    states: {
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
            { target: 'active', actions: ['beginTurn', 'adoptLanguage', 'introduce', 'greet'] },
          ],
        },
      },
      active: {
        description: 'Answering questions and walking decision paths.',
        on: {
          INBOUND: [
            { guard: 'saysStop', target: 'optedOut', actions: ['beginTurn', 'optOut'] },
            { guard: 'saysDelete', target: 'confirmingDelete', actions: ['beginTurn', 'askDelete'] },
            { actions: ['beginTurn', 'respond'] },
          ],
        },
      },
      confirmingDelete: {
        description: 'Asked whether to erase everything; only a yes erases.',
        on: {
          INBOUND: [
            { guard: 'saysStop', target: 'optedOut', actions: ['beginTurn', 'optOut'] },
            { guard: 'saysYes', target: 'erased', actions: ['beginTurn', 'erase'] },
            { target: 'active', actions: ['beginTurn', 'keepData'] },
          ],
        },
      },
      optedOut: {
        description: 'Said STOP: silent until START.',
        on: {
          INBOUND: [
            { guard: 'saysStart', target: 'active', actions: ['beginTurn', 'optIn'] },
            { actions: 'beginTurn' },
          ],
        },
      },
      erased: {
        description: 'Everything about the person is to be erased; nothing of this is saved.',
        type: 'final',
      },
    },
  });
}

export type ConversationMachine = ReturnType<typeof createConversationMachine>;
export type ConversationSnapshot = SnapshotFrom<ConversationMachine>;
export type ConversationState = 'new' | 'active' | 'confirmingDelete' | 'optedOut' | 'erased';
