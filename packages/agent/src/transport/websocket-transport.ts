/**
 * WebSocket transport (`ws`): a signed upgrade request authenticates the device; requests are
 * matched to responses by id; the connection is re-opened when it drops, on the next server URL
 * when there are several (server-rotation.ts), with backoff and jitter between rounds.
 */
import WebSocket from 'ws';
import type { KeyObject } from 'node:crypto';
import { AGENT_PATHS, type RpcMessage } from '@cordon/protocol';
import { signedHeaders } from '../crypto.js';
import type { BackoffOptions } from './backoff.js';
import { createServerRotation } from './server-rotation.js';
import type { PinnedTls } from './tls-pin.js';
import { RemoteError, TransportError, type AgentTransport, type TransportEvents } from './types.js';

export interface WebSocketTransportOptions {
  /** Tried in turn until one connects; every one must present the pinned certificate. */
  serverUrls: readonly string[];
  machineId: string;
  key: KeyObject;
  tls: PinnedTls | undefined;
  backoff?: BackoffOptions;
  requestTimeoutMs?: number;
  log?: (msg: string) => void;
}

export function createWebSocketTransport(options: WebSocketTransportOptions): AgentTransport {
  const servers = createServerRotation(options.serverUrls, options.backoff ?? { minMs: 500, maxMs: 30_000 });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  let ws: WebSocket | undefined;
  let open = false;
  let stopped = false;
  let nextId = 1;
  let retryTimer: NodeJS.Timeout | undefined;
  const wsUrlOf = (serverUrl: string) => new URL(AGENT_PATHS.websocket, serverUrl.replace(/^http/, 'ws')).toString();

  const failPending = (reason: string) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.reject(new TransportError(reason));
      pending.delete(id);
    }
  };

  const connect = (events: TransportEvents) => {
    if (stopped) return;
    const serverUrl = servers.current();
    const socket = new WebSocket(wsUrlOf(serverUrl), {
      headers: signedHeaders(options.key, options.machineId, 'GET', AGENT_PATHS.websocket),
      perMessageDeflate: false,
      handshakeTimeout: 15_000,
      ...(options.tls ? { ca: options.tls.ca, checkServerIdentity: options.tls.checkServerIdentity } : {}),
    });
    ws = socket;
    let closedOnce = false;
    const onClosed = (reason: string) => {
      if (closedOnce) return;
      closedOnce = true;
      const wasOpen = open;
      open = false;
      if (ws === socket) ws = undefined;
      failPending(`connection closed: ${reason}`);
      if (wasOpen) events.onDisconnected(reason);
      if (stopped) return;
      const delay = servers.failed(wasOpen);
      options.log?.(`websocket to ${serverUrl} ${reason}; reconnecting to ${servers.current()} in ${delay} ms`);
      retryTimer = setTimeout(() => connect(events), delay);
    };
    socket.on('open', () => {
      open = true;
      servers.connected();
      events.onConnected();
    });
    socket.on('message', (data) => {
      let msg: RpcMessage;
      try {
        msg = JSON.parse(String(data)) as RpcMessage;
      } catch {
        return;
      }
      if ('id' in msg && !('method' in msg)) {
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        clearTimeout(p.timer);
        if (msg.error) p.reject(new RemoteError(msg.error.code, msg.error.message));
        else p.resolve(msg.result);
      } else if ('method' in msg) {
        events.onMessage({ method: msg.method, params: msg.params });
      }
    });
    socket.on('unexpected-response', (_req, res) => {
      onClosed(`server refused the connection (HTTP ${res.statusCode})`);
      socket.terminate();
    });
    socket.on('close', (code) => onClosed(`closed (${code})`));
    socket.on('error', (err) => onClosed(err.message));
  };

  return {
    kind: 'websocket',
    serverUrl: () => servers.current(),
    start(events) {
      connect(events);
    },
    request<R>(method: string, params: unknown): Promise<R> {
      const socket = ws;
      if (!socket || !open) return Promise.reject(new TransportError('not connected'));
      const id = nextId++;
      return new Promise<R>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new TransportError(`${method} timed out`));
          // No answer in time: the path to the server is probably dead without a FIN (partition,
          // suspended VM). Drop the socket so the reconnect loop takes over.
          socket.terminate();
        }, options.requestTimeoutMs ?? 30_000);
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
        socket.send(JSON.stringify({ id, method, params }), (err) => {
          if (!err) return;
          clearTimeout(timer);
          pending.delete(id);
          reject(new TransportError(err.message));
        });
      });
    },
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      failPending('transport stopped');
      ws?.close(1000, 'agent stopping');
      ws = undefined;
    },
  };
}
