import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { parse } from 'yaml';
import { z } from 'zod';
import { DEFAULT_FLOWS_DIR, type Flows, type ReplyPart } from '../../src/conversation/content.js';
import { inboundEvent } from '../../src/conversation/inbound-event.js';
import {
  type ConversationSnapshot,
  createConversationMachine,
  createStepper,
  modeOf,
} from '../../src/conversation/machine.js';
import { findAppointmentDetails } from '../../src/understanding/appointment-details.js';
import { dateLanguage } from '../../src/understanding/date-language.js';
import { pickIntent, Understander } from '../../src/understanding/understand.js';
import { findWhen, type LocalDate, type LocalTime } from '../../src/understanding/when.js';

/**
 * Golden examples (flows/golden/<lang>.yaml, format in flows/README.md): a message as people write
 * it, and what Huella must read in it or answer to it. Every date is told relative to the day the
 * test runs at, so the examples hold at any instant.
 */

/** "+3d", "-4d", "today", "next tuesday", "last tuesday", "03-05" (the next March 5), or "none". */
const DaySpec = z.string().regex(/^(?:[+-]\d+d|today|none|(?:next|last) [a-z]+|\d\d-\d\d)$/);
/** A message; "{" only opens a day ("{+3d}"), so that a mistyped one is not sent as it is. */
const DAY_IN_TEXT = /\{([+-]\d+)d\}/g;
const Message = z
  .string()
  .min(1)
  .refine((text) => !text.replace(DAY_IN_TEXT, '').includes('{'), 'a day is written {+3d} or {-3d}');
const Example = z
  .object({
    text: Message,
    at: z.string().optional(),
    after: z.array(Message).optional(),
    topic: z.string().optional(),
    command: z.string().optional(),
    means: z.union([z.string(), z.array(z.string())]).optional(),
    span: z.union([z.number(), z.literal('none')]).optional(),
    number: z.number().optional(),
    lang: z.string().optional(),
    date: DaySpec.optional(),
    time: z
      .string()
      .regex(/^(?:\d\d:\d\d|none)$/)
      .optional(),
    node: z.string().optional(),
    /** The reply asks "did you mean…?" among exactly these topics (in any order). */
    asks: z.array(z.string()).min(2).optional(),
    reply: z.string().optional(),
    saved: z
      .object({ date: DaySpec, time: z.string(), place: z.string().optional(), name: z.string().optional() })
      .strict()
      .optional(),
  })
  .strict();
export type GoldenExample = z.infer<typeof Example>;
const GoldenFile = z.object({ day: z.string().min(1), examples: z.array(Example).min(1) }).strict();
export type Golden = z.infer<typeof GoldenFile>;

export const goldenPath = (lang: string, dir = DEFAULT_FLOWS_DIR) => join(dir, 'golden', `${lang}.yaml`);

/** The golden file of a language, checked against the format; undefined when there is none. */
export function readGolden(lang: string, dir = DEFAULT_FLOWS_DIR): Golden | undefined {
  const path = goldenPath(lang, dir);
  if (!existsSync(path)) return undefined;
  const parsed = GoldenFile.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`flows/golden/${lang}.yaml: ${parsed.error.message}`);
  return parsed.data;
}

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** The day a DaySpec names, seen from `today` (a day's start), as "YYYY-MM-DD", or "none". */
export function dayOf(spec: string, today: DateTime): string {
  if (spec === 'none') return 'none';
  if (spec === 'today') return today.toISODate()!;
  const shift = /^([+-]\d+)d$/.exec(spec);
  if (shift) return today.plus({ days: Number(shift[1]) }).toISODate()!;
  const weekday = /^(next|last) ([a-z]+)$/.exec(spec);
  if (weekday) {
    const wanted = WEEKDAYS.indexOf(weekday[2]!) + 1;
    if (wanted === 0) throw new Error(`not a weekday: ${spec}`);
    const step = weekday[1] === 'next' ? 1 : -1;
    let day = today.plus({ days: step });
    while (day.weekday !== wanted) day = day.plus({ days: step });
    return day.toISODate()!;
  }
  const [month, dayOfMonth] = spec.split('-').map(Number);
  let day = today;
  while (day.month !== month || day.day !== dayOfMonth) day = day.plus({ days: 1 });
  return day.toISODate()!;
}

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (d: LocalDate) => `${d.year}-${pad(d.month)}-${pad(d.day)}`;
const clock = (t: LocalTime) => `${pad(t.hour)}:${pad(t.minute)}`;

/** Everything one golden file is checked with: the content, the readers, the machine. */
export class GoldenReader {
  private readonly understander: Understander;
  private readonly stepper: ReturnType<typeof createStepper>;
  /**
   * `now`: the instant the messages arrive at; `zone`, the zone of a place not yet told; a new
   * conversation starts in `defaultLanguage`, as the service's does (DEFAULT_LANGUAGE).
   */
  constructor(
    readonly flows: Flows,
    private readonly now: DateTime,
    private readonly zone = 'America/Chicago',
    private readonly defaultLanguage = 'en',
  ) {
    this.understander = new Understander(flows);
    this.stepper = createStepper(createConversationMachine(flows));
  }

  get today(): DateTime {
    return this.now.setZone(this.zone).startOf('day');
  }

  /** What the example expects, its days turned into dates: the shape `actual` gives back. */
  expected(example: GoldenExample, lang: string): Record<string, unknown> {
    const { text: _text, at: _at, after: _after, ...expect } = example;
    const out: Record<string, unknown> = { ...expect };
    // An answer comes in the file's language.
    if (answers(example)) out.answeredIn = lang;
    if (expect.means !== undefined) out.means = [expect.means].flat().sort();
    if (expect.asks !== undefined) out.asks = [...expect.asks].sort();
    if (expect.date !== undefined) out.date = dayOf(expect.date, this.today);
    if (expect.saved) out.saved = { ...expect.saved, date: dayOf(expect.saved.date, this.today) };
    return out;
  }

  /** The message with each "{+3d}" written as that day, in the file's `day` format and language. */
  written(text: string, golden: Golden, lang: string): string {
    return text.replace(DAY_IN_TEXT, (_m, days: string) =>
      this.today
        .plus({ days: Number(days) })
        .setLocale(lang)
        .toFormat(golden.day),
    );
  }

  /** What Huella reads in and answers to the example's message, for the keys the example names. */
  actual(example: GoldenExample, golden: Golden, lang: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const keys = new Set(Object.keys(example));
    const text = this.written(example.text, golden, lang);
    Object.assign(out, this.read(text, example), this.dates(text, lang, keys));
    if (answers(example)) {
      const after = (example.after ?? []).map((before) => this.written(before, golden, lang));
      Object.assign(out, this.answer(example, [...after, text], lang, keys));
    }
    return out;
  }

  /** What the message says alone, wherever it is sent. */
  private read(text: string, named: GoldenExample): Record<string, unknown> {
    const keys = new Set(Object.keys(named));
    const understood = this.understander.understand(text, 0);
    const out: Record<string, unknown> = {};
    if (keys.has('topic')) {
      const pick = pickIntent(understood.intents);
      out.topic =
        pick.kind === 'sure' ? pick.node : pick.kind === 'none' ? 'none' : `unsure: ${pick.candidates}`;
    }
    if (keys.has('command')) out.command = understood.command?.name ?? 'none';
    // The lists named must match; others may too ("phone" is also `on_phone`).
    if (named.means !== undefined)
      out.means = [named.means]
        .flat()
        .filter((m) => m in understood.means)
        .sort();
    if (keys.has('span')) out.span = understood.span ?? 'none';
    if (keys.has('number')) out.number = understood.number ?? 'none';
    if (keys.has('lang')) out.lang = understood.language?.code ?? 'none';
    return out;
  }

  /** The day and time in the message, read in the language at the test's now. */
  private dates(text: string, lang: string, keys: Set<string>): Record<string, unknown> {
    if (!keys.has('date') && !keys.has('time')) return {};
    const when = findWhen(text, this.now.setZone(this.zone), dateLanguage(this.flows, lang));
    const out: Record<string, unknown> = {};
    if (keys.has('date')) out.date = when.date ? iso(when.date) : 'none';
    if (keys.has('time')) out.time = when.time ? clock(when.time) : 'none';
    return out;
  }

  /** The answer to the last of `messages` (the example's `after`, then its own), at `at` if named. */
  private answer(example: GoldenExample, messages: string[], lang: string, keys: Set<string>) {
    let snapshot = example.at
      ? this.goTo(example.at, lang)
      : this.stepper.initial({ lang: this.defaultLanguage });
    for (const message of messages) snapshot = this.send(snapshot, message);
    const context = snapshot.context;
    const out: Record<string, unknown> = { answeredIn: context.lang };
    if (keys.has('node')) out.node = context.node;
    if (keys.has('asks')) {
      const asked = replyParts(snapshot).find((p) => 'system' in p.say && p.say.system === 'clarify');
      out.asks = [...(asked?.choices?.to ?? [])].sort();
    }
    if (keys.has('reply')) {
      const systems = replyParts(snapshot).flatMap((p) => [
        p.lead,
        'system' in p.say ? p.say.system : undefined,
      ]);
      out.reply = systems.includes(example.reply as never)
        ? example.reply
        : systems.filter(Boolean).join(', ');
    }
    if (keys.has('saved')) {
      const last = context.appointments.at(-1);
      out.saved = last && {
        date: last.date,
        time: last.time.slice(0, 5),
        ...(example.saved?.place !== undefined ? { place: last.place } : {}),
        ...(example.saved?.name !== undefined ? { name: last.name } : {}),
      };
    }
    return out;
  }

  /** One message in, as the service steps it (inbound-event.ts, then the machine). */
  send(before: ConversationSnapshot, text: string): ConversationSnapshot {
    const readers = {
      flows: this.flows,
      zone: this.zone,
      findDetails: (body: string, now: Date, zone: string, lang: string) =>
        findAppointmentDetails(body, DateTime.fromJSDate(now, { zone }), this.flows, lang),
    };
    const message = { body: text, channel: 'sms' as const, receivedAt: this.now.toJSDate() };
    // Read in the conversation's language, as the service reads it (service.ts handleInbound).
    const understood = this.understander.understand(text, 0, before.context.lang);
    const event = inboundEvent(readers, message, modeOf(before.value), before.context, understood);
    return this.stepper.step(before, event);
  }

  /** A conversation at the question `node`: a greeting, then the menu's numbers that lead to it. */
  goTo(node: string, lang: string): ConversationSnapshot {
    const greeting = this.flows.packs.get(lang)?.answers.greeting?.[0] ?? 'hi';
    let snapshot = this.send(this.stepper.initial({ lang: this.defaultLanguage }), greeting);
    for (const next of pathTo(this.flows, node)) {
      const number = snapshot.context.offered.indexOf(next) + 1;
      if (number === 0) throw new Error(`at: ${node}: ${next} is not offered at ${snapshot.context.node}`);
      snapshot = this.send(snapshot, String(number));
    }
    if (snapshot.context.node !== node) throw new Error(`at: ${node}: got to ${snapshot.context.node}`);
    return snapshot;
  }
}

/** Whether the example is about the conversation's answer, not only what the message says. */
const answers = (example: GoldenExample) =>
  example.node !== undefined ||
  example.asks !== undefined ||
  example.reply !== undefined ||
  example.saved !== undefined;

const replyParts = (snapshot: ConversationSnapshot): ReplyPart[] =>
  snapshot.context.effects.flatMap((e) => (e.type === 'reply' ? e.parts : []));

/** The nodes, after the menu, that the menu's choices lead through to `node` (shortest way). */
function pathTo(flows: Flows, node: string): string[] {
  const cameFrom = new Map<string, string>([[flows.menu, '']]);
  const queue = [flows.menu];
  while (queue.length > 0) {
    const at = queue.shift()!;
    if (at === node) break;
    for (const { to } of flows.nodes.get(at)?.choices ?? []) {
      if (cameFrom.has(to)) continue;
      cameFrom.set(to, at);
      queue.push(to);
    }
  }
  if (!cameFrom.has(node)) throw new Error(`at: ${node} is not reached from ${flows.menu} by choices`);
  const path: string[] = [];
  for (let at = node; at !== flows.menu; at = cameFrom.get(at)!) path.unshift(at);
  return path;
}
