import { createHash, timingSafeEqual } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RedisClient } from '../store/redis.js';

export interface OperatorCredentials {
  user: string;
  password: string;
}

/**
 * Wrong logins one client (IP address) may try before every login from it is refused until the
 * window ends. The count lives in Redis, so it holds across web replicas and restarts.
 */
export const LOGIN_FAILURES = { max: 10, windowMs: 15 * 60_000 } as const;

/** One key per client, shared by every scope that asks for the login (admin pages, simulator). */
const FAILURES_NAMESPACE = 'hu:login-failures:';

const REALM = 'Basic realm="Huella operators", charset="UTF-8"';

type FailureCounter = ReturnType<FastifyInstance['createRateLimit']>;

/**
 * Puts every route of the calling plugin scope behind the operator login (HTTP Basic, from
 * ADMIN_USER and ADMIN_PASSWORD). Only wrong logins count against the client: a browser's first
 * request, which carries no login, does not; once the client is over the limit even the right
 * password is refused, so a guesser cannot tell a hit from a miss.
 */
export async function requireOperatorLogin(
  app: FastifyInstance,
  opts: { credentials: OperatorCredentials; redis: RedisClient },
): Promise<void> {
  const expected = digest(`${opts.credentials.user}:${opts.credentials.password}`);
  const failures = await failureCounter(app, opts.redis);
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const status = await failures(request, { increment: false });
    if (!status.isAllowed && status.remaining === 0) {
      request.log.warn({ path: request.routeOptions.url }, 'operator login blocked: too many wrong logins');
      return reply
        .code(429)
        .header('Retry-After', String(Math.max(1, status.ttlInSeconds)))
        .type('text/plain')
        .send('Too many wrong logins; try again later');
    }
    if (authorized(request.headers.authorization, expected)) return;
    if (request.headers.authorization !== undefined) await failures(request);
    request.log.warn({ path: request.routeOptions.url }, 'operator login refused');
    return reply.code(401).header('WWW-Authenticate', REALM).type('text/plain').send('Login required');
  });
}

/**
 * A counter of wrong logins per client IP. The rate-limit plugin lives in a scope of its own, so
 * its hooks touch no route: the login hook alone decides when a request counts.
 */
async function failureCounter(app: FastifyInstance, redis: RedisClient): Promise<FailureCounter> {
  let counter: FailureCounter | undefined;
  await app.register(async (scope) => {
    await scope.register(rateLimit, {
      global: false,
      max: LOGIN_FAILURES.max,
      timeWindow: LOGIN_FAILURES.windowMs,
      redis,
      nameSpace: FAILURES_NAMESPACE,
    });
    counter = scope.createRateLimit();
  });
  return counter!;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Basic auth (the scheme name in any case, RFC 7617), compared in constant time. */
export function authorized(header: string | undefined, expected: Buffer): boolean {
  const credentials = /^basic[ \t]+(\S+)[ \t]*$/i.exec(header ?? '')?.[1];
  if (credentials === undefined) return false;
  const given = Buffer.from(credentials, 'base64').toString('utf8');
  return timingSafeEqual(digest(given), expected);
}
