import { describe, expect, it } from 'vitest';
import { DeviceConnections, MessageRateLimiter } from './websocket-limits.js';

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

describe(DeviceConnections.name, () => {
  const conn = () => ({ closed: '' as string, close(reason: string) { this.closed = reason; } });

  it('should close the oldest connection of a device beyond the cap, and count per device', () => {
    const registry = new DeviceConnections<ReturnType<typeof conn>>(2);
    const [a, b, c, other] = [conn(), conn(), conn(), conn()];
    registry.add('m1', a);
    registry.add('m1', b);
    registry.add('m2', other);
    expect(a.closed).toBe('');
    registry.add('m1', c);
    expect(a.closed).toMatch(/replaced/);
    expect([b.closed, c.closed, other.closed]).toEqual(['', '', '']);
    expect(registry.count('m1')).toBe(2);
    registry.remove('m1', b);
    registry.remove('m1', c);
    registry.remove('m1', a); // already gone: no effect
    expect(registry.count('m1')).toBe(0);
    expect(registry.count('m2')).toBe(1);
  });
});
