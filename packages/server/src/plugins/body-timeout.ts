/**
 * A short limit on the time to receive a request body (`CORDON_BODY_TIMEOUT_SECONDS`, 300 s), for
 * every request except the ones a route vouches for with `request.allowLongBody()` — authenticated
 * device uploads of multi-GB results, which only Node's server-wide `requestTimeout` (an hour) bounds.
 * Node cannot vary `requestTimeout` per route, so without this anyone could hold a connection open
 * for the hour by sending a token request or any body a byte at a time.
 * Past the limit, a request whose body has not fully arrived gets 408 on the raw socket and the
 * connection is closed (also when a reply was already sent and the body left unread).
 */
import type { FastifyPluginAsync } from 'fastify';
import { ERROR_CODES } from '@cordon/protocol';
import { globalPlugin } from './global-plugin.js';
import { writeErrorAndClose } from './server-limits.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Lifts the short body timeout for this request; call only once the sender is authenticated. */
    allowLongBody(): void;
  }
}

export interface BodyTimeoutOptions {
  /** Time from the end of the headers to the end of the body, ms. */
  timeoutMs: number;
}

export const bodyTimeoutPlugin: FastifyPluginAsync<BodyTimeoutOptions> = globalPlugin('cordon-body-timeout', async (app, { timeoutMs }) => {
  const timers = new WeakMap<object, NodeJS.Timeout>();
  app.decorateRequest('allowLongBody', function allowLongBody() {
    clearTimeout(timers.get(this));
  });

  app.addHook('onRequest', async (request, reply) => {
    const raw = request.raw;
    // Only a request with Content-Length or Transfer-Encoding has a body (RFC 9112 §6.3); an
    // upgrade to WebSocket or an SSE GET is left alone.
    const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
    if (!hasBody || raw.complete) return;
    const timer = setTimeout(() => {
      // inject() requests carry a stand-in socket with nothing to close.
      if (raw.complete || typeof raw.socket?.destroy !== 'function' || raw.socket.destroyed) return;
      request.log.info({ timeoutMs }, 'request body not received in time; closing the connection');
      // A reply already on the wire (e.g. a 401 before the body was read) cannot be followed by a 408.
      if (reply.raw.headersSent) raw.socket.destroy();
      else writeErrorAndClose(raw.socket, 408, 'RequestTimeout', ERROR_CODES.RequestTimeout.message, request.id);
    }, timeoutMs);
    timer.unref();
    timers.set(request, timer);
    const clear = () => clearTimeout(timer);
    raw.once('end', clear);
    raw.once('close', clear);
  });
});
