import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DateTime, Duration } from 'luxon';
import { parse } from 'yaml';
import { z } from 'zod';
import { splitToFit } from '../channels/sms-segments.js';
import { WHATSAPP_WINDOW_MS } from '../outbound/deliver.js';
import { DEFAULT_REMINDER_OFFSETS } from '../reminders/defaults.js';
import { describeReminders, type PlanWords } from '../reminders/describe.js';
import { planReminders, type QuietHours, type ReminderPlan } from '../reminders/plan.js';
import { CHRONO_LOCALE_NAMES, type ChronoLocale } from '../understanding/date-language.js';
import { SOUND_RULE_NAMES, type SoundRuleName } from '../understanding/folding.js';
import { stateName } from '../understanding/place.js';
import type { AppointmentParams } from './appointments.js';

/** The texts the engine itself uses; every language file must have each. */
export const SYSTEM_KEYS = [
  'menu_label',
  'intro',
  'help',
  'clarify',
  'not_understood',
  'reask',
  'media',
  'no_words',
  'stop_confirm',
  'stop_confirm_erase',
  'start_confirm',
  'delete_ask',
  'delete_done',
  'delete_kept',
  'language_set',
  'error_later',
  'slow_down',
  'legal_help_default',
  'org_default',
  'appt_ask_date',
  'appt_no_date',
  'appt_which_date',
  'appt_ask_time',
  'appt_ask_place',
  'appt_no_place',
  'appt_date_past',
  'appt_confirm',
  'appt_confirm_named',
  'appt_saved',
  'appt_whatsapp_window',
  'appt_give_up',
  'reminder',
  'reminder_bring',
  'reminder_reschedule',
  'appt_none',
  'appt_list_item',
  'appt_list_footer',
  'appt_pick_action',
  'appt_cancelled',
  'weekly_filed_saved',
  'weekly_filed_150',
  'weekly_filed_passed',
  'weekly_filed_again',
  'weekly_filed_rough',
  'milestone_3m',
  'milestone_150d',
  'appt_ask_name',
  'reminder_for',
  'for_name',
  'thanks_reply',
  'distress_lead',
  'ack_reply',
  'greet_again',
  'appt_need_date',
  'appt_you_have',
  'appt_edit_ask',
  'appt_fix_ask',
  'appt_not_saved',
  'appt_not_changed',
  'appt_old_gone',
  'appt_new_date_later',
  'appt_already_saved',
  'appt_not_yet',
  'appt_photo',
  'weekly_ended_saved',
  'appt_one_at_a_time',
  'appt_others_kept',
  'also_asked',
  'appt_next_told',
  'appt_next_told_time',
  'appt_which_date_again',
  'appt_day_past',
  'appt_ask_name_again',
  'appt_fix_hint',
  'appt_ask_another',
  'not_understood_again',
  'which_one',
  'unsure_choose',
  'asked_went',
  'same_topic',
  'reminders_when',
  'privacy_reply',
  'frustrated_reply',
  'free_reply',
  'languages_reply',
  'notice_first_lead',
  'reminds_only_appointments',
  'self_harm_lead',
  'task_reminder_reply',
  'reminders_where_reply',
  'weekly_stopped',
  'weekly_not_on',
  'appt_offer',
  'comfort_reply',
  'appt_quit',
  'appt_not_one',
  'appt_kept',
  'appt_kept_all',
  'appt_nothing_yet',
  'appt_restored',
  'appt_ask_first_name',
  'appt_renamed',
  'listened_reply',
] as const;
export type SystemKey = (typeof SYSTEM_KEYS)[number];

export const COMMAND_KEYS = ['stop', 'start', 'help', 'menu', 'delete', 'appointments', 'switch_to'] as const;
export type CommandKey = (typeof COMMAND_KEYS)[number];
/**
 * commands.start_after_stop: words that are START only while the person is opted out (YES, SÍ),
 * as Twilio's opt-in words are; anywhere else they are plain answers.
 */
export const START_AFTER_STOP = 'start_after_stop';

/**
 * The cues the dialogue reads in a message (a pack's `cues:` holds the words of each): someone
 * correcting themselves, telling when they applied, asking "what if", naming family, and so on.
 */
export const CUE_NAMES = [
  'correcting',
  'applied',
  'what_if',
  'family_words',
  'weekday_lead',
  'old_one',
  'also',
  'negation',
  'emphatic_no',
  'says_no',
  'says_yes',
  'go_along',
  'self_and_others',
  'reminders_of',
  'not_someone',
  'whatsapp_cancel',
  'not_received',
  'notice_words',
  'no_id',
  'sick',
  'receipt_came',
  'no_receipt_yet',
  'family_along',
  'own_came',
  'long_wait',
  'judge_silent',
  'notice_gone',
  'cant_attend',
  'change_asked',
  'week_nothing',
  'what_to_check',
  'judge_said',
  'same_thing',
  'court_words',
  'stamped',
  'permit_words',
  'bio_not_done',
  'turned_away',
  'did_not_go',
  'case_outcome',
  'ice_words',
  'login_code',
  'taken_before',
  'again_asked',
  'moved',
  'how_asked',
  'hearing_words',
  'bio_words',
  'other_account',
  'say_asked',
  'call_words',
  'arrest_fear',
  'running_late',
  'changed_twice',
  'no_call',
  'court_asked',
  'will_create',
  'online_asked',
  'call_asked',
  'status_says_sent',
  'in_application',
  'date_gone',
  'distress_words',
  'login_trying',
  'self_harm',
  'notice_late',
  'a_number',
  'as_id',
  'photo_copy',
  'work_reason',
  'filed_online',
  'account_blocked',
  'times_asked',
  'act_reminder',
  'find_asked',
  'check_reminder',
  'made_by_other',
  'uscis_or_court',
  'letter_unclear',
  'which_letter',
  'bio_alone',
  'account_alone',
  'done_before',
  'another_notice',
  'notice_error',
  'see_online',
  'mail_words',
  'when_it_comes',
  'not_missed',
  'status_says_missed',
  'has_id',
  'without_notice',
  'hearing_notice',
  'share_safe',
  'dates_clash',
  'relative_apart',
  'appt_notice_pasted',
  'hearing_notice_pasted',
  'other_day_asked',
  'agency_person',
  'wrong_place',
  'speaks_told',
  'languages_question',
  'relative_own',
  'contact_number_asked',
  'milestone_reminder',
  'money_offer',
  'not_understood',
  'not_mine',
  'appt_notice_named',
  'in_place',
  'visit_failed',
  'court_change',
  'not_court',
  'acct_number_named',
  'change_done',
] as const;
export type CueName = (typeof CUE_NAMES)[number];

/**
 * Cues that tell something is so ("i have my receipt"), and so hold only where no denial of the
 * packs (`reading.negation`) comes in the few words before them: "never got the receipt" holds
 * "got the receipt" in its words but tells the opposite.
 */
export const AFFIRMED_CUES: readonly CueName[] = ['receipt_came', 'a_number', 'has_id'];

/**
 * Facts of a message that no word list gives, read from what the service found in it:
 * `date_passed`, a date told that is before the message's day, not the filing's ("it was on the
 * 3rd", "el 3 de octubre"); `date_ahead`, a date told that is the message's day or after it;
 * `appt_hours_away`, their appointment is hours away and they cannot go (the last-minute way was
 * shown for it, now or earlier in the conversation: online rescheduling no longer works);
 * `saved_ahead`, the message tells no date and the person has an appointment saved for the
 * message's day or later ("and if i am sick that day?" after saving it).
 */
export const MESSAGE_FACTS = ['date_passed', 'date_ahead', 'appt_hours_away', 'saved_ahead'] as const;
export type MessageFact = (typeof MESSAGE_FACTS)[number];
/** The fact kept once the last-minute way was shown (see MESSAGE_FACTS). */
export const HOURS_AWAY = 'appt_hours_away' satisfies MessageFact;
/**
 * Facts kept in a conversation that close the online way to change the appointment (the seed:
 * not under 12 hours, nor after two changes; nor, as the seeds give it only for an appointment
 * ahead, once missed): the phone way is shown without "do it online".
 */
export const ONLINE_CLOSED: readonly string[] = [
  HOURS_AWAY,
  'changed_twice' satisfies CueName,
  'missed_weeks_ago',
  'missed_days_ago',
];

/**
 * Facts of a message told by its shape in any language, their patterns in graph.yaml `shapes`:
 * `receipt_number_sent`, a USCIS receipt number sent with nothing else ("IOE0912345678");
 * `a_number_sent`, an A-Number sent alone ("A 213 456 789").
 */
export const SHAPE_FACTS = ['receipt_number_sent', 'a_number_sent'] as const;
export type ShapeFact = (typeof SHAPE_FACTS)[number];

/** A part of a cue fact: a cue or message fact it holds, or (`not`) one it does not hold. */
export interface FactPart {
  name: CueName | MessageFact | ShapeFact;
  not: boolean;
}

/**
 * A fact `when_told` may name that the message tells by itself: cues it holds and message facts,
 * all of them ("not_received+notice_words": the notice never came); a part written "!x" is one it
 * does not hold ("hearing_words+!bio_words": a hearing, and no word of the fingerprints). At least
 * one part is held. Its parts, or undefined if it is not one.
 */
export function cueFact(fact: string): FactPart[] | undefined {
  // Read on every turn for every rule that names facts: each written fact is parsed once.
  if (readFacts.has(fact)) return readFacts.get(fact);
  const parts = fact.split('+').map((p) => ({ name: p.replace(/^!/, ''), not: p.startsWith('!') }));
  const read =
    parts.every((p) => KNOWN_FACTS.has(p.name)) && parts.some((p) => !p.not)
      ? (parts as FactPart[])
      : undefined;
  // The facts are graph.yaml's, a few hundred; a message's words never reach here.
  if (readFacts.size < MAX_READ_FACTS) readFacts.set(fact, read);
  return read;
}
const readFacts = new Map<string, FactPart[] | undefined>();
const MAX_READ_FACTS = 10_000;
const KNOWN_FACTS: ReadonlySet<string> = new Set([...CUE_NAMES, ...MESSAGE_FACTS, ...SHAPE_FACTS]);

const sourceSchema = z.object({ seed: z.string(), quote: z.string().min(10) });
/** A span of time a choice stands for, ISO-8601 ("P3W"): under it, or at least it. */
const agoSchema = z.object({ under: z.string().optional(), at_least: z.string().optional() });
const choiceSchema = z.union([
  z.string(),
  z.object({
    to: z.string(),
    means: z.string().optional(),
    told: z.string().optional(),
    told_by: z.array(z.string().regex(/^!?[a-z_]+(?:\+!?[a-z_]+)*$/)).optional(),
    unless_told: z.array(z.string().regex(/^[a-z_]+$/)).optional(),
    ago: agoSchema.optional(),
  }),
]);
const graphSchema = z.object({
  languages: z.array(z.string()).min(1),
  menu: z.string(),
  /**
   * Facts a message tells that steer later answers too (kept in the conversation's `told`), each
   * with the facts it replaces when told: "the judge never said anything", then "what if the
   * judge says I need it?" is not the call that tells USCIS the judge said so.
   */
  remembered: z.record(z.string(), z.array(z.string())).default({}),
  /**
   * A word several topics share ("my number": the account's, USCIS's phone, the receipt's), with
   * those topics: a short message whose topic rests on that word alone is asked about. The words
   * are each pack's `reading.shared_words` under the same name.
   */
  shared_words: z.record(z.string(), z.array(z.string()).min(2)).default({}),
  /** Each SHAPE_FACTS fact as a pattern over the folded message (lower case, no accents). */
  shapes: z.partialRecord(z.enum(SHAPE_FACTS), z.string()).default({}),
  nodes: z.record(
    z.string(),
    z.object({
      ask: z.boolean().optional(),
      /** Choosing this node starts collecting an appointment (date, time, place). */
      capture: z.boolean().optional(),
      /** Choosing this node lists the saved appointments, to change or cancel one. */
      manage: z.boolean().optional(),
      /** Choosing this node starts the weekly status checks. */
      weekly: z.boolean().optional(),
      /** Showing this node ("when is my appointment?") first says the appointment the person saved, if any. */
      saved_first: z.boolean().optional(),
      saved_hint: z.boolean().optional(),
      last_minute: z.boolean().optional(),
      /** This node's text invites the person to say more ("tell me what worries you"). */
      listens: z.boolean().optional(),
      /**
       * A message that comes to one of this question's answers (or a topic under them) without
       * saying which answer is asked this question first: `time_past`, when it comes there by a
       * time past ("my appointment was yesterday": did you go?); `always`, whatever brought it
       * ("the judge said I need biometrics": is it time to call?).
       */
      asked_first: z.enum(['time_past', 'always']).optional(),
      skipped_when_told: z.boolean().optional(),
      /**
       * The question asked of someone who did not go to their appointment ("How long ago?"): a
       * message that says they did not go and names a day that has passed answers it at once.
       */
      not_went: z.boolean().optional(),
      /**
       * A question whose spans (`ago`) count from the day the asylum application was sent ("more
       * than 3 months since you sent it?"): answered at once when the person told that day before.
       */
      since_filed: z.boolean().optional(),
      /** What a person who reaches this node has told us ("waiting_notice"), kept for later answers. */
      tells: z.array(z.string().regex(/^[a-z_]+$/)).optional(),
      /**
       * The node shown instead when this one is asked for by someone who has told one of these, the
       * first that holds ("who do I call?" from someone waiting for a notice: their case status).
       */
      when_told: z.record(z.string().regex(/^!?[a-z_]+(?:\+!?[a-z_]+)*$/), z.string()).optional(),
      wins_when_told: z.array(z.string().regex(/^!?[a-z_]+(?:\+!?[a-z_]+)*$/)).optional(),
      /** Facts that make this node the answer whatever topic the words name for sure (safety). */
      first_when_told: z.array(z.string().regex(/^!?[a-z_]+(?:\+!?[a-z_]+)*$/)).optional(),
      /**
       * A system text shown before this node when the message tells a fact, the first that holds
       * ("remind me when the letter comes": that they can text the date then, before the weekly
       * offer).
       */
      lead_when_told: z.record(z.string().regex(/^!?[a-z_]+(?:\+!?[a-z_]+)*$/), z.string()).optional(),
      /**
       * System texts that answer a part of this node's questions (who Huella is: what it keeps and
       * shares, whether it costs): asked beside this node's own words, they answer (topics.ts
       * asksAboutHuella), and scoring counts them as this node (src/understanding/evaluate.ts).
       */
      system_answers: z.array(z.string()).optional(),
      /**
       * Facts for which a message is not about this node, whatever its words: "tengo que pedir
       * permiso en el trabajo" names a "permiso" and work, time off, not the work permit. The
       * message's next topic is read instead.
       */
      not_when_told: z.array(z.string().regex(/^!?[a-z_]+(?:\+!?[a-z_]+)*$/)).optional(),
      /**
       * Facts (told now or before) for which the node's last text does not fit, and is left out:
       * the calling steps' "or walk in if you missed it a few weeks ago at most" to someone who
       * missed it months ago.
       */
      last_text_unless: z.array(z.string().regex(/^!?[a-z_]+(?:\+!?[a-z_]+)*$/)).optional(),
      choices: z.array(choiceSchema).optional(),
      sources: z.array(sourceSchema).optional(),
    }),
  ),
});
/** flows/places.yaml: places people name, not words of a language (see the file). */
const placesSchema = z.object({
  cities: z.record(
    z.string().regex(/^[a-z][a-z .]*$/, 'a city name folded: lower case, no accents'),
    z.string().regex(/^\d{5}$/, 'a ZIP code of five digits'),
  ),
});

/** A list of words or phrases of a pack. */
const words = z.array(z.string().min(1));
/**
 * A phrase template (flows/README.md): words, "a|b" slots, "[a]" optional slots and the named
 * placeholders its reader fills; nothing else (no pattern syntax reaches the readers).
 */
const template = (placeholders: string[]) =>
  z
    .string()
    .min(1)
    .refine(
      (t) =>
        t
          .trim()
          .split(/\s+/)
          .every((slot) => {
            const body = slot.replace(/^\[(.*)\]$/, '$1');
            // "{hour}", or placeholders run together ("{hour}{minute}": "830").
            const names = /^(?:\{\w+\})+$/.test(body)
              ? [...body.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)
              : [];
            return names.length > 0
              ? names.every((n) => placeholders.includes(n))
              : /^[^\s[\]{}]+$/u.test(body);
          }),
      { message: `a phrase template (placeholders: ${placeholders.join(', ') || 'none'})` },
    );

/** A text with placeholders ("{hour}:30"), as a template's match is written. */
const filledText = (placeholders: string[]) =>
  z.string().refine((t) => [...t.matchAll(/\{(\w*)\}/g)].every((m) => placeholders.includes(m[1]!)), {
    message: `a text with placeholders (${placeholders.join(', ')})`,
  });

const langSchema = z.object({
  name: z.string().optional(),
  nodes: z.record(
    z.string(),
    z.object({
      label: z.string().min(1),
      text: z.array(z.string().min(1)).min(1).max(3),
      choice_labels: z.record(z.string(), z.string()).optional(),
    }),
  ),
  answers: z.record(z.string(), z.array(z.string()).min(1)),
  intents: z.record(z.string(), z.array(z.string()).min(1)),
  system: z.record(z.string(), z.string()),
  commands: z.record(z.string(), z.array(z.string())),
  /** Common short words of the language, used to tell languages apart. */
  words: z.array(z.string()).default([]),
  /** Letters that only this language uses among ours, a hint for language detection. */
  letters: z.string().default(''),
  /**
   * How typed words are folded: chat shorthand spelled out ("q": que, "u": you), word endings
   * ("ing", "ando"), and the sound rules (by name, see SOUND_RULES) by which people of this
   * language write by ear. With sound rules, words only this language's phrases use also match
   * when spelled by how they sound: "sita" is "cita", "yebo" is "llevo", "uellas" is "huellas".
   */
  /**
   * Words read whatever the topic: those that undo a command phrase, those before a choice number;
   * and the languages people mix into this one, whose phrases are read with its own.
   */
  reading: z.object({
    negation: words,
    choice_words: words,
    mixed_with: z.array(z.string()),
    /** Words that deny the answer word right after them ("with the judge, not uscis"). */
    answer_denials: words.default([]),
    /**
     * Words just before a person's name that leave their appointment alone ("cancel mine but keep
     * marcus", "menos la de marcus", "sauf marcus"): the name is not the one meant.
     */
    spare_words: words.default([]),
    /** Words just after a name that leave that person's appointment alone ("la de kevin dejala"). */
    spare_after_words: words.default([]),
    /**
     * Words several topics share, by the name graph.yaml's `shared_words` gives their topics; with
     * the words that tell which of those topics is meant ("account" beside "number").
     */
    shared_words: z
      .record(z.string(), z.object({ words, told: z.record(z.string(), words).default({}) }))
      .default({}),
    /**
     * A choice said by its place ("lo primero", "the second one", "le premier"), first in the
     * message and ended by its end or a mark ("lo primero, no me ha llegado nada"; "lo primero que
     * quiero saber…" is none), with up to two words that may follow it ("one", "please").
     */
    ordinals: z.object({ said: z.array(words).max(9), after: words }).optional(),
    /**
     * Words that start a lesser, second question later in a message ("…no letter from USCIS. Also
     * when I can ask work permit?", "y tambien quiero saber…", "et aussi"): the topic only they
     * name is not the message's main need.
     */
    afterthought: words.default([]),
    /**
     * Words that say what the person does NOT want ("no quiero cambiar la cita", "i dont want to
     * change it"): the part of the message (between marks) that holds them names no topic, when
     * another part is left.
     */
    set_aside: words.default([]),
  }),
  folding: z.object({
    shorthand: z.record(z.string(), z.string()),
    endings: z.array(z.string().min(1)),
    sound_rules: z.array(z.enum(SOUND_RULE_NAMES)),
    /** Words written joined to the next by an apostrophe ("l'", "d'", "qu'"): kept apart when folded. */
    elisions: z.array(z.string().min(1)).default([]),
  }),
  /**
   * Words that signal something whatever the topic: those that start a question ("what", "que"),
   * name an appointment, today, a wish for reminders (word beginnings: "recuerd"), several people,
   * a time of day ("at 9", "9 pm"), and a span in months said roughly ("hace como 4 meses"); and
   * the named cues the dialogue reads (CUE_NAMES: "wait" corrects, "y si…" asks). A cue phrase may
   * start with "^" (at the start of the message), end with "$" (at its end), and hold "_": one
   * word of three letters or more that is none of `not_someone` (a name).
   */
  cues: z.object({
    question_words: words.min(1),
    ...(Object.fromEntries(CUE_NAMES.map((name) => [name, z.array(z.string().min(1))])) as Record<
      CueName,
      z.ZodArray<z.ZodString>
    >),
    appointment_words: words.min(1),
    today: words.min(1),
    remind: words.min(1),
    several_people: z.object({
      self: words,
      and: words,
      mine: words,
      all: words,
      numbers: words,
      children: words,
    }),
    /**
     * Where each person's part of a message starts ("mine", "la de", "celui de"), when it tells
     * several people's times; "{family}" in a phrase stands for each of `family_words`.
     */
    whose_parts: z.object({ own: words, other: words }),
    times_of_day: z.object({ before: words, after: words }),
    months_ago: z.object({
      before: words,
      hedges: words,
      after: words,
      months: words,
      years: words,
      counts: z.record(z.string(), z.number().int().positive()),
    }),
  }),
  /**
   * Spans of time ("2 months", "hace 3 semanas", "unos días"), for questions whose choices are
   * spans (a choice's `ago` in graph.yaml): unit words in days, count words, words that put a
   * span just under or over ("less than", "más de"), and words between a count and its unit ("of").
   */
  durations: z
    .object({
      units: z.record(z.string(), z.number().int().positive()),
      counts: z.record(z.string(), z.number().int().positive()),
      under: z.array(z.string()).default([]),
      over: z.array(z.string()).default([]),
      between: z.array(z.string()).default([]),
    })
    .optional(),
  /**
   * Words around a person's name: words that never are one where a name could stand, more of
   * them after "for" or a cancel word, and the words a name follows ("for", "cancel", "la de",
   * "my wife") or ends with ("'s"). Compared without accents or case.
   */
  names: z.object({
    not_names: words.min(1),
    not_after_verb: words.min(1),
    for: words,
    cancel: words,
    after_cancel: words,
    of: words,
    possessive: words,
    my: words.min(1),
    family: words.min(1),
    /** Words right before a name that tell it: "her name is", "se llama". */
    intro: words.default([]),
    /** Words right before a name to add theirs: "put marcus", "pon a rosa", "ajoute marc". */
    add: words.default([]),
  }),
  /** State names in this language that differ from English ("nueva york": NY). */
  place_names: z.record(z.string(), z.string()).default({}),
  /**
   * The months (January first) and weekdays (Monday first), each as people write it: its name and
   * its short forms ("mar", "dic", "sat"). Such a word names a day, not a topic (see Understander).
   */
  dates: z.object({
    months: z.array(z.array(z.string().min(1)).min(1)).length(12),
    weekdays: z.array(z.array(z.string().min(1)).min(1)).length(7),
    /** chrono-node's parser for this language, and the languages whose dates are read too. */
    chrono: z.enum(CHRONO_LOCALE_NAMES),
    also: z.array(z.string()),
    /** How "5/3" is written: day_first (5 March) or month_first (May 3); both are asked about. */
    numeric_order: z.enum(['day_first', 'month_first']),
    /** Words, besides months and weekdays, without which chrono finds no day or hour. */
    words: z.array(z.string().min(1)).min(1),
    /** Words that put a day in the past ("last", "hace"), and softer ones ("was", "era"). */
    past: z.array(z.string().min(1)).min(1),
    soft_past: z.array(z.string().min(1)).min(1),
    /** A date put right: "no," "no wait", "sorry", "I mean" (phrases never follow the negation). */
    corrections: z.object({
      negation: z.array(z.string().min(1)).min(1),
      interjections: z.array(z.string().min(1)).min(1),
      phrases: z.array(z.string().min(1)),
    }),
    /** Words around digits that make them an hour, minutes, a day, a count (flows/README.md). */
    hour_words: words,
    minute_words: words,
    day_before: words,
    day_suffixes: words,
    month_joiner: words,
    counted: words,
    address_words: words,
    counted_phrases: z.array(template(['count', 'hours'])),
    /** Numbers said in words, read as a day or an hour after `number_before` or before an hour's words. */
    number_words: z.record(z.string().min(1), z.number().int().min(1).max(31)),
    number_before: words,
    /** Times said around a number ("8 y media", "half past 8"), written as digits ("8:30"). */
    spoken_times: z.array(
      z.object({
        said: template(['hour', 'minute']),
        as: filledText(['hour', 'minute', 'hour_before']),
      }),
    ),
    /** Parts of the day after an hour: "de la mañana" is am; `noon` alone is 12 pm. */
    parts_of_day: z.object({
      am: z.array(template([])),
      pm: z.array(template([])),
      noon: z.array(template([])),
    }),
    /** What chrono's parsers misread, written as chrono's English parser reads it ("dic 15"). */
    rewrites: z.array(
      z.object({
        said: template(['month', 'day', 'weekday', 'digit', 'hour']),
        as: filledText(['month', 'day', 'weekday', 'digit', 'hour']),
      }),
    ),
    /** Forms chrono does not read, by what it reads instead: { tomorrow: [tmrw, tomorow] }. */
    read_as: z.record(z.string().min(1), words),
    /** Days said by name ("today"), for denials' {day}. */
    near_days: words,
    /** A value said to be wrong ("not 9", "no es el lunes"): left out before reading. */
    denials: z.array(template(['day', 'time', 'date', 'part_of_day'])),
    /** An hour put right: "its 10 not 9". */
    time_corrections: z.array(template(['time'])),
    /** What chrono reads as a day that is none: "now", a length of time ("a day before"). */
    now: z.array(template([])),
    /**
     * Words before a date that make it when something else began ("since last night", "desde el
     * lunes"): not the appointment's day.
     */
    since: words.default([]),
    /**
     * Words right before a date that make it the day of something else they will do ("we call
     * tmrw", "llamo mañana", "j'appelle demain"): not the appointment's day.
     */
    other_act: words.default([]),
    /**
     * Words after a date that put another in its place ("remplace le 14 decembre par le 5 janvier",
     * "replace dec 14 with jan 5"): the date after them is the one meant.
     */
    replaced_by: words.default([]),
    /**
     * Words right before a date that tell it is the new one after a change ("me la movieron pal
     * 22", "they moved it to jan 5", "reporté au 22"): it takes the place of any date before it.
     */
    moved_to: z.array(template([])).default([]),
    /** Words right before a range of two dates that make its second the new one ("moved it from dec 14 to jan 5"). */
    moved_from: z.array(template([])).default([]),
    spans: z.array(template(['count'])),
    /**
     * A time counted from now ("in 3 hours", "dans 30 min", "en 2 horas"): an appointment said to
     * be that far off is today's, hours away.
     */
    from_now: z.array(template(['count', 'hours'])).default([]),
    /** The time it is now, said beside the appointment's: "its 4:44 right now" (no appointment time). */
    clock_now: z.array(template(['time'])).default([]),
    /** Letters written right after an hour that make it a time of day: "10h", "14h30" (h). */
    hour_marks: words.default([]),
  }),
  /** How dates and times read in this language (luxon format tokens), and a ZIP code. */
  formats: z.object({
    date: z.string(),
    date_year: z.string(),
    time: z.string(),
    zip: z.string(),
    /** Lengths of time, one and many ("{n} day|{n} days"), and the word that ends a list ("and"). */
    day: z.string(),
    hour: z.string(),
    minute: z.string(),
    and: z.string(),
    /** Words to put right once an appointment is filled in: ["las 1:", "la 1:"] (one o'clock is singular). */
    fixes: z.array(z.tuple([z.string(), z.string()])).default([]),
    /** When reminders really come (moved out of quiet hours, sent at once): see PlanWords. */
    plan: z.object({
      before: z.string(),
      before_short: z.string(),
      about: z.string(),
      now: z.string(),
      same_day: z.string(),
      day_before: z.string(),
      evening_before: z.string(),
      evening_from: z.number().int().min(0).max(23),
      days_before: z.string(),
      list_and: z.string(),
      /** After "when will you remind me?", with quiet hours: " None between {start} and {end}…". */
      quiet_rule: z.string(),
    }),
  }),
});

export interface Source {
  seed: string;
  quote: string;
}
export interface Choice {
  to: string;
  means: string | undefined;
  /**
   * An answer list that picks this choice whatever topic the rest of the message names ("yes i
   * went, they stamped the paper" at "Did you go?"), where a plain yes would not.
   */
  told?: string;
  /**
   * Facts a message tells by its cues that pick this choice too, the question not asked ("my
   * appointment was yesterday but i was in the hospital": they did not go).
   */
  toldBy?: string[];
  /**
   * Facts that keep the answer words (`told`) from picking this choice: "i went but the guard said
   * i cant come in" at "Did you go?" says "went", and they were not seen (turned_away).
   */
  unlessTold?: string[];
  /** The span of time, in days, this choice stands for ("How long ago was it?"): under, or at least. */
  ago?: { under?: number; atLeast?: number };
}
export interface FlowNode {
  id: string;
  ask: boolean;
  capture: boolean;
  manage: boolean;
  savedFirst: boolean;
  /** With appointments saved, ends with how to fix one of them (not to move it with USCIS). */
  savedHint: boolean;
  /** The way for an appointment that is today and the person cannot go. */
  lastMinute: boolean;
  /** Its text invites the person to say more: the next message is heard, not sent this text again. */
  listens: boolean;
  /** The question asked of someone who did not go (graph.yaml `not_went`). */
  notWent: boolean;
  /** Its spans count from the day the application was sent (graph.yaml `since_filed`). */
  sinceFiled: boolean;
  /** Asked first of a message that comes to one of its answers without saying which (graph.yaml `asked_first`). */
  askedFirst: 'time_past' | 'always' | undefined;
  /** A question people often answer before it is asked ("estoy en corte"): the choice told is shown at once. */
  skippedWhenTold: boolean;
  weekly: boolean;
  /** What reaching it tells of the person (graph.yaml `tells`). */
  tells: string[];
  /** [fact, node]: shown instead when the person has told that fact, the first that holds. */
  whenTold: [string, string][];
  /**
   * Facts of a message that make this node its answer when the topics it names are in doubt or
   * none: "my appointment is the 14th, my son is sick and I have no car, what can I do" names
   * the day and the family; not being able to go, with a day ahead, is the need.
   */
  winsWhenTold: string[];
  /**
   * Facts that make this node the answer whatever the topic named ("i cant log into my account and
   * i want to die": the words for hurting oneself come first).
   */
  firstWhenTold: string[];
  /** [fact, system key]: a text shown before this node when the message tells that fact (graph.yaml `lead_when_told`). */
  leadWhenTold: [string, SystemKey][];
  /** System texts that answer a part of this node's questions (graph.yaml `system_answers`). */
  systemAnswers: string[];
  /** Facts for which a message is not about this node (graph.yaml `not_when_told`). */
  notWhenTold: string[];
  /** Facts for which the last text is left out (graph.yaml `last_text_unless`). */
  lastTextUnless: string[];
  choices: Choice[];
  sources: Source[];
}
export interface LanguagePack {
  code: string;
  name: string;
  nodes: Record<string, { label: string; text: string[]; choiceLabels: Record<string, string> }>;
  answers: Record<string, string[]>;
  intents: Record<string, string[]>;
  system: Record<SystemKey, string>;
  commands: Record<CommandKey, string[]>;
  words: string[];
  letters: string;
  spelledBySound: boolean;
  reading: {
    negation: string[];
    choiceWords: string[];
    mixedWith: string[];
    answerDenials: string[];
    /** Words just before a name that leave that person's appointment alone. */
    spareWords: string[];
    /** Words just after a name that leave that person's appointment alone. */
    spareAfterWords: string[];
    /** Words several topics share, by graph.yaml's `shared_words` names, with those that tell which. */
    sharedWords: Record<string, { words: string[]; told: Record<string, string[]> }>;
    /** `said[0]` says choice 1, `said[1]` choice 2, and so on. */
    ordinals?: { said: string[][]; after: string[] };
    /** Words that start a lesser, second question later in a message ("also", "y aparte"). */
    afterthought: string[];
    setAside: string[];
  };
  folding: {
    shorthand: Record<string, string>;
    endings: string[];
    soundRules: SoundRuleName[];
    elisions: string[];
  };
  cues: Record<CueName, string[]> & {
    questionWords: string[];
    appointmentWords: string[];
    today: string[];
    remind: string[];
    severalPeople: Record<'self' | 'and' | 'mine' | 'all' | 'numbers' | 'children', string[]>;
    whoseParts: { own: string[]; other: string[] };
    timesOfDay: { before: string[]; after: string[] };
    monthsAgo: Record<'before' | 'hedges' | 'after' | 'months' | 'years', string[]> & {
      counts: Record<string, number>;
    };
  };
  names: {
    notNames: string[];
    notAfterVerb: string[];
    for: string[];
    cancel: string[];
    afterCancel: string[];
    of: string[];
    possessive: string[];
    my: string[];
    family: string[];
    intro: string[];
    add: string[];
  };
  formats: {
    date: string;
    date_year: string;
    time: string;
    zip: string;
    day: string;
    hour: string;
    minute: string;
    and: string;
    fixes: [string, string][];
    plan: PlanWords & { quiet_rule: string };
  };
  placeNames: Record<string, string>;
  dates: {
    months: string[][];
    weekdays: string[][];
    chrono: ChronoLocale;
    also: string[];
    numericOrder: 'day_first' | 'month_first';
    words: string[];
    past: string[];
    softPast: string[];
    corrections: { negation: string[]; interjections: string[]; phrases: string[] };
    hourWords: string[];
    minuteWords: string[];
    dayBefore: string[];
    daySuffixes: string[];
    monthJoiner: string[];
    counted: string[];
    addressWords: string[];
    countedPhrases: string[];
    numberWords: Record<string, number>;
    numberBefore: string[];
    spokenTimes: { said: string; as: string }[];
    partsOfDay: { am: string[]; pm: string[]; noon: string[] };
    rewrites: { said: string; as: string }[];
    readAs: Record<string, string[]>;
    nearDays: string[];
    denials: string[];
    timeCorrections: string[];
    now: string[];
    since: string[];
    otherAct: string[];
    replacedBy: string[];
    movedTo: string[];
    movedFrom: string[];
    spans: string[];
    fromNow: string[];
    clockNow: string[];
    hourMarks: string[];
  };
  durations?: {
    units: Record<string, number>;
    counts: Record<string, number>;
    under: string[];
    over: string[];
    between: string[];
  };
}
export interface Flows {
  languages: string[];
  menu: string;
  nodes: Map<string, FlowNode>;
  packs: Map<string, LanguagePack>;
  /** City names people write, folded, with a ZIP code in each (flows/places.yaml). */
  cities: Record<string, string>;
  /** Facts a message tells that are kept for later answers, with the facts each replaces (graph.yaml `remembered`). */
  remembered: Map<string, string[]>;
  /** Topics that share a word, by the name of the word (graph.yaml `shared_words`). */
  sharedWords: Map<string, string[]>;
  /** Facts told by the message's shape (graph.yaml `shapes`). */
  shapes: Map<ShapeFact, RegExp>;
  sourcesDir: string;
}

export class FlowsError extends Error {}

export const DEFAULT_FLOWS_DIR = fileURLToPath(new URL('../../flows/', import.meta.url));

/**
 * The project's flows/, read once per process: they do not change while it runs, and each app the
 * tests build would otherwise parse the packs again (0.4 s of CPU each time). Any other folder (a
 * test's edited copy) is read each time it is asked for.
 */
let defaultFlows: Flows | undefined;

/** Reads and checks flows/. Throws a FlowsError listing every problem found. */
export function loadFlows(dir = DEFAULT_FLOWS_DIR): Flows {
  if (dir !== DEFAULT_FLOWS_DIR) return readFlows(dir);
  defaultFlows ??= readFlows(dir);
  return defaultFlows;
}

function readFlows(dir: string): Flows {
  const graph = graphSchema.parse(parse(readFileSync(`${dir}/graph.yaml`, 'utf8')));
  const problems: string[] = [];
  const nodes = graphNodes(graph, problems);
  const packs = new Map<string, LanguagePack>();
  const available = readdirSync(`${dir}/lang`).filter((f) => f.endsWith('.yaml'));
  for (const code of graph.languages) {
    if (!available.includes(`${code}.yaml`)) {
      problems.push(`lang/${code}.yaml is missing`);
      continue;
    }
    const raw = langSchema.safeParse(parse(readFileSync(`${dir}/lang/${code}.yaml`, 'utf8')));
    if (!raw.success) {
      problems.push(`lang/${code}.yaml: ${issuesOf(raw.error)}`);
      continue;
    }
    problems.push(...packProblems(code, raw.data, nodes));
    packs.set(code, languagePack(code, raw.data));
  }
  const places = placesSchema.safeParse(parse(readFileSync(`${dir}/places.yaml`, 'utf8')));
  if (!places.success) problems.push(`places.yaml: ${issuesOf(places.error)}`);
  // What a remembered fact replaces may also be kept by reaching a node (`tells`: filed_in_court).
  const toldByNodes = new Set([...nodes.values()].flatMap((n) => n.tells));
  for (const [fact, replaced] of Object.entries(graph.remembered))
    for (const f of [fact, ...replaced])
      if (!cueFact(f) && (f === fact || !toldByNodes.has(f)))
        problems.push(`graph.yaml: remembered "${f}", which no message tells`);
  for (const [name, topics] of Object.entries(graph.shared_words))
    for (const id of topics)
      if (!nodes.has(id)) problems.push(`graph.yaml: shared_words.${name}: ${id} is not a node`);
  for (const [code, pack] of packs)
    for (const [name, { told }] of Object.entries(pack.reading.sharedWords)) {
      const topics = graph.shared_words[name];
      if (!topics) problems.push(`lang/${code}.yaml: reading.shared_words.${name} is not in graph.yaml`);
      for (const id of Object.keys(told))
        if (topics && !topics.includes(id))
          problems.push(
            `lang/${code}.yaml: reading.shared_words.${name}.told.${id} is not one of its topics`,
          );
    }
  const shapes = shapePatterns(graph.shapes, problems);
  if (problems.length > 0) throw new FlowsError(`flows/ has problems:\n  ${problems.join('\n  ')}`);
  const cities = places.success ? places.data.cities : {};
  const remembered = new Map(Object.entries(graph.remembered));
  return {
    languages: graph.languages,
    menu: graph.menu,
    nodes,
    packs,
    cities,
    remembered,
    sharedWords: new Map(Object.entries(graph.shared_words)),
    shapes,
    sourcesDir: `${dir}/sources`,
  };
}

/** graph.yaml `shapes` as patterns; one that does not compile is a problem. */
function shapePatterns(
  shapes: Partial<Record<ShapeFact, string>>,
  problems: string[],
): Map<ShapeFact, RegExp> {
  const patterns = new Map<ShapeFact, RegExp>();
  for (const [fact, source] of Object.entries(shapes) as [ShapeFact, string][]) {
    try {
      patterns.set(fact, new RegExp(source, 'u'));
    } catch (error) {
      problems.push(`graph.yaml: shapes.${fact}: ${(error as Error).message}`);
    }
  }
  return patterns;
}

/** A schema's complaints, each named by its key: "dates.corrections: Required". */
const issuesOf = (error: z.ZodError): string =>
  error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');

type GraphFile = z.infer<typeof graphSchema>;
type LangFile = z.infer<typeof langSchema>;

/** The nodes of graph.yaml, with what is wrong in them (unknown targets, questions without meanings). */
function graphNodes(graph: GraphFile, problems: string[]): Map<string, FlowNode> {
  const nodes = new Map<string, FlowNode>();
  for (const [id, spec] of Object.entries(graph.nodes)) {
    nodes.set(id, {
      id,
      ask: spec.ask ?? false,
      capture: spec.capture ?? false,
      manage: spec.manage ?? false,
      savedFirst: spec.saved_first ?? false,
      savedHint: spec.saved_hint ?? false,
      lastMinute: spec.last_minute ?? false,
      listens: spec.listens ?? false,
      notWent: spec.not_went ?? false,
      sinceFiled: spec.since_filed ?? false,
      askedFirst: spec.asked_first,
      skippedWhenTold: spec.skipped_when_told ?? false,
      weekly: spec.weekly ?? false,
      tells: spec.tells ?? [],
      whenTold: Object.entries(spec.when_told ?? {}),
      winsWhenTold: spec.wins_when_told ?? [],
      firstWhenTold: spec.first_when_told ?? [],
      leadWhenTold: Object.entries(spec.lead_when_told ?? {}) as [string, SystemKey][],
      systemAnswers: spec.system_answers ?? [],
      notWhenTold: spec.not_when_told ?? [],
      lastTextUnless: spec.last_text_unless ?? [],
      choices: (spec.choices ?? []).map((c) =>
        typeof c === 'string'
          ? { to: c, means: undefined }
          : {
              to: c.to,
              means: c.means,
              ...(c.told ? { told: c.told } : {}),
              ...(c.told_by ? { toldBy: c.told_by } : {}),
              ...(c.unless_told ? { unlessTold: c.unless_told } : {}),
              ...(c.ago ? { ago: spanDays(c.ago, `${id} -> ${c.to}`, problems) } : {}),
            },
      ),
      sources: spec.sources ?? [],
    });
  }
  problems.push(...graphProblems(graph, nodes));
  return nodes;
}

/** What is wrong between the nodes of graph.yaml: unknown targets and facts, questions without meanings. */
function graphProblems(graph: GraphFile, nodes: Map<string, FlowNode>): string[] {
  const problems: string[] = [];
  // A fact a message tells by its cues, or one a node tells of the person (`tells`).
  const known = (fact: string) =>
    cueFact(fact) !== undefined || [...nodes.values()].some((n) => n.tells.includes(fact));
  if (!nodes.has(graph.menu)) problems.push(`graph.yaml: menu node "${graph.menu}" does not exist`);
  for (const node of nodes.values()) {
    for (const choice of node.choices) {
      if (!nodes.has(choice.to)) problems.push(`graph.yaml: ${node.id} offers unknown node "${choice.to}"`);
      for (const [key, facts] of [
        ['told_by', choice.toldBy],
        ['unless_told', choice.unlessTold],
      ] as const)
        for (const fact of facts ?? [])
          if (!cueFact(fact))
            problems.push(`graph.yaml: ${node.id} -> ${choice.to} ${key} "${fact}", which no message tells`);
    }
    for (const [fact, to] of node.whenTold) {
      if (!nodes.has(to))
        problems.push(`graph.yaml: ${node.id} when_told ${fact} names unknown node "${to}"`);
      if (!known(fact)) problems.push(`graph.yaml: ${node.id} when_told "${fact}", which no node tells`);
    }
    for (const key of node.systemAnswers)
      if (!(SYSTEM_KEYS as readonly string[]).includes(key))
        problems.push(`graph.yaml: ${node.id} system_answers "${key}" is no system text`);
    for (const [fact, key] of node.leadWhenTold) {
      if (!(SYSTEM_KEYS as readonly string[]).includes(key))
        problems.push(`graph.yaml: ${node.id} lead_when_told "${key}" is no system text`);
      if (!cueFact(fact))
        problems.push(`graph.yaml: ${node.id} lead_when_told "${fact}", which no message tells`);
    }
    for (const fact of node.lastTextUnless)
      if (!known(fact))
        problems.push(`graph.yaml: ${node.id} last_text_unless "${fact}", which no node tells`);
    for (const [key, facts] of [
      ['wins_when_told', node.winsWhenTold],
      ['first_when_told', node.firstWhenTold],
      ['not_when_told', node.notWhenTold],
    ] as const)
      for (const fact of facts)
        if (!cueFact(fact)) problems.push(`graph.yaml: ${node.id} ${key} "${fact}", which no message tells`);
    if (node.ask && node.choices.some((c) => c.means === undefined)) {
      problems.push(`graph.yaml: question ${node.id} has a choice without "means"`);
    }
  }
  return problems;
}

/** What a language's pack lacks or holds too much of, against the graph, named by key. */
function packProblems(code: string, pack: LangFile, nodes: Map<string, FlowNode>): string[] {
  const problems: string[] = [];
  const at = `lang/${code}.yaml`;
  for (const id of nodes.keys()) if (!pack.nodes[id]) problems.push(`${at}: nodes.${id} is missing`);
  for (const id of Object.keys(pack.nodes))
    if (!nodes.has(id)) problems.push(`${at}: nodes.${id} is not in graph.yaml`);
  for (const id of Object.keys(pack.intents))
    if (!nodes.has(id)) problems.push(`${at}: intents.${id} is not in graph.yaml`);
  for (const key of SYSTEM_KEYS) if (!pack.system[key]) problems.push(`${at}: system.${key} is missing`);
  for (const key of COMMAND_KEYS)
    if (!pack.commands[key]?.length) problems.push(`${at}: commands.${key} is missing`);
  for (const key of Object.keys(pack.commands)) {
    const base = key.replace(/_phrases$/, '');
    if (key !== START_AFTER_STOP && !(COMMAND_KEYS as readonly string[]).includes(base))
      problems.push(`${at}: commands.${key} is not a command (${COMMAND_KEYS.join(', ')})`);
  }
  for (const node of nodes.values())
    for (const choice of node.choices)
      for (const list of [choice.means, choice.told])
        if (list && !pack.answers[list])
          problems.push(`${at}: answers.${list} (used by ${node.id}) is missing`);
  return problems;
}

/** A validated pack file as the code reads it. */
function languagePack(code: string, pack: LangFile): LanguagePack {
  return {
    code,
    name: pack.name ?? code,
    nodes: Object.fromEntries(
      Object.entries(pack.nodes).map(([id, n]) => [
        id,
        { label: n.label, text: n.text, choiceLabels: n.choice_labels ?? {} },
      ]),
    ),
    answers: pack.answers,
    intents: pack.intents,
    system: pack.system as Record<SystemKey, string>,
    commands: pack.commands as Record<CommandKey, string[]>,
    words: pack.words,
    letters: pack.letters,
    spelledBySound: pack.folding.sound_rules.length > 0,
    reading: readingOf(pack.reading),
    folding: {
      shorthand: pack.folding.shorthand,
      endings: pack.folding.endings,
      soundRules: pack.folding.sound_rules,
      elisions: pack.folding.elisions,
    },
    cues: {
      ...(Object.fromEntries(CUE_NAMES.map((name) => [name, pack.cues[name]])) as Record<CueName, string[]>),
      questionWords: pack.cues.question_words,
      appointmentWords: pack.cues.appointment_words,
      today: pack.cues.today,
      remind: pack.cues.remind,
      severalPeople: pack.cues.several_people,
      whoseParts: pack.cues.whose_parts,
      timesOfDay: pack.cues.times_of_day,
      monthsAgo: pack.cues.months_ago,
    },
    names: {
      notNames: pack.names.not_names,
      notAfterVerb: pack.names.not_after_verb,
      for: pack.names.for,
      cancel: pack.names.cancel,
      afterCancel: pack.names.after_cancel,
      of: pack.names.of,
      possessive: pack.names.possessive,
      my: pack.names.my,
      family: pack.names.family,
      intro: pack.names.intro,
      add: pack.names.add,
    },
    formats: pack.formats,
    placeNames: pack.place_names,
    ...(pack.durations ? { durations: pack.durations } : {}),
    dates: datesOf(pack.dates),
  };
}

/** A pack's `reading:` as the readers of every message take it. */
function readingOf(r: LangFile['reading']): LanguagePack['reading'] {
  return {
    negation: r.negation,
    choiceWords: r.choice_words,
    mixedWith: r.mixed_with,
    answerDenials: r.answer_denials,
    spareWords: r.spare_words,
    spareAfterWords: r.spare_after_words,
    sharedWords: r.shared_words,
    afterthought: r.afterthought,
    setAside: r.set_aside,
    ...(r.ordinals ? { ordinals: { said: r.ordinals.said, after: r.ordinals.after } } : {}),
  };
}

/** A pack's `dates:` as the date reader reads it. */
function datesOf(d: LangFile['dates']): LanguagePack['dates'] {
  return {
    months: d.months,
    weekdays: d.weekdays,
    chrono: d.chrono,
    also: d.also,
    numericOrder: d.numeric_order,
    words: d.words,
    past: d.past,
    softPast: d.soft_past,
    corrections: d.corrections,
    hourWords: d.hour_words,
    minuteWords: d.minute_words,
    dayBefore: d.day_before,
    daySuffixes: d.day_suffixes,
    monthJoiner: d.month_joiner,
    counted: d.counted,
    addressWords: d.address_words,
    countedPhrases: d.counted_phrases,
    numberWords: d.number_words,
    numberBefore: d.number_before,
    spokenTimes: d.spoken_times,
    partsOfDay: d.parts_of_day,
    rewrites: d.rewrites,
    readAs: d.read_as,
    nearDays: d.near_days,
    denials: d.denials,
    timeCorrections: d.time_corrections,
    now: d.now,
    since: d.since,
    otherAct: d.other_act,
    replacedBy: d.replaced_by,
    movedTo: d.moved_to,
    movedFrom: d.moved_from,
    spans: d.spans,
    fromNow: d.from_now,
    clockNow: d.clock_now,
    hourMarks: d.hour_marks,
  };
}

/** A choice's `ago` ("P3W") in days; a duration that does not read is a problem of graph.yaml. */
function spanDays(
  ago: z.infer<typeof agoSchema>,
  where: string,
  problems: string[],
): NonNullable<Choice['ago']> {
  const days = (iso: string | undefined) => {
    if (iso === undefined) return undefined;
    const duration = Duration.fromISO(iso);
    if (!duration.isValid)
      problems.push(`graph.yaml: ${where} has an ago that is no ISO-8601 duration: ${iso}`);
    return duration.isValid ? duration.as('days') : undefined;
  };
  const under = days(ago.under);
  const atLeast = days(ago.at_least);
  return { ...(under !== undefined ? { under } : {}), ...(atLeast !== undefined ? { atLeast } : {}) };
}

/** What a reply part says: a node's text, or one of the engine's system texts. */
export type TextRef = { node: string } | { system: SystemKey };

export interface ChoiceList {
  /** The node whose choice_labels name these choices (defaults to each target's label). */
  owner?: string;
  to: string[];
  /** Add the "0 Menu" line. */
  menu: boolean;
  /** The first choice's number, when the choices go on from a list above (default 1). */
  from?: number;
}

/** One piece of a reply, kept as data so a snapshot stays small and renders in any language. */
export interface ReplyPart {
  say: TextRef;
  /** A short system text put before the first text, in the same message. */
  lead?: SystemKey;
  /** Only the last text of the node (re-asking a question without its preamble). */
  lastOnly?: boolean;
  /** Only the first text of the node (its question already answered in the same message). */
  firstOnly?: boolean;
  /** All but the node's last text (graph.yaml `last_text_unless`: it does not fit what was told). */
  withoutLast?: boolean;
  choices?: ChoiceList;
  /** Values for {date}, {time}, {place}, {other} in the text, formatted in the reply's language. */
  params?: AppointmentParams;
  /** Numbered lines after the text, one per item, each the `item` text filled with its values. */
  list?: { item: SystemKey; items: AppointmentParams[]; footer: SystemKey };
}

export interface RenderParams {
  org?: string | undefined;
  legalHelp?: string | undefined;
  /** When reminders go out before an appointment (REMINDER_OFFSETS), for `{reminder_times}`. */
  reminderOffsets?: readonly string[] | undefined;
  /** QUIET_HOURS: the "Saved" line says when reminders moved out of them really come. */
  quietHours?: QuietHours | undefined;
  /**
   * How a WhatsApp text reaches someone outside the 24-hour window (WHATSAPP_TEMPLATES,
   * WHATSAPP_FALLBACK). Neither a `reminder.<lang>` template nor the SMS fallback: the "Saved"
   * line is followed by the truth (reminders that late come only if the person writes first).
   */
  whatsapp?: { templates: Record<string, string>; fallback: 'sms' | 'none' } | undefined;
}

/** Rendered replies kept, at most (each a few hundred bytes). */
const MAX_RENDERED = 2_000;

export class ContentRenderer {
  constructor(
    private readonly flows: Flows,
    private readonly params: RenderParams = {},
  ) {}

  pack(lang: string): LanguagePack {
    return this.flows.packs.get(lang) ?? this.flows.packs.get(this.flows.languages[0]!)!;
  }

  /** Rendered replies that hold nothing of a person (no appointment values), by language and parts. */
  private readonly rendered = new Map<string, readonly string[]>();

  /** Renders reply parts into the text messages to send, each within the SMS size limit. */
  render(lang: string, parts: ReplyPart[], opts: { split?: boolean } = {}): string[] {
    const split = opts.split ?? true;
    // The menu and the topic answers are the same texts for everyone: worked out once each.
    if (parts.some((part) => part.params || part.list)) return this.renderParts(lang, parts, split);
    const key = `${lang}|${split}|${JSON.stringify(parts)}`;
    let messages = this.rendered.get(key);
    if (messages === undefined) {
      messages = Object.freeze(this.renderParts(lang, parts, split));
      if (this.rendered.size >= MAX_RENDERED) this.rendered.delete(this.rendered.keys().next().value!);
      this.rendered.set(key, messages);
    }
    return [...messages];
  }

  private renderParts(lang: string, parts: ReplyPart[], split: boolean): string[] {
    const pack = this.pack(lang);
    const messages: string[] = [];
    for (const part of parts) {
      let texts =
        'node' in part.say ? [...(pack.nodes[part.say.node]?.text ?? [])] : [pack.system[part.say.system]];
      if (part.lastOnly) texts = texts.slice(-1);
      if (part.firstOnly) texts = texts.slice(0, 1);
      if (part.withoutLast && texts.length > 1) texts = texts.slice(0, -1);
      if (part.lead) texts[0] = `${pack.system[part.lead]}\n${texts[0]}`;
      if (part.params) texts.push(...this.savedNotes(pack, texts, part.params));
      if (part.list) {
        const { item, items, footer } = part.list;
        const lines = items.map((values, i) => {
          const who = values.name ? `${values.name}: ` : '';
          return `${i + 1} ${who}${this.fillAppointment(pack, pack.system[item], values)}`;
        });
        texts[texts.length - 1] = [texts[texts.length - 1], ...lines, pack.system[footer]].join('\n');
      }
      if (part.choices) {
        const lines = this.choiceLines(pack, part.choices);
        if (lines !== '') texts[texts.length - 1] = `${texts[texts.length - 1]}\n${lines}`;
      }
      for (const text of texts) {
        const filled = this.fill(pack, part.params ? this.fillAppointment(pack, text, part.params) : text);
        messages.push(...(split ? splitToFit(filled) : [filled]));
      }
    }
    return messages;
  }

  choiceLines(pack: LanguagePack, choices: ChoiceList): string {
    const owner = choices.owner ? pack.nodes[choices.owner] : undefined;
    const lines = choices.to.map(
      (to, i) => `${(choices.from ?? 1) + i} ${owner?.choiceLabels[to] ?? pack.nodes[to]?.label ?? to}`,
    );
    if (choices.menu) lines.push(`0 ${pack.system.menu_label}`);
    return lines.join('\n');
  }

  /** Dates read as the language writes them ("Thursday, March 5" / "jueves 5 de marzo"). */
  fillAppointment(pack: LanguagePack, text: string, params: AppointmentParams): string {
    const format = params.year ? pack.formats.date_year : pack.formats.date;
    const date = (iso: string) => DateTime.fromISO(iso).setLocale(pack.code).toFormat(format);
    const time = (hhmm: string) => this.timeOfDay(pack, hhmm);
    // A ZIP code as the language says it; a state by its name ("ME" could pass for "me").
    const place = (value: string) =>
      /^\d{5}$/.test(value)
        ? pack.formats.zip.replace('{zip}', value)
        : /^[A-Z]{2}$/.test(value)
          ? (stateName(value) ?? value)
          : value;
    const at = params.time ? time(params.time) : '';
    // When the reminders really come: only those ahead, moved out of quiet hours, sent at once.
    const planned = text
      .replaceAll(
        '{reminder_plan}',
        () =>
          this.remindersInWords(pack, params) ??
          pack.formats.plan.before.replace(
            '{times}',
            reminderTimes(pack, this.params.reminderOffsets ?? DEFAULT_REMINDER_OFFSETS),
          ),
      )
      .replaceAll('{missed}', () => this.remindersInWords(pack, params, 'missed') ?? '');
    // "a las 8:30 a. m.." : a time that ends a sentence with its own period keeps only that one.
    const sentence = at.endsWith('.') ? planned.replaceAll('{time}.', at) : planned;
    const filled = sentence
      .replaceAll('{date}', date(params.date))
      .replaceAll('{other}', params.other ? date(params.other) : '')
      .replaceAll('{time}', at)
      .replaceAll('{place}', params.place ? place(params.place) : '')
      .replaceAll('{name}', params.name ?? '');
    return pack.formats.fixes.reduce((text, [from, to]) => text.replaceAll(from, to), filled);
  }

  /** The plan of an appointment's sends as the scheduler makes it, from when it was said. */
  private planOf(params: AppointmentParams): ReminderPlan | undefined {
    if (!params.time || !params.zone) return undefined;
    const appointment = DateTime.fromISO(`${params.date}T${params.time}`, { zone: params.zone });
    if (!appointment.isValid) return undefined;
    return planReminders({
      appointment,
      zone: params.zone,
      offsets: this.params.reminderOffsets ?? DEFAULT_REMINDER_OFFSETS,
      quiet: this.params.quietHours,
      // Said at no known moment: as if long before, every reminder ahead.
      now: params.from ? DateTime.fromISO(params.from) : appointment.minus({ years: 1 }),
    });
  }

  /**
   * When an appointment's reminders really come, in words (`{reminder_plan}`); with 'missed',
   * those WhatsApp will not let through unless the person writes again (`{missed}`): past the
   * 24-hour window after the message that saved it.
   */
  private remindersInWords(
    pack: LanguagePack,
    params: AppointmentParams,
    which: 'all' | 'missed' = 'all',
  ): string | undefined {
    const plan = this.planOf(params);
    if (!plan) return undefined;
    const windowEnd = (params.from ? Date.parse(params.from) : 0) + WHATSAPP_WINDOW_MS;
    const chosen =
      which === 'all'
        ? plan
        : { dueNow: undefined, scheduled: plan.scheduled.filter((s) => s.at.toMillis() > windowEnd) };
    return describeReminders(
      chosen,
      {
        words: pack.formats.plan,
        appointment: DateTime.fromISO(`${params.date}T${params.time}`, { zone: params.zone }),
        zone: params.zone!,
        lengths: (offsets) => reminderTimes(pack, offsets),
        days: (n) => reminderTimes(pack, [`P${n}D`]),
        time: (local) => this.timeOfDay(pack, local.toFormat('HH:mm')),
      },
      which === 'missed',
    );
  }

  /**
   * Texts that follow the "Saved" line: on WhatsApp, with no template and no SMS fallback for
   * reminders past the 24-hour window, which ones will not come unless the person writes first.
   */
  private savedNotes(pack: LanguagePack, texts: string[], params: AppointmentParams): string[] {
    if (params.channel !== 'whatsapp' || !texts.some((t) => t.includes('{reminder_plan}'))) return [];
    const { whatsapp } = this.params;
    if (whatsapp?.fallback === 'sms' || whatsapp?.templates[`reminder.${pack.code}`]) return [];
    if (!this.remindersInWords(pack, params, 'missed')) return [];
    return [pack.system.appt_whatsapp_window];
  }

  /** A time of day as the language writes it, with plain spaces. */
  private timeOfDay(pack: LanguagePack, hhmm: string): string {
    // "8:30 a. m." comes with narrow no-break spaces, which some phones show as boxes.
    return DateTime.fromISO(`2000-01-01T${hhmm}`)
      .setLocale(pack.code)
      .toFormat(pack.formats.time)
      .replace(/[\u00a0\u202f]/g, ' ');
  }

  fill(pack: LanguagePack, text: string): string {
    return withoutUnfilled(
      text
        .replaceAll('{org}', this.params.org ?? pack.system.org_default)
        .replaceAll('{legal_help}', this.params.legalHelp ?? pack.system.legal_help_default)
        // Each language by its own name ("English, Español"): a new pack is listed by being added.
        .replaceAll('{languages}', () =>
          this.flows.languages.map((code) => this.flows.packs.get(code)?.name ?? code).join(', '),
        )
        .replaceAll('{reminder_times}', () =>
          reminderTimes(pack, this.params.reminderOffsets ?? DEFAULT_REMINDER_OFFSETS),
        )
        .replaceAll('{quiet_rule}', () => {
          const quiet = this.params.quietHours;
          if (!quiet) return '';
          return pack.formats.plan.quiet_rule
            .replaceAll('{start}', this.timeOfDay(pack, quiet.start))
            .replaceAll('{end}', this.timeOfDay(pack, quiet.end));
        }),
    );
  }
}

/** A placeholder left in a text: nothing was given to fill it. */
const UNFILLED = /\{[a-z_]+\}/;

/**
 * A text without its sentences that hold a placeholder nothing filled: "Votre rendez-vous
 * d'empreintes était le {date}. Avez-vous pu y aller ?" shown with no appointment (blind try 17)
 * is "Avez-vous pu y aller ?", never the braces.
 */
function withoutUnfilled(text: string): string {
  if (!UNFILLED.test(text)) return text;
  return text
    .split('\n')
    .map((line) =>
      line
        .split(/(?<=[.!?])\s+/)
        .filter((sentence) => !UNFILLED.test(sentence))
        .join(' '),
    )
    .filter((line) => line.trim() !== '')
    .join('\n');
}

/**
 * When reminders go out, in words, longest first: "3 days, 1 day and 3 hours" ("3 días, 1 día y
 * 3 horas"), from ISO-8601 durations.
 */
export function reminderTimes(pack: LanguagePack, offsets: readonly string[]): string {
  const words = [...offsets]
    .map((iso) => Duration.fromISO(iso))
    .filter((d) => d.isValid)
    .sort((a, b) => b.toMillis() - a.toMillis())
    .map((d) => {
      const { days, hours, minutes } = d.shiftTo('days', 'hours', 'minutes').toObject();
      const unit = (n: number | undefined, format: string) => {
        if (!n) return [];
        const [one, many] = format.split('|');
        return [(n === 1 ? one! : (many ?? one!)).replace('{n}', String(n))];
      };
      return [
        ...unit(days, pack.formats.day),
        ...unit(hours, pack.formats.hour),
        ...unit(minutes, pack.formats.minute),
      ].join(' ');
    })
    .filter((w) => w !== '');
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${pack.formats.and} ${words.at(-1)}`;
}
