import { describe, expect, it } from 'vitest';
import { hasOnlyBuiltInSignatures, signatureSourcesText } from './signature-warning.js';

describe('hasOnlyBuiltInSignatures', () => {
  it('should warn for a device that reported only the built-in set (or nothing at all)', () => {
    expect(hasOnlyBuiltInSignatures(['builtin'])).toBe(true);
    expect(hasOnlyBuiltInSignatures([])).toBe(true);
  });
  it('should not warn when the device has a ClamAV database, or has not reported its sources', () => {
    expect(hasOnlyBuiltInSignatures(['builtin', 'clamav'])).toBe(false);
    expect(hasOnlyBuiltInSignatures(['clamav'])).toBe(false);
    expect(hasOnlyBuiltInSignatures(null)).toBe(false);
    expect(hasOnlyBuiltInSignatures(undefined)).toBe(false);
  });
});

describe('signatureSourcesText', () => {
  it('should list the sources, or say that the agent did not report them', () => {
    expect(signatureSourcesText(['builtin', 'clamav'])).toBe('builtin, clamav');
    expect(signatureSourcesText([])).toBe('none');
    expect(signatureSourcesText(null)).toBe('not reported');
  });
});
