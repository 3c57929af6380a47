import { describe, expect, it } from 'vitest';
import type { Machine } from '@cordon/protocol';
import { devicesFilter, parseSort } from './pages/devices.js';
import { csvCell, devicesCsv } from './devices-csv.js';

const none = { search: '', health: '', os: '', tag: '', isolation: '', restricted: '' };

describe('devices list', () => {
  it('should filter on last seen within a window ending now', () => {
    expect(devicesFilter({ ...none, seen: '24h' }, new Date('2026-12-03T10:00:00Z'))).toBe('lastSeen ge 2026-12-02T10:00:00.000Z');
    expect(devicesFilter({ ...none, seen: 'forever' })).toBeUndefined();
    expect(devicesFilter({ ...none, restricted: 'maybe' })).toBeUndefined();
  });
  it('should read the sort from the URL and fall back for anything unknown', () => {
    expect(parseSort('lastSeen desc')).toEqual({ field: 'lastSeen', direction: 'desc' });
    expect(parseSort('password asc')).toEqual({ field: 'computerDnsName', direction: 'asc' });
    expect(parseSort('lastSeen sideways')).toEqual({ field: 'computerDnsName', direction: 'asc' });
  });
  it('should write CSV with human labels, quoting and formula guards', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=cmd()')).toBe("'=cmd()");
    const m = { id: 'm1', computerDnsName: 'web-1', osPlatform: 'Linux', osVersion: '12', lastIpAddress: '10.0.0.1', healthStatus: 'NoSensorData', isolationState: 'NotIsolated', isRestricted: false, machineTags: ['prod', 'eu'], lastSeen: '2026-12-03T09:00:00Z' } as Machine;
    expect(devicesCsv([m]).split('\r\n')).toEqual([
      'Device name,Device id,OS,IP address,Health,Isolation,App execution,Tags,Last seen (UTC)',
      'web-1,m1,Linux 12,10.0.0.1,No sensor data,Not isolated,Not restricted,prod; eu,2026-12-03T09:00:00Z',
      '',
    ]);
  });
});
