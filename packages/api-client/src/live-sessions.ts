/**
 * Live response console sessions (`/api/cordon/liveresponse/sessions`, Cordon extension,
 * docs/extensions.md): open a session on a device, send it command lines, follow what they print
 * over the session's event stream, close it. Shared by the web console and `cordon live shell`.
 * Browser-safe: the event stream is read with fetch (so the bearer token is sent, which
 * EventSource cannot do) and parsed by eventsource-parser.
 */
import type { EventSourceMessage } from 'eventsource-parser';
import type { LiveSession, LiveSessionCommand, LiveSessionEvent, LiveSessionState } from '@cordon/protocol';
import { CordonApiError } from './errors.js';
import { readEventStream } from './sse.js';
import { apiPath, type CordonClient, type JsonBodyOf } from './client.js';
import type { ODataPage } from './types.js';

const SESSIONS = apiPath('/api/cordon/liveresponse/sessions');

/** One event of a session's stream with its per-session sequence (`id:`), for Last-Event-ID. */
export type LiveSessionStreamEvent = LiveSessionEvent & { id: string | undefined };

export interface LiveSessionQuery {
  machineId?: string;
  state?: LiveSessionState;
}

// Typed by the OpenAPI document, so a renamed route is a compile error here.
const sessionPath = (id: string, rest: '' | '/commands' | '/events' | '/transcript' = '') => apiPath(`/api/cordon/liveresponse/sessions/{id}${rest}`, { id });
const commandPath = (id: string, commandId: number, rest: '' | '/output' | '/cancel' = '') => apiPath(`/api/cordon/liveresponse/sessions/{id}/commands/{cid}${rest}`, { id, cid: String(Math.trunc(commandId)) });

/** The session routes of one server, over a CordonClient (its token, retries and errors). */
export class LiveSessionsClient {
  readonly client: CordonClient;
  constructor(client: CordonClient) {
    this.client = client;
  }

  /** Opens a session on `machineId`: answers once the device has answered (state Active), else throws. */
  open(machineId: string): Promise<LiveSession> {
    return this.#json('POST', SESSIONS, { machineId } satisfies JsonBodyOf<'openLiveSession'>);
  }
  async list(query: LiveSessionQuery = {}): Promise<LiveSession[]> {
    const params = new URLSearchParams();
    if (query.machineId !== undefined) params.set('machineId', query.machineId);
    if (query.state !== undefined) params.set('state', query.state);
    const body = await this.#json<ODataPage<LiveSession> | LiveSession[]>('GET', `${SESSIONS}?${params}`);
    return Array.isArray(body) ? body : body.value;
  }
  get(id: string): Promise<LiveSession> {
    return this.#json('GET', sessionPath(id));
  }
  /** Closes the session (the device forgets it; its running commands are cancelled). */
  async close(id: string): Promise<void> {
    await (await this.client.request('DELETE', sessionPath(id))).body?.cancel();
  }
  /** Sends one command line; answers the command at once (Running, or Completed for server commands). */
  send(id: string, commandLine: string): Promise<LiveSessionCommand> {
    return this.#json('POST', sessionPath(id, '/commands'), { commandLine } satisfies JsonBodyOf<'runLiveSessionCommand'>);
  }
  async commands(id: string): Promise<LiveSessionCommand[]> {
    const body = await this.#json<ODataPage<LiveSessionCommand> | LiveSessionCommand[]>('GET', sessionPath(id, '/commands'));
    return Array.isArray(body) ? body : body.value;
  }
  command(id: string, commandId: number): Promise<LiveSessionCommand> {
    return this.#json('GET', commandPath(id, commandId));
  }
  async output(id: string, commandId: number): Promise<string> {
    return (await this.client.request('GET', commandPath(id, commandId, '/output'), undefined, { accept: 'text/plain' })).text();
  }
  async cancel(id: string, commandId: number): Promise<LiveSessionCommand | undefined> {
    const res = await this.client.request('POST', commandPath(id, commandId, '/cancel'), {});
    return res.status === 204 ? undefined : ((await res.json()) as LiveSessionCommand);
  }
  async transcript(id: string): Promise<string> {
    return (await this.client.request('GET', sessionPath(id, '/transcript'), undefined, { accept: 'text/plain' })).text();
  }

  /**
   * One connection to the session's event stream: every event from the start, or after
   * `lastEventId`. Returns when the server ends the stream; throws CordonApiError on refusal.
   */
  async *events(id: string, options: { lastEventId?: string; signal?: AbortSignal; onEventId?: (id: string) => void } = {}): AsyncGenerator<LiveSessionStreamEvent, void> {
    const headers: Record<string, string> = options.lastEventId === undefined ? {} : { 'last-event-id': options.lastEventId };
    const response = await this.client.request('GET', sessionPath(id, '/events'), undefined, { accept: 'text/event-stream', headers, ...(options.signal ? { signal: options.signal } : {}) });
    for await (const message of readEventStream(response)) {
      // Every message moves the resume point, also those of kinds this client skips.
      if (message.id !== undefined) options.onEventId?.(message.id);
      const event = toSessionEvent(message);
      if (event) yield event;
    }
  }

  /**
   * The session's events across reconnects: resumes with Last-Event-ID after a dropped stream
   * (waiting `retryMs`), and returns after the event that says the session closed, or on abort.
   */
  async *follow(id: string, options: { signal?: AbortSignal; retryMs?: number; onReconnecting?: (err: unknown) => void } = {}): AsyncGenerator<LiveSessionStreamEvent, void> {
    let lastEventId: string | undefined;
    for (;;) {
      try {
        const onEventId = (eventId: string) => (lastEventId = eventId);
        for await (const event of this.events(id, { lastEventId, onEventId, ...(options.signal ? { signal: options.signal } : {}) })) {
          yield event;
          if (event.event === 'session' && event.data.state === 'Closed') return;
        }
      } catch (err) {
        if (options.signal?.aborted) return;
        // A refusal (the session is gone, the token may not read it) will not heal by retrying.
        if (err instanceof CordonApiError && err.status >= 400 && err.status < 500) throw err;
        options.onReconnecting?.(err);
      }
      if (options.signal?.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 1000));
    }
  }

  async #json<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    return (await (await this.client.request(method, path, body)).json()) as T;
  }
}

const EVENT_KINDS = new Set<string>(['command', 'output', 'data', 'session']);

/** A parsed SSE message as a session event; undefined for kinds this client does not know. */
export function toSessionEvent(message: EventSourceMessage): LiveSessionStreamEvent | undefined {
  const kind = message.event ?? 'message';
  if (!EVENT_KINDS.has(kind)) return undefined;
  return { event: kind, data: JSON.parse(message.data), id: message.id } as LiveSessionStreamEvent;
}

/** Whether a command has ended (any status but Running). */
export function isLiveCommandFinished(command: Pick<LiveSessionCommand, 'status'>): boolean {
  return command.status !== 'Running';
}
