/**
 * `POST /machines/{id}/<action>` (mde-api.md §4.3–§4.7): one route per protocol ACTION_CATALOG
 * entry created by the generic route; the entry gives its segment, operation, body schema, status
 * and how the body becomes the action (actionRequestOf). Adding an action type is one catalog entry.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { DomainError, toWireAction, type ActionService } from '@cordon/core';
import { ACTION_SPECS, actionRequestOf, type OperationId } from '@cordon/protocol';
import { entityBody } from '../odata-response.js';
import { callerOf } from '../caller-of.js';

const IdParams = Type.Object({ id: Type.String() });

export const responseActionRoutes: FastifyPluginAsync<{ actions: ActionService }> = async (app, { actions }) => {
  for (const spec of ACTION_SPECS) {
    if (spec.createdBy !== 'responseAction') continue;
    app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
      `/machines/:id/${spec.segment}`,
      { config: { operation: spec.operation as OperationId }, schema: { params: IdParams, body: spec.body } },
      async (request, reply) => {
        const caller = callerOf(request);
        const body = request.body;
        const checked = actionRequestOf(spec.type, body);
        if (!checked.ok) throw new DomainError(checked.code, checked.message);
        const action = await actions.create({ tenantId: caller.tenantId, name: caller.name }, request.params.id, {
          type: spec.type,
          comment: body.Comment as string,
          externalId: (body.ExternalId as string | undefined) ?? null,
          ...checked.request,
        });
        reply.code(spec.status);
        return entityBody(request, 'MachineActions/$entity', toWireAction(action));
      },
    );
  }
};
