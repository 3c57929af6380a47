import { describe, expect, it } from 'vitest';
import { HEALTH_STATUSES } from '@cordon/protocol';
import { labelOf, labelOptions, splitWords } from './labels.js';

describe('labelOf', () => {
  it('should give human words for enum values', () => {
    expect(labelOf('health', 'NoSensorDataImpairedCommunication')).toBe('No sensor data, impaired communication');
    expect(labelOf('isolation', 'NotIsolated')).toBe('Not isolated');
    expect(labelOf('actionType', 'Isolate')).toBe('Isolate device');
    expect(labelOf('actionStatus', 'TimeOut')).toBe('Timed out');
    expect(labelOf('permissionRoles', 'Machine.LiveResponse')).toBe('Live response basic or Live response advanced');
  });
  it('should split an unknown value into words and show a dash for none', () => {
    expect(labelOf('health', 'SomethingNewHere')).toBe('Something new here');
    expect(splitWords('UnsupportedOS')).toBe('Unsupported os');
    expect(labelOf('health', null)).toBe('—');
  });
  it('should pair values with labels for filter selects', () => {
    expect(labelOptions('health', HEALTH_STATUSES).every(([v, l]) => v !== l || !/[a-z][A-Z]/.test(l))).toBe(true);
  });
});
