/** IdentityStore contract: tenants, applications, signing keys. */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { AppRecord, SigningKeyRecord } from '@cordon/core';
import type { ContractContext } from './context.js';

export function identityContract(ctx: ContractContext): void {
  const identity = () => ctx.store().identity;
  const newTenant = async () => {
    const tenant = { id: ctx.newTenant(), name: 'Contoso', createdAt: '2026-01-01T00:00:00.0000000Z' };
    await identity().createTenant(tenant);
    return tenant;
  };
  const app = (tenantId: string, overrides: Partial<AppRecord> = {}): AppRecord => ({
    tenantId,
    clientId: randomUUID(),
    name: 'SOAR',
    roles: ['Machine.Isolate', 'Machine.Read.All'],
    secretHash: 'scrypt$16384$8$1$salt$hash',
    createdAt: '2026-01-01T00:00:00.0000000Z',
    disabled: false,
    ...overrides,
  });

  ctx.it('should create, get and list tenants', async () => {
    const tenant = await newTenant();
    expect(await identity().getTenant(tenant.id)).toEqual(tenant);
    expect(await identity().getTenant(ctx.newTenant())).toBeUndefined();
    expect(await identity().listTenants()).toContainEqual(tenant);
    await expect(identity().createTenant(tenant)).rejects.toThrow();
  });

  ctx.it('should create, get and list applications per tenant', async () => {
    const tenant = await newTenant();
    const first = app(tenant.id, { createdAt: '2026-01-01T00:00:00.0000000Z' });
    const second = app(tenant.id, { createdAt: '2026-01-02T00:00:00.0000000Z', disabled: true, roles: [] });
    await identity().createApp(second);
    await identity().createApp(first);
    const elsewhere = app((await newTenant()).id);
    await identity().createApp(elsewhere);
    expect(await identity().getApp(second.clientId)).toEqual(second);
    expect(await identity().getApp(randomUUID())).toBeUndefined();
    expect(await identity().listApps(tenant.id)).toEqual([first, second]);
  });

  ctx.it('should disable and re-enable an application, and say when there is none', async () => {
    const tenant = await newTenant();
    const created = app(tenant.id);
    await identity().createApp(created);
    expect(await identity().setAppDisabled(created.clientId, true)).toBe(true);
    expect(await identity().getApp(created.clientId)).toEqual({ ...created, disabled: true });
    expect(await identity().setAppDisabled(created.clientId, false)).toBe(true);
    expect(await identity().getApp(created.clientId)).toEqual(created);
    expect(await identity().setAppDisabled(randomUUID(), true)).toBe(false);
  });

  ctx.it('should replace an application secret hash, and say when there is none', async () => {
    const tenant = await newTenant();
    const created = app(tenant.id);
    await identity().createApp(created);
    expect(await identity().setAppSecretHash(created.clientId, 'scrypt$16384$8$1$salt$other')).toBe(true);
    expect(await identity().getApp(created.clientId)).toEqual({ ...created, secretHash: 'scrypt$16384$8$1$salt$other' });
    expect(await identity().setAppSecretHash(randomUUID(), 'x')).toBe(false);
  });

  ctx.it('should refuse a second application with the same client id', async () => {
    const tenant = await newTenant();
    const first = app(tenant.id);
    await identity().createApp(first);
    await expect(identity().createApp(app(tenant.id, { clientId: first.clientId, name: 'other' }))).rejects.toThrow();
    expect(await identity().getApp(first.clientId)).toEqual(first);
  });

  ctx.it('should keep the first signing key of a use, even under concurrent writers', async () => {
    // Signing keys are deployment-wide: this is the only test that writes them.
    const key = (use: SigningKeyRecord['use'], n: number): SigningKeyRecord => ({
      kid: `${use}-${n}-${randomUUID()}`,
      use,
      alg: 'ES256',
      publicJwk: { kty: 'EC', crv: 'P-256', x: `x${n}`, y: `y${n}` },
      privateJwk: { kty: 'EC', crv: 'P-256', x: `x${n}`, y: `y${n}`, d: `d${n}` },
      createdAt: '2026-01-01T00:00:00.0000000Z',
    });
    const racing = await Promise.all([1, 2, 3, 4, 5].map((n) => identity().ensureSigningKey(key('jwt', n))));
    expect(new Set(racing.map((k) => k.kid)).size).toBe(1);
    const winner = racing[0];
    expect(await identity().ensureSigningKey(key('jwt', 6))).toEqual(winner);
    const actionKey = key('action', 7);
    expect(await identity().ensureSigningKey(actionKey)).toEqual(actionKey);
    expect(await identity().listSigningKeys('jwt')).toEqual([winner]);
    expect(await identity().listSigningKeys('action')).toEqual([actionKey]);
  });
}
