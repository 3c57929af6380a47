import { describe, expect, it } from 'vitest';
import type { PeerCertificate } from 'node:tls';
import { pinnedTlsOptions } from './tls-pin.js';

const cert = (fingerprint256: string) => ({ fingerprint256 }) as PeerCertificate;

describe('pinnedTlsOptions', () => {
  const pin = 'ab'.repeat(32);
  const tls = pinnedTlsOptions('-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n', pin)!;

  it('should accept the pinned certificate whatever the host name', () => {
    expect(tls.checkServerIdentity('10.1.2.3', cert(Array(32).fill('AB').join(':')))).toBeUndefined();
  });

  it('should refuse any other certificate', () => {
    expect(tls.checkServerIdentity('localhost', cert(Array(32).fill('CD').join(':')))).toBeInstanceOf(Error);
  });

  it('should trust the packaged certificate in addition to the system roots', () => {
    expect(tls.ca.at(-1)).toContain('BEGIN CERTIFICATE');
    expect(tls.ca.length).toBeGreaterThan(1);
  });

  it('should pin nothing for plain http (no fingerprint in the package)', () => {
    expect(pinnedTlsOptions(null, null)).toBeUndefined();
  });
});
