/**
 * Automated investigations (mde-api.md §4.13): `POST /machines/{id}/startInvestigation`
 * (201 + Investigation, Alert.ReadWrite.All, 50/hour), `GET /investigations` and
 * `GET /investigations/{id}` with the same OData options and envelopes as the other collections.
 * @extension Cordon: `POST /investigations/{id}/approve|reject` `{"Comment"}` decide a
 * PendingApproval investigation's remediation (200 + the Investigation).
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { CommentBody, InvestigationDecisionBody } from '@cordon/protocol';
import { INVESTIGATION_FIELDS, toWireInvestigation, type InvestigationService } from '@cordon/core';
import { collectionBody, entityBody, peekQuery } from '../odata-response.js';
import { parseCollectionQuery } from '../odata-query.js';
import { callerOf } from '../caller-of.js';

export interface InvestigationRoutesOptions {
  investigations: InvestigationService;
}

const IdParams = Type.Object({ id: Type.String({ maxLength: 256 }) });


export const investigationRoutes: FastifyPluginAsync<InvestigationRoutesOptions> = async (app, { investigations }) => {
  app.post<{ Params: { id: string }; Body: CommentBody }>(
    '/machines/:id/startInvestigation',
    { config: { operation: 'startInvestigation', rateFamily: 'startInvestigation' }, schema: { params: IdParams, body: CommentBody } },
    async (request, reply) => {
      const caller = callerOf(request);
      const inv = await investigations.start({ tenantId: caller.tenantId, name: caller.name }, request.params.id, { comment: request.body.Comment });
      reply.code(201);
      return entityBody(request, 'Investigations/$entity', toWireInvestigation(inv));
    },
  );

  app.get('/investigations', { config: { operation: 'listInvestigations' } }, async (request) => {
    const caller = callerOf(request);
    const query = parseCollectionQuery(request, INVESTIGATION_FIELDS, [{ field: 'startTime', direction: 'desc' }]);
    const page = await investigations.list(caller.tenantId, peekQuery(query));
    return collectionBody(request, 'Investigations', query, { rows: page.rows.map(toWireInvestigation), count: page.count });
  });

  for (const [segment, operation] of [['approve', 'approveInvestigation'], ['reject', 'rejectInvestigation']] as const) {
    app.post<{ Params: { id: string }; Body: InvestigationDecisionBody }>(
      `/investigations/:id/${segment}`,
      { config: { operation }, schema: { params: Type.Object({ id: Type.String({ maxLength: 64 }) }), body: InvestigationDecisionBody } },
      async (request) => {
        const caller = callerOf(request);
        const requester = { tenantId: caller.tenantId, name: caller.name };
        const inv = segment === 'approve'
          ? await investigations.approve(requester, request.params.id, request.body.Comment)
          : await investigations.reject(requester, request.params.id, request.body.Comment);
        return entityBody(request, 'Investigations/$entity', toWireInvestigation(inv));
      },
    );
  }

  app.get<{ Params: { id: string } }>('/investigations/:id', { config: { operation: 'getInvestigation' }, schema: { params: Type.Object({ id: Type.String({ maxLength: 64 }) }) } }, async (request) => {
    const inv = await investigations.get(callerOf(request).tenantId, request.params.id);
    return entityBody(request, 'Investigations/$entity', toWireInvestigation(inv));
  });
};
