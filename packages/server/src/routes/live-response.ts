/** `POST /machines/{id}/runliveresponse` (mde-api.md §4.9): 201 with the LiveResponse action. */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { toWireAction, type LiveResponseService } from '@cordon/core';
import { ACTION_CATALOG, type RunLiveResponseBody } from '@cordon/protocol';
import { callerOf } from '../caller-of.js';
import { entityBody } from '../odata-response.js';

const LIVE = ACTION_CATALOG.LiveResponse;

export const liveResponseRoutes: FastifyPluginAsync<{ liveResponse: LiveResponseService }> = async (app, { liveResponse }) => {
  app.post<{ Params: { id: string }; Body: RunLiveResponseBody }>(
    `/machines/:id/${LIVE.segment}`,
    { config: { operation: LIVE.operation, rateFamily: 'runLiveResponse' }, schema: { params: Type.Object({ id: Type.String() }), body: LIVE.body } },
    async (request, reply) => {
      const caller = callerOf(request);
      const action = await liveResponse.start({ tenantId: caller.tenantId, name: caller.name }, request.params.id, {
        commands: request.body.Commands,
        comment: request.body.Comment,
        externalId: request.body.ExternalId ?? null,
      });
      reply.code(LIVE.status);
      return entityBody(request, 'MachineActions/$entity', toWireAction(action));
    },
  );
};
