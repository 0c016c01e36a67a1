import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadFlows } from '../../src/conversation/content.js';
import { firstReplies } from '../../src/conversation/first-reply.js';
import { evaluateFirstReplies, type LabelledMessage } from '../../src/understanding/evaluate.js';
import { TEST_NOW } from '../support/clock.js';

/**
 * How the first reply meets people's own phrasings, typos included, each the first message of a
 * new conversation (the scorer of `npm run eval:understanding`). The set was written blind to the
 * intent phrases in flows/: `dev` may be used to tune them, `heldout` is only measured.
 */
const set = {
  ...(parse(readFileSync(new URL('../fixtures/paraphrases.yaml', import.meta.url), 'utf8')) as {
    dev: LabelledMessage[];
    heldout: LabelledMessage[];
  }),
  // Written later by someone who saw neither the phrases nor the other sets; measured only.
  ...(parse(readFileSync(new URL('../fixtures/paraphrases-fresh.yaml', import.meta.url), 'utf8')) as {
    fresh: LabelledMessage[];
  }),
  // Written on 2026-12-06 by two more people who saw only the topics, their answers and the seeds,
  // labelling a message with the step it leads to when it tells enough: harder. Measured only.
  ...(parse(readFileSync(new URL('../fixtures/paraphrases-fresh2.yaml', import.meta.url), 'utf8')) as {
    fresh2: LabelledMessage[];
  }),
  // Written on 2026-12-06, after the statechart redesign, by one more person who saw only the
  // topics, their answers and the seeds. Measured only.
  ...(parse(readFileSync(new URL('../fixtures/paraphrases-fresh3.yaml', import.meta.url), 'utf8')) as {
    fresh3: LabelledMessage[];
  }),
  // French, written on 2026-12-06 by someone who saw only the topics, their answers and the seeds
  // (not the French pack): the first measure of a language added as data. Measured only.
  ...(parse(readFileSync(new URL('../fixtures/paraphrases-fr.yaml', import.meta.url), 'utf8')) as {
    fr: LabelledMessage[];
  }),
  // en, es and fr, written later that day by three more people who saw only the topics, their
  // answers and the seeds, after the matcher was checked by the classifier. Measured only.
  ...(parse(readFileSync(new URL('../fixtures/paraphrases-fresh4.yaml', import.meta.url), 'utf8')) as {
    fresh4: LabelledMessage[];
  }),
  // en, es and fr, written by three more people (the same brief) before the third training round
  // and the tuned combined pick, and first scored after both were chosen. Measured only.
  ...(parse(readFileSync(new URL('../fixtures/paraphrases-fresh5.yaml', import.meta.url), 'utf8')) as {
    fresh5: LabelledMessage[];
  }),
  // en, es and fr, written blind (the same brief) while a later session changed the understanding,
  // and first scored after the changes were committed. Measured only.
  ...(parse(readFileSync(new URL('../fixtures/paraphrases-fresh6.yaml', import.meta.url), 'utf8')) as {
    fresh6: LabelledMessage[];
  }),
  // en, es and fr, written blind (the same brief) at the start of a later session and scored on its
  // first commit before any change to the understanding. Measured only.
  ...(parse(readFileSync(new URL('../fixtures/paraphrases-fresh7.yaml', import.meta.url), 'utf8')) as {
    fresh7: LabelledMessage[];
  }),
  // en, es and fr, written blind (the same brief) at the start of the next session and scored on
  // its first commit, d1f8eff, before any change to the understanding. Measured only.
  ...(parse(readFileSync(new URL('../fixtures/paraphrases-fresh8.yaml', import.meta.url), 'utf8')) as {
    fresh8: LabelledMessage[];
  }),
  // en, es and fr, written blind at the start of the session after, leaning toward people the
  // earlier sets had few of, and scored on its first commit, e565fc0, before any change. Measured only.
  ...(parse(readFileSync(new URL('../fixtures/paraphrases-fresh9.yaml', import.meta.url), 'utf8')) as {
    fresh9: LabelledMessage[];
  }),
  // en, es and fr, written blind at the start of the next session, leaning toward the online
  // account, the work permit's days, short texts and two needs in one; scored on 28750df before
  // any change. Measured only.
  ...(parse(readFileSync(new URL('../fixtures/paraphrases-fresh10.yaml', import.meta.url), 'utf8')) as {
    fresh10: LabelledMessage[];
  }),
  // en, es and fr, written blind at the start of the session after, leaning toward a relative's
  // appointment, times told in the person's own way, and biometrics mixed up with court or ICE;
  // scored on 2becbe4 before any change. Measured only.
  ...(parse(readFileSync(new URL('../fixtures/paraphrases-fresh11.yaml', import.meta.url), 'utf8')) as {
    fresh11: LabelledMessage[];
  }),
  // en, es and fr, written blind at the start of the session after, leaning toward the online
  // account, what comes after the appointment, reminders asked for, and a relative's appointment;
  // scored on df23202 before any change. Measured only.
  ...(parse(readFileSync(new URL('../fixtures/paraphrases-fresh12.yaml', import.meta.url), 'utf8')) as {
    fresh12: LabelledMessage[];
  }),
  // en, es and fr, written blind at the start of the session after, leaning toward a missed or
  // soon-missed appointment, changing the date, still waiting, what to bring, court or USCIS, the
  // bot itself, and two needs in one message; scored on e595c6e before any change. Measured only.
  ...(parse(readFileSync(new URL('../fixtures/paraphrases-fresh13.yaml', import.meta.url), 'utf8')) as {
    fresh13: LabelledMessage[];
  }),
  // en, es and fr, written blind at the start of the session after, leaning toward the online
  // account, the appointment itself, the work permit, legal help, reminders and the bot, needs the
  // bot does not cover, and two needs in one message; scored on 5a7150a before any change. Measured only.
  ...(parse(readFileSync(new URL('../fixtures/paraphrases-fresh14.yaml', import.meta.url), 'utf8')) as {
    fresh14: LabelledMessage[];
  }),
  // en, es and fr, written blind at the start of the session after, leaning toward the day itself,
  // what to bring, waiting and the status, a missed appointment, reminders with dates as people
  // write them, one-word and hard-to-place messages, and two needs in one message; scored on
  // 696e5e1 before any change. Measured only.
  ...(parse(readFileSync(new URL('../fixtures/paraphrases-fresh15.yaml', import.meta.url), 'utf8')) as {
    fresh15: LabelledMessage[];
  }),
  // en, es and fr, written blind at the start of the session after, leaning toward someone writing
  // for another person, letters people do not understand, worry beside a practical question, the
  // account from a phone, after the appointment, and very short or odd messages; scored on
  // f2fc36a before any change. Measured only.
  ...(parse(readFileSync(new URL('../fixtures/paraphrases-fresh16.yaml', import.meta.url), 'utf8')) as {
    fresh16: LabelledMessage[];
  }),
  // en, es and fr, written blind at the start of the session after, leaning toward the day itself
  // (a lost ID, children, being late), changing or missing the date, waiting with no news, Huella
  // itself (safety, stopping, deleting), and replies sent as if the bot had asked something;
  // scored on 1d28232 before any change. Measured only.
  ...(parse(readFileSync(new URL('../fixtures/paraphrases-fresh17.yaml', import.meta.url), 'utf8')) as {
    fresh17: LabelledMessage[];
  }),
  // en, es and fr, written blind at the start of the session after, leaning toward the online
  // account, the notice itself (which letter is which), after the appointment, Huella's reminders,
  // and replies sent as if the bot had asked something; scored on c89ab98 before any change.
  ...(parse(readFileSync(new URL('../fixtures/paraphrases-fresh18.yaml', import.meta.url), 'utf8')) as {
    fresh18: LabelledMessage[];
  }),
  // en, es and fr, written blind after that session's changes, spread over all topics with small
  // stories, worries and what did not happen; scored once on aba7861, not tuned on. Measured only.
  ...(parse(readFileSync(new URL('../fixtures/paraphrases-fresh19.yaml', import.meta.url), 'utf8')) as {
    fresh19: LabelledMessage[];
  }),
  // en, es and fr, written blind, leaning to the appointment day, messages for someone else, dates
  // beside the question, two needs, and visits that went wrong; scored on ab25242 before any change.
  ...(parse(readFileSync(new URL('../fixtures/paraphrases-fresh20.yaml', import.meta.url), 'utf8')) as {
    fresh20: LabelledMessage[];
  }),
  // en, es and fr, written blind after that session's changes, leaning to the account, the wait,
  // what comes next, feelings and short messages; scored once on 6fc2212, not tuned on.
  ...(parse(readFileSync(new URL('../fixtures/paraphrases-fresh21.yaml', import.meta.url), 'utf8')) as {
    fresh21: LabelledMessage[];
  }),
  // en, es and fr, written blind, leaning to changing or missing the appointment, the reminders and
  // Huella itself, court or USCIS, the wait, and odd messages; scored on 06b07e0 before any change.
  ...(parse(readFileSync(new URL('../fixtures/paraphrases-fresh22.yaml', import.meta.url), 'utf8')) as {
    fresh22: LabelledMessage[];
  }),
  // en, es and fr, written blind after this session's changes, leaning to two needs in a message,
  // what people do not want, numbers told for other things, relatives and the account; scored
  // once on b35ca92, not tuned on.
  ...(parse(readFileSync(new URL('../fixtures/paraphrases-fresh23.yaml', import.meta.url), 'utf8')) as {
    fresh23: LabelledMessage[];
  }),
};
/**
 * Regression guards: right at once, reached (right, on path or offered by one question), confidently
 * wrong; three points under what each set and language scored on 2026-12-06 (README), after the
 * topic pick became the matcher and the classifier combined (the classifier answering alone from
 * 0.8), with the third round of training messages.
 */
const GUARDS = {
  dev: { right: 0.9, reached: 0.93, wrong: 0.07 },
  heldout: { right: 0.75, reached: 0.86, wrong: 0.12 },
  fresh: { right: 0.84, reached: 0.9, wrong: 0.1 },
  fresh2: { right: 0.82, reached: 0.87, wrong: 0.12 },
  fresh3: { right: 0.84, reached: 0.9, wrong: 0.08 },
  fr: { right: 0.8, reached: 0.9, wrong: 0.07 },
  fresh4: { right: 0.73, reached: 0.82, wrong: 0.17 },
  fresh5: { right: 0.72, reached: 0.79, wrong: 0.18 },
  // Three points under its first blind scores (2026-12-06, the second session).
  fresh6: { right: 0.74, reached: 0.84, wrong: 0.16 },
  // Three points under its blind scores at 1b25d1a, the worst language's (en: 79.3 / 84.5 / 15.5).
  fresh7: { right: 0.76, reached: 0.81, wrong: 0.19 },
  // Three points under its blind scores at d1f8eff, the worst language's (fr: 76.7 / 90.0 / 10.0).
  fresh8: { right: 0.73, reached: 0.87, wrong: 0.13 },
  // Three points under its blind scores at e565fc0, the worst language's (en right 79.3; fr
  // reached 87.9, wrong 12.1).
  fresh9: { right: 0.76, reached: 0.84, wrong: 0.15 },
  // Three points under its blind scores at 28750df, the worst language's (es: 80.0 / 87.3 / 12.7).
  fresh10: { right: 0.77, reached: 0.84, wrong: 0.16 },
  // Three points under its blind scores at 2becbe4, the worst language's (fr: 82.8 / 89.7 / 10.3).
  fresh11: { right: 0.79, reached: 0.86, wrong: 0.14 },
  // Three points under its blind scores at df23202, the worst language's (fr right 80.6; en
  // reached 91.7, wrong 8.3).
  fresh12: { right: 0.77, reached: 0.88, wrong: 0.12 },
  // Three points under its blind scores at e595c6e, the worst language's (en right 78.0; fr
  // reached 87.1, wrong 12.9).
  fresh13: { right: 0.75, reached: 0.84, wrong: 0.16 },
  // Three points under its blind scores at 5a7150a, the worst language's (fr: 82.0 / 86.9 / 13.1).
  fresh14: { right: 0.79, reached: 0.83, wrong: 0.17 },
  // Three points under its blind scores at 696e5e1, the worst language's (en right at once 75.9,
  // es reached 87.7, wrong 12.3).
  fresh15: { right: 0.72, reached: 0.84, wrong: 0.16 },
  // Three points under its blind scores at f2fc36a, the worst language's (en: right at once 77.0,
  // reached 86.9, wrong 11.5).
  fresh16: { right: 0.74, reached: 0.83, wrong: 0.15 },
  // Three points under its blind scores at 1d28232, the worst language's (en: right at once 81.7;
  // fr: reached 91.7; es: wrong 6.9).
  fresh17: { right: 0.78, reached: 0.88, wrong: 0.1 },
  // Three points under its blind scores at c89ab98, the worst language's (fr: right at once 76.3;
  // en: reached 83.1, wrong 13.6).
  fresh18: { right: 0.73, reached: 0.8, wrong: 0.17 },
  // Three points under its blind scores at aba7861, the worst language's (fr: right at once 80.0,
  // reached 90.0, wrong 10.0).
  fresh19: { right: 0.77, reached: 0.87, wrong: 0.13 },
  // Three points under its blind scores at ab25242, the worst language's (en: right at once 73.3;
  // fr: reached 78.7, wrong 21.3).
  fresh20: { right: 0.7, reached: 0.75, wrong: 0.24 },
  // Three points under its blind scores at 6fc2212, the worst language's (es: right at once 85.0,
  // reached 91.7, wrong 8.3).
  fresh21: { right: 0.82, reached: 0.88, wrong: 0.11 },
  // Three points under its blind scores at 06b07e0, the worst language's (fr: right at once 75.9,
  // reached 82.8, wrong 15.5).
  fresh22: { right: 0.72, reached: 0.79, wrong: 0.19 },
  // Three points under its blind scores at b35ca92, the worst language's (en: right at once 78.0,
  // reached 88.1, wrong 11.9).
  fresh23: { right: 0.75, reached: 0.85, wrong: 0.15 },
};
const flows = loadFlows();
const firstReply = firstReplies(flows, { zone: 'America/New_York', defaultLanguage: 'en' });
const reply = (text: string) => firstReply(text, TEST_NOW.toJSDate());

describe('free-text understanding on the paraphrase set', () => {
  for (const section of [
    'dev',
    'heldout',
    'fresh',
    'fresh2',
    'fresh3',
    'fr',
    'fresh4',
    'fresh5',
    'fresh6',
    'fresh7',
    'fresh8',
    'fresh9',
    'fresh10',
    'fresh11',
    'fresh12',
    'fresh13',
    'fresh14',
    'fresh15',
    'fresh16',
    'fresh17',
    'fresh18',
    'fresh19',
    'fresh20',
    'fresh21',
    'fresh22',
    'fresh23',
  ] as const) {
    const guard = GUARDS[section];
    for (const lang of [...new Set(set[section].map((m) => m.lang))]) {
      it(`${section} ${lang}: at least ${Math.round(guard.right * 100)}% answered right at once, ${Math.round(guard.reached * 100)}% reached (right, on its path or offered by one clarifying question), at most ${Math.round(guard.wrong * 100)}% confidently wrong`, () => {
        const messages = set[section].filter((m) => m.lang === lang);
        expect(messages.length).toBeGreaterThanOrEqual(30);
        const score = evaluateFirstReplies(flows, reply, messages);
        const s = score.byLang[lang]!;
        const accuracy = s.right / s.n;
        const reachable = (s.right + s.onPath + s.clarify) / s.n;
        console.log(
          `${section} ${lang}: n=${s.n} right=${(accuracy * 100).toFixed(1)}% ` +
            `reached=${(reachable * 100).toFixed(1)}% on-path=${s.onPath} clarify=${s.clarify} wrong=${s.wrong} nothing=${s.nothing}`,
        );
        if (process.env.SHOW_FAILURES)
          for (const m of score.messages.filter((m) => m.outcome !== 'right'))
            console.log(`  ${m.outcome}: ${m.expect} <- ${m.got}: ${m.text}`);
        // A change that makes understanding worse than when the set was added fails here.
        expect(accuracy).toBeGreaterThanOrEqual(guard.right);
        expect(reachable).toBeGreaterThanOrEqual(guard.reached);
        expect(s.wrong / s.n).toBeLessThanOrEqual(guard.wrong);
      });
    }
  }
});
