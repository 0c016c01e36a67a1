import type { Flows } from '../conversation/content.js';
import {
  nameAfterAdd,
  nameAfterFamilyWord,
  nameAfterFor,
  nameAfterWord,
  nameIntroduced,
  nameMentioned,
  nameWords,
} from './names.js';
import { monthIn, monthsNamed, roughDateWords, roughFiledDate, weekdayIn } from './rough-date.js';

/**
 * What a message holds about people and rough dates, read with its language's words: the
 * machine reads these fields and no word.
 */
export interface MessageReading {
  /** Someone named by a name ("la de carlos", "Luis's", "for Ana"), folded. */
  nameMentioned?: string;
  /** A first name after "for" or a cancel word ("for maria", "cancel jose", "borra a rosa"), folded. */
  nameAfterWord?: string;
  /** A first name after an adding word ("put marcus dec 18", "pon a rosa"), as a name is written. */
  nameAfterAdd?: string;
  /** That name, when "for" was said ("for maria dec 8 10am"), as a name is written: "Maria". */
  nameAfterFor?: string;
  /** The name right after a family word ("my wife Rosa", "mi hijo Mateo"), as a name is written. */
  nameAfterFamily?: string;
  /** The name told after "her name is", "se llama", "it's for", as a name is written: "Maria". */
  nameIntroduced?: string;
  /** The one month the message names ("es en marzo"), 1 to 12, if exactly one. */
  month?: number;
  /** Two months or more are named ("remplace le 14 decembre par le 5 janvier"). */
  severalMonths?: true;
  /** The one weekday the message names ("on monday"), 1 Monday to 7 Sunday, if exactly one. */
  weekday?: number;
  /** A filing date said roughly ("como en junio", "like 5 months ago"): the latest day it can be. */
  filedRoughly?: string;
}

/** What `text`, in `lang`, holds, on the day `today` (ISO, the day it arrived). */
export function readMessage(flows: Flows, lang: string, text: string, today: string): MessageReading {
  const names = nameWords(flows, lang);
  const dates = roughDateWords(flows, lang);
  const read: MessageReading = {
    nameMentioned: nameMentioned(names, text),
    nameAfterWord: nameAfterWord(names, text),
    nameAfterFor: nameAfterFor(names, text),
    nameAfterAdd: nameAfterAdd(names, text),
    nameAfterFamily: nameAfterFamilyWord(names, text),
    nameIntroduced: nameIntroduced(names, text),
    month: monthIn(dates, text),
    severalMonths: monthsNamed(dates, text).length > 1 ? true : undefined,
    weekday: weekdayIn(dates, text),
    filedRoughly: roughFiledDate(dates, text, today),
  };
  // Only what was found: the event stays small and reads the same after a JSON round trip.
  return Object.fromEntries(Object.entries(read).filter(([, v]) => v !== undefined));
}
