/**
 * The server's logger options: pino with redaction (pinojs/pino docs/redaction.md), so credentials
 * never reach a log line however a future log call is written.
 *
 * - `redact` censors credential-named properties wherever the usual shapes put them: request
 *   headers (Authorization, Cookie, the CSRF token), token-request forms, user records, key records.
 * - the `req` serializer also strips credential query parameters from the logged URL: the v1 token
 *   endpoint accepts its form in the query string (client-wire-facts 6), and a signed download link
 *   carries its signature there. pino's `redact` works on paths, not inside a URL string.
 */
import type { FastifyRequest, FastifyServerOptions } from 'fastify';

export const REDACTED = '[Redacted]';

/** Property names that hold credentials, in any log object. */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'x-cordon-csrf',
  'client_secret',
  'clientSecret',
  'client_assertion',
  'password',
  'passwordHash',
  'password_hash',
  'secret',
  'secretHash',
  'secret_hash',
  'enrollmentSecret',
  'privateJwk',
  'private_jwk',
  'privateKey',
  'access_token',
  'accessToken',
  'refresh_token',
  'token',
];

/** pino redact paths: each key at the top, one level down, and in request/response headers and bodies. */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_KEYS.map((k) => (isIdentifier(k) ? k : `["${k}"]`)),
  ...SECRET_KEYS.map((k) => `*${segment(k)}`),
  ...SECRET_KEYS.flatMap((k) => ['req.headers', 'res.headers', 'body', 'req.body', 'form'].map((p) => `${p}${segment(k)}`)),
];

function isIdentifier(key: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(key);
}
function segment(key: string): string {
  return isIdentifier(key) ? `.${key}` : `["${key}"]`;
}

/** Query parameters whose values are credentials. */
const SECRET_PARAMS = /^(client_secret|client_assertion|password|access_token|refresh_token|token|code|sig|signature|secret)$/i;

/** The URL with credential query values replaced; the rest kept for debugging. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const parts = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replaceAll('+', ' '));
      } catch {
        // a malformed name is logged as sent
      }
      return eq >= 0 && SECRET_PARAMS.test(decoded.trim()) ? `${name}=${encodeURIComponent(REDACTED)}` : pair;
    });
  return `${url.slice(0, q)}?${parts.join('&')}`;
}


/** Options for `Fastify({ logger })` (main.ts); tests add a `stream`. */
export function loggerOptions(level: string): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return {
    level,
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    serializers: {
      req(request: FastifyRequest) {
        // pino applies this to any `req` key; something that is not a request passes unchanged.
        if (typeof request?.url !== 'string' || typeof request.method !== 'string') return request as unknown as Record<string, unknown>;
        return { method: request.method, url: redactUrl(request.url), host: request.host, remoteAddress: request.ip, remotePort: request.socket?.remotePort };
      },
    },
  };
}
