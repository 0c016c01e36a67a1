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
