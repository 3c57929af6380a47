/**
 * `GET /alerts`, `GET /alerts/{id}` and `GET /machines/{id}/alerts`: the same OData options, envelopes, permissions and
 * errors as the other collections. `PATCH /alerts/{id}` is MDE's "Update alert" (200 + the Alert). Evidence is always included: Cordon does not implement
 * `$expand`, so `$expand=evidence` (what MDE clients send to get it) is accepted and ignored.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { UpdateAlertBody } from '@cordon/protocol';
import { ALERT_FIELDS, toWireAlert, type AlertService } from '@cordon/core';
import { collectionBody, entityBody, peekQuery } from '../odata-response.js';
import { parseCollectionQuery } from '../odata-query.js';
import { callerOf } from '../caller-of.js';

export interface AlertRoutesOptions {
  alerts: AlertService;
}

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
/** Machine references are resolved (and length-checked) by core, as on the other machine routes. */
const MachineParams = Type.Object({ id: Type.String() });

/** The request with `$expand=evidence` removed (any other `$expand` still reaches the parser's refusal). */
function withoutEvidenceExpand(request: FastifyRequest): FastifyRequest {
  const query = { ...((request.query ?? {}) as Record<string, unknown>) };
  for (const key of Object.keys(query)) {
    if (key.toLowerCase() === '$expand' && typeof query[key] === 'string' && (query[key] as string).trim().toLowerCase() === 'evidence') delete query[key];
  }
  return { query } as FastifyRequest;
}

export const alertRoutes: FastifyPluginAsync<AlertRoutesOptions> = async (app, { alerts }) => {
  app.get('/alerts', { config: { operation: 'listAlerts' } }, async (request) => {
    const caller = callerOf(request);
    // Default order: newest first, like the other collections; id breaks ties.
    const query = parseCollectionQuery(withoutEvidenceExpand(request), ALERT_FIELDS, [{ field: 'alertCreationTime', direction: 'desc' }]);
    const page = await alerts.list(caller.tenantId, peekQuery(query));
    return collectionBody(request, 'Alerts', query, { rows: page.rows.map(toWireAlert), count: page.count });
  });

  // The machine's alerts (client-wire-facts 10): the same Alert entity and OData options as /alerts.
  app.get<{ Params: { id: string } }>('/machines/:id/alerts', { config: { operation: 'listMachineAlerts' }, schema: { params: MachineParams } }, async (request) => {
    const query = parseCollectionQuery(withoutEvidenceExpand(request), ALERT_FIELDS, [{ field: 'alertCreationTime', direction: 'desc' }]);
    const page = await alerts.listForMachine(callerOf(request).tenantId, request.params.id, peekQuery(query));
    return collectionBody(request, 'Alerts', query, { rows: page.rows.map(toWireAlert), count: page.count });
  });

  app.get<{ Params: { id: string } }>('/alerts/:id', { config: { operation: 'getAlert' }, schema: { params: IdParams } }, async (request) => {
    const alert = await alerts.get(callerOf(request).tenantId, request.params.id);
    return entityBody(request, 'Alerts/$entity', toWireAlert(alert));
  });

  app.patch<{ Params: { id: string }; Body: UpdateAlertBody }>(
    '/alerts/:id',
    { config: { operation: 'updateAlert' }, schema: { params: IdParams, body: UpdateAlertBody } },
    async (request) => {
      const caller = callerOf(request);
      const alert = await alerts.updateByAnalyst({ tenantId: caller.tenantId, name: caller.name }, request.params.id, request.body);
      return entityBody(request, 'Alerts/$entity', toWireAlert(alert));
    },
  );
};
