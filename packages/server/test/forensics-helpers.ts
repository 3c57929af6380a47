/** Helpers for the forensics HTTP tests: multipart bodies, a signed device, signed link parsing. */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { AGENT_AUTH_HEADERS, canonicalRequestText, toMdeTimestamp } from '@cordon/protocol';
import type { TestApp } from './helpers.js';

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** A multipart/form-data body as fetch would send it. */
export async function multipart(fields: Record<string, string | { name: string; content: string | Buffer }>): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string') form.append(key, value);
    else form.append(key, new Blob([typeof value.content === 'string' ? value.content : new Uint8Array(value.content)]), value.name);
  }
  const req = new Request('http://x/', { method: 'POST', body: form });
  return { payload: Buffer.from(await req.arrayBuffer()), headers: { 'content-type': req.headers.get('content-type')! } };
}

export interface TestDevice {
  machineId: string;
  key: KeyObject;
  /** Signature headers for one request; `bodySha256` defaults to the empty body's. */
  headers(method: string, path: string, bodySha256?: string): Record<string, string>;
}

/** Enrolls a device credential for `machineId` directly in the store. */
export async function addDevice(t: TestApp, machineId: string, tenantId = t.tenantId): Promise<TestDevice> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from((publicKey.export({ format: 'jwk' }) as { x: string }).x, 'base64url').toString('base64');
  await t.store.agents.addDevice({ machineId, tenantId, publicKey: raw, enrolledAt: toMdeTimestamp(t.clock.now()), revokedAt: null });
  return {
    machineId,
    key: privateKey,
    headers(method, path, bodySha256 = sha256('')) {
      const timestamp = String(t.clock.now());
      const nonce = randomBytes(16).toString('hex');
      const signature = sign(null, Buffer.from(canonicalRequestText({ method, path, machineId, timestamp, nonce, bodySha256 })), privateKey).toString('base64');
      return { [AGENT_AUTH_HEADERS.machineId]: machineId, [AGENT_AUTH_HEADERS.timestamp]: timestamp, [AGENT_AUTH_HEADERS.nonce]: nonce, [AGENT_AUTH_HEADERS.signature]: signature };
    },
  };
}

/** `http://host/downloads/<id>?se=..&fn=..&sig=..` -> the path and query inject() needs. */
export function linkPath(url: string): string {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}
