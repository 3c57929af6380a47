/**
 * The long-poll channel, for networks that block WebSockets: `GET /agent/v1/poll` waits up to
 * `waitMs` for notifications queued for the agent's session; `POST /agent/v1/rpc` carries one
 * request. Both are signed like the WebSocket upgrade. A session that stops polling is dropped.
 */
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { AGENT_AUTH_HEADERS, AGENT_PATHS, type RpcNotification } from '@cordon/protocol';
import type { DeviceCredentialRecord } from '@cordon/core';
import { AgentRequestError, type AgentChannelHandler, type AgentConnection } from './agent-channel.js';
import type { DeviceAuthenticator } from './device-auth.js';
import type { HubLogger } from './dispatch-hub.js';
import { parseAgentRequest } from './agent-message-validation.js';
import { contained } from '../contain.js';

/** The body type of `/agent/v1/rpc`: its own type, so our raw-body parser never meets the API's JSON parser. */
export const RPC_CONTENT_TYPE = 'application/vnd.cordon.rpc+json';

export interface LongPollOptions {
  auth: DeviceAuthenticator;
  hub: AgentChannelHandler;
  log: HubLogger;
  /** Longest a poll waits before answering empty (ms). */
  waitMs?: number;
  /** A session with no poll for this long is detached (ms). */
  sessionIdleMs?: number;
}

class LongPollConnection implements AgentConnection {
  readonly id = randomUUID();
  readonly kind = 'long-poll' as const;
  queue: RpcNotification[] = [];
  waiter: ((messages: RpcNotification[]) => void) | undefined;
  lastPoll = Date.now();
  closed = false;
  constructor(
    readonly device: DeviceCredentialRecord,
    readonly session: string,
    private readonly onClose: (c: LongPollConnection) => void,
  ) {}
  send(message: RpcNotification): void {
    if (this.closed) return;
    this.queue.push(message);
    this.flush();
  }
  flush(): void {
    if (!this.waiter || this.queue.length === 0) return;
    const w = this.waiter;
    this.waiter = undefined;
    const batch = this.queue;
    this.queue = [];
    w(batch);
  }
  close(_reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.waiter?.([]);
    this.waiter = undefined;
    this.onClose(this);
  }
}

export async function longPollRoutes(app: FastifyInstance, options: LongPollOptions): Promise<void> {
  const sessions = new Map<string, LongPollConnection>();
  const waitMs = options.waitMs ?? 25_000;
  const idleMs = options.sessionIdleMs ?? 60_000;
  const drop = (c: LongPollConnection) => {
    sessions.delete(c.session);
    options.hub.detach(c);
  };
  const sweep = setInterval(
    contained(options.log, 'long-poll idle sweep', () => {
      const now = Date.now();
      for (const c of sessions.values()) if (!c.waiter && now - c.lastPoll > idleMs) c.close('idle');
    }),
    Math.min(idleMs, 10_000),
  );
  sweep.unref();
  app.addHook('onClose', async () => {
    clearInterval(sweep);
    for (const c of [...sessions.values()]) c.close('server closing');
  });

  app.addContentTypeParser(RPC_CONTENT_TYPE, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  const authenticate = async (method: string, path: string, headers: Record<string, string | string[] | undefined>, body?: Buffer) => {
    const outcome = await options.auth.verify({ method, path, headers, ...(body ? { body } : {}) });
    if (!outcome.ok) throw Object.assign(new Error(outcome.reason), { statusCode: 401 });
    const raw = headers[AGENT_AUTH_HEADERS.session];
    const session = Array.isArray(raw) ? raw[0] : raw;
    if (!session || !/^[A-Za-z0-9-]{16,64}$/.test(session)) throw Object.assign(new Error('missing session header'), { statusCode: 400 });
    let conn = sessions.get(session);
    if (conn && conn.device.machineId !== outcome.device.machineId) throw Object.assign(new Error('session belongs to another device'), { statusCode: 401 });
    if (!conn) {
      conn = new LongPollConnection(outcome.device, session, drop);
      sessions.set(session, conn);
      options.hub.attach(conn);
    }
    conn.lastPoll = Date.now();
    return conn;
  };

  app.get(AGENT_PATHS.poll, async (request, reply) => {
    const conn = await authenticate('GET', AGENT_PATHS.poll, request.headers);
    const messages = await new Promise<RpcNotification[]>((resolve) => {
      conn.waiter?.([]); // a newer poll replaces an older one
      conn.waiter = resolve;
      const timer = setTimeout(
        contained(options.log, 'long-poll wait', () => {
          if (conn.waiter === resolve) conn.waiter = undefined;
          resolve([]);
        }),
        waitMs,
      );
      request.raw.once(
        'close',
        contained(options.log, 'long-poll close', () => {
          clearTimeout(timer);
          if (conn.waiter === resolve) conn.waiter = undefined;
          resolve([]);
        }),
      );
      conn.flush();
    });
    conn.lastPoll = Date.now();
    return reply.send({ messages });
  });

  app.post(AGENT_PATHS.rpc, async (request, reply) => {
    const body = request.body;
    if (!Buffer.isBuffer(body)) return reply.code(400).send({ error: { code: 'InvalidRequestBody', message: `expected a ${RPC_CONTENT_TYPE} body` } });
    const conn = await authenticate('POST', AGENT_PATHS.rpc, request.headers, body);
    const rpc = parseAgentRequest(body.toString('utf8'));
    if (!rpc) return reply.code(400).send({ error: { code: 'InvalidRequestBody', message: 'expected a JSON request {method, params}' } });
    try {
      const result = await options.hub.handle(conn, rpc.method, rpc.params);
      return reply.send({ result });
    } catch (err) {
      const e = err instanceof AgentRequestError ? err : new AgentRequestError('InternalError', 'internal error');
      return reply.send({ error: { code: e.code, message: e.message } });
    }
  });
}
