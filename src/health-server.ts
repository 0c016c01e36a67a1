import { createServer, type Server } from 'node:http';

export interface HealthReport {
  /** The process can do its work now (Redis reachable, queue workers running). */
  ready: boolean;
  /** False only when the process is stuck and a restart would help. */
  live: boolean;
  details: Record<string, unknown>;
}

/**
 * A tiny HTTP server for a process that serves nothing else (the worker): `/livez` and `/readyz`
 * for Docker's HEALTHCHECK and orchestrators. Never exposes anything but these two answers.
 */
export async function startHealthServer(
  port: number,
  host: string,
  check: () => Promise<HealthReport>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET' || (path !== '/livez' && path !== '/readyz')) {
      response.writeHead(404).end();
      return;
    }
    check()
      .catch((error: unknown) => ({ ready: false, live: true, details: { error: String(error) } }))
      .then((report) => {
        const ok = path === '/livez' ? report.live : report.ready;
        response
          .writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' })
          .end(JSON.stringify({ status: ok ? 'ok' : 'unavailable', ...report.details }));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${bound}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
