/**
 * The agent's Ed25519 operations over node:crypto: its own request signatures and the
 * verification of actions the server signed.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { AGENT_AUTH_HEADERS, canonicalRequestText } from '@cordon/protocol';

export function generateDeviceKey(): { privateJwk: Record<string, unknown>; publicKey: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
  return { privateJwk: jwk, publicKey: Buffer.from(jwk.x as string, 'base64url').toString('base64') };
}

export function privateKeyOf(jwk: Record<string, unknown>): KeyObject {
  return createPrivateKey({ key: jwk as never, format: 'jwk' });
}

export function publicKeyOf(rawBase64: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(rawBase64, 'base64').toString('base64url') }, format: 'jwk' });
}

export function signText(key: KeyObject, text: string): string {
  return sign(null, Buffer.from(text, 'utf8'), key).toString('base64');
}

export function verifyText(key: KeyObject, text: string, signatureBase64: string): boolean {
  const sig = Buffer.from(String(signatureBase64), 'base64');
  if (sig.length !== 64) return false;
  try {
    return verify(null, Buffer.from(text, 'utf8'), key, sig);
  } catch {
    return false;
  }
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Headers proving this request comes from the device (see `canonicalRequestText`). */
export function signedHeaders(key: KeyObject, machineId: string, method: string, path: string, body?: string | Buffer, now = Date.now()): Record<string, string> {
  const timestamp = String(now);
  const nonce = randomBytes(16).toString('hex');
  const bodySha256 = sha256Hex(body ?? '');
  const signature = signText(key, canonicalRequestText({ method, path, machineId, timestamp, nonce, bodySha256 }));
  return {
    [AGENT_AUTH_HEADERS.machineId]: machineId,
    [AGENT_AUTH_HEADERS.timestamp]: timestamp,
    [AGENT_AUTH_HEADERS.nonce]: nonce,
    [AGENT_AUTH_HEADERS.signature]: signature,
  };
}
