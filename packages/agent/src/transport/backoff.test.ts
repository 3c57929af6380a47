import { describe, expect, it } from 'vitest';
import { createBackoff } from './backoff.js';

describe('createBackoff', () => {
  it('should grow the cap exponentially up to the maximum, with full jitter, and reset', () => {
    const b = createBackoff({ minMs: 100, maxMs: 1000, random: () => 1 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([100, 200, 400, 800, 1000]);
    b.reset();
    expect(b.next()).toBe(100);
  });

  it('should never return less than half the minimum (no hot loop at random 0)', () => {
    const b = createBackoff({ minMs: 100, maxMs: 1000, random: () => 0 });
    expect(b.next()).toBe(50);
  });
});
