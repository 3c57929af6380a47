/**
 * Reading the server's action event stream (`GET /api/cordon/events`, Cordon extension): the
 * response body is parsed by eventsource-parser (a maintained SSE parser that handles split
 * chunks, multi-line data, comments and `retry:`), so this file only turns messages into entities.
 */
import { isFinalStatus } from '@cordon/protocol';
import { readEventStream } from '../sse.js';
import type { CordonClient, EventStreamQuery } from '../client.js';
import type { MachineActionEntity } from '../types.js';

/** The code thrown when the server answered 200 with something that is not an event stream. */
export { NOT_AN_EVENT_STREAM } from '../sse.js';

export type CordonEvent =
  | { type: 'action'; action: MachineActionEntity }
  /** Any other event kind the server may add; `data` as sent. */
  | { type: 'other'; event: string; data: string };

export interface StreamOptions {
  /** Aborting closes the stream; the generator then throws the abort reason. */
  signal?: AbortSignal;
}

/**
 * One connection to the event stream: yields each event until the server ends the stream (the
 * generator then returns; reconnecting is the caller's choice). Throws CordonApiError when the
 * server refuses (404 from a server without the extension) or cannot be reached.
 */
export async function* streamEvents(client: CordonClient, query: EventStreamQuery = {}, options: StreamOptions = {}): AsyncGenerator<CordonEvent, void> {
  const response = await client.openEventStream(query, options.signal);
  for await (const message of readEventStream(response)) {
    const event = message.event ?? 'message';
    if (event === 'action') yield { type: 'action', action: JSON.parse(message.data) as MachineActionEntity };
    else yield { type: 'other', event, data: message.data };
  }
}

/**
 * One connection following one action: yields its current state first (the server sends it on
 * subscribe), then each change, and returns after a final status. Returns early, without a final
 * state, if the server ends the stream; throws as streamEvents does.
 */
export async function* followAction(client: CordonClient, actionId: string, options: StreamOptions = {}): AsyncGenerator<MachineActionEntity, void> {
  for await (const event of streamEvents(client, { actionId }, options)) {
    if (event.type !== 'action' || event.action.id !== actionId) continue;
    yield event.action;
    if (isFinalStatus(event.action.status)) return;
  }
}
