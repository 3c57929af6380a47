/**
 * Listeners and callbacks of the dispatch layer and the event fan-out run outside any request: a `ws` event, a timer, a
 * notifier callback. Whatever one of them throws (or rejects with) would reach the event loop and
 * end the process, so a device, a peer process or a bug in one message could take the server and
 * every other device down. `contained` turns such a failure into a log line (and an optional
 * clean-up, such as closing the one socket involved).
 */
/** What `contained` logs to (the server's pino logger, a test's list). */
export interface ContainLogger {
  error(obj: Record<string, unknown>, msg?: string): void;
}

/**
 * Wraps `fn` so that neither a throw nor a rejected promise escapes.
 * @example ws.on('message', contained(log, 'agent message', (data) => handle(data), () => ws.terminate()));
 */
export function contained<A extends unknown[]>(log: ContainLogger, what: string, fn: (...args: A) => unknown, onError?: (err: unknown) => void): (...args: A) => void {
  const fail = (err: unknown) => {
    log.error({ err }, `${what} failed`);
    try {
      onError?.(err);
    } catch (cleanupErr) {
      log.error({ err: cleanupErr }, `clean-up after a failed ${what} failed`);
    }
  };
  return (...args: A) => {
    try {
      const result = fn(...args);
      if (result instanceof Promise) result.catch(fail);
    } catch (err) {
      fail(err);
    }
  };
}
