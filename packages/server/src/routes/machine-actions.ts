/** `/machineactions` (mde-api.md §4.2, §4.8): list, get, cancel. Thin: validate → core → map. */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { MACHINE_ACTION_FIELDS, toWireAction, type ActionService } from '@cordon/core';
import { CommentBody } from '@cordon/protocol';
import { collectionBody, entityBody, peekQuery } from '../odata-response.js';
import { parseCollectionQuery } from '../odata-query.js';
import { callerOf } from '../caller-of.js';

export interface MachineActionRoutesOptions {
  actions: ActionService;
}

const IdParams = Type.Object({ id: Type.String() });

export const machineActionRoutes: FastifyPluginAsync<MachineActionRoutesOptions> = async (app, { actions }) => {
  app.get('/machineactions', { config: { operation: 'listMachineActions' } }, async (request) => {
    const caller = callerOf(request);
    // Default order: newest first ("latest two" example, mde-api.md §2.4); id breaks ties.
    const query = parseCollectionQuery(request, MACHINE_ACTION_FIELDS, [{ field: 'creationDateTimeUtc', direction: 'desc' }]);
    const page = await actions.list(caller.tenantId, peekQuery(query));
    return collectionBody(request, 'MachineActions', query, { rows: page.rows.map(toWireAction), count: page.count });
  });

  app.get<{ Params: { id: string } }>('/machineactions/:id', { config: { operation: 'getMachineAction' }, schema: { params: IdParams } }, async (request) => {
    const action = await actions.get(callerOf(request).tenantId, request.params.id);
    return entityBody(request, 'MachineActions/$entity', toWireAction(action));
  });

  app.post<{ Params: { id: string }; Body: CommentBody }>(
    '/machineactions/:id/cancel',
    { config: { operation: 'cancelMachineAction' }, schema: { params: IdParams, body: CommentBody } },
    async (request) => {
      const caller = callerOf(request);
      const action = await actions.cancel(caller.tenantId, request.params.id, caller.name, request.body.Comment);
      return entityBody(request, 'MachineActions/$entity', toWireAction(action));
    },
  );
};
