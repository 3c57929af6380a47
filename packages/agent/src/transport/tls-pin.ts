/**
 * TLS options that trust exactly the server named in the onboarding package: its certificate is
 * added to the trusted roots (so a self-signed one validates) and `checkServerIdentity` compares
 * the SHA-256 fingerprint of what the server presents with the pinned one, instead of the host
 * name (agents often reach the server by IP).
 */
import { rootCertificates, type PeerCertificate } from 'node:tls';

export interface PinnedTls {
  ca: string[];
  checkServerIdentity: (host: string, cert: PeerCertificate) => Error | undefined;
}

export function pinnedTlsOptions(certPem: string | null, sha256: string | null): PinnedTls | undefined {
  if (!sha256) return undefined;
  const pin = sha256.replaceAll(':', '').toLowerCase();
  return {
    ca: [...rootCertificates, ...(certPem ? [certPem] : [])],
    checkServerIdentity(_host, cert) {
      const got = String(cert.fingerprint256 ?? '').replaceAll(':', '').toLowerCase();
      return got === pin ? undefined : new Error(`server certificate fingerprint ${got} does not match the pinned ${pin}`);
    },
  };
}
