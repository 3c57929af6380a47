/**
 * AgentStore contract: enrollment secrets are spent atomically within their uses and lifetime;
 * the first credential of a machine id stays, and revocation is idempotent (first instant kept).
 * Secret ids and machine ids are global, so each test draws its own.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { DeviceCredentialRecord, EnrollmentSecretRecord } from '@cordon/core';
import type { ContractContext } from './context.js';

export function agentContract(ctx: ContractContext): void {
  const agents = () => ctx.store().agents;
  const secret = (overrides: Partial<EnrollmentSecretRecord> = {}): EnrollmentSecretRecord => ({
    id: randomUUID(), tenantId: ctx.newTenant(), secretHash: 'h', createdAt: '2026-01-01T00:00:00.0000000Z', expiresAt: '2026-01-02T00:00:00.0000000Z', maxUses: 1, uses: 0, ...overrides,
  });
  const device = (overrides: Partial<DeviceCredentialRecord> = {}): DeviceCredentialRecord => ({
    machineId: randomBytes(20).toString('hex'), tenantId: ctx.newTenant(), publicKey: 'k1', enrolledAt: '2026-01-01T00:00:00.0000000Z', revokedAt: null, ...overrides,
  });

  ctx.it('should read back an enrollment secret, and nothing for an unknown id', async () => {
    const s = secret({ maxUses: 3 });
    await agents().createEnrollmentSecret(s);
    expect(await agents().getEnrollmentSecret(s.id)).toEqual(s);
    expect(await agents().getEnrollmentSecret(randomUUID())).toBeUndefined();
  });

  ctx.it('should spend a single-use secret exactly once', async () => {
    const s = secret();
    await agents().createEnrollmentSecret(s);
    const results = await Promise.all([1, 2, 3].map(() => agents().spendEnrollmentSecret(s.id, '2026-01-01T01:00:00.0000000Z')));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await agents().getEnrollmentSecret(s.id))?.uses).toBe(1);
  });

  ctx.it('should spend a multi-use secret up to its uses, even under concurrent spends', async () => {
    const s = secret({ maxUses: 3 });
    await agents().createEnrollmentSecret(s);
    const results = await Promise.all(Array.from({ length: 8 }, () => agents().spendEnrollmentSecret(s.id, '2026-01-01T01:00:00.0000000Z')));
    expect(results.filter(Boolean)).toHaveLength(3);
    expect((await agents().getEnrollmentSecret(s.id))?.uses).toBe(3);
  });

  ctx.it('should refuse an expired secret', async () => {
    const s = secret({ maxUses: 5 });
    await agents().createEnrollmentSecret(s);
    expect(await agents().spendEnrollmentSecret(s.id, '2026-01-02T00:00:00.0000000Z')).toBe(false);
    expect(await agents().spendEnrollmentSecret(randomUUID(), '2026-01-01T00:00:00.0000000Z')).toBe(false);
    expect(await agents().spendEnrollmentSecret(s.id, '2026-01-01T23:59:59.0000000Z')).toBe(true);
  });

  ctx.it('should keep the first credential of a machine id and revoke it', async () => {
    const d = device();
    expect(await agents().addDevice(d)).toBe(true);
    expect(await agents().addDevice({ ...d, publicKey: 'k2' })).toBe(false);
    expect(await agents().addDevice({ ...d, tenantId: ctx.newTenant(), publicKey: 'k3' })).toBe(false);
    expect(await agents().getDevice(d.machineId)).toEqual(d);
    expect(await agents().getDevice(randomBytes(20).toString('hex'))).toBeUndefined();
    await agents().revokeDevice(d.machineId, '2026-01-03T00:00:00.0000000Z');
    await agents().revokeDevice(d.machineId, '2026-01-04T00:00:00.0000000Z');
    expect(await agents().getDevice(d.machineId)).toEqual({ ...d, revokedAt: '2026-01-03T00:00:00.0000000Z' });
    await agents().revokeDevice(randomBytes(20).toString('hex'), '2026-01-03T00:00:00.0000000Z');
  });

  ctx.it('should let exactly one of concurrent enrollments of a machine id win', async () => {
    const d = device();
    const won = await Promise.all(['a', 'b', 'c', 'd'].map((k) => agents().addDevice({ ...d, publicKey: k })));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(await agents().getDevice(d.machineId)).toEqual({ ...d, publicKey: ['a', 'b', 'c', 'd'][won.indexOf(true)] });
  });
}
