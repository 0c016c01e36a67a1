import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AttackFile } from './patterns.js';

/** The largest body the webhook accepts (src/routes/twilio.ts): attacks are made this long. */
export const BODY_LIMIT = 64 * 1024;

export const attackFile = (): AttackFile =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'attacks.json'), 'utf8')) as AttackFile;

/** Pumps repeated evenly until the string is `length` long (the suffix kept: it makes the match fail). */
function pumped(pumps: { prefix: string; pump: string }[], suffix: string, length: number): string {
  const fixed = pumps.reduce((n, p) => n + p.prefix.length, suffix.length);
  const perPump = pumps.reduce((n, p) => n + p.pump.length, 0) || 1;
  const times = Math.max(1, Math.floor((length - fixed) / perPump));
  return `${pumps.map((p) => p.prefix + p.pump.repeat(times)).join('')}${suffix}`.slice(-length);
}

const repeated = (unit: string, length = BODY_LIMIT) =>
  unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

/**
 * Bodies known to be slow, beside recheck's: the measured one ("5", 66 spaces, "5", 134 spaces,
 * 3.4 s), whitespace runs between digits and month names (wanasit/chrono #382, #399), repeated
 * digits, corrections, date-like tokens and number words, mixed scripts, made-up words.
 */
export function handWrittenBodies(): { name: string; body: string }[] {
  let seed = 20261122;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const madeUpWord = () =>
    Array.from({ length: 4 + Math.floor(random() * 9) }, () =>
      String.fromCharCode(97 + Math.floor(random() * 26)),
    ).join('');
  return [
    { name: '"5", 66 spaces, "5", 134 spaces', body: `5${' '.repeat(66)}5${' '.repeat(134)}` },
    { name: '"5 " + 100 spaces + "5"', body: `5 ${' '.repeat(100)}5` },
    { name: '"5", spaces to the limit, "5"', body: `5${' '.repeat(BODY_LIMIT - 2)}5` },
    { name: 'digits and tabs', body: repeated('5\t \t') },
    { name: '"march" and spaces', body: repeated('march      ') },
    { name: '"de" and spaces between digits', body: repeated('5   de    ') },
    { name: 'repeated digits', body: repeated('5') },
    { name: 'repeated "no, "', body: repeated('no, ') },
    { name: 'repeated "no, 5 "', body: repeated('no, 5 ') },
    { name: 'repeated "wait dec 3 "', body: repeated('wait dec 3 ') },
    { name: 'date-like tokens', body: repeated('12/12/12 10:30 am dec 3 el 5 de marzo a las 9 ') },
    { name: 'number words', body: repeated('eight d twenty tercero vigésimo ') },
    { name: 'time units', body: repeated('3 days 2 hours ago in 5 minutes ') },
    { name: 'ZIP codes', body: repeated('77002 60601-1234 ') },
    { name: 'mixed scripts', body: repeated('5 مرحبا 十二月 ５ 𝟓 dic ') },
    {
      name: 'made-up words',
      body: Array.from({ length: BODY_LIMIT / 4 }, madeUpWord)
        .join(' ')
        .slice(0, BODY_LIMIT),
    },
  ];
}

/** recheck's attack on every vulnerable pattern, each as long as the body limit. */
export function recheckBodies(file: AttackFile): { name: string; body: string }[] {
  return file.attacks.map((attack) => ({
    name: `recheck: ${attack.from} (${attack.complexity})`,
    body: pumped(attack.pumps, attack.suffix, BODY_LIMIT),
  }));
}
