/**
 * The server-sent-events stream of one console session: `retry:` first, then every stored event
 * after the client's Last-Event-ID (all of them without one), each with `id:` = its per-session
 * sequence, then new ones as any server process stores them (LiveLink wakes this process), with a
 * `: ping` comment every heartbeat. Written in the same form as the action stream
 * (action-stream.ts); it ends once the session's Closed event has been sent.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LiveSessionService } from '@cordon/core';
import type { LiveLink } from './live-link.js';
import { SSE_RETRY_MS } from './action-stream.js';

export interface LiveSessionStreamOptions {
  sessions: LiveSessionService;
  link: LiveLink;
  tenantId: string;
  sessionId: string;
  /** The Last-Event-ID: events up to it were received. */
  afterSeq: number;
  heartbeatMs: number;
  streams: Set<FastifyReply>;
  stillAllowed: () => Promise<boolean>;
}

const PAGE = 500;

export async function streamLiveSession(request: FastifyRequest, reply: FastifyReply, opts: LiveSessionStreamOptions): Promise<void> {
  // 404 answered as usual, before anything is written.
  await opts.sessions.get(opts.tenantId, opts.sessionId);
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
    'request-id': request.id,
  });
  res.write(`retry: ${SSE_RETRY_MS}\n\n`);
  let ended = false;
  let last = opts.afterSeq;
  let pumping: Promise<void> | undefined;
  let again = false;
  const end = () => {
    if (!ended) res.end();
    ended = true;
  };
  // Every write checks: a write after the end (a heartbeat's re-check answering after the session
  // closed) is an 'error' event on the response, and one nobody listens to ends the process.
  const send = (text: string) => {
    if (!ended && !res.writableEnded) res.write(text);
  };
  res.on('error', (err) => request.log.warn({ err, sessionId: opts.sessionId }, 'live session stream write failed'));
  const drain = async () => {
    do {
      again = false;
      for (;;) {
        const page = await opts.sessions.events(opts.tenantId, opts.sessionId, last, PAGE);
        for (const e of page) {
          if (ended) return;
          send(`id: ${e.seq}\nevent: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
          last = e.seq;
          if (e.event === 'session' && (e.data as { state?: string }).state === 'Closed') return end();
        }
        if (page.length < PAGE) break;
      }
    } while (again && !ended);
  };
  // One reader at a time; a wake-up during a read makes it read again.
  const pump = () => {
    if (pumping) {
      again = true;
      return;
    }
    pumping = drain()
      .catch((err: unknown) => {
        request.log.error({ err, sessionId: opts.sessionId }, 'live session stream read failed');
        end();
      })
      .finally(() => {
        pumping = undefined;
        // A wake-up between the last read and here would otherwise be lost.
        if (again && !ended) pump();
      });
  };
  // Subscribed before the first read, so an event stored in between is not missed.
  const off = opts.link.subscribe(opts.sessionId, pump);
  const heartbeat = setInterval(() => {
    opts.stillAllowed().then(
      (still) => (still ? send(': ping\n\n') : end()),
      (err: unknown) => request.log.warn({ err }, 'caller re-check failed on the event stream'),
    );
  }, opts.heartbeatMs);
  heartbeat.unref();
  opts.streams.add(reply);
  res.on('close', () => {
    ended = true;
    clearInterval(heartbeat);
    off();
    opts.streams.delete(reply);
  });
  pump();
}
