/**
 * `POST /machines/{id}/<action>` (mde-api.md §4.3–§4.7): each entry maps a documented endpoint to
 * its permission, body schema and the action it creates. Adding an action type is one entry.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { DomainError, toWireAction, type ActionService, type NewAction } from '@cordon/core';
import {
  CommentBody,
  IsolateBody,
  RunAntiVirusScanBody,
  StopAndQuarantineFileBody,
  type ActionType,
  type OperationId,
} from '@cordon/protocol';
import { entityBody } from '../odata-response.js';
import { callerOf } from '../caller-of.js';

interface ResponseActionRoute {
  /** Path segment as the docs spell it; matching is case-insensitive (client-wire-facts 2). */
  segment: string;
  operation: OperationId;
  type: ActionType;
  body: TSchema;
  /** 201 everywhere except offboard, which MDE answers with 200 (mde-api.md §4.5, §9.1). */
  status: 200 | 201;
  toAction(body: Record<string, unknown>): Omit<NewAction, 'type' | 'comment' | 'externalId'>;
}

const none = () => ({});

const sha1Action = (body: Record<string, unknown>) => {
  const sha1 = String(body.Sha1).toLowerCase();
  return { parameters: { Sha1: sha1 }, relatedFileInfo: { fileIdentifier: sha1, fileIdentifierType: 'Sha1' as const } };
};

export const RESPONSE_ACTION_ROUTES: readonly ResponseActionRoute[] = [
  {
    segment: 'isolate',
    operation: 'isolate',
    type: 'Isolate',
    body: IsolateBody,
    status: 201,
    toAction(body) {
      const isolationType = (body.IsolationType as string | undefined) ?? 'Full';
      // UnManagedDevice "contains" a device that has no sensor (mde-api.md §4.3); every Cordon
      // machine has an agent, so the request can only be a mistake.
      if (isolationType === 'UnManagedDevice') {
        throw new DomainError('InvalidRequestBody', "IsolationType 'UnManagedDevice' applies only to devices without an agent; use 'Full' or 'Selective'");
      }
      return { scope: isolationType, parameters: { IsolationType: isolationType } };
    },
  },
  { segment: 'unisolate', operation: 'unisolate', type: 'Unisolate', body: CommentBody, status: 201, toAction: none },
  { segment: 'restrictCodeExecution', operation: 'restrictCodeExecution', type: 'RestrictCodeExecution', body: CommentBody, status: 201, toAction: none },
  { segment: 'unrestrictCodeExecution', operation: 'unrestrictCodeExecution', type: 'UnrestrictCodeExecution', body: CommentBody, status: 201, toAction: none },
  {
    segment: 'runAntiVirusScan',
    operation: 'runAntiVirusScan',
    type: 'RunAntiVirusScan',
    body: RunAntiVirusScanBody,
    status: 201,
    toAction: (body) => ({ scope: body.ScanType as string, parameters: { ScanType: body.ScanType } }),
  },
  { segment: 'offboard', operation: 'offboard', type: 'Offboard', body: CommentBody, status: 200, toAction: none },
  { segment: 'StopAndQuarantineFile', operation: 'stopAndQuarantineFile', type: 'StopAndQuarantineFile', body: StopAndQuarantineFileBody, status: 201, toAction: sha1Action },
  /** @extension Cordon (issue 4): undoes StopAndQuarantineFile. */
  { segment: 'restoreQuarantinedFile', operation: 'restoreQuarantinedFile', type: 'RestoreQuarantinedFile', body: StopAndQuarantineFileBody, status: 201, toAction: sha1Action },
  { segment: 'collectInvestigationPackage', operation: 'collectInvestigationPackage', type: 'CollectInvestigationPackage', body: CommentBody, status: 201, toAction: none },
];

const IdParams = Type.Object({ id: Type.String() });

export const responseActionRoutes: FastifyPluginAsync<{ actions: ActionService }> = async (app, { actions }) => {
  for (const route of RESPONSE_ACTION_ROUTES) {
    app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
      `/machines/:id/${route.segment}`,
      { config: { operation: route.operation }, schema: { params: IdParams, body: route.body } },
      async (request, reply) => {
        const caller = callerOf(request);
        const body = request.body;
        const action = await actions.create({ tenantId: caller.tenantId, name: caller.name }, request.params.id, {
          type: route.type,
          comment: body.Comment as string,
          externalId: (body.ExternalId as string | undefined) ?? null,
          ...route.toAction(body),
        });
        reply.code(route.status);
        return entityBody(request, 'MachineActions/$entity', toWireAction(action));
      },
    );
  }
};
