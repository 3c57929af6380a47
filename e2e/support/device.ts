/**
 * A device the test itself plays: enrolled over HTTP with an onboarding package, exactly as the
 * agent enrolls (its own Ed25519 key, proof of possession), then able to sign any request, so a
 * test can send what no honest agent would. Talks plain http to the server (e2e servers under test
 * here run without TLS).
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { AGENT_AUTH_HEADERS, AGENT_PATHS, canonicalEnrollText, canonicalRequestText, type OnboardingPackage } from '@cordon/protocol';

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export interface SignedDevice {
  machineId: string;
  /** Signature headers for one request (a fresh nonce each call). */
  headers(method: string, path: string, body?: string | Buffer): Record<string, string>;
}

export async function enrollDevice(pkg: OnboardingPackage, name: string): Promise<SignedDevice> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from((publicKey.export({ format: 'jwk' }) as { x: string }).x, 'base64url').toString('base64');
  const secretId = pkg.enrollmentSecret.split('.')[0]!;
  const body = {
    enrollmentSecret: pkg.enrollmentSecret,
    publicKey: raw,
    proof: sign(null, Buffer.from(canonicalEnrollText(secretId, raw)), privateKey).toString('base64'),
    device: { computerDnsName: name, osPlatform: 'Linux', osVersion: '12', osArchitecture: '64-bit', version: null, agentVersion: 'test', lastIpAddress: null, ipAddresses: [] },
  };
  const res = await fetch(new URL(AGENT_PATHS.enroll, pkg.serverUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`enroll: ${res.status} ${await res.text()}`);
  const { machineId } = (await res.json()) as { machineId: string };
  return { machineId, headers: (method, path, b) => signedHeaders(privateKey, machineId, method, path, b) };
}

function signedHeaders(key: KeyObject, machineId: string, method: string, path: string, body: string | Buffer = ''): Record<string, string> {
  const timestamp = String(Date.now());
  const nonce = randomBytes(16).toString('hex');
  const signature = sign(null, Buffer.from(canonicalRequestText({ method, path, machineId, timestamp, nonce, bodySha256: sha256(body) })), key).toString('base64');
  return { [AGENT_AUTH_HEADERS.machineId]: machineId, [AGENT_AUTH_HEADERS.timestamp]: timestamp, [AGENT_AUTH_HEADERS.nonce]: nonce, [AGENT_AUTH_HEADERS.signature]: signature };
}
