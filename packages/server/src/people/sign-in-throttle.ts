/**
 * Slows password guessing without handing anyone a lock-out button: failures count per (name,
 * client address) — five in 15 minutes block that pair — and per address across names, so a guesser
 * at one address is stopped while the same person signing in from anywhere else is not. Names are
 * compared case-insensitively (as sign-in does). Bounded memory per auth/failure-throttle.ts.
 */
import type { Clock } from '@cordon/core';
import { createFailureThrottle, pairKey } from '../auth/failure-throttle.js';

export interface SignInThrottleOptions {
  /** Failures of one name from one address within the window (default 5). */
  maxFailures?: number;
  /** Failures from one address across all names within the window (default 50). */
  maxFailuresPerAddress?: number;
  windowMs?: number;
  maxKeys?: number;
}

export interface SignInThrottle {
  /** Milliseconds until this name may try again from this address, or 0. */
  blockedFor(name: string, address: string): number;
  failed(name: string, address: string): void;
  /** Clears the pair's failures; the address keeps its count (a guesser's own account resets nothing). */
  succeeded(name: string, address: string): void;
}

export const SIGN_IN_THROTTLE_DEFAULTS = { maxFailures: 5, maxFailuresPerAddress: 50, windowMs: 15 * 60_000, maxKeys: 10_000 } as const;

export function createSignInThrottle(clock: Clock, options: SignInThrottleOptions = {}): SignInThrottle {
  const o = { ...SIGN_IN_THROTTLE_DEFAULTS, ...options };
  const pairs = createFailureThrottle(clock, { maxFailures: o.maxFailures, windowMs: o.windowMs, maxKeys: o.maxKeys });
  const addresses = createFailureThrottle(clock, { maxFailures: o.maxFailuresPerAddress, windowMs: o.windowMs, maxKeys: o.maxKeys });
  const pair = (name: string, address: string) => pairKey(address, name.toLowerCase());
  return {
    blockedFor: (name, address) => Math.max(pairs.blockedFor(pair(name, address)), addresses.blockedFor(address)),
    failed(name, address) {
      pairs.failed(pair(name, address));
      addresses.failed(address);
    },
    succeeded: (name, address) => pairs.forget(pair(name, address)),
  };
}
