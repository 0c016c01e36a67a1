import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

/**
 * The Host headers the simulator answers: loopback names with the port it listens on, and the
 * host of PUBLIC_BASE_URL. Any other name is a page of another site that made its own name
 * resolve to this machine (DNS rebinding), so the browser treats it as that site's own.
 */
export function allowedHosts(config: Pick<Config, 'port' | 'publicBaseUrl'>): Set<string> {
  const hosts = new Set<string>();
  for (const name of ['localhost', '127.0.0.1', '[::1]']) {
    hosts.add(`${name}:${config.port}`);
    if (config.port === 80) hosts.add(name);
  }
  hosts.add(new URL(config.publicBaseUrl).host);
  return hosts;
}

/**
 * Why a request may not reach the simulator, or undefined when it may: a foreign Host, an Origin
 * that is not this site's (browsers send one with every cross-site POST), or a POST that is not
 * JSON (an HTML form on another site can post form fields or text/plain without asking first;
 * a cross-site JSON post needs a preflight this server never grants).
 */
export function simulatorRefusal(
  request: Pick<FastifyRequest, 'method' | 'headers'>,
  hosts: ReadonlySet<string>,
): { status: 403 | 415; error: string } | undefined {
  const host = request.headers.host?.toLowerCase();
  if (host === undefined || !hosts.has(host)) return { status: 403, error: 'Unknown host' };
  const origin = request.headers.origin;
  if (origin !== undefined && originHost(origin) !== host)
    return { status: 403, error: 'Cross-site request' };
  if (request.method === 'POST' && mediaType(request.headers['content-type']) !== 'application/json') {
    return { status: 415, error: 'Send JSON (content-type: application/json)' };
  }
  return undefined;
}

/** The onRequest hook that answers the refusal, if any. */
export function guardSimulator(hosts: ReadonlySet<string>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const refusal = simulatorRefusal(request, hosts);
    if (refusal === undefined) return;
    request.log.warn({ path: request.routeOptions.url, status: refusal.status }, 'simulator request refused');
    return reply.code(refusal.status).send({ error: refusal.error });
  };
}

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined; // "null" (a sandboxed frame, a file) is no site's origin
  }
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The start-up line that says whether the simulator is on, where, and who can reach it. */
export function simulatorNotice(config: Pick<Config, 'simulator' | 'localMode' | 'host' | 'publicBaseUrl'>): {
  level: 'info' | 'warn';
  msg: string;
} {
  switch (config.simulator) {
    case 'off':
      return {
        level: 'info',
        msg: config.localMode
          ? 'simulator off (SIMULATOR=off)'
          : 'simulator off: Twilio credentials are set (SIMULATOR=on with ADMIN_PASSWORD puts it behind the operator login)',
      };
    case 'login':
      return {
        level: 'warn',
        msg: `simulator on at ${config.publicBaseUrl}/ behind the operator login (SIMULATOR=on): whoever logs in can act for any phone number, and reminders it sends are real texts`,
      };
    case 'local':
      return isLoopback(config.host)
        ? {
            level: 'info',
            msg: `simulator on at ${config.publicBaseUrl}/ without login: local mode (no Twilio credentials), listening on ${config.host} so only this machine reaches it`,
          }
        : {
            level: 'warn',
            msg: `simulator on at ${config.publicBaseUrl}/ without login, and HOST=${config.host} lets other machines reach it: local mode only, nothing is texted`,
          };
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
