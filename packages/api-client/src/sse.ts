/**
 * Reading a server-sent event stream from a fetch Response (eventsource-parser does the framing):
 * the one reader behind the action event stream and a console session's stream.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { CordonApiError } from './errors.js';

export const NOT_AN_EVENT_STREAM = 'NotAnEventStream';

/** Yields each message until the server ends the stream; the connection is released however the consumer stops. */
export async function* readEventStream(response: Response): AsyncGenerator<EventSourceMessage, void> {
  const type = response.headers.get('content-type') ?? '';
  if (!/^text\/event-stream\b/i.test(type) || !response.body) {
    await response.body?.cancel();
    throw new CordonApiError(response.status, NOT_AN_EVENT_STREAM, `the server answered ${type || 'no content type'} instead of an event stream`);
  }
  const queue: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => queue.push(message) });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      parser.feed(value);
      while (queue.length > 0) yield queue.shift()!;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
