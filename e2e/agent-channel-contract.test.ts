/**
 * The agent channel contract on both channels: the real WebSocket and long-poll channel code on
 * 127.0.0.1, reached through the agent's own transports (see support/agent-channel-contract.ts).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import WebSocket from 'ws';
import { AGENT_AUTH_HEADERS, AGENT_PATHS } from '@cordon/protocol';
import { attachWebSocketChannel } from '../packages/server/src/dispatch/websocket-channel.js';
import { longPollRoutes, RPC_CONTENT_TYPE } from '../packages/server/src/dispatch/long-poll-channel.js';
import { createWebSocketTransport } from '../packages/agent/src/transport/websocket-transport.js';
import { createLongPollTransport } from '../packages/agent/src/transport/long-poll-transport.js';
import { signedHeaders } from '../packages/agent/src/crypto.js';
import { runAgentChannelContract } from './support/agent-channel-contract.js';

// Fast reconnects keep the close/reconnect and refusal tests short.
const backoff = { minMs: 50, maxMs: 200 };

runAgentChannelContract({
  kind: 'websocket',
  async start(hub, auth, log) {
    const server = createServer();
    const channel = attachWebSocketChannel(server, { auth, hub, log });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: async () => {
        channel.close();
        await new Promise((r) => server.close(r));
      },
    };
  },
  transport: (serverUrls, device) => createWebSocketTransport({ serverUrls, machineId: device.machineId, key: device.key, tls: undefined, backoff, requestTimeoutMs: 5_000 }),
  sendInvalid: (serverUrl, device) =>
    new Promise((resolve) => {
      const ws = new WebSocket(new URL(AGENT_PATHS.websocket, serverUrl.replace(/^http/, 'ws')), { headers: signedHeaders(device.key, device.machineId, 'GET', AGENT_PATHS.websocket) });
      ws.on('open', () => ws.send('{"not": "a request"'));
      ws.on('close', (code, reason) => resolve({ refused: code === 1002, detail: `closed ${code} ${String(reason)}` }));
      ws.on('error', (err) => resolve({ refused: false, detail: err.message }));
    }),
});

runAgentChannelContract({
  kind: 'long-poll',
  async start(hub, auth, log) {
    const app = Fastify();
    // Short windows so polls return often and an abandoned session is swept within a second.
    await longPollRoutes(app, { auth, hub, log, waitMs: 300, sessionIdleMs: 400 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, close: () => app.close() };
  },
  transport: (serverUrls, device) => createLongPollTransport({ serverUrls, machineId: device.machineId, key: device.key, tls: undefined, backoff }),
  async sendInvalid(serverUrl, device) {
    const body = '{"not": "a request"';
    const res = await fetch(new URL(AGENT_PATHS.rpc, serverUrl), {
      method: 'POST',
      headers: { ...signedHeaders(device.key, device.machineId, 'POST', AGENT_PATHS.rpc, body), [AGENT_AUTH_HEADERS.session]: 'contract-session-0001', 'content-type': RPC_CONTENT_TYPE },
      body,
    });
    const answer = (await res.json()) as { error?: { code: string } };
    return { refused: res.status === 400 && answer.error?.code === 'InvalidRequestBody', detail: `HTTP ${res.status} ${JSON.stringify(answer)}` };
  },
});
