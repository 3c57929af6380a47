import { describe, expect, it } from 'vitest';
import { toMdeTimestamp, fromMdeTimestamp } from '@cordon/protocol';

describe('toMdeTimestamp', () => {
  it('should format with exactly seven fractional digits', () => {
    expect(toMdeTimestamp(Date.UTC(2019, 0, 2, 14, 39, 38, 226) + 0.2283)).toBe('2019-01-02T14:39:38.2262283Z');
  });
  it('should round-trip through fromMdeTimestamp', () => {
    const t = Date.UTC(2023, 2, 18, 21, 2, 0, 353) + 0.8594;
    expect(fromMdeTimestamp(toMdeTimestamp(t))).toBeCloseTo(t, 3);
  });
});
