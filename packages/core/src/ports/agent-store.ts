/**
 * Devices and how they enroll: enrollment secrets (stored hashed, limited uses,
 * expiring) and device credentials (each device's Ed25519 public key). One query per method.
 */

export interface EnrollmentSecretRecord {
  /** Public part of the secret (`<id>.<secret>`), used to find the row. */
  id: string;
  tenantId: string;
  /** SHA-256 (hex) of the secret part; the secret itself is never stored. */
  secretHash: string;
  createdAt: string;
  /** MDE timestamp after which the secret no longer enrolls. */
  expiresAt: string;
  maxUses: number;
  uses: number;
}

export interface DeviceCredentialRecord {
  /** 40 hex, the SHA-1 of the public key. */
  machineId: string;
  tenantId: string;
  /** Ed25519 public key, raw 32 bytes base64. */
  publicKey: string;
  enrolledAt: string;
  /** Set when the device is offboarded: the credential is refused from then on. */
  revokedAt: string | null;
}

export interface AgentStore {
  createEnrollmentSecret(secret: EnrollmentSecretRecord): Promise<void>;
  getEnrollmentSecret(id: string): Promise<EnrollmentSecretRecord | undefined>;
  /**
   * Atomically spends one use: succeeds only while `uses < maxUses` and `now < expiresAt`
   * (one UPDATE ... WHERE, so two processes racing on the last use cannot both win).
   */
  spendEnrollmentSecret(id: string, now: string): Promise<boolean>;
  /** Inserts a device credential; false when the machine id already has one. */
  addDevice(device: DeviceCredentialRecord): Promise<boolean>;
  getDevice(machineId: string): Promise<DeviceCredentialRecord | undefined>;
  /** Marks the credential revoked (offboard); idempotent. */
  revokeDevice(machineId: string, at: string): Promise<void>;
}
