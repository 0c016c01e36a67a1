import type { DateTime } from 'luxon';
import type { Found } from '../conversation/appointments.js';
import type { Flows } from '../conversation/content.js';
import { boundText } from './bound.js';
import { dateLanguage } from './date-language.js';
import { foldText } from './normalize.js';
import { stateNames, titleCase, zoneForState, zoneForZip } from './place.js';
import { findWhen, type LocalDate, type LocalTime } from './when.js';

const pad = (n: number) => String(n).padStart(2, '0');
const isoDate = (d: LocalDate) => `${d.year}-${pad(d.month)}-${pad(d.day)}`;
const isoTime = (t: LocalTime) => `${pad(t.hour)}:${pad(t.minute)}`;

/**
 * Place names (the cities', with a ZIP code in each, then the language's and the states', with a
 * state code), folded, longest first: "kansas city" before "kansas". Worked out once per language.
 */
type PlaceName = { name: string; code: string; zip?: string };
/** The candidates, longest first, and where in that order the names starting with each word are. */
type PlaceCandidates = { names: PlaceName[]; byFirstWord: Map<string, number[]> };
const candidatesByNames = new WeakMap<Record<string, string>, PlaceCandidates>();
function placeCandidates(
  placeNames: Record<string, string>,
  cityZips: Record<string, string>,
): PlaceCandidates {
  let candidates = candidatesByNames.get(placeNames);
  if (!candidates) {
    const cities = Object.entries(cityZips).flatMap(([name, zip]) => {
      const place = zoneForZip(zip);
      return place?.state ? [{ name, code: place.state, zip }] : [];
    });
    const names = [
      ...cities,
      ...Object.entries(placeNames).map(([name, code]) => ({ name: foldText(name), code })),
      ...stateNames().map(({ name, code }) => ({ name: foldText(name), code })),
    ].sort((a, b) => b.name.length - a.name.length);
    const byFirstWord = new Map<string, number[]>();
    names.forEach(({ name }, at) => {
      const first = name.split(' ')[0]!;
      byFirstWord.set(first, [...(byFirstWord.get(first) ?? []), at]);
    });
    candidates = { names, byFirstWord };
    candidatesByNames.set(placeNames, candidates);
  }
  return candidates;
}

/**
 * The longest place name in the folded text (padded with spaces). Only names whose first word is
 * there are tried: trying the 200-odd names on every message was a large share of reading one.
 */
function placeIn(folded: string, { names, byFirstWord }: PlaceCandidates): PlaceName | undefined {
  const tried = new Set<number>();
  for (const word of folded.split(' ')) for (const at of byFirstWord.get(word) ?? []) tried.add(at);
  return [...tried]
    .sort((a, b) => a - b)
    .map((at) => names[at]!)
    .find((c) => folded.includes(` ${c.name} `));
}

/**
 * The date, time and place of an appointment in what a person typed in `lang`, read at `now` (in
 * the zone of the place if known). Dates are read as the language's pack says (see dateLanguage);
 * its `place_names` map names in the language to state codes ("nueva york" -> "NY"); English
 * names and two-letter codes come with the ZIP data.
 */
export function findAppointmentDetails(typed: string, now: DateTime, flows: Flows, lang: string): Found {
  const text = boundText(typed);
  const found: Found = {};
  const placeNames = flows.packs.get(lang)?.placeNames ?? {};
  const when = findWhen(text, now, dateLanguage(flows, lang));
  if (when.ambiguous) found.ambiguous = [isoDate(when.ambiguous[0]), isoDate(when.ambiguous[1])];
  else if (when.date) found.date = isoDate(when.date);
  if (when.time) found.time = isoTime(when.time);
  if (when.clockNow) found.clockNow = true;

  // The last ZIP code in the message: in a pasted notice, "16630 IMPERIAL VALLEY DR … HOUSTON TX
  // 77060" starts with a street number of five digits.
  const zips = [...text.matchAll(/(?<![\d:/.-])(\d{5})(?:-\d{4})?(?![\d:/])/g)]
    .map((m) => m[1]!)
    .filter((zip) => zoneForZip(zip) !== undefined);
  const zip = zips.filter((z) => !new RegExp(`${z}\\s+[A-Za-z]`).test(text)).at(-1) ?? zips.at(-1);
  if (zip) {
    found.place = { label: zip, zone: zoneForZip(zip)!.zone };
    return found;
  }
  const folded = ` ${foldText(text)} `;
  const bare = text.trim().toUpperCase();
  const byName = placeIn(folded, placeCandidates(placeNames, flows.cities));
  if (byName?.zip) {
    const place = zoneForZip(byName.zip);
    if (place) {
      found.place = { label: `${cityLabel(byName.name)}, ${byName.code}`, zone: place.zone };
      return found;
    }
  }
  // A two-letter code counts only alone ("TX"): inside a sentence "IN", "OR", "DE" are words;
  // and never when it is also a word people send alone ("ok", "hi", "me").
  const code = byName?.code ?? (/^[A-Z]{2}$/.test(bare) && !CODE_WORDS.has(bare) ? bare : undefined);
  if (code) {
    const place = zoneForState(code);
    if (place?.state) found.place = { label: place.state, zone: place.zone };
  }
  return found;
}

/** State codes that are also words sent alone: "OK", "hi", "me", "in", "or", "oh", "ID", "la", "va". */
const CODE_WORDS = new Set(['OK', 'HI', 'ME', 'IN', 'OR', 'OH', 'ID', 'LA', 'VA']);

/** "kansas city" -> "Kansas City", "st louis" -> "St Louis", "washington dc" -> "Washington". */
function cityLabel(folded: string): string {
  return titleCase(folded.replace(/ dc$/, ''));
}
