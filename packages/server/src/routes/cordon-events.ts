/**
 * @extension Cordon: `GET /api/cordon/events`, the server-sent-events stream of action changes for
 * bearer tokens (the web UI's `/ui/events` takes a cookie session instead; both are
 * events/action-stream.ts). With `actionId` the stream starts with that action's current state, so
 * a client that subscribes (or reconnects) after the action changed still sees where it is. One
 * request however long it stays open, so it counts once against the caller's rate limit.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { decodeJwt } from 'jose';
import type { ActionService, Clock } from '@cordon/core';
import type { ActionBus } from '../events/action-bus.js';
import { streamActions } from '../events/action-stream.js';
import { callerOf } from '../caller-of.js';

export interface EventRoutesOptions {
  actions: ActionService;
  bus: ActionBus;
  clock: Clock;
  /** `: ping` comment interval (default 15 s). */
  heartbeatMs?: number;
}

const EventsQuery = Type.Object(
  {
    machineId: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Only actions on this machine (its id)' })),
    actionId: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Only this action; its current state is sent first' })),
  },
  { additionalProperties: false },
);

export const cordonEventRoutes: FastifyPluginAsync<EventRoutesOptions> = async (app, options) => {
  const streams = new Set<FastifyReply>();
  app.addHook('preClose', async () => {
    // Open streams would keep server.close() waiting forever.
    for (const reply of streams) reply.raw.end();
  });

  app.get<{ Querystring: Static<typeof EventsQuery> }>(
    '/cordon/events',
    {
      config: { operation: 'streamCordonEvents' },
      schema: {
        querystring: EventsQuery,
        produces: ['text/event-stream'],
        response: {
          200: {
            description:
              'text/event-stream: `retry: 3000`, then `event: action` with a MachineAction as `data` for each created or changed action ' +
              '(the current state of `actionId` first), and a `: ping` comment every 15 s. Ends when the token expires.',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
        },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { machineId, actionId } = request.query;
      // The bearer token was verified on the way in; the stream lasts as long as the token does.
      const expiresAt = tokenExpiry(request.headers.authorization);
      await streamActions(request, reply, {
        bus: options.bus,
        tenantId: caller.tenantId,
        machineId,
        actionId,
        heartbeatMs: options.heartbeatMs ?? 15_000,
        streams,
        stillAllowed: async () => expiresAt === undefined || options.clock.now() < expiresAt,
        snapshot: actionId === undefined ? undefined : async () => [await options.actions.get(caller.tenantId, actionId)],
      });
    },
  );
};

/** The token's `exp` in epoch milliseconds, if it has one. */
function tokenExpiry(authorization: string | undefined): number | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return undefined;
  const { exp } = decodeJwt(token);
  return typeof exp === 'number' ? exp * 1000 : undefined;
}
