/**
 * Reconnect delays: exponential with "full jitter" (a random delay between 0 and the exponential
 * cap), so thousands of agents that lost the same server do not come back in lockstep.
 */
export interface BackoffOptions {
  minMs: number;
  maxMs: number;
  random?: () => number;
}

export function createBackoff(options: BackoffOptions): { next(): number; reset(): void } {
  const random = options.random ?? Math.random;
  let attempt = 0;
  return {
    next() {
      const cap = Math.min(options.maxMs, options.minMs * 2 ** attempt);
      attempt = Math.min(attempt + 1, 30);
      return Math.max(options.minMs / 2, Math.round(cap * random()));
    },
    reset() {
      attempt = 0;
    },
  };
}
