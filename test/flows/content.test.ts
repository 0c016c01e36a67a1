import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countSegments, MAX_SEGMENTS_PER_MESSAGE } from '../../src/channels/sms-segments.js';
import { ContentRenderer, loadFlows } from '../../src/conversation/content.js';
import { everyReplyPart } from '../../src/conversation/machine.js';

const flows = loadFlows();
const sources = new Map(
  readdirSync(flows.sourcesDir).map((file) => [
    file,
    squash(readFileSync(join(flows.sourcesDir, file), 'utf8')),
  ]),
);

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

describe('flows/ content', () => {
  it('loads with every node, text, answer list and command in every language', () => {
    expect(flows.languages).toEqual(expect.arrayContaining(['en', 'es']));
    expect(flows.nodes.size).toBeGreaterThan(30);
    for (const lang of flows.languages) expect(flows.packs.get(lang)).toBeDefined();
  });

  it('rests every fact on a passage that stands word for word in a seed', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const node of flows.nodes.values()) {
      for (const source of node.sources) {
        checked++;
        const seed = sources.get(source.seed);
        if (!seed?.includes(squash(source.quote)))
          missing.push(`${node.id}: ${source.seed}: "${source.quote}"`);
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(30);
  });

  it('gives a source to every node that answers (all but menus and questions that only route)', () => {
    const withoutSource = [...flows.nodes.values()]
      .filter((node) => node.sources.length === 0)
      .filter((node) => !node.ask && node.choices.length < 4 && node.id !== flows.menu)
      .map((node) => node.id);
    // Nodes without a fact of their own are allowed only where they just point elsewhere.
    expect(withoutSource.filter((id) => !['legal_help', 'nm_unsure', 'appt_list'].includes(id))).toEqual([]);
  });

  it('uses only phone numbers that the seeds give', () => {
    const phone = /\b1?-?\d{3}-\d{3}-\d{4}\b/g;
    const found = new Set<string>();
    for (const pack of flows.packs.values()) {
      for (const node of Object.values(pack.nodes))
        for (const text of node.text) for (const m of text.matchAll(phone)) found.add(m[0]);
      for (const text of Object.values(pack.system)) for (const m of text.matchAll(phone)) found.add(m[0]);
    }
    expect(found.size).toBeGreaterThan(0);
    const allSeeds = [...sources.values()].join(' ');
    for (const number of found) expect(allSeeds, number).toContain(number);
  });

  it('reaches every node from the main menu (or from a text Huella sends, or "my appointments")', () => {
    const entries = [flows.menu, 'appt_followup', 'weekly_check', 'appt_list'];
    const seen = new Set(entries);
    const queue = [...entries];
    while (queue.length > 0) {
      for (const choice of flows.nodes.get(queue.shift()!)!.choices) {
        if (!seen.has(choice.to)) {
          seen.add(choice.to);
          queue.push(choice.to);
        }
      }
    }
    expect([...flows.nodes.keys()].filter((id) => !seen.has(id))).toEqual([]);
  });

  it('uses no placeholder the engine does not fill', () => {
    for (const pack of flows.packs.values()) {
      const texts = [...Object.values(pack.nodes).flatMap((n) => n.text), ...Object.values(pack.system)];
      for (const text of texts) {
        for (const m of text.matchAll(/\{([^}]*)\}/g)) {
          expect(
            [
              'org',
              'legal_help',
              'date',
              'time',
              'place',
              'other',
              'name',
              'reminder_times',
              'reminder_plan',
              'missed',
              'quiet_rule',
              'languages',
            ],
            text,
          ).toContain(m[1]);
        }
      }
    }
  });

  it('keeps English in the cheap GSM-7 alphabet (no curly quotes, dashes or emoji)', () => {
    const pack = flows.packs.get('en')!;
    const texts = [
      ...Object.values(pack.nodes).flatMap((n) => [...n.text, n.label]),
      ...Object.values(pack.system),
    ];
    for (const text of texts) expect(countSegments(text).encoding, text).toBe('GSM-7');
  });

  for (const lang of flows.languages) {
    it(`fits every message the machine can send in ${lang} into ${MAX_SEGMENTS_PER_MESSAGE} SMS segments`, () => {
      const pack = flows.packs.get(lang)!;
      const longestLabels = Object.entries(pack.nodes)
        .sort(([, a], [, b]) => b.label.length - a.label.length)
        .map(([id]) => id);
      // Fill placeholders with settings as long as an operator is likely to give.
      const renderer = new ContentRenderer(flows, {
        org: 'Legal Aid Society of Example County',
        legalHelp: 'call our clinic at 555-010-0199, Mon-Fri 9-5',
      });
      const tooLong: string[] = [];
      let checked = 0;
      for (const part of everyReplyPart(flows, longestLabels)) {
        for (const text of renderer.render(lang, [part], { split: false })) {
          checked++;
          const count = countSegments(text);
          if (count.segments > MAX_SEGMENTS_PER_MESSAGE) {
            tooLong.push(
              `${JSON.stringify(part.say)}${part.lead ? ` lead=${part.lead}` : ''}: ${count.units} ${count.encoding} units, ${count.segments} segments`,
            );
          }
        }
      }
      expect(tooLong).toEqual([]);
      expect(checked).toBeGreaterThan(60);
    });
  }
});
