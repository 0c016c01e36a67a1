import * as chrono from 'chrono-node';
import { DateTime } from 'luxon';
import { boundForDates, type DateText, MAX_CORRECTIONS } from './bound.js';
import { foldText } from './normalize.js';

/** A wall-clock date at the appointment's place. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}
export interface LocalTime {
  hour: number;
  minute: number;
}

export interface WhenFound {
  date?: LocalDate;
  time?: LocalTime;
  /** "3/5": March 5 or May 3? Both readings, US order first; the person must choose. */
  ambiguous?: [LocalDate, LocalDate];
}

const NUMERIC_DATE = /\b(\d{1,2})[/\-.](\d{1,2})(?:[/\-.](\d{2,4}))?\b/;

/**
 * Words without which chrono's English and Spanish casual parsers find no day, weekday or hour:
 * the days they name ("tomorrow", "mañana"), parts of the day ("noon", "tarde"), months and
 * weekdays with their abbreviations, and the time units of "in 3 days", "la próxima semana". A
 * message with none of them and no digit holds no date or time for chrono, so it is not parsed:
 * the two parsers are most of the cost of reading a message while an appointment is collected.
 * (test/understanding/when.test.ts checks that chrono finds nothing in the texts this skips.)
 */
const DATE_WORDS = new RegExp(
  `(?<![\\p{L}])(?:${[
    // English: days, parts of the day, relative words
    'now|today|tonight|tomorrow|overmorrow|tmr|tmrw|yesterday|morning|afternoon|evening|night|midnight|midday|noon',
    // English: months, weekdays
    'jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september|oct|october|nov|november|dec|december',
    'sun|sunday|mon|monday|tue|tues|tuesday|wed|weds|wednesday|thu|thur|thurs|thursday|fri|friday|sat|saturday|weekend|weekday',
    // English: time units
    'sec|secs|second|seconds|min|mins|minute|minutes|hr|hrs|hour|hours|day|days|week|weeks|wk|wks|month|months|mo|mos|qtr|quarter|quarters|yr|yrs|year|years',
    // Spanish: days, parts of the day
    'ahora|hoy|mañana|manana|ayer|tarde|noche|medianoche|mediodia|mediodía|madrugada',
    // Spanish: months, weekdays
    'ene|enero|febrero|marzo|abr|abril|mayo|junio|julio|ago|agosto|septiembre|setiembre|octubre|noviembre|dic|diciembre',
    'dom|domingo|lun|lunes|martes|mié|mie|miércoles|miercoles|jue|jueves|vie|viernes|sáb|sab|sábado|sabado',
    // Spanish: time units
    'segundo|segundos|minuto|minutos|hora|horas|día|dia|días|dias|semana|semanas|mes|meses|año|ano|años|anos|trimestre|trimestres',
  ].join('|')})(?![\\p{L}])`,
  'iu',
);

/** The hour before `hour` on a 12-hour clock ("la 1 menos cuarto" is 12:45). */
const hourBefore = (hour: string) => String(((Number(hour) + 10) % 12) + 1);

/**
 * Times said in words around a number, which chrono reads as the full hour ("8 y media" as 8:00),
 * written as digits first: "8 y media" 8:30, "10 y cuarto" 10:15, "9 menos cuarto" 8:45, "a las 8 y
 * 20" 8:20, "half past 8" 8:30, "quarter past 10" 10:15, "quarter to 9" 8:45. A bare "N y M" is read
 * as a time only after "las" or "la", so "10 y 16 años" stays two ages.
 */
const SPOKEN_TIMES: [RegExp, (match: string, ...groups: string[]) => string][] = [
  [/\b(\d{1,2})\s+y\s+media\b/giu, (_m, h) => `${h}:30`],
  [/\b(\d{1,2})\s+y\s+cuarto\b/giu, (_m, h) => `${h}:15`],
  [/\b(\d{1,2})\s+menos\s+cuarto\b/giu, (_m, h) => `${hourBefore(h!)}:45`],
  [/\b(las?\s+)(\d{1,2})\s+y\s+([0-5]\d)\b/giu, (_m, la, h, min) => `${la}${h}:${min}`],
  // "a las 8 30", "at 8 30": the minutes after a space ("march 5 10am" stays the 5th at 10).
  [/\b(las?\s+|at\s+)(\d{1,2})\s+([0-5]\d)(?![\d:/.])/giu, (_m, la, h, min) => `${la}${h}:${min}`],
  [/\bhalf\s+past\s+(\d{1,2})\b/giu, (_m, h) => `${h}:30`],
  [/\b(?:a\s+)?quarter\s+past\s+(\d{1,2})\b/giu, (_m, h) => `${h}:15`],
  [/\b(?:a\s+)?quarter\s+(?:to|till|til)\s+(\d{1,2})\b/giu, (_m, h) => `${hourBefore(h!)}:45`],
];

function digitsForSpokenTimes(text: string): string {
  let out = text;
  for (const [pattern, write] of SPOKEN_TIMES)
    out = out.replace(pattern, (match, ...groups) => write(match, ...groups));
  return out;
}

/**
 * The part of the day after an hour, as am or pm: in "a las 8 de la mañana" the "mañana" is the
 * morning, but chrono reads it as "tomorrow" and the day the person gave before is lost; "7 de la
 * tarde" would stay 7:00 and "7 de la noche" would be no time at all. "mañana a las 8 de la
 * mañana" keeps its first "mañana": tomorrow, at 8 am.
 */
const PARTS_OF_DAY: [RegExp, string][] = [
  [
    /\b(\d{1,2}(?::[0-5]\d)?)\s*(?:hrs?\.?\s+)?(?:de|en|por|a)\s+la\s+(?:mañana|manana|madrugada)(?![\p{L}])/giu,
    '$1 am',
  ],
  [/\b(\d{1,2}(?::[0-5]\d)?)\s*(?:hrs?\.?\s+)?(?:de|en|por|a)\s+la\s+(?:tarde|noche)(?![\p{L}])/giu, '$1 pm'],
  [/\b(12(?::[0-5]\d)?)\s*(?:del?|al)\s+(?:mediodia|mediodía)(?![\p{L}])/giu, '$1 pm'],
  // "al mediodía" alone is noon, which chrono's Spanish parser does not read.
  [/(?<![\p{L}])(?:al\s+|el\s+)?medio\s?d[ií]a(?![\p{L}])/giu, 'noon'],
];

function meridiemForPartsOfDay(text: string): string {
  let out = text;
  for (const [pattern, write] of PARTS_OF_DAY) out = out.replace(pattern, write);
  return out;
}

/** Spanish months, with their short forms, as chrono's English parser names them. */
const SPANISH_MONTHS: Record<string, string> = {
  enero: 'january',
  ene: 'january',
  febrero: 'february',
  marzo: 'march',
  abril: 'april',
  abr: 'april',
  mayo: 'may',
  junio: 'june',
  julio: 'july',
  agosto: 'august',
  ago: 'august',
  septiembre: 'september',
  setiembre: 'september',
  octubre: 'october',
  noviembre: 'november',
  diciembre: 'december',
  dic: 'december',
};
/** "dic 15", "diciembre 15", "dic. 15": the month before the day, which chrono's Spanish parser does not read. */
const SPANISH_MONTH_FIRST = new RegExp(
  `(?<![\\p{L}])(${Object.keys(SPANISH_MONTHS).join('|')})\\.?\\s+(\\d{1,2})(?![\\d:]|\\s*(?:[ap]\\.?\\s?m\\b|hrs?\\b|horas?\\b|h\\b|de\\s+la\\b))`,
  'giu',
);

/** "el martes pasado": chrono's Spanish parser reads the nearest Tuesday, which may be ahead. */
const SPANISH_WEEKDAYS: Record<string, string> = {
  lunes: 'monday',
  martes: 'tuesday',
  miercoles: 'wednesday',
  miércoles: 'wednesday',
  jueves: 'thursday',
  viernes: 'friday',
  sabado: 'saturday',
  sábado: 'saturday',
  domingo: 'sunday',
};
const SPANISH_LAST_WEEKDAY = new RegExp(
  `(?<![\\p{L}])(${Object.keys(SPANISH_WEEKDAYS).join('|')})\\s+pasado(?![\\p{L}])`,
  'giu',
);

/** Spanish ways chrono misreads, written the English way: "dic 15", "el martes pasado". */
function englishMonthFirst(text: string): string {
  return (
    text
      .replace(
        SPANISH_MONTH_FIRST,
        (_m, month: string, day: string) => `${SPANISH_MONTHS[month.toLowerCase()]} ${day}`,
      )
      .replace(SPANISH_LAST_WEEKDAY, (_m, day: string) => `last ${SPANISH_WEEKDAYS[day.toLowerCase()]}`)
      // "dic 9 a las 8" (now "december 9 a las 8"), "dec 3 a las 10": English reads "9 a" as 9 a.m.
      .replace(/(\d)\s+(a\s+la(?:s)?\s+\d)/giu, '$1; $2')
  );
}

/**
 * A day of the month alone: "el 15", "el día 3", "the 15th", "on the 3rd", "15th". Not an hour
 * ("el 15 a las 9" keeps both, "las 15" is no day), not a count ("15 años", "the 3 kids").
 */
const DAY_ALONE =
  /(?:(?<![\p{L}])(?:el|dia|día|the|on)\s+(?:dia\s+|día\s+)?(\d{1,2})(?:st|nd|rd|th|º|°)?|\b(\d{1,2})(?:st|nd|rd|th))(?![\d:/]|[.,]\d|\s*(?:am|pm|a\.\s?m|p\.\s?m|hrs?|horas?|h\b|de\s+la|y\s+media|years?|yrs?|anos|años|meses|months?|days?|dias|días|weeks?|semanas|kids?|children|niños|ninos|hijos|personas|people|minutos|minutes|mins?|st\b|street|ave\b|avenue|av\b|rd\b|road|blvd|floor|fl\b|piso|calle|suite))/iu;

/** "its 10 not 9", "es a las 10 no a las 9": an hour put right, which chrono does not read. */
const TIME_CORRECTION =
  /\b(?:it'?s|is|es|son|now|ahora(?:\s+es)?)\s+(?:at\s+|a\s+las\s+|las\s+)?(\d{1,2})(?::([0-5]\d))?\s*([ap]\.?\s?m\.?)?\s+(?:not|no)\b/i;

/**
 * "a las 9 no 9:30", "es el 5 no el 4": the value said to be wrong, left out before reading (a
 * date written with "de" or "/" is not taken for one).
 */
const NEGATED_DAY =
  /\b(?:no|not)\s+(?:es\s+|is\s+|era\s+|was\s+)?(?:el\s+|on\s+|the\s+)?(?:hoy|today|ma[nñ]ana|tomorrow|lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/giu;
const NEGATED_VALUE =
  /\b(?:no|not)\s+(?:es\s+|is\s+|era\s+|was\s+)?(?:a\s+las\s+|las\s+|at\s+|el\s+|the\s+|on\s+)?\d{1,2}(?::[0-5]\d)?(?:\s*[ap]\.?\s?m\.?)?(?![\d/.:-]|\s*(?:de|of)\s)/gi;

/** "no es el 12 de enero", "not on december 3", "it's not dec 3": a whole date said to be wrong. */
const NOT_THIS_DATE =
  /(?<![\p{L}])(?:no\s+(?:es|is|era|was)|not(?:\s+(?:on|is|was))?)\s+(?:el\s+|the\s+|on\s+)?(?:\d{1,2}\s+(?:de\s+)?(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|january|february|march|april|june|july|august|september|october|november|december)|(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?\s+\d{1,2})(?![\p{L}\d])/giu;

/** "1 de la tarde no de la mañana", "at 9 not in the morning": the part of the day said to be wrong. */
const NEGATED_PART_OF_DAY =
  /(?<![\p{L}])(?:no|not)\s+(?:es\s+|is\s+)?(?:(?:de|en|por)\s+la\s+(?:ma[nñ]ana|madrugada|tarde|noche)|in\s+the\s+(?:morning|afternoon|evening)|at\s+night)(?![\p{L}])/giu;

/** Numbers said in words, for days and hours: "el quince", "a las nueve", "la una", "at nine", "the fifth". */
const SPANISH_NUMBERS: Record<string, number> = {
  una: 1,
  uno: 1,
  primero: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  seis: 6,
  siete: 7,
  ocho: 8,
  nueve: 9,
  diez: 10,
  once: 11,
  doce: 12,
  trece: 13,
  catorce: 14,
  quince: 15,
  dieciseis: 16,
  diecisiete: 17,
  dieciocho: 18,
  diecinueve: 19,
  veinte: 20,
  veintiuno: 21,
  veintidos: 22,
  veintitres: 23,
  veinticuatro: 24,
  veinticinco: 25,
  veintiseis: 26,
  veintisiete: 27,
  veintiocho: 28,
  veintinueve: 29,
  treinta: 30,
  'treinta y uno': 31,
};
const ENGLISH_HOURS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
};
const ACCENTED: Record<string, string> = { a: 'á', e: 'é', i: 'í', o: 'ó', u: 'ú' };
/** The Spanish number words, longest first, each vowel also with its accent ("dieciséis", "veintidós"). */
const SPANISH_NUMBER_WORDS = Object.keys(SPANISH_NUMBERS)
  .sort((a, b) => b.length - a.length)
  .map((word) => word.replace(/[aeiou]/g, (v) => `[${v}${ACCENTED[v]}]`))
  .join('|');
/** After "el", "la(s)", "día", "del": a day or an hour; not "las dos citas", "los tres". */
const SPANISH_NUMBER_AFTER = new RegExp(
  `(?<![\\p{L}])(el|la|las|d[ií]a|del)\\s+(${SPANISH_NUMBER_WORDS})(?![\\p{L}])(?!\\s+(?:citas?|personas|hijos|hijas|ni[nñ]os|veces|cartas|semanas|meses|d[ií]as|a[nñ]os|horas|de\\s+(?:ellos|ellas|nosotros)))`,
  'giu',
);
/** Before "de <month>", "de la mañana/tarde/noche", "y media": "quince de diciembre", "nueve de la mañana". */
const SPANISH_NUMBER_BEFORE = new RegExp(
  `(?<![\\p{L}])(${SPANISH_NUMBER_WORDS})\\s+(?=de\\s+(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)|(?:de|en|por)\\s+la\\s+(?:ma[nñ]ana|tarde|noche|madrugada)|y\\s+(?:media|cuarto))`,
  'giu',
);
/** "at nine", "nine am", "nine thirty", "nine in the morning", "nine o'clock". */
const ENGLISH_HOUR_WORDS = new RegExp(
  `(?<![\\p{L}])(?:(at)\\s+(${Object.keys(ENGLISH_HOURS).join('|')})(?![\\p{L}])|(${Object.keys(ENGLISH_HOURS).join('|')})(?=\\s*(?:am|pm|a\\.m|p\\.m|o'?clock|thirty|fifteen|forty[- ]five|in\\s+the\\s+(?:morning|afternoon|evening)|at\\s+night)(?![\\p{L}])))`,
  'giu',
);

function digitsForNumberWords(text: string): string {
  const spanish = (word: string) => String(SPANISH_NUMBERS[foldText(word)] ?? word);
  return text
    .replace(SPANISH_NUMBER_AFTER, (_m, before: string, word: string) => `${before} ${spanish(word)}`)
    .replace(SPANISH_NUMBER_BEFORE, (_m, word: string) => `${spanish(word)} `)
    .replace(
      ENGLISH_HOUR_WORDS,
      (_m, at: string | undefined, afterAt: string | undefined, alone: string | undefined) =>
        at ? `${at} ${ENGLISH_HOURS[foldText(afterAt!)]}` : String(ENGLISH_HOURS[foldText(alone!)]),
    )
    .replace(
      /(\d)\s+(thirty|fifteen|forty[- ]five)(?![\p{L}])/giu,
      (_m, h: string, m: string) => `${h}:${/^th/i.test(m) ? '30' : /^fi/i.test(m) ? '15' : '45'}`,
    );
}

/**
 * Ages and counts, not hours: "la niña tiene 12 años" (read as midnight), "my son is 8", "las 3
 * son en la misma oficina" (the three appointments).
 */
const COUNTS =
  /\b\d{1,3}\s*(?:años|anos|añitos|years?|yrs?|hijos|hijas|niños|ninos|kids|children|personas|people)\b|\b(?:las|los)\s+\d\s+(?=son\b|tenemos\b|tienen\b|somos\b)/giu;

/** The next day-of-month `day` from today (this month if it has not passed, else the next that has it). */
function nextDayOfMonth(day: number, now: DateTime): LocalDate | undefined {
  if (day < 1 || day > 31) return undefined;
  for (let ahead = 0; ahead < 3; ahead++) {
    const month = now.startOf('month').plus({ months: ahead });
    const candidate = DateTime.fromObject({ year: month.year, month: month.month, day }, { zone: now.zone });
    if (candidate.isValid && candidate.month === month.month && candidate >= now.startOf('day'))
      return { year: candidate.year, month: candidate.month, day };
  }
  return undefined;
}

/** Words that put a day in the past: "last", "ago", "missed", "pasado", "hace", "ayer", "no fui", "tenía". */
const PAST_WORDS =
  /(?<![\p{L}])(?:last|ago|yesterday|missed|pasad[oa]|hace|ayer|anterior|fui|ten[ií]a|perd[ií]|falt[eé])(?![\p{L}])/iu;

/** Softer signs of the past ("was", "era", "ya pasó"): they only turn back a date that would be next year's. */
const SOFT_PAST_WORDS = /(?<![\p{L}])(?:was|were|passed|era|fue|pas[oó])(?![\p{L}])/iu;
/** How far back such a date may be: a missed appointment of the last weeks. */
const RECENT_PAST_DAYS = 90;
/** A day this close behind, told without a year or a past word, is still taken as passed. */
const JUST_PASSED_DAYS = 45;

/** A length of time, not a day: "un día", "a day", "one day", "1 día antes". */
const SPAN_WORDS =
  /^(?:un|una|1|a|one|the|el)\s+(?:d[ií]a|day)s?(?:\s+(?:antes|before))?$|^(?:(?:in|en|a|los|las|like|como)\s+)*(?:\d+|an?|one|una?)\s*(?:min|mins|minutes?|minutos?|hrs?|hours?|horas?)(?:\s+(?:late|tarde|later|despues|después|before|antes|earlier))?$/i;

/** What chrono reads as today, that people say of a change: "now", "right now", "ahora", "ahora mismo". */
const NOW_WORDS = /^(?:right\s+)?now$|^ahora(?:\s+mismo)?$/i;

/** Whether chrono could find a day or an hour in the text (see DATE_WORDS). */
export function mayHoldDate(text: string): boolean {
  return /\d/.test(text) || DATE_WORDS.test(text);
}

/**
 * Finds a date and a time in what a person typed ("March 5 at 10am", "3/5 10:00",
 * "5 de marzo a las 10", "tomorrow at 8:30", "mañana 8:30"), read from `now` at the place.
 * Nothing is guessed silently: a numeric date that reads two ways comes back as `ambiguous`,
 * a missing part is simply absent, and the caller asks.
 */
export function findWhen(typed: string, now: DateTime): WhenFound {
  const text = boundForDates(typed);
  // "a las 8 de la noche no, de la mañana", "9 at night no wait 9 in the morning": what follows
  // the last such correction that tells a time or a day wins over what came before it (only the
  // last few are tried: see MAX_CORRECTIONS).
  for (const marker of [...text.matchAll(SELF_CORRECTION)].slice(-MAX_CORRECTIONS).reverse()) {
    const head = boundForDates(text.slice(0, marker.index));
    const tail = boundForDates(text.slice(marker.index + marker[0].length));
    const after = readWhen(tail, now);
    const part = partOfDayAlone(tail);
    if (!after.time && !after.date && !after.ambiguous && !part) continue;
    const before = readWhen(head, now);
    const found: WhenFound = {};
    if (after.date) found.date = after.date;
    else if (after.ambiguous) found.ambiguous = after.ambiguous;
    else if (before.date) found.date = before.date;
    else if (before.ambiguous) found.ambiguous = before.ambiguous;
    const time = after.time ?? (before.time && part ? withPartOfDay(before.time, part) : before.time);
    if (time) found.time = time;
    return found;
  }
  return readWhen(text, now);
}

/**
 * A person putting right what they just wrote: "no,", "no wait", "no espera", "no perdón",
 * "sorry", "perdón", "I mean", "quiero decir", "mejor dicho".
 */
const SELF_CORRECTION =
  /(?<![\p{L}])(?:no\s*[,.;!]+|no\s+(?:wait|espera|espere|esperate|perd[oó]n|sorry|sry)|(?:wait|espera|espere|esperate|sorry|sry|perd[oó]n|i\s+mean|quiero\s+decir|mejor\s+dicho|me\s+equivoqu[eé]|me\s+confund[ií])(?:\s*[,.;!]+)?)(?![\p{L}])/giu;

/** A part of the day with no hour: "de la mañana", "in the morning", "at night", "pm". */
function partOfDayAlone(text: string): 'am' | 'pm' | undefined {
  if (/\d/.test(text.replace(/\b\d{5}\b/g, ''))) return undefined;
  if (
    /(?<![\p{L}])(?:(?:de|en|por)\s+la\s+(?:ma[nñ]ana|madrugada)|in\s+the\s+morning|a\.?\s?m\.?)(?![\p{L}])/iu.test(
      text,
    )
  )
    return 'am';
  if (
    /(?<![\p{L}])(?:(?:de|en|por)\s+la\s+(?:tarde|noche)|in\s+the\s+(?:afternoon|evening)|at\s+night|p\.?\s?m\.?)(?![\p{L}])/iu.test(
      text,
    )
  )
    return 'pm';
  return undefined;
}

function withPartOfDay(time: LocalTime, part: 'am' | 'pm'): LocalTime {
  const hour12 = time.hour % 12;
  return { hour: part === 'am' ? hour12 : hour12 + 12, minute: time.minute };
}

function readWhen(typed: DateText, now: DateTime): WhenFound {
  // "tomorow", "tmrw": tomorrow; "pasado mañana" is the day after tomorrow (not a past day).
  const text = digitsForNumberWords(typed)
    .replace(/\b(?:tomorow|tommorow|tommorrow|tomorrrow|tomoro|tomorro|tmrw|tmr|tomrw)\b/gi, 'tomorrow')
    .replace(/\bpasado\s+ma[nñ]ana\b/gi, 'in 2 days')
    // "1 de la tarde no de la mañana", "not in the morning": the part of the day said to be wrong.
    .replace(NEGATED_PART_OF_DAY, ' ');
  const found: WhenFound = {};
  const reference = { instant: now.toJSDate(), timezone: now.offset };
  // Dates are read forward ("June 3" is next June), unless the message points back: "el martes
  // pasado", "last tuesday", "hace 2 semanas" are in the past, not next week.
  const options = { forwardDate: !PAST_WORDS.test(text) };
  // ZIP codes are places, not years: "march 12 2pm 77002" must not read as the year 7700.
  const unnegated = englishMonthFirst(
    meridiemForPartsOfDay(digitsForSpokenTimes(text.replace(/\b\d{5}(?:-\d{4})?\b/g, ' '))),
  )
    .replace(COUNTS, ' ')
    // "es en la mañana": the morning, never "tomorrow" (after an hour it was made "am" above).
    .replace(/(?<![\p{L}])(?:de|en|por|a)\s+la\s+ma[nñ]ana(?![\p{L}])/giu, ' ')
    // "no es el 12 de enero", "it's not dec 3": a day said to be wrong is never the day.
    .replace(NOT_THIS_DATE, ' ');
  // Only with the right value in the message too: "no 10am" at "Is that right?" is "No: 10am".
  const stripped = unnegated.replace(NEGATED_VALUE, ' ').replace(NEGATED_DAY, ' ');
  // The rewriting above may leave runs of spaces or lengthen the text: bounded again for chrono.
  const cleaned = boundForDates(mayHoldDate(stripped) ? stripped : unnegated);

  const numeric = NUMERIC_DATE.exec(cleaned);
  if (numeric && !/\d:\d/.test(numeric[0])) Object.assign(found, numericDate(numeric, now));

  if (!mayHoldDate(cleaned)) return found;
  let yearGiven = false;
  // A day written with numbers ("December 10") before one said in words ("last week", "mañana"):
  // "i got the letter last week, it says December 10 at 11" is about December 10.
  const results = parseDates(cleaned, reference, options).sort(
    (a, b) => Number(!/\d/.test(a.text)) - Number(!/\d/.test(b.text)),
  );
  for (const result of results) {
    // "now it's at 10", "ahora es a las 10": "now" is when the change happened, not the day;
    // "un día antes", "a day before": how long before, not a day.
    if (NOW_WORDS.test(result.text) || SPAN_WORDS.test(result.text)) continue;
    const start = result.start;
    const date = found.date || found.ambiguous ? undefined : dayRead(start, now, options.forwardDate);
    if (date) {
      found.date = date;
      yearGiven = start.isCertain('year');
    }
    // "la del 1 ya no existe" (the one on the 1st): chrono's Spanish reads "del 1" as one o'clock.
    if (!found.time && start.isCertain('hour') && !/^del?\s+\d{1,2}$/i.test(result.text.trim())) {
      let hour = start.get('hour')!;
      // "a las 2" with no am/pm: offices open by day, so 1 to 6 means the afternoon.
      if (!start.isCertain('meridiem') && hour >= 1 && hour <= 6) hour += 12;
      found.time = { hour, minute: start.get('minute') ?? 0 };
    }
  }
  if (!found.time) {
    const corrected = TIME_CORRECTION.exec(unnegated);
    if (corrected) {
      let hour = Number(corrected[1]);
      const pm = /^p/i.test(corrected[3] ?? '');
      if (hour >= 1 && hour <= 12 && (pm || (!corrected[3] && hour <= 6)) && hour !== 12) hour += 12;
      if (hour <= 23) found.time = { hour, minute: Number(corrected[2] ?? 0) };
    }
  }
  // "la cita ya pasó, era el 18 de noviembre", "the appointment was nov 16": read forward, a day
  // of the last weeks became next year's; said in the past, it is this year's.
  // "mi cita es el 2 de noviembre", said on November 22 with no year: a day of the last weeks,
  // not one eleven months ahead (then it reads as passed, and the person is asked about it).
  const soft = SOFT_PAST_WORDS.test(text);
  if (found.date && (soft || !yearGiven)) {
    const back = DateTime.fromObject({ ...found.date, year: found.date.year - 1 }, { zone: now.zone });
    const days = now.diff(back, 'days').days;
    if (back.isValid && back < now && days <= (soft ? RECENT_PAST_DAYS : JUST_PASSED_DAYS))
      found.date = { ...found.date, year: back.year };
  }
  if (!found.date && !found.ambiguous) {
    const day = DAY_ALONE.exec(cleaned);
    const date = day ? nextDayOfMonth(Number(day[1] ?? day[2]), now) : undefined;
    if (date) found.date = date;
  }
  // "el martes 9", "tuesday the 9th": the day of the month that falls on that weekday; when none
  // does soon, both readings, for the person to choose (chrono keeps only the weekday).
  const weekdayDay = WEEKDAY_AND_DAY.exec(cleaned);
  if (weekdayDay && !numeric && !MONTH_NAMED.test(cleaned)) {
    const weekday = WEEKDAY_NUMBERS[weekdayDay[1]!.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')];
    const day = Number(weekdayDay[2]);
    const fitting = weekday ? dayOnWeekday(day, weekday, now) : undefined;
    const plain = nextDayOfMonth(day, now);
    if (fitting) found.date = fitting;
    else if (plain && found.date && !sameDate(plain, found.date)) {
      found.ambiguous = [found.date, plain];
      delete found.date;
    } else if (plain && !found.date) found.date = plain;
  }
  return found;
}

/**
 * The day chrono read, if it names one (a day of the month or a weekday) of the years read around
 * now; a day before today is passed, and the caller says so. A weekday named without its day on
 * that same weekday ("el lunes", "on monday", said on a Monday) is the coming one, a week on:
 * chrono reads it as today, but people call today "today" ("hoy"), so by then its hour has most
 * likely passed or is not meant. A message about the past (`forward` false) keeps chrono's day.
 */
function dayRead(start: chrono.ParsedComponents, now: DateTime, forward: boolean): LocalDate | undefined {
  if (!start.isCertain('day') && !start.isCertain('weekday')) return undefined;
  let date = { year: start.get('year')!, month: start.get('month')!, day: start.get('day')! };
  if (forward && !start.isCertain('day') && isoDate(date) === now.toISODate()) {
    const weekOn = now.plus({ days: 7 });
    date = { year: weekOn.year, month: weekOn.month, day: weekOn.day };
  }
  // A day of the years around this one; a day before today is passed (the caller says so).
  return DateTime.fromObject(date).isValid && withinYearsRead(date.year, now) ? date : undefined;
}

/** The only call into chrono: both languages' casual parsers, on bounded text only. */
function parseDates(
  text: DateText,
  reference: chrono.ParsingReference,
  options: chrono.ParsingOption,
): chrono.ParsedResult[] {
  return [
    ...chrono.en.casual.parse(text, reference, options),
    ...chrono.es.casual.parse(text, reference, options),
  ];
}

const WEEKDAY_NUMBERS: Record<string, number> = {
  lunes: 1,
  martes: 2,
  miercoles: 3,
  jueves: 4,
  viernes: 5,
  sabado: 6,
  domingo: 7,
  monday: 1,
  mon: 1,
  tuesday: 2,
  tue: 2,
  tues: 2,
  wednesday: 3,
  wed: 3,
  thursday: 4,
  thu: 4,
  thur: 4,
  thurs: 4,
  friday: 5,
  fri: 5,
  saturday: 6,
  sat: 6,
  sunday: 7,
  sun: 7,
};
/** A weekday followed by a day of the month: "martes 9", "el jueves 3", "tuesday the 9th", "fri 11th". */
const WEEKDAY_AND_DAY = new RegExp(
  `(?<![\\p{L}])(lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo|${Object.keys(WEEKDAY_NUMBERS)
    .filter((k) => /^[a-z]+$/.test(k) && !['lunes', 'martes', 'jueves', 'viernes', 'domingo'].includes(k))
    .join(
      '|',
    )}),?\\s+(?:el\\s+|the\\s+|d[ií]a\\s+)?(\\d{1,2})(?:st|nd|rd|th)?(?![\\d:/.]|\\s*(?:am|pm|a\\.\\s?m|p\\.\\s?m|hrs?\\b|h\\b|de\\s+la|y\\s+media|y\\s+cuarto|o'?clock))`,
  'iu',
);
/** A month named in words: the date then is chrono's to read. */
const MONTH_NAMED =
  /(?<![\p{L}])(?:jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september|oct|october|nov|november|dec|december|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|dic|ene|ago)(?![\p{L}])/iu;

function sameDate(a: LocalDate, b: LocalDate): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}

/**
 * The day-of-month `day` of this month or the next that falls on `weekday` (1 Monday … 7 Sunday),
 * if it has not passed: a fit further ahead is more likely a slip in the weekday or the day.
 */
function dayOnWeekday(day: number, weekday: number, now: DateTime): LocalDate | undefined {
  for (let ahead = 0; ahead < 2; ahead++) {
    const month = now.startOf('month').plus({ months: ahead });
    const candidate = DateTime.fromObject({ year: month.year, month: month.month, day }, { zone: now.zone });
    if (candidate.isValid && candidate.month === month.month && candidate >= now.startOf('day')) {
      if (candidate.weekday === weekday) return { year: candidate.year, month: candidate.month, day };
    }
  }
  return undefined;
}

function normalizeYear(year: number): number {
  return year < 100 ? 2000 + year : year;
}

/**
 * Years a day is read in, around now: an appointment is at most two years ahead, and a day said
 * with its year up to two years back is a passed appointment or a filing date. A year further off
 * is a misreading (a ZIP code, a count), and the person is asked for the date.
 */
const YEARS_READ = { back: 2, ahead: 2 };
const withinYearsRead = (year: number, now: DateTime): boolean =>
  year >= now.year - YEARS_READ.back && year <= now.year + YEARS_READ.ahead;

/**
 * "3/5", "12/03/2026": both readings of a numeric date, US order first. Two days ahead are for the
 * person to choose from; one ahead is the date ("12/03/2026" on 22 November 2026 can only be
 * December 3: March 12 has passed). With none ahead (a year given that is behind) it is passed,
 * and said as passed, not taken for no date.
 */
function numericDate(numeric: RegExpExecArray, now: DateTime): Pick<WhenFound, 'date' | 'ambiguous'> {
  const a = Number(numeric[1]);
  const b = Number(numeric[2]);
  const year = numeric[3] ? normalizeYear(Number(numeric[3])) : undefined;
  const readings = [validDate(a, b, year, now), a === b ? undefined : validDate(b, a, year, now)].filter(
    (d): d is LocalDate => d !== undefined,
  );
  const today = now.toISODate();
  const ahead = readings.filter((d) => isoDate(d) >= today!);
  if (ahead.length === 2) return { ambiguous: [ahead[0]!, ahead[1]!] };
  const date = ahead[0] ?? readings[0];
  return date ? { date } : {};
}

const isoDate = (d: LocalDate): string =>
  `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

/** The date month/day (year given, or the next one from now), if such a day exists. */
function validDate(
  month: number,
  day: number,
  year: number | undefined,
  now: DateTime,
): LocalDate | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  let candidate = DateTime.fromObject({ year: year ?? now.year, month, day }, { zone: now.zone });
  if (!candidate.isValid || !withinYearsRead(candidate.year, now)) return undefined;
  // Without a year, a day that has passed this year is next year's.
  if (year === undefined && candidate < now.startOf('day')) candidate = candidate.plus({ years: 1 });
  if (!candidate.isValid || candidate.month !== month) return undefined;
  return { year: candidate.year, month, day };
}

/** The appointment as an instant, or undefined if that wall-clock time does not exist there. */
export function toInstant(date: LocalDate, time: LocalTime, zone: string): DateTime | undefined {
  const dt = DateTime.fromObject({ ...date, ...time }, { zone });
  if (!dt.isValid || dt.hour !== time.hour) return undefined; // skipped by a DST change
  return dt;
}
