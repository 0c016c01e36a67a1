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
 * - the appointment "march 5 2027 … 77002" (test/privacy/delete-retention, test/store/rotation,
 *   test/reminders/reminders.integration, the simulator): stored as 2027-03-05, shown as
 *   "March 5" or "5 de marzo" in replies and reminder texts;
 * - the filing date "October 1 2026" (delete-retention): 2026-10-01, in the snapshot and, before
 *   it was sealed, in a milestone job's data and id;
 * - the USCIS letter "DALLAS TX 75247 Date: 12/08/2027" and the ZIP codes 11201, 60601, 32810
 *   (test/conversation/service.test.ts);
 * - the family names "Kevin" and "Rosa" given for whose appointment it is (service.test.ts).
 * Dates told without a year ("dec 9") depend on the day the tests run and are left out.
 */
export const PERSON_MARKERS: { what: string; pattern: RegExp }[] = [
  { what: 'appointment date', pattern: /2027-03-05|2027-12-08|March 5(?!\d)|5 de marzo/ },
  { what: 'filing date', pattern: /2026-10-01/ },
  { what: 'ZIP code', pattern: /(?<!\d)(?:77002|75247|11201|60601|32810)(?!\d)/ },
  { what: 'family name', pattern: /\b(?:Kevin|Rosa)\b/ },
];
