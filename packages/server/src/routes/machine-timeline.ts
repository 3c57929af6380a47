/**
 * @extension Cordon: `GET /machines/{id}/timeline`, the device timeline (docs/extensions.md):
 * actions, alerts and recorded state changes of one machine, newest first, paged with
 * `$top`/`$skip` and an `@odata.nextLink` while more remain.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { DomainError, parseTimelineKinds, type MachineTimelineService } from '@cordon/core';
import { TIMELINE_LIMITS, TimelineQuery } from '@cordon/protocol';
import { callerOf } from '../caller-of.js';
import { contextUrl } from '../odata-response.js';

const IdParams = Type.Object({ id: Type.String() });

export const machineTimelineRoutes: FastifyPluginAsync<{ timeline: MachineTimelineService }> = async (app, { timeline }) => {
  app.get<{ Params: { id: string }; Querystring: TimelineQuery }>(
    '/machines/:id/timeline',
    { config: { operation: 'getMachineTimeline' }, schema: { params: IdParams, querystring: TimelineQuery } },
    async (request) => {
      const top = inRange(request.query.$top, '$top', 1, TIMELINE_LIMITS.maxTop, TIMELINE_LIMITS.defaultTop);
      const skip = inRange(request.query.$skip, '$skip', 0, TIMELINE_LIMITS.maxSkip, 0);
      const kinds = parseTimelineKinds(request.query.kind);
      // One more than the page: whether a next page exists, without counting.
      const rows = await timeline.list(callerOf(request).tenantId, request.params.id, { top: top + 1, skip, ...(kinds ? { kinds } : {}) });
      const body: Record<string, unknown> = { '@odata.context': contextUrl(request, 'Cordon.TimelineEntries'), value: rows.slice(0, top) };
      if (rows.length > top && skip + top <= TIMELINE_LIMITS.maxSkip) body['@odata.nextLink'] = nextLink(request, top, skip + top);
      return body;
    },
  );
};

function inRange(text: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new DomainError('InvalidInput', `Invalid input ${text}: ${name} must be between ${min} and ${max}`);
  return n;
}

/** The same request with `$skip` moved past this page (other parameters kept as sent). */
function nextLink(request: FastifyRequest, top: number, skip: number): string {
  const url = new URL(request.url, `${request.protocol}://${request.host}`);
  url.searchParams.set('$top', String(top));
  url.searchParams.set('$skip', String(skip));
  return url.toString();
}
