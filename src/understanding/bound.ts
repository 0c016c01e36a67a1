/**
 * How much of a message is read, decided in one place. Every reader of a person's text (the
 * understander, the date and place reader, the conversation's own patterns) gets it through
 * `boundText`, so no text can cost more than a few milliseconds whatever is sent: chrono-node's
 * English and Spanish patterns backtrack polynomially on runs of whitespace and on repeated
 * number words (wanasit/chrono #382, #399; "5", 66 spaces, "5", 134 spaces took seconds), and
 * each correction ("no, …") and each new word multiplies the work. test/abuse/attacks.test.ts
 * checks these bounds with the strings a ReDoS checker finds for every pattern we run.
 */

declare const bounded: unique symbol;
/** A message cut to `MAX_MESSAGE_CHARS` with every run of whitespace made one space. */
export type BoundedText = string & { readonly [bounded]: true };

declare const forDates: unique symbol;
/** A `BoundedText` cut further to `MAX_DATE_CHARS`: what chrono may be given. */
export type DateText = BoundedText & { readonly [forDates]: true };

/**
 * Longest message read: people's real messages are under ~600 characters and voice-typed
 * run-ons about 1,000, so 1,600 keeps all of them whole; a 64 KiB paste is cut here.
 */
export const MAX_MESSAGE_CHARS = 1600;

/**
 * Longest text given to chrono: a date and a time are told in the first sentences, and the
 * worst of chrono's patterns (repeated "eight d", "twenty") grows faster than linearly with the
 * text, so 400 characters keep one parse well under a millisecond or two.
 */
export const MAX_DATE_CHARS = 400;

/**
 * Longest text the topic classifier weighs: what a message asks is said in its first few
 * sentences, and the classifier's cost grows with every character (its n-grams), so a pasted
 * notice or a hostile 1,600 characters cost what 600 do.
 */
export const MAX_CLASSIFIED_CHARS = 600;

/**
 * Corrections ("no,", "wait", "I mean") tried, from the last one back: each costs two more
 * parses of what follows it. People put a date right once or twice in a message, not more.
 */
export const MAX_CORRECTIONS = 3;

/**
 * Distinct new words of one message compared with every known word for typos (each comparison
 * walks the known words of a similar length). MAX_TOPIC_WORDS reads 120 words for topics; a
 * word past this many still counts when typed exactly as a known word.
 */
export const MAX_LOOKED_UP_WORDS = 120;

/** Whitespace runs: one space is all any pattern needs, and runs are what chrono backtracks on. */
const WHITESPACE_RUN = /\s+/g;
/**
 * Invisible format characters (zero-width spaces and joiners, direction marks and overrides, soft
 * hyphens): pasted or typed inside words, they hid every word from the readers ("what\u200b do i
 * bring" got the menu: a blind try, 2026-12-06).
 */
const INVISIBLE = /\p{Cf}+/gu;

/**
 * The message as every reader sees it: invisible format characters out, whitespace runs made one space, then cut to
 * `MAX_MESSAGE_CHARS` (after collapsing, so padding does not push words out), never in the middle
 * of a surrogate pair. Bounding bounded text changes nothing, so each public reader applies it
 * again and none depends on its caller having done so.
 */
export function boundText(text: string): BoundedText {
  // A webhook body is at most 64 KiB; anything longer is cut first so collapsing stays cheap.
  const collapsed = text
    .slice(0, 64 * 1024)
    .replace(INVISIBLE, '')
    .replace(WHITESPACE_RUN, ' ');
  return cutAt(collapsed, MAX_MESSAGE_CHARS) as BoundedText;
}

/**
 * What chrono may read: the bounded text cut to `MAX_DATE_CHARS`, with whitespace collapsed
 * again (the rewriting before chrono replaces words with spaces).
 */
export function boundForDates(text: string): DateText {
  return cutAt(boundText(text), MAX_DATE_CHARS) as DateText;
}

function cutAt(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  // A high surrogate at the end would be half of a character.
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
