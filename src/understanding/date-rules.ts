import { Info } from 'luxon';
import type { LanguagePack } from '../conversation/content.js';
import { foldText } from './normalize.js';
import { type Fillers, looseAlternatives, templatePhrases, templateSource } from './phrase-template.js';

/**
 * The rules the date reader (when.ts) applies before chrono reads a text, built from the packs'
 * `dates:` (flows/README.md): the words are the packs', the shapes (digits, an hour, a day of the
 * month) are these. Every pattern's only repetition is whitespace between words.
 */
export interface DateRules {
  /** "8 y media", "half past 8": rewritten as "8:30". */
  spokenTimes: { pattern: RegExp; as: string }[];
  /** A part of the day after an hour ("8 de la mañana"): "8 am" / "8 pm". */
  amAfterHour: RegExp;
  pmAfterHour: RegExp;
  /** "12 del mediodía" and "mediodía" alone: 12 pm. */
  noonAfterTwelve: RegExp | undefined;
  noonAlone: RegExp | undefined;
  /** A part of the day with no hour ("de la mañana", "in the morning"), am and pm. */
  amAlone: RegExp;
  pmAlone: RegExp;
  /** The morning phrases, left out once an hour has taken them (chrono reads "mañana" as tomorrow). */
  morning: RegExp;
  /** What chrono's parsers misread, and what to write instead (see `rewrite`). */
  rewrites: { pattern: RegExp; as: string; months: Map<string, number>; weekdays: Map<string, number> }[];
  /** Forms chrono does not read ("tmrw"), and what it reads ("tomorrow"). */
  readAs: { pattern: RegExp; as: string }[];
  /** Numbers said in words that are a day or an hour, and their values by folded word. */
  numberAfter: RegExp;
  numberBeforeHour: RegExp;
  numberValues: Map<string, number>;
  /** Ages and counts ("12 años", "3 kids"): left out, they are no hour. */
  counts: RegExp;
  /** A day of the month alone: "el 15", "the 3rd". */
  dayAlone: RegExp;
  /** Values said to be wrong: a day named, an hour, a date with its month, a part of the day. */
  deniedDay: RegExp;
  deniedTime: RegExp;
  deniedDate: RegExp;
  deniedPartOfDay: RegExp;
  /**
   * Hours chrono does not read: "its 10 not 9", and an hour with its mark ("10h", "14h30", which
   * chrono's English and Spanish parsers take for "in 10 hours"). Groups hour, minute, meridiem.
   */
  timeCorrections: RegExp[];
  /** Whole texts chrono reads as a day that are none: "now", "a day before", "10 min late". */
  now: RegExp;
  /** A word right after a date that puts the next date in its place: "par", "por", "with". */
  replacedBy: RegExp;
  /** Words at the end of a text that make the date after them another act's day ("we call "). */
  otherAct: RegExp;
  /** Words at the end of a text that make the date after them the new one ("moved it to "). */
  movedTo: RegExp;
  /** Words at the end of a text that make the range after them a move ("moved it from "). */
  movedFrom: RegExp;
  /** A word that makes the date after it when something else began: "since" (and an article), ending the text before it. */
  since: RegExp;
  span: RegExp;
  /** A time counted from now ("in 3 hours", "dans 30 min"): today, hours away. */
  fromNow: RegExp;
  /** The time it is now ("its 4:44 right now", "ahorita son las 4"): never the appointment's. */
  clockNow: RegExp;
}

const NOTHING = /(?!)/;
/** An hour and its minutes as digits, in the groups the readers of hours take them from. */
const CLOCK_GROUPS = { hour: '(?<hour>\\d{1,2})', minute: '(?<minute>[0-5]\\d)' };
/** The notation of a 12-hour clock, the same in every language we read ("am", "p.m."). */
const MERIDIEM = '[ap]\\.?\\s?m\\b';
const START = '(?<![\\p{L}\\d])';
const END = '(?![\\p{L}])';

/** One pattern for several templates (none with groups of its own), whole words. */
function templatesPattern(templates: string[], fillers: Fillers, end = END): RegExp {
  if (templates.length === 0) return NOTHING;
  return new RegExp(`${START}(?:${templates.map((t) => templateSource(t, fillers)).join('|')})${end}`, 'giu');
}

/** Whether a text ends with one of the phrases, and at most a short word after it (an article). */
const endsWith = (phrases: string): RegExp =>
  new RegExp(`(?:^|[^\\p{L}])(?:${phrases})(?:\\s+\\p{L}{1,3})?\\s*$`, 'iu');

/** Phrases (templates without placeholders) as one alternation source. */
const phrasesSource = (templates: string[]): string =>
  templates.map((t) => templateSource(t, {})).join('|') || '(?!)';

const byForm = (names: string[][]): Map<string, number> =>
  new Map(names.flatMap((forms, i) => forms.map((f) => [foldText(f), i] as const)));

const ENGLISH_MONTHS = Info.months('long', { locale: 'en' }).map((m) => m.toLowerCase());
const ENGLISH_WEEKDAYS = Info.weekdays('long', { locale: 'en' }).map((d) => d.toLowerCase());

/** The words that, right after a number, make it an hour (not a day, not a count). */
export function hourFollowers(packs: LanguagePack[], withHourWords = true): string {
  const d = packs.map((p) => p.dates);
  const spokenAfterHour = d
    .flatMap((x) => x.spokenTimes.map((s) => s.said))
    .filter((said) => said.trim().startsWith('{hour} ') && !said.includes('{minute}'))
    .map((said) => said.replace('{hour}', '').trim());
  return [
    MERIDIEM,
    ...(withHourWords ? [`(?:${looseAlternatives(d.flatMap((x) => x.hourWords))})(?![\\p{L}])`] : []),
    phrasesSource(d.flatMap((x) => [...x.partsOfDay.am, ...x.partsOfDay.pm, ...spokenAfterHour])),
  ].join('|');
}

export function dateRules(packs: LanguagePack[]): DateRules {
  const d = packs.map((p) => p.dates);
  const all = <T>(pick: (x: LanguagePack['dates']) => T[]) => d.flatMap(pick);
  const am = phrasesSource(all((x) => x.partsOfDay.am));
  const pm = phrasesSource(all((x) => x.partsOfDay.pm));
  const noon = all((x) => x.partsOfDay.noon);
  const time = '\\d{1,2}(?::[0-5]\\d)?';
  const hours = looseAlternatives(all((x) => x.hourWords));
  const afterHour = (part: string) =>
    new RegExp(`\\b(${time})\\s*(?:(?:${hours})\\.?\\s+)?(?:${part})${END}`, 'giu');
  return {
    spokenTimes: spokenTimes(packs),
    amAfterHour: afterHour(am),
    pmAfterHour: afterHour(pm),
    noonAfterTwelve: noon.length
      ? new RegExp(`\\b(12(?::[0-5]\\d)?)\\s*(?:${phrasesSource(noon)})${END}`, 'giu')
      : undefined,
    noonAlone: noon.length ? new RegExp(`(?<![\\p{L}])(?:${phrasesSource(noon)})${END}`, 'giu') : undefined,
    amAlone: new RegExp(`(?<![\\p{L}])(?:${am}|a\\.?\\s?m\\.?)${END}`, 'iu'),
    pmAlone: new RegExp(`(?<![\\p{L}])(?:${pm}|p\\.?\\s?m\\.?)${END}`, 'iu'),
    morning: new RegExp(`(?<![\\p{L}])(?:${am})${END}`, 'giu'),
    rewrites: packs.flatMap((p) => rewritesOf(p, hourFollowers(packs))),
    readAs: all((x) => Object.entries(x.readAs)).map(([as, forms]) => ({
      pattern: new RegExp(`${START}(?:${looseAlternatives(forms)})(?![\\p{L}\\d])`, 'giu'),
      as,
    })),
    ...numberRules(packs),
    counts: countsPattern(d),
    dayAlone: dayAlone(packs),
    ...denials(packs),
    timeCorrections: [
      ...all((x) => x.timeCorrections).map(
        (t) =>
          new RegExp(
            `${START}${templateSource(t, { time: '(?<hour>\\d{1,2})(?::(?<minute>[0-5]\\d))?(?:\\s?(?<meridiem>[ap]\\.?\\s?m\\.?))?' })}${END}`,
            'iu',
          ),
      ),
      ...markedHours(all((x) => x.hourMarks)),
    ],
    ...spanRules(packs),
  };
}

/**
 * Lengths of time and the clock said around a time: what is no appointment's time ("now", "a day
 * before", "its 4:44 right now") and a time counted from now ("in 3 hours").
 */
function spanRules(
  packs: LanguagePack[],
): Pick<
  DateRules,
  'clockNow' | 'now' | 'since' | 'otherAct' | 'replacedBy' | 'movedTo' | 'movedFrom' | 'span' | 'fromNow'
> {
  const all = <T>(pick: (x: LanguagePack['dates']) => T[]) => packs.flatMap((p) => pick(p.dates));
  const count = `\\d+|${looseAlternatives(packs.flatMap((p) => Object.keys(p.durations?.counts ?? {})))}`;
  const time = '\\d{1,2}(?::[0-5]\\d)?';
  return {
    // "il est 9h50": the clock is said with the hour marks of a time of day too.
    clockNow: templatesPattern(
      all((x) => x.clockNow),
      {
        time: `${time}${hourMarked(all((x) => x.hourMarks))}(?:\\s?${MERIDIEM}\\.?)?`,
      },
    ),
    now: wholeText(
      all((x) => x.now),
      {},
    ),
    replacedBy: new RegExp(
      `^\\s*(?:${looseAlternatives(all((x) => x.replacedBy)) || '(?!)'})(?![\\p{L}])`,
      'iu',
    ),
    // "moved it to the 5th", "me la pasaron para el 22": an article between them too.
    movedTo: endsWith(phrasesSource(all((x) => x.movedTo))),
    movedFrom: endsWith(phrasesSource(all((x) => x.movedFrom))),
    otherAct: endsWith(looseAlternatives(all((x) => x.otherAct)) || '(?!)'),
    // "desde el lunes", "since the 3rd": an article between them.
    since: endsWith(looseAlternatives(all((x) => x.since)) || '(?!)'),
    span: wholeText(
      all((x) => x.spans),
      { count },
    ),
    // "dans 5h": an hour's mark written on the number ("5h") counts hours too. Not global: it is
    // only tested, and a global pattern's `test` would carry its position to the next message.
    fromNow: new RegExp(
      templatesPattern(
        all((x) => x.fromNow),
        {
          count,
          hours: `\\d{1,2}\\s?(?:${looseAlternatives(all((x) => x.hourMarks)) || '(?!)'})`,
        },
      ).source,
      'iu',
    ),
  };
}

/**
 * Numbers that count things, not days or hours: "12 años", "nous sommes 3", and a number of hours
 * with a mark as a way there ("a 2h de chez moi": {hours}).
 */
function countsPattern(d: LanguagePack['dates'][]): RegExp {
  const marks = looseAlternatives(d.flatMap((x) => x.hourMarks)) || '(?!)';
  return templatesPattern(
    [...d.flatMap((x) => x.countedPhrases), `{count} ${d.flatMap((x) => x.counted).join('|')}`],
    { count: '\\d{1,3}', hours: `\\d{1,2}\\s?(?:${marks})` },
  );
}

/** An hour mark after the hour, with the minutes after it ("9h", "9h50"), if the languages write one. */
function hourMarked(marks: string[]): string {
  return marks.length === 0 ? '' : `(?:\\s?(?:${looseAlternatives(marks)})(?:[0-5]\\d)?)?`;
}

/** "10h", "14h30": an hour and one of `marks` right after it, minutes after the mark. */
function markedHours(marks: string[]): RegExp[] {
  if (marks.length === 0) return [];
  const { hour, minute } = CLOCK_GROUPS;
  const mark = looseAlternatives(marks);
  return [new RegExp(`(?<![\\p{L}\\d:])${hour}\\s?(?:${mark})${minute}?(?![\\p{L}\\d])`, 'iu')];
}

/** "8 y media", "half past 8": each template of `dates.spoken_times` and how it is written. */
function spokenTimes(packs: LanguagePack[]): DateRules['spokenTimes'] {
  return packs
    .flatMap((p) => p.dates.spokenTimes)
    .map((s) => ({
      pattern: new RegExp(
        `${START}${templateSource(s.said, { hour: '(?<hour>\\d{1,2})', minute: '(?<minute>[0-5]\\d)' })}${
          // "at 8 30am": minutes may have the meridiem right after them.
          s.said.trim().endsWith('{minute}') ? '(?![\\d:/]|\\.\\d)' : '(?![\\p{L}\\d])'
        }`,
        'giu',
      ),
      as: s.as,
    }));
}

const wholeText = (templates: string[], fillers: Fillers): RegExp =>
  templates.length
    ? new RegExp(`^(?:${templates.map((t) => templateSource(t, fillers)).join('|')})$`, 'iu')
    : NOTHING;

/** A pack's rewrites, with its months and weekdays by folded form for writing them in English. */
function rewritesOf(pack: LanguagePack, followers: string): DateRules['rewrites'] {
  const { months, weekdays } = pack.dates;
  const fillers = {
    month: `(?<month>${looseAlternatives(months.flat())})\\.?`,
    weekday: `(?<weekday>${looseAlternatives(weekdays.flat())})`,
    day: `(?<day>\\d{1,2})(?![\\d:]|\\s*(?:${followers}))`,
    // The last digit of a number only: a run of digits is not tried from each of its digits.
    digit: '(?<digit>\\d)',
    hour: '(?<hour>\\d{1,2})',
  };
  return pack.dates.rewrites.map((r) => ({
    pattern: new RegExp(`(?<![\\p{L}])${templateSource(r.said, fillers)}${END}`, 'giu'),
    as: r.as,
    months: byForm(months),
    weekdays: byForm(weekdays),
  }));
}

/** `rule.as` with its placeholders filled from a match: months and weekdays in English, for chrono. */
export function rewrite(
  rule: DateRules['rewrites'][number],
  groups: Record<string, string | undefined>,
): string {
  return rule.as.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = groups[name] ?? '';
    if (name === 'month') return ENGLISH_MONTHS[rule.months.get(foldText(value)) ?? -1] ?? value;
    if (name === 'weekday') return ENGLISH_WEEKDAYS[rule.weekdays.get(foldText(value)) ?? -1] ?? value;
    return value;
  });
}

/** What a number is not when these follow it: a count, a length of time, an address. */
function notAnHourOrDay(packs: LanguagePack[]): string {
  const d = packs.map((p) => p.dates);
  return looseAlternatives([
    ...d.flatMap((x) => [...x.counted, ...x.hourWords, ...x.minuteWords, ...x.addressWords]),
    ...packs.flatMap((p) => Object.keys(p.durations?.units ?? {})),
    ...d.flatMap((x) => x.countedPhrases.flatMap(templatePhrases)),
  ]);
}

/**
 * Numbers said in words, each language's words after its own `number_before` ("el quince", "at
 * nine": "at once" is no hour) or before the parts of the day, the times said around an hour
 * and a month ("nueve de la mañana", "nine am", "quince de diciembre").
 */
function numberRules(
  packs: LanguagePack[],
): Pick<DateRules, 'numberAfter' | 'numberBeforeHour' | 'numberValues'> {
  const d = packs.map((p) => p.dates);
  const values = new Map(d.flatMap((x) => Object.entries(x.numberWords)).map(([w, n]) => [foldText(w), n]));
  const notCounted = notAnHourOrDay(packs);
  const after = packs.map((p) => {
    const words = looseAlternatives(Object.keys(p.dates.numberWords));
    const before = looseAlternatives(p.dates.numberBefore);
    return `(?<![\\p{L}])(?:${before})\\s+(?:${words})(?![\\p{L}])`;
  });
  const beforeHour = packs.map((p) => {
    const words = looseAlternatives(Object.keys(p.dates.numberWords));
    const months = looseAlternatives(p.dates.months.map((forms) => forms[0]!));
    const joiner = looseAlternatives(p.dates.monthJoiner);
    return `(?<![\\p{L}])(?:${words})(?=\\s*(?:${hourFollowers([p], false)})|\\s+(?:${joiner})\\s+(?:${months})(?![\\p{L}]))`;
  });
  return {
    // One word and what stands before it, for the value to replace the word only.
    numberAfter: new RegExp(`(?:${after.join('|')})(?!\\s+(?:${notCounted})(?![\\p{L}]))`, 'giu'),
    numberBeforeHour: new RegExp(beforeHour.join('|'), 'giu'),
    numberValues: values,
  };
}

function dayAlone(packs: LanguagePack[]): RegExp {
  const d = packs.map((p) => p.dates);
  const before = looseAlternatives(d.flatMap((x) => x.dayBefore));
  const suffixes = looseAlternatives(d.flatMap((x) => x.daySuffixes));
  return new RegExp(
    `(?:(?<![\\p{L}])(?:${before})\\s+(?:(?:${before})\\s+)?(\\d{1,2})(?:${suffixes})?|\\b(\\d{1,2})(?:${suffixes}))(?![\\d:/]|[.,]\\d|\\s*(?:${hourFollowers(packs)}|(?:${notAnHourOrDay(packs)})(?![\\p{L}])))`,
    'iu',
  );
}

function denials(
  packs: LanguagePack[],
): Pick<DateRules, 'deniedDay' | 'deniedTime' | 'deniedDate' | 'deniedPartOfDay'> {
  const d = packs.map((p) => p.dates);
  const of = (name: string) => d.flatMap((x) => x.denials).filter((t) => t.includes(`{${name}}`));
  const fullMonths = looseAlternatives(d.flatMap((x) => x.months.map((forms) => forms[0]!)));
  const allMonths = looseAlternatives(d.flatMap((x) => x.months.flat()));
  const joiner = looseAlternatives(d.flatMap((x) => x.monthJoiner));
  const parts = phrasesSource(d.flatMap((x) => [...x.partsOfDay.am, ...x.partsOfDay.pm]));
  return {
    deniedDay: templatesPattern(of('day'), {
      day: looseAlternatives(d.flatMap((x) => [...x.nearDays, ...x.weekdays.map((forms) => forms[0]!)])),
    }),
    deniedTime: templatesPattern(
      of('time'),
      { time: `\\d{1,2}(?::[0-5]\\d)?(?:\\s*${MERIDIEM.replace('\\b', '\\.?')})?` },
      // A full stop ends the time ("no a las 10:30. mi esposo…"); one before a digit is part of it.
      `(?![\\d/:-]|\\.\\d|\\s*(?:${joiner})\\s)`,
    ),
    deniedDate: templatesPattern(
      of('date'),
      { date: `\\d{1,2}\\s+(?:(?:${joiner})\\s+)?(?:${fullMonths})|(?:${allMonths})\\.?\\s+\\d{1,2}` },
      '(?![\\p{L}\\d])',
    ),
    deniedPartOfDay: templatesPattern(of('part_of_day'), { part_of_day: parts }),
  };
}
