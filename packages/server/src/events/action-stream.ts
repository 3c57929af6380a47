/**
 * The server-sent-events stream of action changes, shared by the web UI's `/ui/events` (cookie
 * session) and the API's `/api/cordon/events` (bearer token): `retry:` first, then `event: action`
 * with the wire MachineAction as data for every created or changed action of one tenant (optionally
 * one machine or one action), and a `: ping` comment every heartbeat so proxies keep an idle stream
 * open. Each route supplies how its caller is re-checked at the heartbeat; other event kinds can be
 * written through the returned `send`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toWireAction, type ActionRecord } from '@cordon/core';
import type { MachineAction } from '@cordon/protocol';
import type { ActionBus } from './action-bus.js';

/** How long a client waits before reconnecting after the stream drops (the `retry:` field). */
export const SSE_RETRY_MS = 3000;

export interface ActionStreamOptions {
  bus: ActionBus;
  tenantId: string;
  machineId?: string;
  actionId?: string;
  heartbeatMs: number;
  /** Open streams, ended by the owning plugin's preClose (they would keep server.close() waiting). */
  streams: Set<FastifyReply>;
  /** Asked at each heartbeat; false ends the stream (signed out, token expired). */
  stillAllowed: () => Promise<boolean>;
  /**
   * The current state to send before any change (e.g. the one action asked for), so a change made
   * between the client's last read and its subscription is not missed. Thrown errors (404) are
   * answered as usual: nothing has been written yet.
   */
  snapshot?: () => Promise<ActionRecord[]>;
}

export interface ActionStream {
  /** Writes one event (`data` as JSON); ignored once the stream has ended. */
  send(event: string, data: unknown): void;
  /** Called once when the stream ends, whoever ends it. */
  onClose(listener: () => void): void;
}

export async function streamActions(request: FastifyRequest, reply: FastifyReply, opts: ActionStreamOptions): Promise<ActionStream> {
  const matches = (a: ActionRecord) => a.tenantId === opts.tenantId && (opts.machineId === undefined || a.machineId === opts.machineId) && (opts.actionId === undefined || a.id === opts.actionId);
  // Subscribed before the snapshot is read, so a change landing in between is held, not lost.
  let held: ActionRecord[] | undefined = [];
  let write: (a: ActionRecord) => void = (a) => held!.push(a);
  // Also changes made through other server processes (multi-process PostgreSQL deployments).
  const unsubscribe = opts.bus.subscribe(({ action }) => {
    if (matches(action)) write(action);
  }, { remote: true });
  let snapshot: ActionRecord[];
  try {
    snapshot = opts.snapshot ? (await opts.snapshot()).filter(matches) : [];
  } catch (err) {
    unsubscribe();
    throw err;
  }

  reply.hijack();
  const res = reply.raw;
  let ended = false;
  const closers: Array<() => void> = [];
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no', // nginx: do not buffer the stream
    'request-id': request.id,
  });
  res.write(`retry: ${SSE_RETRY_MS}\n\n`);
  const send = (event: string, data: unknown) => {
    if (!ended && !res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const sendAction = (a: ActionRecord) => send('action', toWireAction(a) satisfies MachineAction);
  for (const a of snapshot) sendAction(a);
  // A held change older than the snapshot of the same action says nothing new.
  const newest = new Map(snapshot.map((a) => [a.id, a.lastUpdateDateTimeUtc]));
  for (const a of held) if ((newest.get(a.id) ?? '') <= a.lastUpdateDateTimeUtc) sendAction(a);
  held = undefined;
  write = sendAction;

  const heartbeat = setInterval(() => {
    opts.stillAllowed().then(
      // Checked again after the re-check: the stream may have closed meanwhile, and a write after
      // the end would be an 'error' event on the response.
      (still) => (ended || res.writableEnded ? undefined : still ? res.write(': ping\n\n') : res.end()),
      (err: unknown) => request.log.warn({ err }, 'caller re-check failed on the event stream'),
    );
  }, opts.heartbeatMs);
  heartbeat.unref();
  opts.streams.add(reply);
  res.on('close', () => {
    ended = true;
    clearInterval(heartbeat);
    unsubscribe();
    opts.streams.delete(reply);
    for (const close of closers) close();
  });
  return { send, onClose: (listener) => closers.push(listener) };
}
