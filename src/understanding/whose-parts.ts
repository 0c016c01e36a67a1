import { boundText } from './bound.js';
import type { MessageCues } from './message-cues.js';
import { foldWord } from './pack-words.js';

/** One person's part of a message that tells several people's appointments. */
export interface WhosePart {
  /** The person's own ("la mía", "mine"), or someone else's ("la de él", "my wife's"). */
  whose: 'own' | 'other';
  text: string;
}

/** The most parts a message is cut into: a family's appointments, not a list to walk. */
const MOST_PARTS = 6;

/**
 * "tengo cita el 3, la mia a las 9 y la de el a las 9 y 20": the message cut where each person's
 * part starts (the packs' `whose_parts`). What comes before the first part (`before`) is said of
 * all of them, or the writer's own when it tells a time of its own (inbound-event.ts). Undefined
 * unless one part at least is someone else's, and there is a second part or words before it.
 */
export function partsByWhose(
  cues: MessageCues,
  body: string,
): { before: string; parts: WhosePart[] } | undefined {
  const text = boundText(body);
  // Folded one code unit at a time, so that positions in it are positions in the text.
  const folded = text
    .split('')
    .map((unit) => {
      const f = foldWord(unit);
      return f.length === 1 ? f : unit;
    })
    .join('');
  const marks: { at: number; end: number; whose: WhosePart['whose'] }[] = [];
  for (const m of folded.matchAll(cues.whoseMarks)) {
    const mark = {
      at: m.index,
      end: m.index + m[0].length,
      whose: m[1] !== undefined ? 'own' : 'other',
    } as const;
    // "la de mi hija": one mark, though "mi hija" is one too.
    const last = marks.at(-1);
    if (last && mark.at <= last.end + 1) last.end = mark.end;
    else marks.push(mark);
    if (marks.length >= MOST_PARTS) break;
  }
  // One mark is enough when words come before it: "tengo cita el 20 a las 8 y mi esposa Rosa a las
  // 8:30" tells the writer's own first, with no word for "mine".
  if (!marks.some((m) => m.whose === 'other') || (marks.length < 2 && marks[0]!.at === 0)) return undefined;
  return {
    before: text.slice(0, marks[0]!.at),
    parts: marks.map((mark, i) => ({ whose: mark.whose, text: text.slice(mark.at, marks[i + 1]?.at) })),
  };
}
