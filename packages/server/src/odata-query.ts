import type { FastifyRequest } from 'fastify';
import { DomainError, parseODataQuery, type FieldMap, type ODataQuery, type OrderBy } from '@cordon/core';

/**
 * Reads the OData system query options of a collection request. Fastify has already decoded the
 * query string (raw `+` and percent-encoded forms alike, client-wire-facts 4); a parameter given
 * twice is refused rather than guessed.
 */
export function parseCollectionQuery(request: FastifyRequest, fields: FieldMap, defaultOrderBy: OrderBy[], alsoFilter?: string): ODataQuery {
  const params: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(value)) throw new DomainError('ODataError', `Query option '${key}' is given more than once`);
    params[key] = typeof value === 'string' ? value : undefined;
  }
  // An extension's condition joins the caller's $filter (both must hold).
  if (alsoFilter) params.$filter = params.$filter ? `(${params.$filter}) and ${alsoFilter}` : alsoFilter;
  return parseODataQuery(params, fields, { defaultOrderBy });
}
