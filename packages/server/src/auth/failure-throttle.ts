/**
 * Counts failed attempts per key (a client id, a sign-in name, an address) and blocks a key that
 * reached `maxFailures` until `windowMs` after its first failure. Memory is bounded without ever
 * starting over: at most `maxKeys` keys (lru-cache), each dropped when its window ends, and when full
 * the key that failed least recently is forgotten — one key, never every key at once.
 * In memory, per process: several server processes each count on their own, which still bounds guessing.
 */
import { LRUCache } from 'lru-cache';
import type { Clock } from '@cordon/core';

export interface FailureThrottleOptions {
  maxFailures: number;
  windowMs: number;
  /** Keys remembered at most (default 10,000). */
  maxKeys?: number;
}

export interface FailureThrottle {
  /** Milliseconds until `key` may try again, or 0. */
  blockedFor(key: string): number;
  failed(key: string): void;
  forget(key: string): void;
}

/** The key of an (address, name or client id) pair: NUL cannot occur in an address, so it is unambiguous. */
export function pairKey(address: string, id: string): string {
  return `${address}\u0000${id}`;
}

export function createFailureThrottle(clock: Clock, options: FailureThrottleOptions): FailureThrottle {
  const { maxFailures, windowMs } = options;
  const failures = new LRUCache<string, { first: number; count: number }>({
    max: options.maxKeys ?? 10_000,
    ttl: windowMs,
    // Read the injected clock on every check (no 1 ms memo, no timers): expiry follows `clock`.
    ttlResolution: 0,
    perf: clock,
  });
  return {
    blockedFor(key) {
      const entry = failures.peek(key);
      return entry && entry.count >= maxFailures ? Math.max(0, entry.first + windowMs - clock.now()) : 0;
    },
    failed(key) {
      const entry = failures.get(key);
      if (entry) entry.count++; // the window stays counted from the first failure
      else failures.set(key, { first: clock.now(), count: 1 });
    },
    forget(key) {
      failures.delete(key);
    },
  };
}
