/**
 * Request ids: one per request, a GUID unless the client sent a sane `x-request-id` or
 * `client-request-id`. The id is the `target` of every error body (mde-api.md §2.2), is echoed as
 * `request-id` and `client-request-id`, and is bound into the request logger as `reqId`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyPluginAsync, FastifyServerOptions } from 'fastify';
import { globalPlugin } from './global-plugin.js';

/** Letters, digits and `._:-`, up to 64 characters: safe in a header, a log line and a JSON string. */
const SANE_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const INCOMING_HEADERS = ['x-request-id', 'client-request-id'] as const;

/** Picks the request id for a raw request. */
export function genReqId(req: IncomingMessage): string {
  for (const name of INCOMING_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string' && SANE_ID.test(value)) return value;
  }
  return randomUUID();
}

/**
 * Fastify server options to spread into `Fastify({...})`. requestIdHeader: false, so Fastify never
 * takes a header verbatim (genReqId validates it); the log binding keeps Fastify's default label, `reqId`.
 */
export function requestIdOptions(): Pick<FastifyServerOptions, 'genReqId' | 'requestIdHeader'> {
  return { genReqId, requestIdHeader: false };
}

/** Echoes the id on every response, errors and 404s included. */
export const requestIdPlugin: FastifyPluginAsync = globalPlugin('cordon-request-id', async (app) => {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('request-id', request.id);
    reply.header('client-request-id', request.id);
  });
});
