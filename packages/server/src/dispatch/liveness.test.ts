import { describe, expect, it } from 'vitest';
import type { HelloParams } from '@cordon/protocol';
import { makeMachine } from '@cordon/store/testing';
import { changedDeviceInfo, deviceInfoPatch } from './liveness.js';

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

describe('changedDeviceInfo', () => {
  const hello: HelloParams = { protocolVersion: 1, computerDnsName: 'h1', osPlatform: 'Linux', osVersion: '12', osArchitecture: '64-bit', version: '6.1', agentVersion: '0.1.0', lastIpAddress: '10.0.0.1', capabilities: ['Isolate'],
    ipAddresses: [{ ipAddress: '10.0.0.1', macAddress: 'AA', operationalStatus: 'Up', type: 'Ethernet' }] };

  it('should find nothing to write when the stored machine already holds what the hello reports', () => {
    const stored = makeMachine({ ...deviceInfoPatch(hello), avSignatureSources: ['builtin'] });
    expect(changedDeviceInfo(stored, deviceInfoPatch(hello))).toBeUndefined();
    expect(changedDeviceInfo(stored, deviceInfoPatch({ ...hello, avSignatureSources: ['builtin'] }))).toBeUndefined();
  });

  it('should keep only the fields that differ, comparing lists by value', () => {
    const stored = makeMachine(deviceInfoPatch(hello));
    const moved: HelloParams = { ...hello, lastIpAddress: '10.0.0.2', ipAddresses: [{ ipAddress: '10.0.0.2', macAddress: 'AA', operationalStatus: 'Up', type: 'Ethernet' }], capabilities: ['Isolate', 'Offboard'], avSignatureSources: ['clamav'] };
    expect(changedDeviceInfo(stored, deviceInfoPatch(moved))).toEqual({ lastIpAddress: '10.0.0.2', ipAddresses: moved.ipAddresses, capabilities: ['Isolate', 'Offboard'], avSignatureSources: ['clamav'] });
  });
});
