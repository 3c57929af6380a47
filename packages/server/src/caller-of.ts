import type { FastifyRequest } from 'fastify';
import { DomainError } from '@cordon/core';
import type { Caller } from './caller.js';

/** The authenticated caller of a route that declared an `operation` (set by the auth plugin). */
export function callerOf(request: FastifyRequest): Caller {
  // The auth plugin answers 401 before the handler runs; reaching here without one is a wiring bug.
  if (!request.caller) throw new DomainError('Unauthorized', 'Authorization header is missing, invalid or expired');
  return request.caller;
}
