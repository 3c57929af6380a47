/**
 * The agent endpoints (not part of the MDE surface): enrollment, the WebSocket channel and the
 * long-poll fallback. Devices authenticate with their own keys, never with API tokens.
 */
import type { FastifyInstance } from 'fastify';
import { AGENT_PATHS, type EnrollRequest } from '@cordon/protocol';
import { enrollDevice } from '../dispatch/enrollment.js';
import type { Dispatcher } from '../dispatch/index.js';
import { attachWebSocketChannel } from '../dispatch/websocket-channel.js';
import { longPollRoutes } from '../dispatch/long-poll-channel.js';
import { capConnectionsPerDevice } from '../dispatch/connection-cap.js';

export interface AgentRoutesOptions {
  dispatcher: Dispatcher;
  /** Long-poll wait (ms); tests shorten it. */
  pollWaitMs?: number;
}

export async function agentRoutes(app: FastifyInstance, options: AgentRoutesOptions): Promise<void> {
  const { dispatcher } = options;
  const { agents, machines, clock, log } = dispatcher.deps;

  app.post(AGENT_PATHS.enroll, { bodyLimit: 64 * 1024 }, async (request) => enrollDevice({ agents, machines, clock }, request.body as EnrollRequest));

  // Both channels attach through one cap, so WebSockets and poll sessions count together.
  const hub = capConnectionsPerDevice(dispatcher.hub);
  await app.register(longPollRoutes, { auth: dispatcher.auth, hub, log, ...(options.pollWaitMs !== undefined ? { waitMs: options.pollWaitMs } : {}) });

  const ws = attachWebSocketChannel(app.server, { auth: dispatcher.auth, hub, log });
  app.addHook('preClose', async () => {
    ws.close();
    dispatcher.close();
  });
}
