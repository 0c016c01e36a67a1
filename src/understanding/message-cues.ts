import type { LanguagePack } from '../conversation/content.js';
import { alternatives, foldWord, perLanguage } from './pack-words.js';

/**
 * Cues in a message, whatever its topic: an appointment named, today, a wish for reminders,
 * several people or several times of day. The words are the packs' (`cues:`); this builds the
 * patterns and knows no word itself.
 */
export interface MessageCues {
  appointment: RegExp;
  today: RegExp;
  /** Beginnings of words: "recuérd" holds "recuérdame" and "recuérdeme". */
  remind: RegExp;
  severalPeople: RegExp;
  /** Times of day ("9am", "9:30", "a las 10", "at 1pm"), every one of them. */
  timesOfDay: RegExp;
  /**
   * Where a person's part starts ("mine", "la de", "celui de"), in text folded as `foldWord`
   * folds it: group 1 the person's own, group 2 someone else's. Global: every one is wanted.
   */
  whoseMarks: RegExp;
}

/** A pack's `whose_parts` phrases, "{family}" spelled out as each of its family words. */
function whosePhrases(pack: LanguagePack, kind: 'own' | 'other'): string[] {
  return pack.cues.whoseParts[kind].flatMap((phrase) =>
    phrase.includes('{family}')
      ? pack.cues.family_words.map((word) => phrase.replace('{family}', word))
      : [phrase],
  );
}

function build(packs: LanguagePack[]): MessageCues {
  const all = (pick: (cues: LanguagePack['cues']) => string[]) =>
    alternatives(packs.flatMap((p) => pick(p.cues)));
  const several = (key: keyof LanguagePack['cues']['severalPeople']) => all((c) => c.severalPeople[key]);
  const mine = several('mine');
  const and = several('and');
  const clock = '\\d{1,2}(?::\\d{2})?';
  return {
    appointment: new RegExp(`\\b(?:${all((c) => c.appointmentWords)})\\b`, 'i'),
    today: new RegExp(`\\b(?:${all((c) => c.today)})\\b`, 'i'),
    remind: new RegExp(`(?<![\\p{L}])(?:${all((c) => c.remind)})`, 'iu'),
    // "me and my wife", "all of us", "and my 2 kids".
    severalPeople: new RegExp(
      [
        `\\b(?:${several('self')})\\s+(?:${and})\\s+(?:${mine})\\b`,
        `\\b(?:${several('all')})\\b`,
        `\\b(?:${and})\\s+(?:${mine})\\s+(?:\\d|${several('numbers')})\\s+(?:${several('children')})\\b`,
      ].join('|'),
      'i',
    ),
    whoseMarks: new RegExp(
      `(?<![\\p{L}\\p{N}])(?:(${alternatives(packs.flatMap((p) => whosePhrases(p, 'own')).map(foldWord)) || '(?!)'})|(${alternatives(packs.flatMap((p) => whosePhrases(p, 'other')).map(foldWord)) || '(?!)'}))(?![\\p{L}\\p{N}])`,
      'gu',
    ),
    timesOfDay: new RegExp(
      [
        `\\b${clock}\\s*(?:${all((c) => c.timesOfDay.after)})(?![a-z])`,
        `\\b(?:${all((c) => c.timesOfDay.before)})\\s+${clock}`,
        '\\b\\d{1,2}:\\d{2}\\b',
      ].join('|'),
      'gi',
    ),
  };
}

/** The cues of `lang` (its pack, then those it also reads), worked out once. */
export const messageCues = perLanguage(build);

/** Whether a message holds two different times of day ("mine at 9am, hers at 9:30"). */
function severalTimes(cues: MessageCues, body: string): boolean {
  const times = new Set(
    (body.slice(0, 400).match(cues.timesOfDay) ?? []).map((t) => t.replace(/\D+/g, ' ').trim()),
  );
  return times.size >= 2;
}

/**
 * Several people's appointments in one message: "me and my wife and my 2 kids", "yo y mis
 * hijos", "all of us", or two different times of day.
 */
export function tellsSeveral(cues: MessageCues, body: string): boolean {
  return severalTimes(cues, body) || cues.severalPeople.test(body);
}
