import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import type { Clock } from '../clock.js';
import { renderMetrics } from '../metrics.js';
import type { RedisClient } from '../store/redis.js';
import { collectSummary, type Summary, summaryLines } from '../summary.js';
import { type OperatorCredentials, requireOperatorLogin } from './operator-login.js';

export interface AdminRoutesOptions {
  credentials: OperatorCredentials;
  redis: RedisClient;
  queues: Queue[];
  orgName: string | undefined;
  /** "This week" in the summary is counted from the app's clock. */
  clock: Clock;
  /** Opens a sealed snapshot, for the summary's counts. */
  unseal: (stored: string) => string;
}

/**
 * The operator's side, all behind one login from the environment (ADMIN_USER, ADMIN_PASSWORD):
 * the queue dashboard (Bull Board, read-only), a summary in counts, and Prometheus metrics.
 * Registered only when a password is set. Job payloads hold opaque ids only, so nothing on these
 * pages names a person.
 */
export default async function adminRoutes(app: FastifyInstance, opts: AdminRoutesOptions): Promise<void> {
  await requireOperatorLogin(app, { credentials: opts.credentials, redis: opts.redis });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Cache-Control', 'no-store');
    reply.header('X-Robots-Tag', 'noindex');
    return payload;
  });

  app.get('/metrics', async (_request, reply) => {
    const { contentType, text } = await renderMetrics(opts.redis, opts.queues);
    return reply.type(contentType).send(text);
  });

  app.get('/admin', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(indexPage(opts.orgName)),
  );

  app.get<{ Querystring: { format?: string } }>('/admin/summary', async (request, reply) => {
    const summary = await collectSummary(
      opts.redis,
      opts.queues,
      opts.unseal,
      DateTime.fromJSDate(opts.clock.now()),
    );
    const wantsJson = request.query.format === 'json' || request.headers.accept?.includes('application/json');
    if (wantsJson) return reply.send(summary);
    return reply.type('text/html; charset=utf-8').send(summaryPage(summary));
  });

  const board = new FastifyAdapter();
  createBullBoard({
    queues: opts.queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'Huella queues' } },
  });
  board.setBasePath('/admin/queues');
  await app.register(board.registerPlugin(), { prefix: '/admin/queues' });
}

const html = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${html(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1d1d1d}
table{border-collapse:collapse;width:100%}td{padding:.35rem .5rem;border-bottom:1px solid #ddd}td:last-child{text-align:right;font-variant-numeric:tabular-nums}
a{color:#0b57d0}</style></head><body>${body}</body></html>`;
}

function indexPage(orgName: string | undefined): string {
  return page(
    'Huella operators',
    `<h1>Huella</h1><p>${html(orgName ?? 'Operator pages')}</p><ul>
<li><a href="/admin/summary">Summary</a>: people waiting, appointments this week, opt-outs, failures</li>
<li><a href="/admin/queues">Queues</a>: scheduled reminders and texts being sent (read-only)</li>
<li><a href="/metrics">Metrics</a>: for Prometheus</li></ul>`,
  );
}

function summaryPage(summary: Summary): string {
  const rows = summaryLines(summary)
    .map(([label, value]) => `<tr><td>${html(label)}</td><td>${html(value)}</td></tr>`)
    .join('');
  return page(
    'Huella summary',
    `<h1>Summary</h1><p>Counts only; no personal data. As of ${html(summary.at)}.</p><table>${rows}</table>
<p><a href="/admin">Back</a> · <a href="/admin/summary?format=json">JSON</a></p>`,
  );
}
