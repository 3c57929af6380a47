/** MachineStore contract: upsert/get, resolve, update, findByTag, findByIp, markInactive, markSeen. */
import { expect } from 'vitest';
import { MAX_MACHINE_CANDIDATES, type MachineRecord } from '@cordon/core';
import { makeMachine } from '../fixtures.js';
import { jan, type ContractContext } from './context.js';

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

  ctx.it('should leave exactly one of concurrent upserts of a machine, tags included, never a mix', async () => {
    const m = await seed({ tenantId: ctx.newTenant(), machineTags: ['old'] });
    const versions = [1, 2, 3, 4].map((n): MachineRecord => ({ ...m, computerDnsName: `v${n}.contoso.local`, machineTags: [`t${n}-a`, `t${n}-b`], lastSeen: jan(n + 1) }));
    await Promise.all(versions.map((v) => machines().upsert(v)));
    const stored = await machines().get(m.tenantId, m.id);
    expect(versions).toContainEqual(stored);
    const tagged = await machines().findByTag(m.tenantId, 't', true);
    expect(tagged).toEqual([stored]);
  });

  ctx.it('should resolve a machine by id, by computer name in any case, or by aadDeviceId', async () => {
    const tenantId = ctx.newTenant();
    const m = await seed({ tenantId, computerDnsName: 'Web-01.Contoso.Local', aadDeviceId: '5f3a3f0e-1111-4222-8333-444455556666' });
    await seed({ tenantId }); // a neighbour that must not be returned
    for (const ref of [m.id, 'web-01.contoso.local', 'WEB-01.CONTOSO.LOCAL', m.aadDeviceId as string]) {
      expect(await machines().resolve(tenantId, ref)).toEqual({ kind: 'machine', machine: m });
    }
    expect(await machines().resolve(tenantId, 'web-02.contoso.local')).toEqual({ kind: 'none' });
    expect(await machines().resolve(ctx.newTenant(), m.id)).toEqual({ kind: 'none' });
  });

  ctx.it('should prefer an id match, then an aadDeviceId match, over a name match when resolving', async () => {
    const tenantId = ctx.newTenant();
    const aadDeviceId = '0a0a0a0a-0000-4000-8000-000000000001';
    const byName = await seed({ tenantId, computerDnsName: 'c'.repeat(40) });
    const byIdMachine = await seed({ tenantId, id: 'c'.repeat(40), computerDnsName: 'other.contoso.local' });
    const namedLikeAad = await seed({ tenantId, computerDnsName: aadDeviceId });
    const byAad = await seed({ tenantId, aadDeviceId });
    expect(await machines().resolve(tenantId, 'c'.repeat(40))).toEqual({ kind: 'machine', machine: byIdMachine });
    expect(await machines().resolve(tenantId, byName.id)).toEqual({ kind: 'machine', machine: byName });
    expect(await machines().resolve(tenantId, aadDeviceId)).toEqual({ kind: 'machine', machine: byAad });
    expect(await machines().resolve(tenantId, namedLikeAad.id)).toEqual({ kind: 'machine', machine: namedLikeAad });
  });

  ctx.it('should resolve a shared name to the one machine that is not offboarded', async () => {
    const tenantId = ctx.newTenant();
    const computerDnsName = 'reimaged.contoso.local';
    // The old record is seen later than the live one: being offboarded, not recency, decides.
    await seed({ tenantId, computerDnsName, onboardingStatus: 'Offboarded', healthStatus: 'Inactive', lastSeen: '2026-01-03T00:00:00.0000000Z' });
    await seed({ tenantId, computerDnsName: 'REIMAGED.contoso.local', onboardingStatus: 'Offboarded', healthStatus: 'Inactive', lastSeen: '2026-01-02T00:00:00.0000000Z' });
    const live = await seed({ tenantId, computerDnsName, lastSeen: '2026-01-01T00:00:00.0000000Z' });
    expect(await machines().resolve(tenantId, computerDnsName)).toEqual({ kind: 'machine', machine: live });
  });

  ctx.it('should resolve a name that only one offboarded machine has to it', async () => {
    const tenantId = ctx.newTenant();
    const gone = await seed({ tenantId, onboardingStatus: 'Offboarded', healthStatus: 'Inactive' });
    expect(await machines().resolve(tenantId, gone.computerDnsName)).toEqual({ kind: 'machine', machine: gone });
  });

  ctx.it('should refuse to pick between machines that share a name, listing them most recently seen first', async () => {
    const tenantId = ctx.newTenant();
    const computerDnsName = 'dup.contoso.local';
    const older = await seed({ tenantId, computerDnsName, lastSeen: '2026-01-01T00:00:00.0000000Z' });
    const newer = await seed({ tenantId, computerDnsName: 'Dup.Contoso.Local', lastSeen: '2026-01-02T00:00:00.0000000Z', healthStatus: 'Inactive' });
    await seed({ tenantId, computerDnsName, onboardingStatus: 'Offboarded', lastSeen: '2026-01-03T00:00:00.0000000Z' }); // ignored: live ones exist
    await seed({ tenantId: ctx.newTenant(), computerDnsName }); // another tenant's
    const candidate = (m: MachineRecord) => ({ id: m.id, computerDnsName: m.computerDnsName, lastSeen: m.lastSeen, onboardingStatus: m.onboardingStatus });
    expect(await machines().resolve(tenantId, computerDnsName)).toEqual({ kind: 'ambiguous', candidates: [candidate(newer), candidate(older)], more: false });
  });

  ctx.it('should refuse a name only offboarded machines share, and an aadDeviceId several live machines share', async () => {
    const tenantId = ctx.newTenant();
    const a = await seed({ tenantId, computerDnsName: 'gone.contoso.local', onboardingStatus: 'Offboarded', lastSeen: '2026-01-02T00:00:00.0000000Z' });
    const b = await seed({ tenantId, computerDnsName: 'gone.contoso.local', onboardingStatus: 'Offboarded' });
    expect(await machines().resolve(tenantId, 'gone.contoso.local')).toMatchObject({ kind: 'ambiguous', candidates: [{ id: a.id }, { id: b.id }], more: false });
    const aadDeviceId = '0a0a0a0a-0000-4000-8000-000000000002';
    const c = await seed({ tenantId, aadDeviceId, lastSeen: '2026-01-02T00:00:00.0000000Z' });
    const d = await seed({ tenantId, aadDeviceId });
    expect(await machines().resolve(tenantId, aadDeviceId)).toMatchObject({ kind: 'ambiguous', candidates: [{ id: c.id }, { id: d.id }], more: false });
  });

  ctx.it('should list at most the maximum number of candidates and say there are more', async () => {
    const tenantId = ctx.newTenant();
    const computerDnsName = 'localhost';
    const seeded: MachineRecord[] = [];
    for (let day = 1; day <= MAX_MACHINE_CANDIDATES + 2; day++) seeded.push(await seed({ tenantId, computerDnsName, lastSeen: jan(day) }));
    const resolved = await machines().resolve(tenantId, computerDnsName);
    const newestFirst = seeded.reverse().slice(0, MAX_MACHINE_CANDIDATES).map((m) => m.id);
    expect(resolved.kind === 'ambiguous' && { ids: resolved.candidates.map((c) => c.id), more: resolved.more }).toEqual({ ids: newestFirst, more: true });
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

  ctx.it('should mark many machines of several tenants seen and Active at once, leaving others and unknown ids alone', async () => {
    const [t1, t2] = [ctx.newTenant(), ctx.newTenant()];
    const old = '2026-01-01T00:00:00.0000000Z';
    const at = '2026-05-01T12:00:00.1234567Z';
    const seen1 = await Promise.all([1, 2, 3].map(() => seed({ tenantId: t1, lastSeen: old })));
    const inactive = await seed({ tenantId: t1, lastSeen: old, healthStatus: 'Inactive' });
    const untouched = await seed({ tenantId: t1, lastSeen: old, healthStatus: 'Inactive' });
    const seen2 = await seed({ tenantId: t2, lastSeen: old });
    // The same id in another tenant is a different machine, and must not be written.
    const sameIdElsewhere = await seed({ tenantId: ctx.newTenant(), id: seen2.id, lastSeen: old });
    // More names than one statement holds, unknown ones first, so the known ones fall in later chunks.
    const unknown = Array.from({ length: 1100 }, (_, i) => ({ tenantId: t1, id: `unknown-${i}` }));
    const entries = [...unknown, ...[...seen1, inactive, seen2].map((m) => ({ tenantId: m.tenantId, id: m.id })), { tenantId: t1, id: seen1[0]!.id }];
    expect(await machines().markSeen(entries, at)).toBe(5);
    for (const m of [...seen1, inactive, seen2]) expect(await machines().get(m.tenantId, m.id)).toEqual({ ...m, lastSeen: at, healthStatus: 'Active' });
    expect(await machines().get(t1, untouched.id)).toEqual(untouched);
    expect(await machines().get(sameIdElsewhere.tenantId, sameIdElsewhere.id)).toEqual(sameIdElsewhere);
    expect(await machines().markSeen([], at)).toBe(0);
  });
}
