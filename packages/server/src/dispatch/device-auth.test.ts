import { describe, expect, it } from 'vitest';
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { AGENT_AUTH_HEADERS, canonicalRequestText } from '@cordon/protocol';
import type { AgentStore, DeviceCredentialRecord, RequestNonceStore } from '@cordon/core';
import { DeviceAuthenticator } from './device-auth.js';
import { machineIdOf, rawFromPublicKey, sha256Hex, signText } from './ed25519.js';

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);

function device() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = rawFromPublicKey(publicKey);
  return { privateKey, record: { machineId: machineIdOf(raw), tenantId: 't1', publicKey: raw, enrolledAt: 'x', revokedAt: null } as DeviceCredentialRecord };
}

function store(...devices: DeviceCredentialRecord[]): AgentStore {
  const map = new Map(devices.map((d) => [d.machineId, d]));
  return {
    createEnrollmentSecret: async () => {},
    getEnrollmentSecret: async () => undefined,
    spendEnrollmentSecret: async () => false,
    addDevice: async () => false,
    getDevice: async (id) => map.get(id),
    revokeDevice: async (id, at) => {
      const d = map.get(id);
      if (d) d.revokedAt = at;
    },
  };
}

/** The port's semantics in memory (the store contract suite tests the real ones on both engines). */
function nonceStore(): RequestNonceStore {
  const seen = new Map<string, number>();
  return {
    claim: async (nonce, expiresAt) => !seen.has(nonce) && Boolean(seen.set(nonce, expiresAt)),
    prune: async (before) => {
      for (const [n, until] of seen) if (until < before) seen.delete(n);
    },
  };
}

function headers(key: KeyObject, machineId: string, opts: { path?: string; ts?: number; nonce?: string; body?: string } = {}) {
  const timestamp = String(opts.ts ?? NOW);
  const nonce = opts.nonce ?? randomBytes(16).toString('hex');
  const text = canonicalRequestText({ method: 'GET', path: opts.path ?? '/agent/v1/ws', machineId, timestamp, nonce, bodySha256: sha256Hex(opts.body ?? '') });
  return { [AGENT_AUTH_HEADERS.machineId]: machineId, [AGENT_AUTH_HEADERS.timestamp]: timestamp, [AGENT_AUTH_HEADERS.nonce]: nonce, [AGENT_AUTH_HEADERS.signature]: signText(key, text) };
}

describe(DeviceAuthenticator.name, () => {
  const a = device();
  const b = device();
  const auth = new DeviceAuthenticator({ agents: store(a.record, b.record), nonces: nonceStore(), clock: { now: () => NOW } });

  it('should accept a request signed by the device key', async () => {
    expect(await auth.verify({ method: 'GET', path: '/agent/v1/ws', headers: headers(a.privateKey, a.record.machineId) })).toEqual({ ok: true, device: a.record });
  });

  it("should refuse one device's key acting as another device", async () => {
    const out = await auth.verify({ method: 'GET', path: '/agent/v1/ws', headers: headers(a.privateKey, b.record.machineId) });
    expect(out).toEqual({ ok: false, reason: 'bad device signature' });
  });

  it('should refuse a replayed request (same nonce)', async () => {
    const h = headers(a.privateKey, a.record.machineId);
    expect((await auth.verify({ method: 'GET', path: '/agent/v1/ws', headers: h })).ok).toBe(true);
    expect(await auth.verify({ method: 'GET', path: '/agent/v1/ws', headers: h })).toEqual({ ok: false, reason: 'replayed request' });
  });

  it('should refuse a request outside the clock-skew window', async () => {
    const out = await auth.verify({ method: 'GET', path: '/agent/v1/ws', headers: headers(a.privateKey, a.record.machineId, { ts: NOW - 6 * 60_000 }) });
    expect(out.ok).toBe(false);
  });

  it('should refuse a signature made for another path or body', async () => {
    expect((await auth.verify({ method: 'GET', path: '/agent/v1/poll', headers: headers(a.privateKey, a.record.machineId) })).ok).toBe(false);
    expect((await auth.verify({ method: 'GET', path: '/agent/v1/ws', headers: headers(a.privateKey, a.record.machineId, { body: 'x' }), body: 'y' })).ok).toBe(false);
  });

  it('should refuse unknown devices, missing headers and revoked (offboarded) credentials', async () => {
    const stranger = device();
    expect(await auth.verify({ method: 'GET', path: '/agent/v1/ws', headers: headers(stranger.privateKey, stranger.record.machineId) })).toEqual({ ok: false, reason: 'unknown device' });
    expect((await auth.verify({ method: 'GET', path: '/agent/v1/ws', headers: {} })).ok).toBe(false);
    const c = device();
    const agents = store(c.record);
    const auth2 = new DeviceAuthenticator({ agents, nonces: nonceStore(), clock: { now: () => NOW } });
    await agents.revokeDevice(c.record.machineId, 'now');
    expect(await auth2.verify({ method: 'GET', path: '/agent/v1/ws', headers: headers(c.privateKey, c.record.machineId) })).toEqual({ ok: false, reason: 'device credential revoked (offboarded)' });
  });
});
