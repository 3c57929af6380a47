/**
 * The single mapping point from errors to the MDE error body (house style 8.7, mde-api.md §2.2):
 * compact `{"error":{"code","message","target"}}`, `target` = request id, status from the protocol
 * catalog. A client's mistake never becomes a 500; a 5xx is logged in full and answered generically.
 */
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { ERROR_CODES, type ErrorBody, type ErrorCode } from '@cordon/protocol';
import { isDomainError } from '@cordon/core';
import { globalPlugin } from './global-plugin.js';
import { mapValidationErrors, type SchemaError } from './validation-errors.js';
import { indexRouteMethods } from './method-index.js';
import { storageFault } from './storage-errors.js';

/** Sends the MDE error body; pre-serialized so no route response schema can reshape it. */
export function sendError(request: FastifyRequest, reply: FastifyReply, code: ErrorCode, message: string): FastifyReply {
  const body: ErrorBody = { error: { code, message, target: request.id } };
  reply.header('request-id', request.id).header('client-request-id', request.id);
  if (code === 'Unauthorized' && !reply.hasHeader('www-authenticate')) reply.header('www-authenticate', 'Bearer');
  return reply.code(ERROR_CODES[code].status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

/** Statuses Fastify and its plugins raise for request problems, by MDE code. */
const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'BadRequest',
  408: 'BadRequest',
  411: 'BadRequest',
  413: 'PayloadTooLarge',
  414: 'BadRequest',
  415: 'UnsupportedMediaType',
  429: 'TooManyRequests',
};

/** Picks code and message for an error; undefined means "unexpected: 500". */
export function classifyError(error: unknown, request: FastifyRequest): { code: ErrorCode; message: string } | undefined {
  if (isDomainError(error)) return { code: error.code, message: error.message };
  const err = error as Partial<FastifyError> & { validationContext?: string };
  if (Array.isArray(err.validation)) {
    const context = err.validationContext ?? 'body';
    const data = context === 'body' ? request.body : context === 'querystring' ? request.query : context === 'params' ? request.params : request.headers;
    const schema = (request.routeOptions.schema as Record<string, unknown> | undefined)?.[context];
    return mapValidationErrors(err.validation as SchemaError[], context, data, schema);
  }
  // Disk full / read-only data directory -> 503, not an anonymous 500 (storage-errors.ts).
  const fault = storageFault(error);
  if (fault) return { code: 'ServiceUnavailable', message: `Storage unavailable (${fault})` };
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { code: 'InvalidRequestBody', message: 'Request body is not valid JSON' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'InvalidRequestBody', message: 'Request body is empty' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'PayloadTooLarge', message: 'Request body is too large' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'UnsupportedMediaType', message: `Unsupported content type '${String(request.headers['content-type'] ?? '')}'`.slice(0, 200) };
  }
  const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code = STATUS_CODES[status] ?? 'BadRequest';
    // Fastify's own 4xx messages describe the request, not our internals; anything else gets the catalog text.
    const message = typeof err.code === 'string' && err.code.startsWith('FST_') && err.message ? err.message : ERROR_CODES[code].message;
    return { code, message };
  }
  return undefined;
}

function handleError(this: unknown, error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply | void {
  const mapped = classifyError(error, request);
  const status = mapped ? ERROR_CODES[mapped.code].status : 500;
  if (!mapped || status >= 500) {
    // request.log carries reqId; the client gets neither the stack nor the error's text.
    request.log.error({ err: error }, 'request failed');
    if (reply.raw.headersSent) return;
    const code = mapped?.code ?? 'InternalServerError';
    return sendError(request, reply, code, mapped && isDomainError(error) && error.forClient ? mapped.message : ERROR_CODES[code].message);
  }
  request.log.info({ code: mapped.code, msg: mapped.message }, 'request refused');
  if (reply.raw.headersSent) return;
  return sendError(request, reply, mapped.code, mapped.message);
}

/**
 * Errors Fastify raises before routing (bad percent-encoding, over-long params) skip the error
 * handler; spread this into the server options so they get the same body.
 */
export function errorHandlerServerOptions(): Pick<FastifyServerOptions, 'frameworkErrors'> {
  return {
    frameworkErrors: (error, request, reply) => {
      const mapped = classifyError(error, request) ?? { code: 'BadRequest' as const, message: ERROR_CODES.BadRequest.message };
      void sendError(request, reply, mapped.code, mapped.message);
    },
  };
}

export const errorHandlerPlugin: FastifyPluginAsync = globalPlugin('cordon-error-handler', async (app) => {
  app.setErrorHandler(handleError);
  const methods = indexRouteMethods(app);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const allowed = methods.allowed(path, request.method);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendError(request, reply, 'MethodNotAllowed', `The requested resource does not support http method '${request.method}'`);
    }
    return sendError(request, reply, 'NotFound', `No resource matches ${request.method} ${path.slice(0, 200)}`);
  });
});
