import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/conversation/content.js';
import { firstReplies } from '../../src/conversation/first-reply.js';
import { evaluateFirstReplies, leadsTo, outcomeOf } from '../../src/understanding/evaluate.js';
import { LabelledSetError, readLabelledSet } from '../../src/understanding/labelled-set.js';
import { TEST_NOW } from '../support/clock.js';
import { nodeArgsFor } from '../support/entry.js';

const run = promisify(execFile);
const flows = loadFlows();
const FIXTURE = 'test/fixtures/first-replies.yaml';
/** One of each outcome per language (the fixture's comments say which is which). */
const EXPECTED = {
  en: { n: 7, right: 2, onPath: 1, clarify: 2, wrong: 1, nothing: 1 },
  es: { n: 5, right: 1, onPath: 1, clarify: 1, wrong: 1, nothing: 1 },
};

/** `npm run eval:understanding`, as a child process. */
const cli = (args: string[]) =>
  run(process.execPath, [...nodeArgsFor('src/evaluate-main.ts'), ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent' },
  });
/** The same, for input it must refuse: its exit code and what it said. */
const refused = (args: string[]) =>
  cli(args).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string; stdout: string }) => error,
  );

describe('scoring first replies', () => {
  it('tells right, on path, clarify, wrong and nothing apart, per language', () => {
    const messages = readLabelledSet(readFileSync(FIXTURE, 'utf8'), flows);
    const reply = firstReplies(flows, { zone: 'America/New_York', defaultLanguage: 'en' });
    const score = evaluateFirstReplies(flows, (text) => reply(text, TEST_NOW.toJSDate()), messages);
    expect(score.byLang).toEqual(EXPECTED);
    expect(score.messages.find((m) => m.outcome === 'onPath' && m.lang === 'en')).toMatchObject({
      expect: 'rs_phone',
      got: 'reschedule',
    });
    // Another need answered and this one offered under it: reached by one choice.
    expect(
      score.messages.find((m) => m.expect === 'bring' && m.text.startsWith('my password')),
    ).toMatchObject({
      outcome: 'clarify',
      got: 'acct_password+also:bring',
    });
  });

  it('counts the menu as right when the menu is what the message asks for', () => {
    const reply = firstReplies(flows, { zone: 'America/New_York', defaultLanguage: 'en' });
    const score = evaluateFirstReplies(flows, (text) => reply(text, TEST_NOW.toJSDate()), [
      { lang: 'en', text: 'menu', expect: flows.menu },
      { lang: 'en', text: 'menu', expect: 'bring' },
    ]);
    expect(score.messages.map((m) => [m.got, m.outcome])).toEqual([
      ['menu', 'right'],
      ['menu', 'nothing'],
    ]);
  });

  it('counts a list of topics that states no fact as asking which, for a message a good bot asks about', () => {
    const listed = { kind: 'node', node: 'about' } as const;
    const answered = { kind: 'node', node: 'bio_what' } as const;
    const asked = { kind: 'node', node: 'reschedule' } as const;
    expect(outcomeOf(flows, 'clarify', listed)).toBe('right');
    expect(outcomeOf(flows, 'clarify', answered)).toBe('wrong');
    // A question about one topic ("How do you want to change it?") has chosen the topic already.
    expect(outcomeOf(flows, 'clarify', asked)).toBe('wrong');
  });

  it('counts a system text as the topic whose questions it answers in part (graph.yaml system_answers), and no other', () => {
    const privacy = { kind: 'system', key: 'privacy_reply' } as const;
    const stop = { kind: 'system', key: 'stop_confirm' } as const;
    const languageSet = { kind: 'system', key: 'language_set' } as const;
    expect(flows.nodes.get('huella_about')?.systemAnswers).toContain('privacy_reply');
    expect(outcomeOf(flows, 'huella_about', privacy)).toBe('right');
    expect(outcomeOf(flows, 'bio_afraid', privacy)).toBe('wrong');
    // "how do i stop these texts" is answered by stopping them (the text says how to undo it).
    expect(outcomeOf(flows, 'huella_about', stop)).toBe('right');
    expect(outcomeOf(flows, 'bio_afraid', stop)).toBe('wrong');
    expect(outcomeOf(flows, 'huella_about', languageSet)).toBe('wrong');
  });

  it('counts a path only through questions: answers and the menu lead nowhere', () => {
    expect(leadsTo(flows, 'nm_start', 'nm_three_months')).toBe(true);
    expect(leadsTo(flows, 'account', 'acct_password')).toBe(true);
    expect(leadsTo(flows, 'bio_what', 'bring')).toBe(false);
    expect(leadsTo(flows, flows.menu, 'bring')).toBe(false);
    expect(leadsTo(flows, 'rs_online', 'acct_create')).toBe(false);
  });

  it('names what is wrong in a labelled file', () => {
    const read = (source: string) => () => readLabelledSet(source, flows);
    expect(read('- { lang: en, text: hi }')).toThrow(/item 1: .*exactly one of `expect` and `node`/);
    expect(read('- { lang: xx, text: salut, expect: bring }')).toThrow(/item 1: unknown lang "xx"/);
    expect(read('- { lang: en, text: hi, expect: nowhere }')).toThrow(/item 1: unknown node "nowhere"/);
    expect(read('[ { lang: en')).toThrow(LabelledSetError);
    expect(read('dev: []\nheldout: []')).toThrow(/named sets \(dev, heldout\): choose one with --set/);
  });
});

describe('npm run eval:understanding', () => {
  it('prints, with --json, only the counts per language', async () => {
    const { stdout, stderr } = await cli([FIXTURE, '--json']);
    expect(JSON.parse(stdout)).toEqual(EXPECTED);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(stderr).toBe('');
  }, 30_000);

  it('prints a table per language with counts and percents, then one summary line', async () => {
    const { stdout } = await cli([FIXTURE]);
    const lines = stdout.trim().split('\n');
    expect(lines).toContainEqual(
      expect.stringMatching(/^lang\s+n\s+right\s+on path\s+clarify\s+wrong\s+nothing$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^en\s+7\s+2 28\.6%\s+1 14\.3%\s+2 28\.6%\s+1 14\.3%\s+1 14\.3%$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^es\s+5\s+1 20\.0%\s+1 20\.0%\s+1 20\.0%\s+1 20\.0%\s+1 20\.0%$/),
    );
    expect(lines.at(-1)).toBe(
      'all: n=12, right 25.0%, reached 66.7% (right, on path or clarify), wrong 16.7%, nothing 16.7%',
    );
  }, 30_000);

  it('reads JSON, and `node` for `expect`', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'huella-eval-')), 'set.json');
    writeFileSync(file, JSON.stringify([{ lang: 'es', text: 'hola', node: 'bio_what' }]));
    const { stdout } = await cli([file, '--json']);
    expect(JSON.parse(stdout)).toEqual({
      es: { n: 1, right: 0, onPath: 0, clarify: 0, wrong: 0, nothing: 1 },
    });
  }, 30_000);

  it('refuses a file it cannot score with exit code 2 and says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huella-eval-'));
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const cases: [string[], RegExp][] = [
      [[write('broken.yaml', '- { lang: en, text: "hi"')], /not JSON or YAML/],
      [[write('node.yaml', '- { lang: en, text: hi, expect: nowhere }')], /item 1: unknown node "nowhere"/],
      [
        [write('lang.json', '[{"lang": "xx", "text": "salut", "expect": "bring"}]')],
        /item 1: unknown lang "xx"/,
      ],
      [[join(dir, 'missing.yaml')], /cannot read/],
      [[], /no file given/],
      [['test/fixtures/paraphrases.yaml'], /choose one with --set/],
    ];
    // Side by side: each is a process of its own that must start tsx (slow on a busy machine).
    const results = await Promise.all(cases.map(([args]) => refused(args)));
    cases.forEach(([, message], i) => {
      expect(results[i]!.code).toBe(2);
      expect(results[i]!.stderr).toMatch(message);
      expect(results[i]!.stderr).toContain('usage: npm run eval:understanding');
    });
  }, 180_000);
});
