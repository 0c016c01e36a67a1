/**
 * Phrase templates, as the packs write them (flows/README.md, "Phrase templates"): words separated
 * by spaces; a slot "de|en|por" is one of its words; a slot in brackets "[a]" may be left out; a
 * name in braces "{hour}" is a placeholder the reader fills with a pattern of its own (digits, a
 * list of words). No regular-expression syntax is written in a pack: this turns a template into a
 * pattern whose only repetition is the whitespace between words, so it cannot backtrack badly.
 */

const escaped = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Letters people type with or without their accent ("mañana", "manana"; "día", "dia"). */
const ACCENTS: Record<string, string> = {
  a: 'aàáâä',
  e: 'eèéêë',
  i: 'iìíîï',
  o: 'oòóôö',
  u: 'uùúûü',
  n: 'nñ',
  c: 'cç',
};
const BASE = new Map<string, string>();
for (const [base, forms] of Object.entries(ACCENTS)) for (const form of forms) BASE.set(form, base);

/** A word as a pattern that matches it with or without its accents. */
export function looseWord(word: string): string {
  return [...word.toLowerCase()]
    .map((ch) => {
      const base = BASE.get(ch);
      return base ? `[${ACCENTS[base]}]` : escaped(ch);
    })
    .join('');
}

/** Words as alternatives (see pack-words.ts `alternatives`), each matched with or without its accents. */
export const looseAlternatives = (words: Iterable<string>): string =>
  [...new Set([...words].map((w) => w.toLowerCase()))]
    .sort((a, b) => b.length - a.length)
    .map((w) => w.split(/\s+/).map(looseWord).join('\\s+'))
    .join('|');

/** Placeholders a reader fills: each a pattern source (may hold its own groups). */
export type Fillers = Record<string, string>;

/**
 * The pattern source of `template`: its words as written (accents optional), its placeholders as
 * `fillers` gives them. A placeholder the reader does not fill is a problem of the pack, named.
 */
export function templateSource(template: string, fillers: Fillers): string {
  const parts: { source: string; optional: boolean }[] = [];
  for (const slot of template.trim().split(/\s+/)) {
    const optional = slot.startsWith('[') && slot.endsWith(']');
    const body = optional ? slot.slice(1, -1) : slot;
    // "{hour}", or placeholders run together ("{hour}{minute}" reads "830").
    const placeholders = /^(?:\{\w+\})+$/.test(body)
      ? [...body.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)
      : [];
    let source: string;
    if (placeholders.length > 0) {
      source = placeholders
        .map((name) => {
          const filler = fillers[name];
          if (filler === undefined) throw new Error(`unknown placeholder {${name}} in "${template}"`);
          return filler;
        })
        .join('');
    } else source = body.split('|').map(looseWord).join('|');
    parts.push({ source: `(?:${source})`, optional });
  }
  // Whitespace between words: an optional part takes its own with it, before it once a word is
  // required before it, after it while none is.
  let required = false;
  return parts
    .map((p) => {
      const source = p.optional
        ? required
          ? `(?:\\s+${p.source})?`
          : `(?:${p.source}\\s+)?`
        : `${required ? '\\s+' : ''}${p.source}`;
      if (!p.optional) required = true;
      return source;
    })
    .join('');
}

/** The words of a template's slots that are not placeholders, each slot's alternatives expanded. */
export function templatePhrases(template: string): string[] {
  let phrases = [''];
  for (const slot of template.trim().split(/\s+/)) {
    const optional = slot.startsWith('[');
    const forms = slot.replace(/^\[|\]$/g, '').split('|');
    if (/^\{\w+\}$/.test(forms[0]!)) continue;
    phrases = phrases.flatMap((p) => [...(optional ? [p] : []), ...forms.map((f) => `${p} ${f}`.trim())]);
  }
  return phrases.filter((p) => p !== '');
}
