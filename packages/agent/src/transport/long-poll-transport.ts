/**
 * Long-poll transport, for networks that block WebSockets: notifications come from repeated
 * `GET /agent/v1/poll` (each waits up to the server's poll window), requests go out as
 * `POST /agent/v1/rpc`. Every call is signed; a random session id keeps one queue on the server.
 * A failed poll moves to the next server URL when there are several (server-rotation.ts).
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import { AGENT_AUTH_HEADERS, AGENT_PATHS, type RpcNotification } from '@cordon/protocol';
import { signedHeaders } from '../crypto.js';
import type { BackoffOptions } from './backoff.js';
import { createServerRotation } from './server-rotation.js';
import { httpCall } from './http.js';
import type { PinnedTls } from './tls-pin.js';
import { RemoteError, TransportError, type AgentTransport, type TransportEvents } from './types.js';

const RPC_CONTENT_TYPE = 'application/vnd.cordon.rpc+json';

export interface LongPollTransportOptions {
  /** Tried in turn until one answers; every one must present the pinned certificate. */
  serverUrls: readonly string[];
  machineId: string;
  key: KeyObject;
  tls: PinnedTls | undefined;
  backoff?: BackoffOptions;
  log?: (msg: string) => void;
}

export function createLongPollTransport(options: LongPollTransportOptions): AgentTransport {
  const servers = createServerRotation(options.serverUrls, options.backoff ?? { minMs: 500, maxMs: 30_000 });
  let session = randomUUID();
  let stopped = false;
  let connected = false;
  /** A poll succeeded since the last failure: the next failure closes a working session. */
  let working = false;
  const abort = new AbortController();
  const url = (path: string) => new URL(path, servers.current()).toString();
  const headers = (method: string, path: string, body?: string) => ({ ...signedHeaders(options.key, options.machineId, method, path, body), [AGENT_AUTH_HEADERS.session]: session });

  const loop = async (events: TransportEvents) => {
    while (!stopped) {
      if (!connected) {
        connected = true;
        events.onConnected();
      }
      try {
        const res = await httpCall(url(AGENT_PATHS.poll), { method: 'GET', headers: headers('GET', AGENT_PATHS.poll), tls: options.tls, timeoutMs: 60_000, signal: abort.signal });
        if (res.status !== 200) throw new TransportError(`poll answered HTTP ${res.status}`);
        servers.connected();
        working = true;
        const { messages } = JSON.parse(res.body) as { messages: RpcNotification[] };
        for (const m of messages) events.onMessage(m);
      } catch (err) {
        if (stopped) return;
        connected = false;
        session = randomUUID(); // the server may have dropped the old queue
        events.onDisconnected((err as Error).message);
        const failedUrl = servers.current();
        const delay = servers.failed(working);
        working = false;
        options.log?.(`long-poll to ${failedUrl} failed (${(err as Error).message}); retrying ${servers.current()} in ${delay} ms`);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  };

  return {
    kind: 'long-poll',
    serverUrl: () => servers.current(),
    start(events) {
      void loop(events);
    },
    async request<R>(method: string, params: unknown): Promise<R> {
      if (stopped) throw new TransportError('transport stopped');
      const body = JSON.stringify({ method, params });
      const res = await httpCall(url(AGENT_PATHS.rpc), { method: 'POST', headers: { ...headers('POST', AGENT_PATHS.rpc, body), 'content-type': RPC_CONTENT_TYPE }, body, tls: options.tls, timeoutMs: 30_000 });
      if (res.status !== 200) throw new TransportError(`rpc answered HTTP ${res.status}`);
      const msg = JSON.parse(res.body) as { result?: unknown; error?: { code: string; message: string } };
      if (msg.error) throw new RemoteError(msg.error.code, msg.error.message);
      return msg.result as R;
    },
    async stop() {
      stopped = true;
      abort.abort();
    },
  };
}
