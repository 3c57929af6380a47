/**
 * @extension Cordon: live response console sessions, `/api/cordon/liveresponse/sessions…` (MDE
 * has the console in its portal only, mde-api.md §7). Open a session on a connected device, run
 * command lines (201 at once; output streams on the session's events), read the commands, their
 * output and the transcript, cancel a command, close the session. See docs/extensions.md.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { decodeJwt } from 'jose';
import { toWireLiveCommand, toWireLiveSession, type Clock, type LiveConsoleCaller, type LiveSessionService } from '@cordon/core';
import { LIVE_CONSOLE_LIMITS, LIVE_SESSION_STATES } from '@cordon/protocol';
import type { Caller } from '../caller.js';
import { callerOf } from '../caller-of.js';
import type { LiveLink } from '../events/live-link.js';
import { streamLiveSession } from '../events/live-session-stream.js';
import { entityBody } from '../odata-response.js';

export interface LiveSessionRoutesOptions {
  sessions: LiveSessionService;
  link: LiveLink;
  clock: Clock;
  /** `: ping` comment interval of the event stream (default 15 s). */
  heartbeatMs?: number;
}

const BASE = '/cordon/liveresponse/sessions';
const SessionParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' }) });
// Path parameters arrive as text (the API never coerces types): a command id is digits.
const CommandParams = Type.Object({ id: SessionParams.properties.id, cid: Type.String({ pattern: '^[0-9]{1,7}$', description: 'The command id (1, 2, 3…)' }) });
const OpenBody = Type.Object({ machineId: Type.String({ minLength: 1, maxLength: 255, description: 'Machine id, computer name or aadDeviceId' }) }, { additionalProperties: false });
const CommandBody = Type.Object({ commandLine: Type.String({ minLength: 1, maxLength: LIVE_CONSOLE_LIMITS.commandLineLength, description: 'A console command line, e.g. "dir /etc -output json" or "getfile /var/log/syslog &"' }) }, { additionalProperties: false });
const ListQuery = Type.Object(
  { machineId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })), state: Type.Optional(Type.Union(LIVE_SESSION_STATES.map((s) => Type.Literal(s)))) },
  { additionalProperties: false },
);
const text = (description: string) => ({ 200: { description, content: { 'text/plain': { schema: { type: 'string' } } } } });

/** Apps holding Machine.LiveResponse run every command; people need "Live response advanced" (Library.Manage) for advanced ones. */
export function consoleCaller(caller: Caller): LiveConsoleCaller {
  const advanced = caller.kind === 'app' || (caller.permissions.includes('Machine.LiveResponse') && caller.permissions.includes('Library.Manage'));
  return { tenantId: caller.tenantId, name: caller.name, advanced };
}

export const liveSessionRoutes: FastifyPluginAsync<LiveSessionRoutesOptions> = async (app, { sessions, link, clock, heartbeatMs }) => {
  const streams = new Set<FastifyReply>();
  app.addHook('preClose', async () => {
    for (const reply of streams) reply.raw.end();
  });
  const tenant = (request: FastifyRequest) => callerOf(request).tenantId;

  app.get<{ Querystring: Static<typeof ListQuery> }>(BASE, { config: { operation: 'listLiveSessions' }, schema: { querystring: ListQuery } }, async (request) => {
    const rows = await sessions.list(tenant(request), request.query);
    return { value: rows.map(toWireLiveSession) };
  });

  app.post<{ Body: Static<typeof OpenBody> }>(BASE, { config: { operation: 'openLiveSession' }, schema: { body: OpenBody } }, async (request, reply) => {
    const session = await sessions.open(consoleCaller(callerOf(request)), request.body.machineId);
    reply.code(201);
    return entityBody(request, 'LiveSessions/$entity', toWireLiveSession(session));
  });

  app.get<{ Params: Static<typeof SessionParams> }>(`${BASE}/:id`, { config: { operation: 'getLiveSession' }, schema: { params: SessionParams } }, async (request) => {
    return entityBody(request, 'LiveSessions/$entity', toWireLiveSession(await sessions.get(tenant(request), request.params.id)));
  });

  app.delete<{ Params: Static<typeof SessionParams> }>(`${BASE}/:id`, { config: { operation: 'closeLiveSession' }, schema: { params: SessionParams } }, async (request) => {
    return entityBody(request, 'LiveSessions/$entity', toWireLiveSession(await sessions.close(tenant(request), request.params.id)));
  });

  app.get<{ Params: Static<typeof SessionParams> }>(
    `${BASE}/:id/events`,
    {
      config: { operation: 'streamLiveSessionEvents' },
      schema: {
        params: SessionParams,
        produces: ['text/event-stream'],
        response: {
          200: {
            description:
              'text/event-stream: `retry: 3000`, then every event of the session after `Last-Event-ID` (all without it), each with `id:` = its sequence: ' +
              '`command` (a LiveSessionCommand), `output` ({commandId, text}), `data` ({commandId, columns, rows}), `session` (the LiveSession); a `: ping` every 15 s. Ends after the session closes.',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
        },
      },
    },
    async (request, reply) => {
      const expiresAt = tokenExpiry(request.headers.authorization);
      const lastId = request.headers['last-event-id'];
      const afterSeq = typeof lastId === 'string' && /^[0-9]{1,12}$/.test(lastId.trim()) ? Number(lastId.trim()) : 0;
      await streamLiveSession(request, reply, {
        sessions,
        link,
        tenantId: tenant(request),
        sessionId: request.params.id,
        afterSeq,
        heartbeatMs: heartbeatMs ?? 15_000,
        streams,
        stillAllowed: async () => expiresAt === undefined || clock.now() < expiresAt,
      });
    },
  );

  app.get<{ Params: Static<typeof SessionParams> }>(
    `${BASE}/:id/transcript`,
    { config: { operation: 'getLiveSessionTranscript' }, schema: { params: SessionParams, produces: ['text/plain'], response: text('The transcript: who, when, every command line, its status, exit code, output or result file') } },
    async (request, reply) => reply.type('text/plain; charset=utf-8').send(await sessions.transcript(tenant(request), request.params.id)),
  );

  app.get<{ Params: Static<typeof SessionParams> }>(`${BASE}/:id/commands`, { config: { operation: 'listLiveSessionCommands' }, schema: { params: SessionParams } }, async (request) => {
    return { value: (await sessions.listCommands(tenant(request), request.params.id)).map(toWireLiveCommand) };
  });

  app.post<{ Params: Static<typeof SessionParams>; Body: Static<typeof CommandBody> }>(
    `${BASE}/:id/commands`,
    { config: { operation: 'runLiveSessionCommand' }, schema: { params: SessionParams, body: CommandBody } },
    async (request, reply) => {
      const cmd = await sessions.command(consoleCaller(callerOf(request)), request.params.id, request.body.commandLine);
      reply.code(201);
      return entityBody(request, 'LiveSessionCommands/$entity', toWireLiveCommand(cmd));
    },
  );

  app.get<{ Params: Static<typeof CommandParams> }>(`${BASE}/:id/commands/:cid`, { config: { operation: 'getLiveSessionCommand' }, schema: { params: CommandParams } }, async (request) => {
    return entityBody(request, 'LiveSessionCommands/$entity', toWireLiveCommand(await sessions.getCommand(tenant(request), request.params.id, Number(request.params.cid))));
  });

  app.get<{ Params: Static<typeof CommandParams> }>(
    `${BASE}/:id/commands/:cid/output`,
    { config: { operation: 'getLiveSessionCommandOutput' }, schema: { params: CommandParams, produces: ['text/plain'], response: text("The command's output so far") } },
    async (request, reply) => reply.type('text/plain; charset=utf-8').send(await sessions.outputOf(tenant(request), request.params.id, Number(request.params.cid))),
  );

  app.post<{ Params: Static<typeof CommandParams> }>(`${BASE}/:id/commands/:cid/cancel`, { config: { operation: 'cancelLiveSessionCommand' }, schema: { params: CommandParams } }, async (request) => {
    return entityBody(request, 'LiveSessionCommands/$entity', toWireLiveCommand(await sessions.cancel(tenant(request), request.params.id, Number(request.params.cid))));
  });
};

/** The token's `exp` in epoch milliseconds, if it has one. */
function tokenExpiry(authorization: string | undefined): number | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return undefined;
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
