/**
 * The WebSocket channel: `ws` in noServer mode on the HTTP server's `upgrade` event, so a device is
 * authenticated (signed upgrade request) before any WebSocket exists, and an idle connection costs
 * only the socket and one small object (no Fastify request kept alive per device).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { AGENT_PATHS, type RpcNotification } from '@cordon/protocol';
import type { DeviceCredentialRecord } from '@cordon/core';
import { AgentRequestError, type AgentChannelHandler, type AgentConnection } from './agent-channel.js';
import type { DeviceAuthenticator } from './device-auth.js';
import type { HubLogger } from './dispatch-hub.js';
import { parseAgentRequest } from './agent-message-validation.js';
import { contained } from '../contain.js';
import { DEFAULT_WEBSOCKET_LIMITS, MessageRateLimiter, isConsoleMethod, type WebSocketLimits } from './websocket-limits.js';

export interface WebSocketChannelOptions {
  auth: DeviceAuthenticator;
  hub: AgentChannelHandler;
  log: HubLogger;
  /** Server pings this often; a device that misses one ping is dropped (ms). */
  pingIntervalMs?: number;
  maxMessageBytes?: number;
  /** Message rate (websocket-limits.ts); connections per device are capped by the hub given (connection-cap.ts). */
  limits?: Partial<WebSocketLimits>;
}

/** RFC 6455 §7.4.1 close codes the channel uses (4000: replaced by a newer connection of the device). */
const CLOSE_CODES = { protocolError: 1002, policyViolation: 1008, internalError: 1011, replaced: 4000 } as const;

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
    this.socket.close(CLOSE_CODES.replaced, reason);
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

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== AGENT_PATHS.websocket) {
      // Another upgrade listener (a future UI channel) may own this path; with none, refuse it.
      if (server.listenerCount('upgrade') <= 1) socket.destroy();
      return;
    }
    // Node's HTTP server stops listening for errors on an upgraded socket: a client that resets
    // the connection while we authenticate would otherwise raise an unhandled 'error' event.
    const onSocketError = () => socket.destroy();
    socket.on('error', onSocketError);
    return options.auth
      .verify({ method: 'GET', path, headers: req.headers })
      .then((outcome) => {
        if (socket.destroyed) return;
        if (!outcome.ok) {
          options.log.warn({ reason: outcome.reason, remote: req.socket.remoteAddress }, 'agent websocket refused');
          socket.end(`HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${outcome.reason}`);
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => {
          socket.off('error', onSocketError); // ws listens from here on
          serve(outcome.device, ws);
        });
      })
      .catch((err: unknown) => {
        options.log.error({ err }, 'agent websocket upgrade failed');
        socket.destroy();
      });
  };

  const serve = (device: DeviceCredentialRecord, ws: WebSocket) => {
    const conn = new WebSocketConnection(device, ws);
    conns.add(conn);
    options.hub.attach(conn);
    const rate = new MessageRateLimiter(limits.messagesPerSecond, limits.burst);
    const consoleRate = new MessageRateLimiter(limits.consoleMessagesPerSecond, limits.consoleBurst);
    ws.on('pong', () => {
      conn.alive = true;
    });
    const onMessage = (data: RawData) => {
      const request = parseAgentRequest(String(data));
      if (!(request && isConsoleMethod(request.method) ? consoleRate : rate).take()) {
        ws.close(CLOSE_CODES.policyViolation, 'message rate limit exceeded');
        return;
      }
      if (!request || request.id === undefined) {
        // Agents send only requests: anything else is a broken or hostile client.
        options.log.warn({ machineId: device.machineId }, 'agent websocket sent a frame that is not a request; closing');
        ws.close(CLOSE_CODES.protocolError, 'expected a JSON request {id, method, params}');
        return;
      }
      const { id, method, params } = request;
      const answer = (body: { result: unknown } | { error: { code: string; message: string } }) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, ...body }));
      };
      return options.hub.handle(conn, method, params).then(
        (result) => answer({ result }),
        (err: unknown) => {
          const e = err instanceof AgentRequestError ? err : new AgentRequestError('InternalError', 'internal error');
          answer({ error: { code: e.code, message: e.message } });
        },
      );
    };
    ws.on('message', contained(options.log, 'agent websocket message', onMessage, () => ws.close(CLOSE_CODES.internalError, 'internal error')));
    ws.on(
      'close',
      contained(options.log, 'agent websocket close', () => {
        conns.delete(conn);
        options.hub.detach(conn);
      }),
    );
    ws.on('error', () => ws.terminate());
  };

  const ping = setInterval(contained(options.log, 'agent websocket ping', () => {
    for (const c of conns) {
      if (!c.alive) {
        c.socket.terminate();
        continue;
      }
      c.alive = false;
      c.socket.ping();
    }
  }), options.pingIntervalMs ?? 30_000);
  ping.unref();

  const upgradeListener = contained(options.log, 'agent websocket upgrade', onUpgrade);
  server.on('upgrade', upgradeListener);
  return {
    get size() {
      return conns.size;
    },
    close() {
      clearInterval(ping);
      server.off('upgrade', upgradeListener);
      for (const c of conns) c.socket.terminate();
      wss.close();
    },
  };
}
