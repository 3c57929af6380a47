/**
 * Nonces of device-signed requests, kept where every server process sees them, so a captured
 * request cannot be replayed after a restart or against another process within the clock window.
 */
export interface RequestNonceStore {
  /**
   * Records `nonce` until `expiresAt` (epoch ms). True when it was not recorded yet; false when it
   * was (a replay). Insert-if-absent in one statement, so of two processes that see the same nonce
   * at once exactly one gets true.
   */
  claim(nonce: string, expiresAt: number): Promise<boolean>;
  /** Forgets nonces whose expiry is before `before` (epoch ms). */
  prune(before: number): Promise<void>;
}
