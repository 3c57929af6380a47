/**
 * Enrollment: onboarding packages (an expiring, limited-use secret plus the server's TLS pin and
 * action-signing key) and the one-time registration of a device's own Ed25519 public key.
 */
import { randomBytes, timingSafeEqual, X509Certificate } from 'node:crypto';
import { canonicalEnrollText, toMdeTimestamp, type EnrollRequest, type EnrollResponse, type OnboardingPackage } from '@cordon/protocol';
import { DomainError, type AgentStore, type Clock, type EnrollmentSecretRecord, type MachineRecord, type MachineStore } from '@cordon/core';
import { machineIdOf, publicKeyFromRaw, sha256Hex, verifyText } from './ed25519.js';
import type { ActionSigner } from './action-signer.js';

export const DEFAULT_ENROLLMENT_TTL_MS = 24 * 60 * 60_000;

export interface OnboardingPackageInput {
  tenantId: string;
  /** Where the agent connects, in the order it tries them (the first is also `serverUrl`). */
  serverUrls: readonly string[];
  /** PEM of the server's TLS certificate, when it serves https. */
  tlsCertPem: string | undefined;
  ttlMs?: number;
  maxUses?: number;
}

/**
 * Creates a secret and the package that carries it. The secret is 256 random bits, so a fast
 * SHA-256 is enough to store it (a slow hash only matters for guessable secrets like passwords).
 */
export async function createOnboardingPackage(deps: { agents: AgentStore; signer: ActionSigner; clock: Clock }, input: OnboardingPackageInput): Promise<OnboardingPackage> {
  const id = randomBytes(9).toString('base64url');
  const secret = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const expiresAt = toMdeTimestamp(now + (input.ttlMs ?? DEFAULT_ENROLLMENT_TTL_MS));
  await deps.agents.createEnrollmentSecret({ id, tenantId: input.tenantId, secretHash: sha256Hex(secret), createdAt: toMdeTimestamp(now), expiresAt, maxUses: input.maxUses ?? 1, uses: 0 });
  return onboardingPackageOf({ tenantId: input.tenantId, enrollmentSecret: `${id}.${secret}`, expiresAt }, input, deps.signer);
}

/** The package around an existing secret (an agent package download carries one already issued). */
export function onboardingPackageOf(
  secret: { tenantId: string; enrollmentSecret: string; expiresAt: string },
  server: { serverUrls: readonly string[]; tlsCertPem: string | undefined },
  signer: ActionSigner,
): OnboardingPackage {
  const [first] = server.serverUrls;
  if (first === undefined) throw new Error('an onboarding package needs a server URL');
  return {
    version: 1,
    // Agents from before there were several URLs read serverUrl alone.
    serverUrl: first,
    serverUrls: [...server.serverUrls],
    tenantId: secret.tenantId,
    enrollmentSecret: secret.enrollmentSecret,
    expiresAt: secret.expiresAt,
    tlsCertSha256: server.tlsCertPem ? certFingerprint(server.tlsCertPem) : null,
    tlsCertPem: server.tlsCertPem ?? null,
    actionSigningKeys: [{ keyId: signer.keyId, publicKey: signer.publicKey }],
  };
}

/**
 * The stored secret `<id>.<secret>` names, while it can still enroll a device (known, matching,
 * not expired, uses left); undefined otherwise, whatever the reason.
 */
export async function usableEnrollmentSecret(agents: AgentStore, enrollmentSecret: string, nowMs: number): Promise<EnrollmentSecretRecord | undefined> {
  const [id, secret] = enrollmentSecret.split('.', 2);
  if (!id || !secret) return undefined;
  const record = await agents.getEnrollmentSecret(id);
  if (!record || !timingSafeEqual(Buffer.from(sha256Hex(secret), 'hex'), Buffer.from(record.secretHash, 'hex'))) return undefined;
  if (record.uses >= record.maxUses || Date.parse(record.expiresAt) <= nowMs) return undefined;
  return record;
}

/** SHA-256 of the certificate's DER, lowercase hex without colons (what agents pin). */
export function certFingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256.replaceAll(':', '').toLowerCase();
}

/** Registers a device. Every failure is the same Unauthorized, so a prober learns nothing. */
export async function enrollDevice(deps: { agents: AgentStore; machines: MachineStore; clock: Clock }, req: EnrollRequest): Promise<EnrollResponse> {
  const refuse = (why: string): never => {
    throw new DomainError('Unauthorized', `Enrollment refused: ${why}`);
  };
  if (typeof req?.enrollmentSecret !== 'string' || typeof req.publicKey !== 'string' || typeof req.proof !== 'string' || typeof req.device !== 'object' || req.device === null) {
    throw new DomainError('InvalidRequestBody', 'enrollmentSecret, publicKey, proof and device are required');
  }
  const [id, secret] = req.enrollmentSecret.split('.', 2);
  if (!id || !secret) return refuse('invalid or spent enrollment secret');
  const record = await deps.agents.getEnrollmentSecret(id);
  const given = Buffer.from(sha256Hex(secret), 'hex');
  if (!record || !timingSafeEqual(given, Buffer.from(record.secretHash, 'hex'))) return refuse('invalid or spent enrollment secret');
  let key;
  try {
    key = publicKeyFromRaw(req.publicKey);
  } catch {
    return refuse('invalid public key');
  }
  if (!verifyText(key, canonicalEnrollText(id, req.publicKey), req.proof)) return refuse('proof of key possession failed');
  const nowMs = deps.clock.now();
  const now = toMdeTimestamp(nowMs);
  if (!(await deps.agents.spendEnrollmentSecret(id, now))) return refuse('invalid or spent enrollment secret');
  const machineId = machineIdOf(req.publicKey);
  if (!(await deps.agents.addDevice({ machineId, tenantId: record.tenantId, publicKey: req.publicKey, enrolledAt: now, revokedAt: null }))) {
    return refuse('this key is already enrolled');
  }
  await deps.machines.upsert(newMachine(record.tenantId, machineId, now, req.device));
  return { machineId, tenantId: record.tenantId };
}

function newMachine(tenantId: string, id: string, now: string, d: EnrollRequest['device']): MachineRecord {
  return {
    tenantId,
    id,
    computerDnsName: String(d.computerDnsName ?? 'unknown').slice(0, 255),
    firstSeen: now,
    lastSeen: now,
    osPlatform: String(d.osPlatform ?? 'Linux').slice(0, 64),
    osVersion: d.osVersion ?? null,
    osArchitecture: String(d.osArchitecture ?? 'Unknown'),
    version: d.version ?? null,
    osBuild: null,
    lastIpAddress: d.lastIpAddress ?? null,
    lastExternalIpAddress: null,
    agentVersion: d.agentVersion ?? null,
    healthStatus: 'Active',
    deviceValue: 'Normal',
    rbacGroupId: 0,
    rbacGroupName: null,
    riskScore: 'None',
    exposureLevel: 'None',
    aadDeviceId: null,
    machineTags: [],
    onboardingStatus: 'Onboarded',
    ipAddresses: Array.isArray(d.ipAddresses) ? d.ipAddresses.slice(0, 64) : [],
    isolationState: 'NotIsolated',
    isRestricted: false,
    capabilities: [],
    avSignatureSources: null,
  };
}
