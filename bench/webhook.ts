/**
 * Webhook: correctly signed inbound messages from many phones, through Huella's whole path
 * (signature, dedupe, lock, understanding, machine, Redis, TwiML) in its own web process, driven by
 * autocannon; in the same run, the same requests against a bare Fastify route doing the same
 * signature check and one Redis GET and SET (bench/bare-webhook.ts). Both run as compiled JS in
 * separate processes; Huella's web processes log to a temporary file (its error lines are reported),
 * the bare route to /dev/null.
 * Memory: resident size of the web and worker processes idle and under that load (and the baseline's).
 * With `plumbing`, a third side takes its turn in each round: Huella's web process with the
 * conversation left out (no reading, no machine step, no metrics; a fixed reply), everything else
 * as deployed: the signature check, the person id, the flood limit, the load and save scripts,
 * the snapshot read and written back, the logs and the TwiML. It shows how much of the gap to
 * the bare route is the conversation and how much the rest of the path.
 * BENCH_WEBHOOK_REQUESTS (default 30000 per side), BENCH_PHONES (10000), BENCH_CONNECTIONS (50),
 * BENCH_ROUNDS (3: the sides take turns, the round with the median ratio is reported),
 * BENCH_WEB_REPLICAS (1: Huella's web processes, the connections split between them; the memory
 * figures are the first one's);
 * LOG_LEVEL of both servers: `logLevel` (default info, as deployed); BENCH_CPU_PROF=<dir> writes
 * every process's CPU profile there.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import twilio from 'twilio';
import { parse } from 'yaml';
import { toTwiml } from '../src/channels/twilio-webhook.js';
import { loadFlows } from '../src/conversation/content.js';
import { keys } from '../src/store/keys.js';
import { type RedisClient, scanKeys } from '../src/store/redis.js';
import { freePort } from '../test/support/ports.js';
import { cpuMs, errorLines, mib, type NodeProcess, sampleRss, startNode } from './processes.js';
import { benchPhone, profileArgs, redisCpuMs, startBenchHuella } from './support.js';

const PATH = '/twilio/messages';
const FIXTURES = fileURLToPath(new URL('../test/fixtures/', import.meta.url));

/** Short messages people send, in both languages: greetings, menu numbers, commands, thanks. */
const SHORT_BODIES = [
  'hola',
  'what do I bring',
  '2',
  'menu',
  '1',
  'qué llevo a la cita de huellas',
  'I never got my notice',
  'gracias',
  'help',
  'how do I make a uscis account',
  'no me llegó la carta',
  '3',
  '0',
  'what is biometrics',
  'necesito cambiar mi cita',
  'remind me',
  'hi',
  'where is my appointment',
  'thank you',
  'ayuda',
];

export interface WebhookRun {
  target: string;
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** 200 answers whose TwiML is the "try again later" text (the conversation failed). */
  troubleReplies: number;
  /** 200 answers with no text at all (nobody in this mix should get silence). */
  silentReplies: number;
  /** 200 answers that are the plumbing side's fixed reply (all of its answers, none of Huella's). */
  fixedReplies: number;
  /** CPU time per request, in ms: the server process, redis-server, and the load generator (this process). */
  cpuPerRequestMs?: { server: number; redis: number; loadGenerator: number };
}

/** Runs `drive` and adds how much CPU the server, Redis and the load generator spent per request. */
async function measured(
  run: () => Promise<WebhookRun>,
  server: NodeProcess | NodeProcess[],
  redis: RedisClient,
): Promise<WebhookRun> {
  const servers = Array.isArray(server) ? server : [server];
  const serverCpu = () => servers.reduce((total, p) => total + cpuMs(p.pid), 0);
  const before = { server: serverCpu(), redis: await redisCpuMs(redis), self: process.cpuUsage() };
  const result = await run();
  const self = process.cpuUsage(before.self);
  const per = (ms: number) => Math.round((ms / result.requests) * 1000) / 1000;
  return {
    ...result,
    cpuPerRequestMs: {
      server: per(serverCpu() - before.server),
      redis: per((await redisCpuMs(redis)) - before.redis),
      loadGenerator: per((self.user + self.system) / 1000),
    },
  };
}

/**
 * Half short messages, half questions in people's own words (the understanding test's messages:
 * typos, no accents, Spanglish), so words the matcher has not seen keep coming.
 */
function messageBodies(): string[] {
  const written = ['paraphrases.yaml', 'paraphrases-fresh.yaml'].flatMap((file) => {
    const sets = parse(readFileSync(join(FIXTURES, file), 'utf8')) as Record<string, { text: string }[]>;
    return Object.values(sets).flatMap((set) => set.map((item) => item.text));
  });
  return written.flatMap((text, i) => [text, SHORT_BODIES[i % SHORT_BODIES.length]!]);
}

/** Correctly signed webhook bodies, each with a new MessageSid, spread evenly over the phones. */
function requestSource(phones: number, account: { accountSid: string; authToken: string; url: string }) {
  const bodies = messageBodies();
  let i = 0;
  return {
    next(): { body: string; signature: string } {
      const n = i++;
      // 7919 is prime to any count of phones that is not a multiple of it: consecutive requests hit different phones.
      const phone = (n * 7919) % phones;
      const number = benchPhone(phone);
      const whatsapp = phone % 10 === 0;
      const params = {
        MessageSid: `SM${String(n).padStart(32, '0')}`,
        AccountSid: account.accountSid,
        From: whatsapp ? `whatsapp:${number}` : number,
        To: whatsapp ? 'whatsapp:+14155238886' : '+15005550006',
        Body: bodies[(n + Math.floor(n / phones)) % bodies.length]!,
        NumMedia: '0',
      };
      return {
        body: new URLSearchParams(params).toString(),
        signature: twilio.getExpectedTwilioSignature(account.authToken, account.url, params),
      };
    },
  };
}

/** What a run reads in the answers: the "try again later" texts, and how long a client waits for one. */
interface Answers {
  trouble: string[];
  timeoutSec: number;
}

async function drive(
  target: string,
  url: string,
  source: ReturnType<typeof requestSource>,
  amount: number,
  connections: number,
  answers: Answers,
): Promise<WebhookRun> {
  let troubleReplies = 0;
  // autocannon notices the end on its one-second tick: time the run from the responses instead.
  const started = performance.now();
  let lastAnswer = started;
  let silentReplies = 0;
  let fixedReplies = 0;
  const result = await autocannon({
    url,
    connections,
    amount,
    timeout: answers.timeoutSec,
    requests: [
      {
        method: 'POST',
        path: PATH,
        setupRequest: (request) => {
          const { body, signature } = source.next();
          return {
            ...request,
            body,
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              'x-twilio-signature': signature,
            },
          };
        },
        onResponse: (status, body) => {
          lastAnswer = performance.now();
          if (status !== 200) return;
          if (body.includes(FIXED_REPLY_START)) fixedReplies++;
          if (!body.includes('<Message>')) silentReplies++;
          else if (answers.trouble.some((t) => body.includes(t))) troubleReplies++;
        },
      },
    ],
  });
  const total = result.requests.total;
  const seconds = (lastAnswer - started) / 1000;
  return {
    target,
    requests: total,
    seconds: Math.round(seconds * 100) / 100,
    rps: Math.round(total / seconds),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    troubleReplies,
    silentReplies,
    fixedReplies,
  };
}

/**
 * `drive` against several replicas of one server at once, the connections and requests split
 * evenly (each replica gets its own share, as a proxy in front would spread them). Counts add up;
 * the latency figures are the worst replica's (percentiles do not add).
 */
async function driveReplicas(
  target: string,
  urls: string[],
  source: ReturnType<typeof requestSource>,
  amount: number,
  connections: number,
  answers: Answers,
): Promise<WebhookRun> {
  if (urls.length === 1) return drive(target, urls[0]!, source, amount, connections, answers);
  const share = (total: number) => Math.max(1, Math.round(total / urls.length));
  const runs = await Promise.all(
    urls.map((url) => drive(target, url, source, share(amount), share(connections), answers)),
  );
  const sum = (f: (r: WebhookRun) => number) => runs.reduce((total, r) => total + f(r), 0);
  const max = (f: (r: WebhookRun) => number) => Math.max(...runs.map(f));
  const requests = sum((r) => r.requests);
  const seconds = max((r) => r.seconds);
  return {
    target,
    requests,
    seconds,
    rps: Math.round(requests / seconds),
    p50Ms: max((r) => r.p50Ms),
    p99Ms: max((r) => r.p99Ms),
    maxMs: max((r) => r.maxMs),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    troubleReplies: sum((r) => r.troubleReplies),
    silentReplies: sum((r) => r.silentReplies),
    fixedReplies: sum((r) => r.fixedReplies),
  };
}

/** Sum of every conversation's revision: one per saved turn (on every primary of a cluster). */
async function savedTurns(redis: RedisClient): Promise<{ conversations: number; turns: number }> {
  let conversations = 0;
  let turns = 0;
  for await (const { node, keys: found } of scanKeys(redis, keys.conversation('*'))) {
    const pipeline = node.pipeline();
    for (const key of found) pipeline.hget(key, 'rev');
    const revs = (await pipeline.exec()) ?? [];
    conversations += found.length;
    for (const [, rev] of revs) turns += Number(rev ?? 0);
  }
  return { conversations, turns };
}

export async function benchWebhook(
  opts: {
    requests?: number;
    phones?: number;
    connections?: number;
    warmup?: number;
    /** LOG_LEVEL of both servers (info, as deployed; warn leaves the per-request lines out). */
    logLevel?: string;
    /** Turns each side takes (the requests split between them); the median round is reported. */
    rounds?: number;
    /** Changes the compiled copy of src/ before the servers start (to try a change). */
    prepare?: (dir: string) => void;
    /** Adds the third side described at the top of this file. */
    plumbing?: boolean;
    /** Huella web processes side by side (default 1), the load spread over them; the bare route stays one. */
    replicas?: number;
    /**
     * Seconds a client waits for an answer before counting a timeout (default 10, as Twilio waits
     * about 15). The CI-size run waits much longer: there it checks that every message is
     * answered, whatever the machine's speed, not how fast.
     */
    clientTimeoutSec?: number;
  } = {},
) {
  const requests = opts.requests ?? Number(process.env.BENCH_WEBHOOK_REQUESTS ?? 30_000);
  const phones = opts.phones ?? Number(process.env.BENCH_PHONES ?? 10_000);
  const connections = opts.connections ?? Number(process.env.BENCH_CONNECTIONS ?? 50);
  const warmup = opts.warmup ?? Math.min(5_000, Math.ceil(requests / 5));
  const rounds = opts.rounds ?? Number(process.env.BENCH_ROUNDS ?? 3);
  const replicas = opts.replicas ?? Number(process.env.BENCH_WEB_REPLICAS ?? 1);
  const flows = loadFlows();
  const trouble = flows.languages.map((lang) => {
    const text = flows.packs.get(lang)!.system.error_later;
    return /<Message>(.*)<\/Message>/s.exec(toTwiml([text]))![1]!.slice(0, 40);
  });
  const answers: Answers = { trouble, timeoutSec: opts.clientTimeoutSec ?? 10 };

  const bench = await startBenchHuella(
    { LOG_LEVEL: opts.logLevel ?? 'info' },
    ['bench/bare-webhook.ts'],
    (dir) => {
      if (opts.plumbing) withoutConversation(dir);
      opts.prepare?.(dir);
    },
  );
  const servers: NodeProcess[] = [];
  // Huella's web processes log to files here, read back only for their errors (`errorLog`).
  const logDir = mkdtempSync(join(tmpdir(), 'huella-bench-webhook-'));
  const webLogs: string[] = [];
  const startServer = async (script: string, env: Record<string, string> = {}) => {
    const port = await freePort();
    const logTo = script === 'src/web-main.js' ? join(logDir, `web-${port}.log`) : undefined;
    if (logTo) webLogs.push(logTo);
    const server = await startNode(
      join(bench.dir, script),
      { ...bench.env, ...env, PORT: String(port) },
      { url: `http://127.0.0.1:${port}/livez` },
      profileArgs(),
      undefined,
      logTo,
    );
    servers.push(server);
    return { server, url: `http://127.0.0.1:${port}` };
  };
  try {
    const webs = [];
    for (let i = 0; i < replicas; i++) webs.push(await startServer('src/web-main.js'));
    const web = webs[0]!.server;
    const webUrls = webs.map((w) => w.url);
    const { server: bare, url: bareUrl } = await startServer('bench/bare-webhook.js');
    const plumbing = opts.plumbing
      ? await startServer('src/web-main.js', { [FIXED_REPLY_ENV]: '1' })
      : undefined;
    await bench.startWorkers(1);
    const worker = bench.workers[0]!;
    await sleep(2_000);
    const idle = { web: web.rss(), worker: worker.rss(), bare: bare.rss() };

    const source = requestSource(phones, {
      accountSid: bench.fake.accountSid,
      authToken: bench.fake.authToken,
      url: `${bench.env.PUBLIC_BASE_URL}${PATH}`,
    });
    await drive('bare', bareUrl, source, warmup, connections, answers);
    const warm = await driveReplicas('huella', webUrls, source, warmup, connections, answers);
    const warmPlumbing = plumbing
      ? await drive('plumbing', plumbing.url, source, warmup, connections, answers)
      : undefined;
    // The machine's speed drifts (other work, a shared host): the two sides take turns, `rounds`
    // times, and the round with the median ratio is reported, each side's figures from that round.
    const bareSampler = sampleRss([bare]);
    const ourSampler = sampleRss([web, worker]);
    const perRound = Math.ceil(requests / rounds);
    const pairs: { bare: WebhookRun; ours: WebhookRun; plumbing?: WebhookRun }[] = [];
    for (let round = 0; round < rounds; round++) {
      const bareRun = await measured(
        () => drive('bare', bareUrl, source, perRound, connections, answers),
        bare,
        bench.admin,
      );
      const ourRun = await measured(
        () => driveReplicas('huella', webUrls, source, perRound, connections, answers),
        webs.map((w) => w.server),
        bench.admin,
      );
      const plumbingRun = plumbing
        ? await measured(
            () => drive('plumbing', plumbing.url, source, perRound, connections, answers),
            plumbing.server,
            bench.admin,
          )
        : undefined;
      pairs.push({ bare: bareRun, ours: ourRun, ...(plumbingRun ? { plumbing: plumbingRun } : {}) });
    }
    const [bareLoaded] = bareSampler.stop();
    const [webLoaded, workerLoaded] = ourSampler.stop();
    const saved = await savedTurns(bench.admin);
    // Stopped first, so that every line they logged is in their files.
    await Promise.all(servers.map((p) => p.stop()));
    const errorLog = errorLines(webLogs);
    const byRatio = [...pairs].sort((a, b) => a.ours.rps / a.bare.rps - b.ours.rps / b.bare.rps);
    const { bare: baseline, ours, plumbing: plumbingRun } = byRatio[Math.floor(byRatio.length / 2)]!;
    const all = [
      warm,
      ...(warmPlumbing ? [warmPlumbing] : []),
      ...pairs.flatMap((p) => [p.ours, ...(p.plumbing ? [p.plumbing] : [])]),
    ];
    const sum = (f: (r: WebhookRun) => number) => all.reduce((total, r) => total + f(r), 0);

    const ratio = ours.rps / baseline.rps;
    return {
      runs: pairs.flatMap((p) => [p.bare, p.ours, ...(p.plumbing ? [p.plumbing] : [])]),
      summary: {
        logLevel: opts.logLevel ?? 'info',
        replicas,
        phones,
        connections,
        requests,
        bareRps: baseline.rps,
        ourRps: ours.rps,
        ratio: Number(ratio.toFixed(2)),
        ourP50Ms: ours.p50Ms,
        ourP99Ms: ours.p99Ms,
        bareP99Ms: baseline.p99Ms,
        ourCpuPerRequestMs: ours.cpuPerRequestMs,
        bareCpuPerRequestMs: baseline.cpuPerRequestMs,
        rounds,
        roundRatios: pairs.map((p) => Number((p.ours.rps / p.bare.rps).toFixed(2))),
        ...(plumbingRun
          ? {
              plumbing: {
                rps: plumbingRun.rps,
                ratio: Number((plumbingRun.rps / baseline.rps).toFixed(2)),
                p50Ms: plumbingRun.p50Ms,
                p99Ms: plumbingRun.p99Ms,
                cpuPerRequestMs: plumbingRun.cpuPerRequestMs,
                roundRatios: pairs.map((p) => Number(((p.plumbing?.rps ?? 0) / p.bare.rps).toFixed(2))),
              },
            }
          : {}),
        non2xx: sum((r) => r.non2xx),
        troubleReplies: sum((r) => r.troubleReplies),
        /** The web processes' error lines by message: why any "try again later" was answered. */
        errorLog,
        silentReplies: sum((r) => r.silentReplies),
        errors: sum((r) => r.errors + r.timeouts),
        answered: sum((r) => r.requests),
        conversations: saved.conversations,
        savedTurns: saved.turns,
      },
      memory: {
        webIdleMiB: mib(idle.web),
        webLoadedMiB: mib(webLoaded ?? Number.NaN),
        workerIdleMiB: mib(idle.worker),
        workerDuringLoadMiB: mib(workerLoaded ?? Number.NaN),
        bareIdleMiB: mib(idle.bare),
        bareLoadedMiB: mib(bareLoaded ?? Number.NaN),
      },
    };
  } finally {
    await Promise.all(servers.map((p) => p.stop()));
    await bench.close();
    rmSync(logDir, { recursive: true, force: true });
  }
}

/** Set in the plumbing side's environment (see the top of this file); read only by the patched copy. */
const FIXED_REPLY_ENV = 'BENCH_FIXED_REPLY';
/** The plumbing side's answer: as long as a typical reply. */
const FIXED_REPLY =
  'Para su cita de huellas lleve una identificación con foto y la carta de la cita. Llegue 15 minutos antes. Responda 0 para el menú.';

/**
 * Patches the compiled copy of the conversation service (never src/) so that, with FIXED_REPLY_ENV
 * set, a turn reads nothing, runs no machine step and counts no metrics, and answers FIXED_REPLY;
 * the load and save around it stay. Throws when the compiled code no longer has the lines it
 * patches, so the benchmark test notices.
 */
function withoutConversation(dir: string): void {
  const file = join(dir, 'src/conversation/service.js');
  let code = readFileSync(file, 'utf8');
  const patches: [string, string][] = [
    [
      'const event = makeEvent(modeOf(before.value), before.context);',
      "const event = FIXED ? { type: 'FIXED' } : makeEvent(modeOf(before.value), before.context);",
    ],
    [
      'const snapshot = this.stepper.step(before, event);',
      'const snapshot = FIXED ? before : this.stepper.step(before, event);',
    ],
    [
      'const messages = this.renderReplies(context);',
      'const messages = FIXED ? [FIXED_TEXT] : this.renderReplies(context);',
    ],
    ['if (!result.limited)', 'if (!result.limited && !FIXED)'],
  ];
  for (const [from, to] of patches) {
    if (code.split(from).length !== 2) throw new Error(`the plumbing patch no longer applies: ${from}`);
    code = code.replace(from, to);
  }
  code += `\nconst FIXED = process.env.${FIXED_REPLY_ENV} === '1';\nconst FIXED_TEXT = ${JSON.stringify(FIXED_REPLY)};\n`;
  writeFileSync(file, code);
}
const FIXED_REPLY_START = FIXED_REPLY.slice(0, 30);
