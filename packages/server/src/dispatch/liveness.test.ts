import { describe, expect, it } from 'vitest';
import { LastSeenThrottle, deviceInfoPatch } from './liveness.js';

describe('LastSeenThrottle', () => {
  it('should write on every hello and at most once per interval on heartbeats, per machine', () => {
    const clock = { ms: Date.UTC(2026, 10, 21, 10, 0, 0), now() { return this.ms; } };
    const throttle = new LastSeenThrottle(clock, 15_000);
    expect(throttle.seen('m1', true)).toEqual({ lastSeen: '2026-11-21T10:00:00.0000000Z', healthStatus: 'Active' });
    clock.ms += 14_999;
    expect(throttle.seen('m1', false)).toBeUndefined();
    expect(throttle.seen('m2', false)).toMatchObject({ healthStatus: 'Active' });
    expect(throttle.seen('m1', true)).toMatchObject({ lastSeen: '2026-11-21T10:00:14.9990000Z' });
    clock.ms += 15_000;
    expect(throttle.seen('m1', false)).toMatchObject({ lastSeen: '2026-11-21T10:00:29.9990000Z' });
  });
});

describe('deviceInfoPatch', () => {
  it('should cap what a hello reports and keep unreported signature sources as they are', () => {
    const patch = deviceInfoPatch({
      protocolVersion: 1, computerDnsName: 'h'.repeat(300), osPlatform: 'Linux', osVersion: null, osArchitecture: '64-bit', version: null, agentVersion: '0.1.0', lastIpAddress: null,
      ipAddresses: Array.from({ length: 70 }, (_, i) => ({ ipAddress: `10.0.0.${i}`, macAddress: '', operationalStatus: 'Up', type: 'Ethernet' })),
      capabilities: ['Isolate'],
    });
    expect(patch.computerDnsName).toHaveLength(255);
    expect(patch.ipAddresses).toHaveLength(64);
    expect(patch).not.toHaveProperty('avSignatureSources');
  });
});
