/**
 * The WebSocket channel: `ws` in noServer mode on the HTTP server's `upgrade` event, so a device is
 * authenticated (signed upgrade request) before any WebSocket exists, and an idle connection costs
 * only the socket and one small object (no Fastify request kept alive per device).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { AGENT_PATHS, type RpcMessage, type RpcNotification } from '@cordon/protocol';
import type { DeviceCredentialRecord } from '@cordon/core';
import { AgentRequestError, type AgentChannelHandler, type AgentConnection } from './agent-channel.js';
import type { DeviceAuthenticator } from './device-auth.js';
import type { HubLogger } from './dispatch-hub.js';
import { DEFAULT_WEBSOCKET_LIMITS, DeviceConnections, MessageRateLimiter, type WebSocketLimits } from './websocket-limits.js';

export interface WebSocketChannelOptions {
  auth: DeviceAuthenticator;
  hub: AgentChannelHandler;
  log: HubLogger;
  /** Server pings this often; a device that misses one ping is dropped (ms). */
  pingIntervalMs?: number;
  maxMessageBytes?: number;
  /** Issue 7: connections per device and message rate (websocket-limits.ts). */
  limits?: Partial<WebSocketLimits>;
}

class WebSocketConnection implements AgentConnection {
  readonly id = randomUUID();
  readonly kind = 'websocket' as const;
  alive = true;
  constructor(
    readonly device: DeviceCredentialRecord,
    readonly socket: WebSocket,
  ) {}
  send(message: RpcNotification): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }
  close(reason: string): void {
    this.socket.close(4000, reason);
  }
}

export interface WebSocketChannel {
  close(): void;
  readonly size: number;
}

export function attachWebSocketChannel(server: Server, options: WebSocketChannelOptions): WebSocketChannel {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: options.maxMessageBytes ?? 4 * 1024 * 1024, clientTracking: false });
  const conns = new Set<WebSocketConnection>();
  const limits = { ...DEFAULT_WEBSOCKET_LIMITS, ...options.limits };
  const perDevice = new DeviceConnections<WebSocketConnection>(limits.maxConnectionsPerDevice);

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== AGENT_PATHS.websocket) {
      // Another upgrade listener (a future UI channel) may own this path; with none, refuse it.
      if (server.listenerCount('upgrade') <= 1) socket.destroy();
      return;
    }
    options.auth.verify({ method: 'GET', path, headers: req.headers }).then(
      (outcome) => {
        if (!outcome.ok) {
          options.log.warn({ reason: outcome.reason, remote: req.socket.remoteAddress }, 'agent websocket refused');
          socket.end(`HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${outcome.reason}`);
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => serve(outcome.device, ws));
      },
      (err: unknown) => {
        options.log.error({ err }, 'agent websocket authentication failed');
        socket.destroy();
      },
    );
  };

  const serve = (device: DeviceCredentialRecord, ws: WebSocket) => {
    const conn = new WebSocketConnection(device, ws);
    conns.add(conn);
    options.hub.attach(conn);
    perDevice.add(device.machineId, conn); // issue 7: closes this device's oldest socket beyond the cap
    const rate = new MessageRateLimiter(limits.messagesPerSecond, limits.burst);
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('message', (data) => {
      if (!rate.take()) {
        ws.close(1008, 'message rate limit exceeded'); // issue 7
        return;
      }
      let msg: RpcMessage;
      try {
        msg = JSON.parse(String(data)) as RpcMessage;
      } catch {
        ws.close(1007, 'invalid JSON');
        return;
      }
      if (!('method' in msg) || !('id' in msg)) return; // agents send only requests
      const { id, method, params } = msg;
      options.hub.handle(conn, method, params).then(
        (result) => conn.socket.readyState === ws.OPEN && ws.send(JSON.stringify({ id, result })),
        (err: unknown) => {
          const e = err instanceof AgentRequestError ? err : new AgentRequestError('InternalError', 'internal error');
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, error: { code: e.code, message: e.message } }));
        },
      );
    });
    ws.on('close', () => {
      conns.delete(conn);
      perDevice.remove(device.machineId, conn);
      options.hub.detach(conn);
    });
    ws.on('error', () => ws.terminate());
  };

  const ping = setInterval(() => {
    for (const c of conns) {
      if (!c.alive) {
        c.socket.terminate();
        continue;
      }
      c.alive = false;
      c.socket.ping();
    }
  }, options.pingIntervalMs ?? 30_000);
  ping.unref();

  server.on('upgrade', onUpgrade);
  return {
    get size() {
      return conns.size;
    },
    close() {
      clearInterval(ping);
      server.off('upgrade', onUpgrade);
      for (const c of conns) c.socket.terminate();
      wss.close();
    },
  };
}
