/**
 * OData response envelopes shared by every collection and entity route: `@odata.context` on every
 * body (mde-api.md §2.1), `$select` projection, `@odata.count`, and `@odata.nextLink` when more
 * rows remain.
 */
import type { FastifyRequest } from 'fastify';
import type { ODataQuery } from '@cordon/core';

/** `https://host/api/$metadata#MachineActions` — the base is the address the caller used. */
export function contextUrl(request: FastifyRequest, fragment: string): string {
  return `${request.protocol}://${request.host}/api/$metadata#${fragment}`;
}

export function project<T extends object>(entity: T, select: readonly string[] | undefined): Partial<T> {
  if (!select) return entity;
  const out: Record<string, unknown> = {};
  for (const key of select) out[key] = (entity as Record<string, unknown>)[key];
  return out as Partial<T>;
}

/**
 * Asks for one row more than the page so we know whether a next page exists without counting.
 * @example store.list(tenant, peekQuery(query)) then collectionBody(...)
 */
export function peekQuery(query: ODataQuery): ODataQuery {
  return { ...query, top: query.top + 1 };
}

export function collectionBody<T extends object>(
  request: FastifyRequest,
  fragment: string,
  query: ODataQuery,
  page: { rows: T[]; count: number | undefined },
): Record<string, unknown> {
  const hasMore = page.rows.length > query.top;
  const rows = hasMore ? page.rows.slice(0, query.top) : page.rows;
  const body: Record<string, unknown> = { '@odata.context': contextUrl(request, fragment) };
  if (query.count) body['@odata.count'] = page.count ?? rows.length;
  body.value = rows.map((row) => project(row, query.select));
  if (hasMore) body['@odata.nextLink'] = nextLink(request, query);
  return body;
}

export function entityBody<T extends object>(request: FastifyRequest, fragment: string, entity: T): Record<string, unknown> {
  return { '@odata.context': contextUrl(request, fragment), ...entity };
}

/** The same request with `$skip` moved past this page (other parameters kept as sent). */
function nextLink(request: FastifyRequest, query: ODataQuery): string {
  const url = new URL(request.url, `${request.protocol}://${request.host}`);
  const params = new URLSearchParams();
  for (const [key, value] of url.searchParams) {
    if (key.toLowerCase() !== '$skip' && key.toLowerCase() !== '$top') params.append(key, value);
  }
  params.set('$top', String(query.top));
  params.set('$skip', String(query.skip + query.top));
  return `${url.origin}${url.pathname}?${params.toString()}`;
}
