/**
 * SMS segment arithmetic (3GPP TS 23.038). A text that uses only the GSM-7 alphabet costs 160
 * characters in one segment or 153 per segment when split; one character outside it switches the
 * whole message to UCS-2: 70 in one segment, 67 per segment when split (counted in UTF-16 units).
 */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENDED = '^{}\\[~]|€\f';

const basic = new Set(GSM7_BASIC);
const extended = new Set(GSM7_EXTENDED);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentCount {
  encoding: SmsEncoding;
  /** Length in the encoding's units: septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
}

export function smsEncoding(text: string): SmsEncoding {
  for (const ch of text) {
    if (!basic.has(ch) && !extended.has(ch)) return 'UCS-2';
  }
  return 'GSM-7';
}

export function countSegments(text: string): SegmentCount {
  const encoding = smsEncoding(text);
  if (encoding === 'GSM-7') {
    let units = 0;
    for (const ch of text) units += extended.has(ch) ? 2 : 1;
    return { encoding, units, segments: units <= 160 ? 1 : Math.ceil(units / 153) };
  }
  const units = text.length;
  return { encoding, units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}

export const MAX_SEGMENTS_PER_MESSAGE = 3;

export function fitsSegments(text: string, max = MAX_SEGMENTS_PER_MESSAGE): boolean {
  return countSegments(text).segments <= max;
}

/**
 * Cuts a text that would not fit into pieces that each fit: whole lines first (a numbered choice
 * never breaks across two texts), then words within a line too long for one text, then
 * characters within a word. Content is written to fit already; this guards longer replies (a
 * text with the whole menu under it) and texts filled with operator settings.
 */
export function splitToFit(text: string, max = MAX_SEGMENTS_PER_MESSAGE): string[] {
  if (fitsSegments(text, max)) return [text];
  // A numbered list keeps together in one text (a split menu arrives as "1 …" in one text and
  // "2 …" in another, maybe out of order), with the line that asks, when the two fit.
  const lines = text.split('\n');
  const first = lines.findIndex((line) => /^\d{1,2} \S/.test(line));
  if (first > 0) {
    for (const start of [first - 1, first]) {
      if (start === 0) continue;
      const head = lines.slice(0, start).join('\n');
      const list = lines.slice(start).join('\n');
      if (fitsSegments(list, max)) return [...splitToFit(head, max), list];
    }
  }
  const pieces: string[] = [];
  let current: string | undefined;
  for (const line of text.split('\n')) {
    const candidate = current === undefined ? line : `${current}\n${line}`;
    if (fitsSegments(candidate, max)) {
      current = candidate;
      continue;
    }
    if (current !== undefined && current.trim() !== '') pieces.push(current);
    if (fitsSegments(line, max)) {
      current = line;
    } else {
      const parts = splitSentences(line, max);
      pieces.push(...parts.slice(0, -1));
      current = parts.at(-1);
    }
  }
  if (current !== undefined && current.trim() !== '') pieces.push(current);
  return rebalanced(pieces, max);
}

/**
 * A last text of one short line ("0 Menu") alone looks broken: lines from the end of the text
 * before it move down while both still fit.
 */
function rebalanced(pieces: string[], max: number): string[] {
  if (pieces.length < 2) return pieces;
  let last = pieces.at(-1)!;
  let before = pieces.at(-2)!;
  while (last.length < 40 && before.includes('\n')) {
    const cut = before.lastIndexOf('\n');
    const moved = `${before.slice(cut + 1)}\n${last}`;
    if (!fitsSegments(moved, max) || before.slice(0, cut).trim() === '') break;
    before = before.slice(0, cut);
    last = moved;
  }
  return [...pieces.slice(0, -2), before, last];
}

/** A line too long for one text, cut between sentences where it can, else at spaces. */
function splitSentences(line: string, max: number): string[] {
  const sentences = line.split(/(?<=[.?!])\s+(?=\S)/);
  const pieces: string[] = [];
  let current = '';
  for (const sentence of sentences) {
    const candidate = current === '' ? sentence : `${current} ${sentence}`;
    if (fitsSegments(candidate, max)) {
      current = candidate;
      continue;
    }
    if (current !== '') pieces.push(current);
    if (fitsSegments(sentence, max)) {
      current = sentence;
    } else {
      const parts = splitWords(sentence, max);
      pieces.push(...parts.slice(0, -1));
      current = parts.at(-1) ?? '';
    }
  }
  if (current.trim() !== '') pieces.push(current);
  return pieces;
}

/** A line too long for one text, cut at spaces (and a word too long, at characters). */
function splitWords(line: string, max: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const word of line.split(/(?<=\s)/)) {
    const candidate = current + word;
    if (current !== '' && !fitsSegments(candidate.trimEnd(), max)) {
      pieces.push(current.trimEnd());
      current = word.trimStart();
    } else {
      current = candidate;
    }
  }
  if (current.trim() !== '') pieces.push(current.trimEnd());
  // A single "word" longer than the limit (no spaces): hard-cut it.
  return pieces.flatMap((piece) => (fitsSegments(piece, max) ? [piece] : hardCut(piece, max)));
}

function hardCut(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = [...text];
  while (rest.length > 0) {
    let n = rest.length;
    while (n > 1 && !fitsSegments(rest.slice(0, n).join(''), max)) n = Math.floor(n * 0.9);
    out.push(rest.slice(0, n).join(''));
    rest = rest.slice(n);
  }
  return out;
}
