/** TenantSettingsStore contract: one document per tenant, replaced whole by put, defaults for fields an older body lacks. */
import { expect } from 'vitest';
import { sql } from 'kysely';
import { DEFAULT_TENANT_SETTINGS, type TenantSettings } from '@cordon/protocol';
import { jan, type ContractContext } from './context.js';

export function tenantSettingsContract(ctx: ContractContext): void {
  const settings = () => ctx.store().tenantSettings;

  ctx.it('should read nothing for a tenant that never saved settings', async () => {
    expect(await settings().get(ctx.newTenant())).toBeUndefined();
  });

  ctx.it('should read back what was put, replace it whole on the next put, and keep tenants apart', async () => {
    const [tenant, other] = [ctx.newTenant(), ctx.newTenant()];
    const first: TenantSettings = { ...DEFAULT_TENANT_SETTINGS, isolationExceptions: ['10.0.0.0/8'], scanSignatures: { hashes: ['a'.repeat(64)], yara: [] }, scanCpuPercent: 25, scanExclusions: ['/var/cache'], lastUpdateTime: jan(1) };
    await settings().put(tenant, first);
    expect(await settings().get(tenant)).toEqual(first);
    expect(await settings().get(other)).toBeUndefined();
    const second: TenantSettings = { ...DEFAULT_TENANT_SETTINGS, executionAllowList: ['/usr/bin/true'], lastUpdateTime: jan(2) };
    await settings().put(tenant, second);
    expect(await settings().get(tenant)).toEqual(second);
    await settings().put(other, first);
    expect(await settings().get(tenant)).toEqual(second);
    expect(await settings().get(other)).toEqual(first);
  });

  ctx.it('should keep one document under concurrent puts', async () => {
    const tenant = ctx.newTenant();
    const bodies = [1, 2, 3, 4].map((n): TenantSettings => ({ ...DEFAULT_TENANT_SETTINGS, scanCpuPercent: 10 * n, lastUpdateTime: jan(n) }));
    await Promise.all(bodies.map((b) => settings().put(tenant, b)));
    expect(bodies).toContainEqual(await settings().get(tenant));
  });

  ctx.it('should read a body stored before scanExclusions existed with no exclusions, and keep what it had', async () => {
    const tenant = ctx.newTenant();
    const old = { isolationExceptions: ['10.0.0.0/8'], executionAllowList: [], scanSignatures: { hashes: [], yara: [] }, scanCpuPercent: 30, quarantineSearchPaths: [], lastUpdateTime: '2026-01-01T00:00:00.0000000Z' };
    await sql`insert into tenant_settings (tenant_id, body, updated_at) values (${tenant}, ${JSON.stringify(old)}, ${old.lastUpdateTime})`.execute(ctx.store().db);
    expect(await settings().get(tenant)).toMatchObject({ ...old, scanExclusions: [] });
  });
}
