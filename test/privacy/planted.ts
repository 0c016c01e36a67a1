import { dayAhead, re } from '../support/clock.js';

/**
 * The appointment the privacy-minded tests tell (about 100 days after the test's today) and the
 * day their I-589 went (60 days before it): told relative to the test clock like every date.
 */
export const PLANTED_DAYS = { appointment: dayAhead(100), filed: dayAhead(-60) };

/**
 * What tests plant in message bodies so that the privacy scan (scan.ts, run after the whole suite)
 * can catch a body, an A-number or a receipt number that reached a log line, a job or a Redis value.
 */
export const PLANTED = {
  /** A marker no Huella text contains: finding it anywhere means a message body was kept. */
  canary: 'QZXWBODYCANARY',
  aNumber: 'A212345678',
  receipt: 'IOE0912345678',
};

/** A message body carrying every planted secret, with `words` around them. */
export function plantedBody(words = 'my numbers are'): string {
  return `${words} ${PLANTED.aNumber} ${PLANTED.receipt} ${PLANTED.canary}`;
}

/**
 * What the test people tell Huella about themselves, which it keeps only sealed: found readable
 * in a Redis value, a job or a log line, the scan fails. Chosen from the tests' own messages
 * because no Huella text, id or timestamp holds them by chance (ZIP codes and dates are matched
 * whole, not inside a longer number):
 * - the appointment PLANTED_DAYS.appointment "… 77002" (test/privacy/delete-retention,
 *   test/store/rotation, test/store/erasure-compaction, the simulator): stored as its ISO date,
 *   shown as "December 9" or "9 de diciembre" in replies and reminder texts;
 * - the filing date PLANTED_DAYS.filed (delete-retention, rotation): its ISO date, in the snapshot
 *   and, before it was sealed, in a milestone job's data and id;
 * - the USCIS letter "DALLAS TX 75247" and the ZIP codes 11201, 60601, 32810
 *   (test/conversation/service.test.ts);
 * - the family names "Kevin" and "Rosa" given for whose appointment it is (service.test.ts).
 * Dates told without a year ("dec 9") depend on the day the tests run and are left out.
 */
export const PERSON_MARKERS: { what: string; pattern: RegExp }[] = [
  {
    what: 'appointment date',
    pattern: new RegExp(
      `${PLANTED_DAYS.appointment.iso}|${re(PLANTED_DAYS.appointment.en)}(?!\\d)|(?<!\\d)${re(PLANTED_DAYS.appointment.es)}`,
    ),
  },
  { what: 'filing date', pattern: new RegExp(PLANTED_DAYS.filed.iso) },
  { what: 'ZIP code', pattern: /(?<!\d)(?:77002|75247|11201|60601|32810)(?!\d)/ },
  { what: 'family name', pattern: /\b(?:Kevin|Rosa)\b/ },
];
