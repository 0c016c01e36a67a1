import { Info } from 'luxon';
import { describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/conversation/content.js';
import { foldingOf } from '../../src/understanding/folding.js';
import { foldText } from '../../src/understanding/normalize.js';
import { pickIntent, Understander } from '../../src/understanding/understand.js';

/**
 * Months and weekdays name a day, not a topic (round 13: "mar 28" and "23 mar" were read as
 * "marido", the family topic, and "for maria mar 28 10am miami" got the spouse-and-children
 * answer). Every form the language packs list (flows/lang: dates), short ones included.
 */
const flows = loadFlows();
const understander = new Understander(flows);
const soundKey = (word: string) => foldingOf(flows).soundKey(word);
const intents = (text: string) => understander.understand(text).intents;

const forms = (lang: string): string[] => {
  const dates = flows.packs.get(lang)?.dates;
  return [...(dates?.months ?? []), ...(dates?.weekdays ?? [])].flat();
};

/** Messages that tell a day with a month or weekday word in them ("{}"), in each language. */
const TOLD: Record<string, string[]> = {
  en: ['for maria {} 28 10am miami', 'remind me {} 3 at 9am', 'its on {} the 5th', 'my appt is {} 12'],
  es: [
    'recordarme 23 {} 9am miami',
    'mi cita es el 3 de {} a las 9',
    'para luis {} 30 1pm',
    'el {} 5 a las 10',
  ],
};

describe('month and weekday words', () => {
  it('are listed in each pack with every name and short form the language has (CLDR, via luxon)', () => {
    for (const lang of ['en', 'es']) {
      const listed = new Set(forms(lang).map(foldText));
      const cldr = [
        ...Info.months('long', { locale: lang }),
        ...Info.months('short', { locale: lang }),
        ...Info.weekdays('long', { locale: lang }),
        ...Info.weekdays('short', { locale: lang }),
      ].map(foldText);
      for (const name of cldr) expect(listed.has(name), `${lang}: ${name}`).toBe(true);
    }
  });

  it('next to a day or an hour, change nothing of what a message is about, in either language', () => {
    for (const lang of ['en', 'es']) {
      for (const form of forms(lang)) {
        for (const template of TOLD[lang]!) {
          const told = template.replace('{}', form);
          expect(intents(told), told).toEqual(intents(template.replace('{} ', '')));
        }
      }
    }
  });

  it('are never read as a typo or a sound-alike of another word', () => {
    const content = new Set(
      [...flows.packs.values()].flatMap((p) =>
        [...Object.values(p.intents), ...Object.values(p.answers)].flat(),
      ),
    );
    for (const form of ['en', 'es'].flatMap(forms)) {
      // Alone: a word the content itself uses ("ago", "monday") may still mean what it means there.
      if ([...content].some((phrase) => ` ${foldText(phrase)} `.includes(` ${foldText(form)} `))) continue;
      expect(intents(form), form).toEqual([]);
    }
  });

  it('leave the appointment to be told: "recordarme 23 mar 9am miami" is a reminder, not "marido"', () => {
    for (const form of [...forms('en'), ...forms('es')]) {
      expect(pickIntent(intents(`recordarme 23 ${form} 9am miami`)), form).toEqual({
        kind: 'sure',
        node: 'appt_add',
      });
      expect(pickIntent(intents(`remind me ${form} 28 10am`)), form).toEqual({
        kind: 'sure',
        node: 'appt_add',
      });
    }
  });
});

describe('short words', () => {
  it('stand for no longer word by sound: a three-letter word matches only what sounds the same whole', () => {
    // Each language's index (Spanish is the one spelled by sound).
    const indexes = (
      understander as unknown as { indexes: Map<string, { matches(typed: string): Set<string> }> }
    ).indexes;
    const matches = (typed: string) => new Set([...indexes.values()].flatMap((i) => [...i.matches(typed)]));
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    for (const a of letters)
      for (const b of letters)
        for (const c of letters) {
          const typed = `${a}${b}${c}`;
          for (const word of matches(typed)) {
            expect(word === typed || soundKey(word) === soundKey(typed), `${typed} -> ${word}`).toBe(true);
          }
        }
  });
});
