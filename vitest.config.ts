import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The conversation and reminder tests run at the tests' fixed instant and again at a few others
 * (test/support/clock.ts): 40 and 400 days on (a new year, a year on), two days before daylight
 * saving time starts (reminders across the change), and the day before a leap day.
 */
const OTHER_INSTANTS: Record<string, string> = {
  '+40 days': '2027-01-01T16:00:00Z',
  '+400 days': '2027-12-27T16:00:00Z',
  'before DST': '2027-03-12T16:00:00Z',
  'leap day': '2028-02-28T16:00:00Z',
};
/**
 * The suites that run again on a real Redis Cluster (three primaries, three replicas; one per
 * file, test/support/redis.ts): the conversation, reminders end to end, and DELETE.
 */
const ON_CLUSTER = [
  'test/conversation/service.test.ts',
  'test/reminders/reminders.integration.test.ts',
  'test/privacy/delete-retention.test.ts',
];
/** The files whose dates come from the test clock (the others hold fixed instants of their own). */
const DATED = [
  'test/conversation/service.test.ts',
  'test/conversation/appointments.test.ts',
  'test/reminders/reminders.integration.test.ts',
  'test/reminders/scheduler.test.ts',
  'test/reminders/saved-line.test.ts',
  'test/flows/golden.test.ts',
];

/**
 * The files that wait longest on real processes (faults, benchmarks, the reminders at each
 * instant) start early, each beside a file that keeps the cores busy. Queued last, as vitest
 * queues unknown files (largest first), they ran alone at the end while the other workers sat
 * idle (the suite took 274–320 s); started all at once, they held every worker for the first
 * 100 s while the cores waited with them (261–283 s).
 */
const WAITS_LONG = [/\/test\/faults\//, /\/test\/bench\//, /reminders\.integration\.test\.ts$/];
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = WAITS_LONG.findIndex((p) => p.test(f.moduleId));
      return i < 0 ? WAITS_LONG.length : i;
    };
    const waiting = sorted.filter((f) => rank(f) < WAITS_LONG.length).sort((a, b) => rank(a) - rank(b));
    const busy = sorted.filter((f) => rank(f) === WAITS_LONG.length);
    // One that waits, then one that works, while both last; the rest of the workers after.
    const order: TestSpecification[] = [];
    for (let i = 0; i < Math.max(waiting.length, busy.length); i++) {
      for (const file of [waiting[i], busy[i]]) if (file) order.push(file);
    }
    return order;
  }
}

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Left to itself, vitest ran one file at a time on the 2-core CI machine. Many files wait on
    // processes, Redis and timers (the reminders suite waits ~28 s for its reminders at each of
    // six instants and engines; the faults and benchmarks for a minute or more), so six at a time,
    // each long wait beside a busy file, keep the two cores busy: 248 s on this machine, where 4
    // took 277–284 s (2026-12-06).
    maxWorkers: 6,
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        extends: true,
        // The test files of this project share their worker's modules (isolate: false): each process
        // loads the flows, the classifiers and the libraries once, not once per file (that import
        // was a third of the suite's CPU). Files keep apart by what they build: an app, a Redis
        // database and a log file offset of their own. Each instant's project below shares them
        // too, within itself only (vitest reuses a worker for one project's files): its clock
        // instant is read from the environment when a module loads. The cluster's stays isolated.
        test: { name: 'huella', include: ['test/**/*.test.ts'], isolate: false },
      },
      ...Object.entries(OTHER_INSTANTS).map(([name, instant]) => ({
        // Without "as const" the map widens it to boolean, which vitest's types refuse.
        extends: true as const,
        test: { name: `at ${name}`, include: DATED, env: { HUELLA_TEST_NOW: instant }, isolate: false },
      })),
      {
        extends: true,
        test: {
          name: 'on a cluster',
          include: ON_CLUSTER,
          env: { HUELLA_TEST_REDIS: 'cluster' },
          setupFiles: ['test/support/cluster-file.ts'],
        },
      },
    ],
  },
});
