/** `--wait` and `actions watch`: follow an action until it is final, then pick the exit code. */
import { isCordonApiError, type CordonClient, type MachineActionEntity } from '@cordon/api-client';
import { followAction as followActionEvents, NOT_AN_EVENT_STREAM } from '@cordon/api-client/node';
import { isFinalStatus } from '@cordon/protocol';
import { describeAction, exitCodeFor, EXIT, printJson, printLine } from './output.js';
import { startSpinner } from './progress.js';
import { stdoutPaint } from './colour.js';
import { formatSeconds } from './duration.js';
import { DEFAULT_INTERVAL_MS } from './wait-options.js';

export interface FollowOptions {
  json?: boolean;
  /** Milliseconds (parsed from a duration flag); give up waiting after this long (exit 5). */
  timeout?: number;
  /** Longest poll period in milliseconds (only when the server has no event stream). */
  interval?: number;
}

/** First poll period: a quick action (tens of milliseconds on a healthy agent) is reported at once. */
export const FIRST_POLL_MS = 100;
/** Without --timeout, how long the server may stay unreachable before waiting stops (exit 6). */
export const DEFAULT_UNREACHABLE_MS = 120_000;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;

/** Poll periods: 100 ms, doubling up to `maxMs` (never more than `maxMs`, even if it is under 100 ms). */
export function* pollDelays(maxMs: number): Generator<number, never> {
  let delay = Math.min(FIRST_POLL_MS, maxMs);
  for (;;) {
    yield delay;
    delay = Math.min(delay * 2, maxMs);
  }
}

/** Errors worth asking again for: the server could not be reached, was overloaded or rate-limited us. */
export function isRetryable(err: unknown): boolean {
  return isCordonApiError(err) && (err.status === 0 || err.status === 429 || err.status === 502 || err.status === 503 || err.status === 504);
}

export type PollOutcome =
  | { kind: 'final'; action: MachineActionEntity }
  /** --timeout elapsed; `unreachable` when the last attempt could not reach the server. */
  | { kind: 'timeout'; action: MachineActionEntity; unreachable?: unknown }
  | { kind: 'unreachable'; action: MachineActionEntity; error: unknown }
  | { kind: 'interrupted'; action: MachineActionEntity };

export interface PollDeps {
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
  /** Aborted on Ctrl-C (SIGINT by default). */
  interrupt?: AbortSignal;
}

/** Where the action's states come from: one GET, and (when the server has it) its event stream. */
export interface ActionSource {
  get: (id: string) => Promise<MachineActionEntity>;
  /**
   * One connection of the server's event stream for the action: its current state first, then each
   * change; it may end before a final state (server restart). Left out: poll only.
   */
  stream?: (id: string, signal: AbortSignal) => AsyncIterable<MachineActionEntity>;
}

/**
 * Polls the action until it is final; see watchAction (this is watchAction without an event
 * stream, kept for callers that only have a getter).
 */
export function pollAction(
  get: (id: string) => Promise<MachineActionEntity>,
  start: MachineActionEntity,
  opts: FollowOptions,
  hooks: WatchHooks,
  deps: PollDeps = {},
): Promise<PollOutcome> {
  return watchAction({ get }, start, opts, hooks, deps);
}

export interface WatchHooks {
  onUpdate?: (a: MachineActionEntity) => void;
  /** Why the next attempt is delayed, and by how long. */
  onRetry?: (why: string, inMs: number) => void;
}

/** The server has no event stream (404: not this extension; or a 200 that is not a stream): poll instead. */
export function streamUnsupported(err: unknown): boolean {
  return isCordonApiError(err) && (err.status === 404 || err.code === NOT_AN_EVENT_STREAM);
}

/**
 * Follows the action until it is final, --timeout elapses, the server stays unreachable, or the
 * user interrupts. With `source.stream` it listens to the server's event stream, so a change is
 * reported as soon as the server has it; when the stream drops it reconnects, and the new
 * connection's first event is the action's current state (the server re-reads it), so a change
 * made while disconnected is not missed. A server without the stream (404) is polled instead,
 * every 100 ms doubling up to --interval. Network errors, 429 and 502-504 (on the stream or a poll)
 * are retried with a doubling delay (0.5 s up to 10 s); any other refusal is thrown.
 */
export async function watchAction(source: ActionSource, start: MachineActionEntity, opts: FollowOptions, hooks: WatchHooks, deps: PollDeps = {}): Promise<PollOutcome> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? abortableSleep;
  const startedAt = now();
  const deadline = opts.timeout === undefined ? undefined : startedAt + opts.timeout;
  // Aborted by Ctrl-C or when --timeout elapses, so neither waits for a request that hangs.
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  deps.interrupt?.addEventListener('abort', onInterrupt, { once: true });
  const deadlineTimer = deadline === undefined ? undefined : setTimeout(() => stop.abort(), opts.timeout);
  const delays = pollDelays(opts.interval ?? DEFAULT_INTERVAL_MS);
  let streaming = source.stream !== undefined;
  let last = start;
  let failure: { error: unknown; since: number } | undefined;
  let retryMs = FIRST_RETRY_MS;
  let wait = 0;
  const ended = () => {
    if (deps.interrupt?.aborted) return { kind: 'interrupted', action: last } as const;
    if (deadline !== undefined && (stop.signal.aborted || now() >= deadline)) return { kind: 'timeout', action: last, ...(failure && isUnreachable(failure.error) ? { unreachable: failure.error } : {}) } as const;
    return undefined;
  };
  const seen = (current: MachineActionEntity) => {
    failure = undefined;
    retryMs = FIRST_RETRY_MS;
    last = current;
    hooks.onUpdate?.(current);
    return isFinalStatus(current.status);
  };
  try {
    for (;;) {
      if (wait > 0) await sleep(deadline === undefined ? wait : Math.max(0, Math.min(wait, deadline - now())), stop.signal).catch(() => undefined);
      const before = ended();
      if (before) return before;
      try {
        if (streaming) {
          for await (const current of source.stream!(last.id, stop.signal)) {
            if (seen(current)) return { kind: 'final', action: current };
          }
          // The server ended the stream (restart, token expiry): reconnect after a short pause.
          const after = ended();
          if (after) return after;
          wait = FIRST_RETRY_MS;
          hooks.onRetry?.('event stream closed by the server', wait);
          continue;
        }
        const current = await raceAbort(source.get(last.id), stop.signal);
        if (current === undefined) return ended() ?? { kind: 'interrupted', action: last };
        if (seen(current)) return { kind: 'final', action: current };
        wait = delays.next().value;
      } catch (err) {
        if (stop.signal.aborted) return ended() ?? { kind: 'interrupted', action: last };
        if (streaming && streamUnsupported(err)) {
          streaming = false;
          wait = 0;
          continue;
        }
        if (!isRetryable(err)) throw err;
        failure = failure ?? { error: err, since: now() };
        failure.error = err;
        if (deadline === undefined && now() - failure.since >= DEFAULT_UNREACHABLE_MS) return { kind: 'unreachable', action: last, error: err };
        wait = retryMs;
        retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
        hooks.onRetry?.(retryReason(err), wait);
      }
    }
  } finally {
    clearTimeout(deadlineTimer);
    deps.interrupt?.removeEventListener('abort', onInterrupt);
  }
}

/** The client's action source: its event stream (Cordon extension) and GET /machineactions/{id}. */
export function clientSource(client: CordonClient): ActionSource {
  return { get: (id) => client.getMachineAction(id), stream: (id, signal) => followActionEvents(client, id, { signal }) };
}

/** A signal aborted by the first Ctrl-C while it is in use; Ctrl-C then no longer kills the process. */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}

/** What to tell someone who stopped waiting: the action goes on without us. */
export function stillRunningHint(action: MachineActionEntity): string {
  return `action ${action.id} keeps running on the server; follow it with: cordon actions watch ${action.id}`;
}

export async function followAction(client: CordonClient, action: MachineActionEntity, opts: FollowOptions, deps: PollDeps = {}): Promise<{ action: MachineActionEntity; code: number }> {
  const spinner = startSpinner(describeAction(action));
  const interrupt = deps.interrupt ? undefined : interruptSignal();
  let outcome: PollOutcome;
  let last = action;
  try {
    outcome = await watchAction(
      clientSource(client),
      action,
      opts,
      {
        onUpdate: (a) => {
          last = a;
          spinner.update(describeAction(a));
        },
        onRetry: (why, inMs) => spinner.update(`${describeAction(last)} (${why}; retrying in ${formatSeconds(inMs)})`),
      },
      { ...deps, interrupt: deps.interrupt ?? interrupt!.signal },
    );
  } catch (err) {
    // The refusal is printed next; keep the action it concerns on screen.
    spinner.stop(describeAction(last));
    throw err;
  } finally {
    interrupt?.dispose();
  }
  switch (outcome.kind) {
    case 'final':
      spinner.stop();
      return { action: outcome.action, code: exitCodeFor(outcome.action.status) };
    case 'timeout':
      if (outcome.unreachable !== undefined) {
        spinner.stop(`cordon: ${errorText(outcome.unreachable)}; gave up after ${formatSeconds(opts.timeout!)}; ${stillRunningHint(outcome.action)}`);
        return { action: outcome.action, code: EXIT.unreachable };
      }
      spinner.stop(`still ${outcome.action.status} after ${formatSeconds(opts.timeout!)}: ${describeAction(outcome.action)}`);
      return { action: outcome.action, code: EXIT.stillRunning };
    case 'unreachable':
      spinner.stop(`cordon: ${errorText(outcome.error)}; gave up after ${formatSeconds(DEFAULT_UNREACHABLE_MS)} without an answer; ${stillRunningHint(outcome.action)}`);
      return { action: outcome.action, code: EXIT.unreachable };
    case 'interrupted':
      spinner.stop(`cordon: stopped waiting; ${stillRunningHint(outcome.action)}`);
      return { action: outcome.action, code: EXIT.interrupted };
  }
}

/** Prints a created or final action: the raw entity with --json, else one summary line. */
export function printAction(action: MachineActionEntity, json: boolean | undefined): void {
  if (json) printJson(action);
  else printLine(stdoutPaint().line(describeAction(action)));
}

function isUnreachable(err: unknown): boolean {
  return isCordonApiError(err) && err.status !== 429;
}

function retryReason(err: unknown): string {
  if (isCordonApiError(err) && err.status === 429) return 'rate limited by the server';
  if (isCordonApiError(err) && err.status === 0) return 'server unreachable';
  return `server answered ${isCordonApiError(err) ? err.status : 'an error'}`;
}

function errorText(err: unknown): string {
  return isCordonApiError(err) ? `${err.code}: ${err.message}` : String(err);
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The promise's value, or undefined as soon as the signal aborts (the request itself is abandoned). */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
