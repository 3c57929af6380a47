/** The one interface both transports implement (house style 8.5). */
import type { RpcNotification } from '@cordon/protocol';

export interface TransportEvents {
  /** The channel is up (WebSocket open / long-poll session started): say hello, resend reports. */
  onConnected(): void;
  onMessage(message: RpcNotification): void;
  onDisconnected(reason: string): void;
}

export interface AgentTransport {
  readonly kind: 'websocket' | 'long-poll';
  /** The server URL connected to, or tried next: file transfers go to the same node. */
  serverUrl(): string;
  /** Connects, and keeps reconnecting with backoff and jitter until `stop`. */
  start(events: TransportEvents): void;
  /** Sends one request; rejects with TransportError when not connected or on timeout, RemoteError when the server answers with an error. */
  request<R = unknown>(method: string, params: unknown): Promise<R>;
  stop(): Promise<void>;
}

export class TransportError extends Error {
  override name = 'TransportError';
}

export class RemoteError extends Error {
  override name = 'RemoteError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
