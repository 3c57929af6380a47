import { describe, expect, it } from 'vitest';
import { DeviceConnections } from './connection-cap.js';

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
