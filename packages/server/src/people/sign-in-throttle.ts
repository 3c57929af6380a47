/**
 * Slows password guessing: after `maxFailures` failed sign-ins for one name within `windowMs`, that
 * name is refused until the window passes. In memory (per process): enough for an embedded server;
 * several processes each count on their own, which still bounds guessing.
 */
import type { Clock } from '@cordon/core';

export interface SignInThrottle {
  /** Milliseconds until the name may try again, or 0. */
  blockedFor(name: string): number;
  failed(name: string): void;
  succeeded(name: string): void;
}

export function createSignInThrottle(clock: Clock, options: { maxFailures?: number; windowMs?: number } = {}): SignInThrottle {
  const max = options.maxFailures ?? 5;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const failures = new Map<string, { first: number; count: number }>();
  const key = (name: string) => name.toLowerCase();
  const live = (name: string) => {
    const entry = failures.get(key(name));
    if (entry && clock.now() - entry.first >= windowMs) {
      failures.delete(key(name));
      return undefined;
    }
    return entry;
  };
  return {
    blockedFor(name) {
      const entry = live(name);
      return entry && entry.count >= max ? entry.first + windowMs - clock.now() : 0;
    },
    failed(name) {
      const entry = live(name);
      if (failures.size > 10_000) failures.clear(); // bounded: names come from anonymous requests
      if (entry) entry.count++;
      else failures.set(key(name), { first: clock.now(), count: 1 });
    },
    succeeded(name) {
      failures.delete(key(name));
    },
  };
}
