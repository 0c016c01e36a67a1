/**
 * Folds what people type into comparable words: no accents, no case, no punctuation, no emoji.
 * "¿Qué   llevo a la CITA??" -> "que llevo a la cita".
 */
const CHAT_SHORTHAND: Record<string, string> = {
  q: 'que',
  k: 'que',
  ke: 'que',
  ocupo: 'necesito',
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
  wat: 'what',
  wht: 'what',
  wats: 'whats',
  wen: 'when',
  wer: 'where',
  wher: 'where',
  cuz: 'because',
  bc: 'because',
  idk: 'i dont know',
  nose: 'no se',
  appt: 'appointment',
  apt: 'appointment',
  apointmnt: 'appointment',
  appointmnt: 'appointment',
  apoinmnt: 'appointment',
  bio: 'biometrics',
  biometric: 'biometrics',
};

/** Longest message that is read: a 10 KB paste is cut to this before anything else. */
export const MAX_READ_CHARS = 1600;

export function foldText(text: string): string {
  return (
    text
      .slice(0, MAX_READ_CHARS)
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/ß/g, 'ss')
      // "can't" is one word, "cant", not "can" and "t".
      .replace(/(\p{L})['’`´](\p{L})/gu, '$1$2')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
  );
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
 * Whether a typed word is the phrase word, allowing for endings and, for words we do not know,
 * typos: "fingerprint" ~ "fingerprints", "contrasena" ~ "contraseña", "apointment" ~ "appointment".
 * A typed word that is itself a known word ("passport", "llegar") is never read as a typo of
 * another ("password", "llevar").
 */
export function wordsMatch(
  phraseWord: string,
  typed: string,
  typedIsKnown = false,
  /** Their stems, when worked out already (a typed word is compared with many phrase words). */
  stems?: { phrase: string; typed: string },
): boolean {
  if (phraseWord === typed) return true;
  const shorter = Math.min(phraseWord.length, typed.length);
  if (shorter < 4) return false;
  const stemmed = stems?.typed ?? stem(typed);
  if (stemmed.length >= 4 && stemmed === (stems?.phrase ?? stem(phraseWord))) return true;
  if (shorter < 5) return false;
  // Endings: plural, gender, verb forms ("reprogramar" ~ "reprogramo", "perdido" ~ "perdida").
  const prefix = Math.max(5, shorter - 2);
  if (
    phraseWord.slice(0, prefix) === typed.slice(0, prefix) &&
    Math.abs(phraseWord.length - typed.length) <= 3
  ) {
    return true;
  }
  if (typedIsKnown) return false;
  const allowed = shorter >= 10 ? 2 : 1;
  return editDistance(phraseWord, typed, allowed) <= allowed;
}

/**
 * How a word sounds, by Spanish spelling rules, for people who write by ear: a silent h, ll and y,
 * c before e/i, s and z, b and v, qu, c and k, g and j before e/i, doubled letters.
 * "sita" and "cita" -> "sita"; "yebo" and "llevo" -> "yebo"; "uellas" and "huellas" -> "ueyas".
 */
export function soundKey(word: string): string {
  // Folded words are lower case: "C" holds "ch" while the c's are respelled.
  return word
    .replace(/ch/g, 'C')
    .replace(/h/g, '')
    .replace(/ll/g, 'y')
    .replace(/qu(?=[ei])/g, 'k')
    .replace(/c(?=[ei])/g, 's')
    .replace(/[cq]/g, 'k')
    .replace(/z/g, 's')
    .replace(/v/g, 'b')
    .replace(/g(?=[ei])/g, 'j')
    .replace(/(.)\1+/g, '$1')
    .replace(/C/g, 'ch');
}

/** A sound key without one ending, keeping three letters: "yebo" and "yebar" -> "yeb". */
export function soundStem(key: string): string {
  for (const ending of ENDINGS) {
    if (key.length - ending.length >= 3 && key.endsWith(ending)) return key.slice(0, -ending.length);
  }
  return key;
}

/** Endings of English and Spanish words, longest first: "llevo", "llevar" and "llevamos" share "llev". */
const ENDINGS = [
  'iendo',
  'ieron',
  'aron',
  'ando',
  'amos',
  'emos',
  'imos',
  'aste',
  'iste',
  'ados',
  'adas',
  'idos',
  'idas',
  'ing',
  'ado',
  'ada',
  'ido',
  'ida',
  'aba',
  'ed',
  'es',
  'ar',
  'er',
  'ir',
  'as',
  'os',
  'an',
  'en',
  'o',
  'a',
  'e',
  's',
  'i',
];

/** A crude stem: the word without one common ending, keeping at least four letters. */
export function stem(word: string): string {
  for (const ending of ENDINGS) {
    if (word.length - ending.length >= 4 && word.endsWith(ending)) return word.slice(0, -ending.length);
  }
  return word;
}

/** Words that start a question: "what do i bring", "how long", "que llevo", "puedo llevar". */
const QUESTION_WORDS =
  /(?<![\p{L}])(?:what|wat|how|can i|can we|do i|should i|where|why|which|who|que|qué|como|cómo|puedo|debo|donde|dónde|por que|por qué|porque|cual|cuál|cuanto|cuánto|tengo que)(?![\p{L}])/iu;

/** Whether a message asks something in words, with or without a "?". */
export function hasQuestionWords(text: string): boolean {
  return QUESTION_WORDS.test(text);
}
