import { describe, expect, it } from 'vitest';
import { MessageRateLimiter } from './websocket-limits.js';

describe(MessageRateLimiter.name, () => {
  it('should allow a burst, then the sustained rate, on an injected clock', () => {
    let now = 0;
    const limiter = new MessageRateLimiter(10, 5, () => now);
    expect(Array.from({ length: 6 }, () => limiter.take())).toEqual([true, true, true, true, true, false]);
    now += 100; // one token back at 10/s
    expect(limiter.take()).toBe(true);
    expect(limiter.take()).toBe(false);
    now += 60_000; // refills up to the burst, never beyond
    expect(Array.from({ length: 6 }, () => limiter.take())).toEqual([true, true, true, true, true, false]);
  });
});
