import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route's helmet options, over the app's (the simulator page allows its inline script). */
    securityHeaders?: Pick<HelmetOptions, 'contentSecurityPolicy'>;
    /** The headers those options give, worked out when the route is added. */
    securityHeaderValues?: Record<string, string>;
  }
}

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
    useDefaults: false as const,
    directives: { ...CSP_DIRECTIVES, scriptSrc: [...CSP_DIRECTIVES.scriptSrc, hashSource] },
  };
}

/** The app's helmet options: the policy above, nosniff, no framing, no referrer, no HSTS. */
const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
  frameguard: { action: 'deny' },
  hsts: false,
};

/**
 * The headers helmet sets for `options`, worked out once. (@fastify/helmet built helmet's
 * middleware again for every answer, parsing the policy each time: 3% of a webhook's CPU.)
 * Helmet only sets and removes headers on the response, so a stand-in records them.
 */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => {});
  return headers;
}

/**
 * Security headers on every answer (helmet's, see HELMET_OPTIONS), 404s included. HSTS is left
 * to the HTTPS proxy in front (deploy/Caddyfile): only it knows the connection was HTTPS, and
 * local mode is plain HTTP on loopback. A route may change them with `config.securityHeaders`.
 */
async function securityHeaders(app: FastifyInstance): Promise<void> {
  const common = helmetHeaders(HELMET_OPTIONS);
  app.addHook('onRoute', (route) => {
    const own = route.config?.securityHeaders;
    if (!own) return;
    route.config = {
      ...route.config,
      securityHeaderValues: helmetHeaders({
        ...HELMET_OPTIONS,
        contentSecurityPolicy: own.contentSecurityPolicy,
      }),
    };
  });
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(request.routeOptions.config.securityHeaderValues ?? common);
    done();
  });
}

export default fp(securityHeaders, { name: 'security-headers', fastify: '5.x' });
