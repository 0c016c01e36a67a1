/**
 * `npm run bench [scheduling|firing|weekly|turns|webhook|memory] [--cluster]`: runs the benchmarks
 * of the proof issue (all by default) and prints one table: each figure, its baseline from the
 * same run, the ratio, the target and whether it is met; then the machine and its load. Counts
 * come from BENCH_* variables (see each file); defaults are the full counts. `--cluster`
 * (or BENCH_REDIS=cluster) runs the scheduling, firing and webhook rows on a 3 + 3 Redis Cluster
 * (bench/support.ts); the other rows are left out then.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { benchFiring } from './firing.js';
import { benchScheduling } from './scheduling.js';
import { onCluster } from './support.js';
import { benchTurnCpu } from './turn-cpu.js';
import { benchWebhook } from './webhook.js';
import { benchWeekly } from './weekly.js';

interface Row {
  benchmark: string;
  figure: string;
  baseline: string;
  ratio: string;
  target: string;
  met: string;
}

const n = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a');
const yes = (ok: boolean) => (ok ? 'yes' : 'NO');
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const BENCHES = {
  async scheduling(): Promise<Row[]> {
    const s = await benchScheduling();
    console.log('scheduling', s);
    return [
      {
        benchmark: `scheduling: ${n(s.appointments)} appointments (${n(s.reminders)} reminders)`,
        figure: `${n(s.ourJobsPerSecond)} jobs/s`,
        baseline: `bare addBulk ${n(s.bareJobsPerSecond)} jobs/s`,
        ratio: s.ratio.toFixed(2),
        target: '≥ 0.5',
        met: yes(s.ratio >= 0.5 && s.jobsInRedis === s.reminders),
      },
      {
        benchmark: 'Redis memory per scheduled reminder',
        figure: `${n(s.ourBytesPerReminder)} B`,
        baseline: `bare job ${n(s.bareBytesPerJob)} B`,
        ratio: (s.ourBytesPerReminder / s.bareBytesPerJob).toFixed(2),
        target: '≤ 1,536 B',
        met: yes(s.ourBytesPerReminder <= 1536),
      },
    ];
  },

  async firing(): Promise<Row[]> {
    const f = await benchFiring();
    console.log('firing', f);
    const once =
      f.peopleReached === f.reminders &&
      f.peopleWithDuplicates === 0 &&
      f.strays === 0 &&
      Object.keys(f.textsPerPerson).length === 1;
    return [
      {
        benchmark: `firing: ${n(f.reminders)} reminders due within a minute`,
        figure: `${n(f.peopleReached)} reached, ${n(f.peopleWithDuplicates)} twice (${n(f.textsSent)} texts)`,
        baseline: '—',
        ratio: '—',
        target: 'each exactly once',
        met: yes(once),
      },
      {
        benchmark: 'firing lateness p50 / p99 / max',
        figure: `${n(f.latenessP50Ms)} / ${n(f.latenessP99Ms)} / ${n(f.latenessMaxMs)} ms`,
        baseline: 'due time',
        ratio: '—',
        target: 'p99 ≤ 1,000 ms, max ≤ 5,000 ms',
        met: yes(f.latenessP99Ms <= 1000 && f.latenessMaxMs <= 5000),
      },
    ];
  },

  async weekly(): Promise<Row[]> {
    const w = await benchWeekly();
    console.log('weekly', w);
    const none = w.peopleReached === w.people && w.peopleWithDuplicates === 0 && w.strays === 0;
    return [
      {
        benchmark: `weekly fan-out: ${n(w.people)} checks due at once, OUTBOUND_MPS=${w.mps}`,
        figure:
          w.fullWindows > 0
            ? `10-s windows ${w.minWindowRate}–${w.maxWindowRate}/s (${w.fullWindows} full), worst ${w.worstDeviationPct}% off`
            : `no full 10-s window (${w.sendSeconds} s of sending)`,
        baseline: `limit ${w.mps}/s`,
        ratio: (w.overallRate / w.mps).toFixed(2),
        target: 'within 5% in every window',
        met: w.fullWindows > 0 ? yes(w.worstDeviationPct <= 5) : 'n/a',
      },
      {
        benchmark: 'sending rate as Twilio sees it: busiest 1-s window (sliding)',
        figure: `${n(w.busiestSecond)} texts (${((w.busiestSecond / w.mps - 1) * 100).toFixed(1)}% over the limit)`,
        baseline: `limit ${w.mps}/s`,
        ratio: (w.busiestSecond / w.mps).toFixed(2),
        target:
          'reported (the reserved moments are held to the limit exactly: test/outbound/deliver.test.ts)',
        met: '—',
      },
      {
        benchmark: 'weekly fan-out: none lost',
        figure: `${n(w.peopleReached)} reached, ${n(w.peopleWithDuplicates)} twice (${n(w.textsSent)} texts in ${w.sendSeconds} s)`,
        baseline: '—',
        ratio: '—',
        target: 'everyone once',
        met: yes(none),
      },
    ];
  },

  async turns(): Promise<Row[]> {
    const c = await benchTurnCpu();
    console.log('turns', c);
    return [
      {
        benchmark: `worst turn CPU over ${n(c.bodies)} adversarial bodies × 2 states (${c.worstInput})`,
        figure: `${c.worstMs.toFixed(1)} ms`,
        baseline: `paraphrases p50 ${c.medianMs.toFixed(1)} ms`,
        ratio: (c.worstMs / c.medianMs).toFixed(1),
        target: '≤ 50 ms',
        met: yes(c.worstMs <= 50),
      },
      {
        benchmark: `median turn CPU over ${n(c.paraphrases)} paraphrases (new number each)`,
        figure: `${c.medianMs.toFixed(1)} ms (p99 ${c.p99Ms.toFixed(1)} ms)`,
        baseline: '—',
        ratio: '—',
        target: '— (reported)',
        met: '—',
      },
    ];
  },

  /**
   * At LOG_LEVEL=info (as deployed) and warn (no per-request lines), or only BENCH_LOG_LEVEL when
   * set; with the plumbing side (the path without the conversation) unless BENCH_PLUMBING=0.
   */
  async webhook(): Promise<Row[]> {
    const rows: Row[] = [];
    for (const logLevel of process.env.BENCH_LOG_LEVEL ? [process.env.BENCH_LOG_LEVEL] : ['info', 'warn']) {
      const plumbing = process.env.BENCH_PLUMBING !== '0';
      const { summary: s, memory: m } = await benchWebhook({ logLevel, plumbing });
      console.log('webhook', s, m);
      const failures = s.non2xx + s.errors + s.troubleReplies + s.silentReplies;
      const at = `LOG_LEVEL=${logLevel}`;
      rows.push(
        {
          benchmark: `webhook (${at}): ${n(s.requests)} signed messages, ${s.connections} connections, ${n(s.phones)} phones; median of ${s.rounds} rounds (ratios ${s.roundRatios.join(', ')})`,
          figure: `${n(s.ourRps)} req/s`,
          baseline: `bare route ${n(s.bareRps)} req/s`,
          ratio: s.ratio.toFixed(2),
          target: '≥ 0.35',
          met: yes(s.ratio >= 0.35),
        },
        {
          benchmark: `webhook (${at}) latency p50 / p99`,
          figure: `${s.ourP50Ms} / ${s.ourP99Ms} ms`,
          baseline: `bare p99 ${s.bareP99Ms} ms`,
          ratio: (s.ourP99Ms / s.bareP99Ms).toFixed(1),
          target: 'p99 ≤ 2.5 × bare p99',
          met: yes(s.ourP99Ms <= 2.5 * s.bareP99Ms),
        },
        ...(s.plumbing
          ? [
              {
                benchmark: `webhook (${at}) without the conversation: same path, fixed reply, no reading or machine (ratios ${s.plumbing.roundRatios.join(', ')})`,
                figure: `${n(s.plumbing.rps)} req/s, p50/p99 ${s.plumbing.p50Ms} / ${s.plumbing.p99Ms} ms`,
                baseline: `bare route ${n(s.bareRps)} req/s`,
                ratio: s.plumbing.ratio.toFixed(2),
                target: '— (reported)',
                met: '—',
              },
              {
                benchmark: `webhook (${at}) server CPU per request: Huella / without the conversation / bare`,
                figure: `${s.ourCpuPerRequestMs?.server} / ${s.plumbing.cpuPerRequestMs?.server} ms`,
                baseline: `bare ${s.bareCpuPerRequestMs?.server} ms`,
                ratio: '—',
                target: '— (reported)',
                met: '—',
              },
            ]
          : []),
        {
          benchmark: `webhook (${at}) failures (non-2xx, errors, "try later", silence)`,
          figure: `${n(failures)} of ${n(s.answered)}; ${n(s.savedTurns)} turns saved`,
          baseline: '—',
          ratio: '—',
          target: '0, one turn per message',
          met: yes(failures === 0 && s.savedTurns === s.answered),
        },
        {
          benchmark: `memory (RSS, ${at}): web idle / under the webhook load`,
          figure: `${m.webIdleMiB} / ${m.webLoadedMiB} MiB`,
          baseline: `bare route ${m.bareIdleMiB} / ${m.bareLoadedMiB} MiB`,
          ratio: (m.webLoadedMiB / m.bareLoadedMiB).toFixed(2),
          target: '— (reported)',
          met: '—',
        },
        {
          benchmark: `memory (RSS, ${at}): worker idle / during the webhook load`,
          figure: `${m.workerIdleMiB} / ${m.workerDuringLoadMiB} MiB`,
          baseline: '—',
          ratio: '—',
          target: '— (reported)',
          met: '—',
        },
      );
    }
    return rows;
  },
};

if (process.argv.includes('--cluster')) process.env.BENCH_REDIS = 'cluster';
const ON_CLUSTER: (keyof typeof BENCHES)[] = ['scheduling', 'firing', 'webhook'];
const names = (Object.keys(BENCHES) as (keyof typeof BENCHES)[]).filter(
  (name) => !onCluster() || ON_CLUSTER.includes(name),
);
const named = process.argv.slice(2).find((arg) => !arg.startsWith('--'));
const asked = named === 'memory' ? 'webhook' : named;
if (asked && !names.includes(asked as keyof typeof BENCHES)) {
  console.error(`unknown benchmark "${asked}": one of ${names.join(', ')}, memory`);
  process.exit(2);
}
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const where = onCluster() ? 'a Redis Cluster of 3 primaries and 3 replicas' : 'one redis-server';
console.log(`Huella benchmarks on ${machine}, Redis: ${where}; load average at start ${load()}\n`);
const rows: Row[] = [];
for (const name of asked ? [asked as keyof typeof BENCHES] : names) rows.push(...(await BENCHES[name]()));

const columns: (keyof Row)[] = ['benchmark', 'figure', 'baseline', 'ratio', 'target', 'met'];
console.log(`\n| ${columns.join(' | ')} |\n| ${columns.map(() => '---').join(' | ')} |`);
const tag = onCluster() ? ' [cluster]' : '';
for (const row of rows)
  console.log(`| ${columns.map((c) => (c === 'benchmark' ? row[c] + tag : row[c])).join(' | ')} |`);
console.log(`\n${machine}; load average at the end ${load()} (1, 5, 15 min); ${new Date().toISOString()}`);
process.exit(0);
