import { createRequire } from 'node:module';
import type * as ZipCodes from 'zipcodes';

/**
 * Where an appointment is, and so its time zone: from the ZIP code on the notice or a state.
 * Data, not a hand list: `zipcode-to-timezone` maps US ZIP codes to IANA zones; `zipcodes`
 * (ZIP -> state and coordinates) with `tz-lookup` covers the territories it lacks, and gives
 * a state's zone as the one most of its ZIP codes use. The data loads on first use.
 */
const require = createRequire(import.meta.url);

interface PlaceData {
  zipToZone: (zip: string) => string | null;
  zipcodes: typeof ZipCodes;
  tzLookup: (lat: number, lon: number) => string;
}

let data: PlaceData | undefined;
function load(): PlaceData {
  data ??= {
    zipToZone: (require('zipcode-to-timezone') as { lookup: (zip: string) => string | null }).lookup,
    zipcodes: require('zipcodes') as typeof ZipCodes,
    tzLookup: require('tz-lookup') as (lat: number, lon: number) => string,
  };
  return data;
}

/** Zones a US address can be in; coordinates near a border can point abroad, which we ignore. */
const US_ZONE = /^(America|Pacific)\//;
const FOREIGN_AMERICA =
  /^America\/(Toronto|Vancouver|Winnipeg|Edmonton|Regina|Halifax|Tijuana|Hermosillo|Matamoros|Monterrey|Ojinaga|Ciudad_Juarez|Mexico_City|Chihuahua|Bahia_Banderas|Cancun|Mazatlan|Merida)$/;

export interface Place {
  /** "ZIP 77002" or "TX" as the person gave it. */
  zip?: string;
  state?: string;
  zone: string;
}

export function zoneForZip(zip: string): Place | undefined {
  if (!/^\d{5}$/.test(zip)) return undefined;
  const { zipToZone, zipcodes, tzLookup } = load();
  const info = zipcodes.lookup(zip);
  const direct = zipToZone(zip);
  if (direct) return { zip, ...(info ? { state: info.state } : {}), zone: direct };
  if (!info) return undefined;
  const zone = tzLookup(info.latitude, info.longitude);
  return US_ZONE.test(zone) && !FOREIGN_AMERICA.test(zone) ? { zip, state: info.state, zone } : undefined;
}

const stateZones = new Map<string, string | undefined>();

/** A state's zone: the one most of its ZIP codes are in ("TX" -> America/Chicago). */
export function zoneForState(state: string): Place | undefined {
  const code = stateCode(state);
  if (!code) return undefined;
  if (!stateZones.has(code)) {
    const { zipcodes } = load();
    const counts = new Map<string, number>();
    for (const entry of zipcodes.lookupByState(code)) {
      const place = zoneForZip(entry.zip);
      if (place) counts.set(place.zone, (counts.get(place.zone) ?? 0) + 1);
    }
    const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
    stateZones.set(code, best?.[0]);
  }
  const zone = stateZones.get(code);
  return zone ? { state: code, zone } : undefined;
}

/** "tx", "Texas", "TEXAS" -> "TX"; anything else -> undefined. */
export function stateCode(text: string): string | undefined {
  const { zipcodes } = load();
  const upper = text.trim().replace(/\s+/g, ' ').toUpperCase();
  // zipcodes.states.abbr maps "TX" -> "TEXAS"; states.full maps "TEXAS" -> "TX".
  if (zipcodes.states.abbr[upper]) return upper;
  return zipcodes.states.full[upper];
}

/** Every state name (upper case) with its code, for finding one inside a sentence. */
export function stateNames(): { name: string; code: string }[] {
  const { zipcodes } = load();
  return Object.entries(zipcodes.states.full).map(([name, code]) => ({ name, code }));
}

/** "TX" -> "Texas", "DC" -> "District of Columbia"; undefined for anything that is not a state code. */
export function stateName(code: string): string | undefined {
  const full = load().zipcodes.states.abbr[code];
  return full ? titleCase(full.toLowerCase()).replace(/ Of /g, ' of ') : undefined;
}

/** "kansas city" -> "Kansas City": each word's first letter upper case. */
export function titleCase(text: string): string {
  return text.replace(/(^| )(\p{L})/gu, (_m, space: string, letter: string) => space + letter.toUpperCase());
}
