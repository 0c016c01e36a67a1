import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * The Content-Security-Policy of every answer: scripts, styles, images and requests from this
 * origin only, no page may frame ours, no plugins. Inline styles stay allowed because the
 * operator pages and the queue dashboard (Bull Board) carry style attributes; the dashboard's
 * web font from a third party is left out on purpose (the page falls back to a system font, and
 * no operator's address reaches that party). A page with an inline script allows it by hash.
 */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
} as const;

/** The policy with this inline script allowed too (its `'sha256-…'` source). */
export function cspAllowingScript(hashSource: string) {
  return {
    useDefaults: false,
    directives: { ...CSP_DIRECTIVES, scriptSrc: [...CSP_DIRECTIVES.scriptSrc, hashSource] },
  };
}

/**
 * Security headers on every answer (helmet): the policy above, nosniff, no framing, no referrer.
 * HSTS is left to the HTTPS proxy in front (deploy/Caddyfile): only it knows the connection was
 * HTTPS, and local mode is plain HTTP on loopback.
 */
async function securityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    frameguard: { action: 'deny' },
    hsts: false,
  });
}

export default fp(securityHeaders, { name: 'security-headers', fastify: '5.x' });
