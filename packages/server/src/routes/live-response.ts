/** `POST /machines/{id}/runliveresponse` (mde-api.md §4.9): 201 with the LiveResponse action. */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { toWireAction, type LiveResponseService } from '@cordon/core';
import { RunLiveResponseBody } from '@cordon/protocol';
import { callerOf } from '../caller-of.js';
import { entityBody } from '../odata-response.js';

export const liveResponseRoutes: FastifyPluginAsync<{ liveResponse: LiveResponseService }> = async (app, { liveResponse }) => {
  app.post<{ Params: { id: string }; Body: RunLiveResponseBody }>(
    '/machines/:id/runliveresponse',
    { config: { operation: 'runLiveResponse', rateFamily: 'runLiveResponse' }, schema: { params: Type.Object({ id: Type.String() }), body: RunLiveResponseBody } },
    async (request, reply) => {
      const caller = callerOf(request);
      const action = await liveResponse.start({ tenantId: caller.tenantId, name: caller.name }, request.params.id, {
        commands: request.body.Commands,
        comment: request.body.Comment,
        externalId: request.body.ExternalId ?? null,
      });
      reply.code(201); // the doc's sample says 200; the real code is 201 (mde-api.md §4.9, I-5908)
      return entityBody(request, 'MachineActions/$entity', toWireAction(action));
    },
  );
};
