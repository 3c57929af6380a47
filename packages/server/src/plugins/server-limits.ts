/**
 * Limits enforced by Node's HTTP server itself, before Fastify sees a request:
 * - header size (`maxHeaderSize`): over it, 431;
 * - time to receive a whole request (`requestTimeout`): a slow sender is cut off with 408, so
 *   slowloris-style clients cannot hold connections forever (Fastify's default is "no limit").
 * Node answers these on the raw socket; `clientErrorHandler` makes those answers carry the MDE
 * error envelope like every other error (target is a fresh id: no request exists yet).
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyServerOptions } from 'fastify';
import { ERROR_CODES, type ErrorBody, type ErrorCode } from '@cordon/protocol';

export interface ServerLimits {
  /** Largest request head (request line + headers), bytes. */
  maxHeaderBytes: number;
  /** Time allowed to receive a whole request, ms; 0 for none. */
  requestTimeoutMs: number;
}

export const DEFAULT_SERVER_LIMITS: Readonly<ServerLimits> = { maxHeaderBytes: 16 * 1024, requestTimeoutMs: 3_600_000 };

/** Spread into `Fastify({...})`: the http or https server options with the limits applied. */
export function serverLimitOptions(limits: Partial<ServerLimits> = {}, https?: { cert: string; key: string }): Partial<FastifyServerOptions> & Record<string, unknown> {
  const { maxHeaderBytes, requestTimeoutMs } = { ...DEFAULT_SERVER_LIMITS, ...limits };
  return {
    ...(https ? { https: { ...https, maxHeaderSize: maxHeaderBytes } } : { http: { maxHeaderSize: maxHeaderBytes } }),
    requestTimeout: requestTimeoutMs,
    clientErrorHandler,
  };
}

function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message]: [number, ErrorCode, string] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'RequestHeaderFieldsTooLarge', ERROR_CODES.RequestHeaderFieldsTooLarge.message]
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'RequestTimeout', ERROR_CODES.RequestTimeout.message]
        : [400, 'BadRequest', 'The request could not be read'];
  writeErrorAndClose(socket, status, code, message, randomUUID(), err);
}

/** Answers on the raw socket in the MDE envelope and closes the connection (no request to reply through). */
export function writeErrorAndClose(socket: Socket, status: number, code: ErrorCode, message: string, target: string, err?: Error): void {
  const body: ErrorBody = { error: { code, message, target } };
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
  }
  socket.destroy(err);
}
