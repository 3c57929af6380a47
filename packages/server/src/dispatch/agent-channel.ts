/**
 * The one interface both channels implement (house style 8.5): the hub sends notifications to a
 * connected device and answers its requests the same way whether the device holds a WebSocket or
 * long-polls.
 */
import type { RpcNotification } from '@cordon/protocol';
import type { DeviceCredentialRecord } from '@cordon/core';

export interface AgentConnection {
  /** Unique per connection (a device may briefly hold two while reconnecting). */
  readonly id: string;
  readonly kind: 'websocket' | 'long-poll';
  readonly device: DeviceCredentialRecord;
  /** Queues or writes one notification; never throws (a dead connection drops it: catch-up covers). */
  send(message: RpcNotification): void;
  close(reason: string): void;
}

/** What a channel calls on the hub. */
export interface AgentChannelHandler {
  attach(conn: AgentConnection): void;
  detach(conn: AgentConnection): void;
  /** Answers an agent request; resolves to the result or rejects with a coded error. */
  handle(conn: AgentConnection, method: string, params: unknown): Promise<unknown>;
}

export class AgentRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
