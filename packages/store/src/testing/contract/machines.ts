/** MachineStore contract: upsert/get, resolve, update, findByTag, findByIp, markInactive. */
import { expect } from 'vitest';
import type { MachineRecord } from '@cordon/core';
import { makeMachine } from '../fixtures.js';
import type { ContractContext } from './context.js';

const byId = (a: MachineRecord, b: MachineRecord) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function machineContract(ctx: ContractContext): void {
  const machines = () => ctx.store().machines;
  const seed = async (overrides: Partial<MachineRecord>) => {
    const m = makeMachine(overrides);
    await machines().upsert(m);
    return m;
  };

  ctx.it('should return an upserted machine exactly as given', async () => {
    const m = await seed({
      tenantId: ctx.newTenant(),
      machineTags: ['finance', 'prod'],
      aadDeviceId: '80fe8ff8-2624-418e-9591-41f0491218f9',
      osBuild: 22631,
      rbacGroupId: 7,
      rbacGroupName: 'Servers',
      isRestricted: true,
      isolationState: 'Isolated',
      capabilities: ['Isolate', 'Unisolate'],
      avSignatureSources: ['builtin', 'clamav'],
      ipAddresses: [
        { ipAddress: '10.0.0.5', macAddress: 'AA', operationalStatus: 'Up', type: 'Ethernet' },
        { ipAddress: 'fe80::1', macAddress: 'AA', operationalStatus: 'Up', type: 'Ethernet' },
      ],
    });
    expect(await machines().get(m.tenantId, m.id)).toEqual(m);
    expect(await machines().get(ctx.newTenant(), m.id)).toBeUndefined();
  });

  ctx.it('should replace the whole machine, tags included, on a second upsert', async () => {
    const m = await seed({ tenantId: ctx.newTenant(), machineTags: ['a', 'b'] });
    const replaced: MachineRecord = { ...m, computerDnsName: 'renamed.contoso.local', machineTags: ['c'], healthStatus: 'Inactive', ipAddresses: [] };
    await machines().upsert(replaced);
    expect(await machines().get(m.tenantId, m.id)).toEqual(replaced);
    expect(await machines().findByTag(m.tenantId, 'a', false)).toEqual([]);
  });

  ctx.it('should resolve a machine by id, by computer name in any case, or by aadDeviceId', async () => {
    const tenantId = ctx.newTenant();
    const m = await seed({ tenantId, computerDnsName: 'Web-01.Contoso.Local', aadDeviceId: '5f3a3f0e-1111-4222-8333-444455556666' });
    await seed({ tenantId }); // a neighbour that must not be returned
    for (const ref of [m.id, 'web-01.contoso.local', 'WEB-01.CONTOSO.LOCAL', m.aadDeviceId as string]) {
      expect(await machines().resolve(tenantId, ref)).toEqual(m);
    }
    expect(await machines().resolve(tenantId, 'web-02.contoso.local')).toBeUndefined();
    expect(await machines().resolve(ctx.newTenant(), m.id)).toBeUndefined();
  });

  ctx.it('should prefer an id match over a name match when resolving', async () => {
    const tenantId = ctx.newTenant();
    const byName = await seed({ tenantId, computerDnsName: 'c'.repeat(40) });
    const byIdMachine = await seed({ tenantId, id: 'c'.repeat(40), computerDnsName: 'other.contoso.local' });
    expect(await machines().resolve(tenantId, 'c'.repeat(40))).toEqual(byIdMachine);
    expect(await machines().resolve(tenantId, byName.id)).toEqual(byName);
  });

  ctx.it('should apply a patch, replacing the tag set', async () => {
    const m = await seed({ tenantId: ctx.newTenant(), machineTags: ['old'] });
    const patch = { machineTags: ['new1', 'new2'], lastSeen: '2026-02-01T00:00:00.0000000Z', aadDeviceId: '0d1b6b4e-0000-4000-8000-000000000000', isRestricted: true, osBuild: 5 };
    const updated = await machines().update(m.tenantId, m.id, patch);
    expect(updated).toEqual({ ...m, ...patch });
    expect(await machines().get(m.tenantId, m.id)).toEqual(updated);
    expect(await machines().update(m.tenantId, m.id, { machineTags: [] })).toEqual({ ...m, ...patch, machineTags: [] });
  });

  ctx.it('should store the antivirus signature sources, and null again', async () => {
    const m = await seed({ tenantId: ctx.newTenant() });
    expect(m.avSignatureSources).toBeNull();
    expect((await machines().update(m.tenantId, m.id, { avSignatureSources: ['builtin'] }))!.avSignatureSources).toEqual(['builtin']);
    expect((await machines().get(m.tenantId, m.id))!.avSignatureSources).toEqual(['builtin']);
    expect((await machines().update(m.tenantId, m.id, { avSignatureSources: null }))!.avSignatureSources).toBeNull();
  });

  ctx.it('should not update a machine of another tenant or an unknown one', async () => {
    const m = await seed({ tenantId: ctx.newTenant() });
    expect(await machines().update(ctx.newTenant(), m.id, { healthStatus: 'Inactive' })).toBeUndefined();
    expect(await machines().update(m.tenantId, 'unknown', { healthStatus: 'Inactive' })).toBeUndefined();
    expect(await machines().get(m.tenantId, m.id)).toEqual(m);
  });

  ctx.it('should find machines by exact tag (case-sensitive) or tag prefix (any case), with wildcards taken literally', async () => {
    const tenantId = ctx.newTenant();
    const a = await seed({ tenantId, machineTags: ['prod-eu', 'x'] });
    const b = await seed({ tenantId, machineTags: ['prod'] });
    const c = await seed({ tenantId, machineTags: ['50%_off'] });
    await seed({ tenantId: ctx.newTenant(), machineTags: ['prod'] });
    expect(await machines().findByTag(tenantId, 'prod', false)).toEqual([b]);
    expect((await machines().findByTag(tenantId, 'prod', true)).sort(byId)).toEqual([a, b].sort(byId));
    expect(await machines().findByTag(tenantId, '50%', true)).toEqual([c]);
    expect(await machines().findByTag(tenantId, '5_%', true)).toEqual([]);
    expect(await machines().findByTag(tenantId, 'nothing', true)).toEqual([]);
    expect((await machines().findByTag(tenantId, 'PROD', true)).sort(byId)).toEqual([a, b].sort(byId));
    expect(await machines().findByTag(tenantId, 'PROD', false)).toEqual([]);
  });

  ctx.it('should find machines by last or listed IP address seen within the window', async () => {
    const tenantId = ctx.newTenant();
    const ip = '192.0.2.7';
    const byLast = await seed({ tenantId, lastIpAddress: ip, ipAddresses: [], lastSeen: '2026-03-01T10:00:00.0000000Z' });
    const byList = await seed({ tenantId, lastIpAddress: '10.9.9.9', ipAddresses: [{ ipAddress: ip, macAddress: 'BB', operationalStatus: 'Up', type: 'Ethernet' }], lastSeen: '2026-03-01T10:15:00.0000000Z' });
    await seed({ tenantId, lastIpAddress: ip, lastSeen: '2026-03-01T11:00:00.0000000Z' }); // outside the window
    await seed({ tenantId, lastIpAddress: '192.0.2.77', lastSeen: '2026-03-01T10:00:00.0000000Z' }); // another address
    await seed({ tenantId: ctx.newTenant(), lastIpAddress: ip, lastSeen: '2026-03-01T10:00:00.0000000Z' });
    const found = await machines().findByIp(tenantId, ip, '2026-03-01T09:45:00.0000000Z', '2026-03-01T10:15:00.0000000Z');
    expect(found.sort(byId)).toEqual([byLast, byList].sort(byId));
  });

  ctx.it('should mark machines not seen since a point in time Inactive and count them', async () => {
    // lastSeen in 1999: markInactive spans tenants, and no other test's machine is that old.
    const tenantId = ctx.newTenant();
    const stale = await seed({ tenantId, lastSeen: '1999-01-01T00:00:00.0000000Z' });
    const alreadyInactive = await seed({ tenantId, lastSeen: '1999-01-01T00:00:00.0000000Z', healthStatus: 'Inactive' });
    const fresh = await seed({ tenantId, lastSeen: '1999-02-01T00:00:00.0000000Z' });
    expect(await machines().markInactive('1999-01-15T00:00:00.0000000Z')).toBe(1);
    expect(await machines().get(tenantId, stale.id)).toEqual({ ...stale, healthStatus: 'Inactive' });
    expect(await machines().get(tenantId, alreadyInactive.id)).toEqual(alreadyInactive);
    expect(await machines().get(tenantId, fresh.id)).toEqual(fresh);
    expect(await machines().markInactive('1999-01-15T00:00:00.0000000Z')).toBe(0);
  });
}
