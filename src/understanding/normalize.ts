/**
 * Folds what people type into comparable words: no accents, no case, no punctuation, no emoji.
 * "¿Qué   llevo a la CITA??" -> "que llevo a la cita".
 */
const CHAT_SHORTHAND: Record<string, string> = {
  q: 'que',
  k: 'que',
  xq: 'porque',
  pq: 'porque',
  xfa: 'por favor',
  pls: 'please',
  plz: 'please',
  u: 'you',
  ur: 'your',
  r: 'are',
  tmb: 'tambien',
  tb: 'tambien',
  d: 'de',
  n: 'en',
  appt: 'appointment',
  apt: 'appointment',
  bio: 'biometrics',
  biometric: 'biometrics',
};

/** Longest message that is read: a 10 KB paste is cut to this before anything else. */
export const MAX_READ_CHARS = 1600;

export function foldText(text: string): string {
  return text
    .slice(0, MAX_READ_CHARS)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function tokenize(folded: string): string[] {
  if (folded === '') return [];
  return folded
    .split(' ')
    .filter((token) => token !== '')
    .flatMap((token) => (CHAT_SHORTHAND[token] ?? token).split(' '));
}

export function hasWords(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text.slice(0, MAX_READ_CHARS));
}

/** Damerau-Levenshtein (optimal string alignment) distance, stopping early past `limit`. */
export function editDistance(a: string, b: string, limit = 3): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) d[0]![j] = j;
  for (let i = 1; i < rows; i++) {
    let rowMin = Number.POSITIVE_INFINITY;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
  }
  return d[rows - 1]![cols - 1]!;
}

/**
 * Whether a typed word is the phrase word, allowing for typos and endings:
 * "fingerprint" ~ "fingerprints", "contrasena" ~ "contraseña", "apointment" ~ "appointment".
 */
export function wordsMatch(phraseWord: string, typed: string): boolean {
  if (phraseWord === typed) return true;
  const shorter = Math.min(phraseWord.length, typed.length);
  if (shorter < 4) return false;
  const allowed = shorter >= 8 ? 2 : 1;
  if (editDistance(phraseWord, typed, allowed) <= allowed) return true;
  // Endings: plural, gender, verb forms ("reprogramar" ~ "reprogramo", "perdi" ~ "perdido").
  if (shorter >= 5) {
    const stem = Math.max(5, shorter - 2);
    return phraseWord.slice(0, stem) === typed.slice(0, stem);
  }
  return false;
}
