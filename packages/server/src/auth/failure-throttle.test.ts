import { describe, expect, it } from 'vitest';
import { createFailureThrottle } from './failure-throttle.js';
import { ManualClock } from '../testing/auth.js';

describe('createFailureThrottle', () => {
  it('should block a key at its limit until the window from its first failure ends', () => {
    const clock = new ManualClock();
    const throttle = createFailureThrottle(clock, { maxFailures: 3, windowMs: 60_000 });
    throttle.failed('a');
    clock.advance(10_000);
    throttle.failed('a');
    expect(throttle.blockedFor('a')).toBe(0);
    throttle.failed('a');
    expect(throttle.blockedFor('a')).toBe(50_000);
    expect(throttle.blockedFor('b')).toBe(0);
    clock.advance(50_000);
    expect(throttle.blockedFor('a')).toBe(0);
    throttle.failed('a');
    expect(throttle.blockedFor('a')).toBe(0);
  });

  it('should forget one key on request', () => {
    const clock = new ManualClock();
    const throttle = createFailureThrottle(clock, { maxFailures: 1, windowMs: 60_000 });
    throttle.failed('a');
    throttle.failed('b');
    throttle.forget('a');
    expect([throttle.blockedFor('a'), throttle.blockedFor('b')]).toEqual([0, 60_000]);
  });

  it('should forget only the least recently failed key when full, never all of them', () => {
    const clock = new ManualClock();
    const throttle = createFailureThrottle(clock, { maxFailures: 1, windowMs: 60_000, maxKeys: 3 });
    throttle.failed('victim');
    for (const key of ['x', 'y']) throttle.failed(key);
    throttle.failed('victim'); // most recent again
    throttle.failed('z'); // evicts 'x', the least recently failed
    expect(['victim', 'x', 'y', 'z'].map((k) => throttle.blockedFor(k) > 0)).toEqual([true, false, true, true]);
  });
});
