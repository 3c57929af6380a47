/** MachineStore.list contract: OData filters on every filterable field, order, paging, count. */
import { beforeAll, expect } from 'vitest';
import { MACHINE_FIELDS, type MachineRecord, type ODataParams } from '@cordon/core';
import { makeMachine } from '../fixtures.js';
import { jan, odata, type ContractContext } from './context.js';

const id = (n: number) => `${'0'.repeat(39)}${n}`;

/** Three machines told apart by the first letter of their name; ids sort P < Q < R (the default order). */
function seed(tenantId: string): MachineRecord[] {
  return [
    makeMachine({
      tenantId, id: id(1), computerDnsName: 'p.contoso.local', firstSeen: jan(1), lastSeen: jan(5), osPlatform: 'Linux', osVersion: '12', version: '12',
      lastIpAddress: '10.0.0.1', lastExternalIpAddress: '203.0.113.1', agentVersion: '0.1.0', osBuild: null, healthStatus: 'Active', deviceValue: 'Normal',
      rbacGroupId: 1, rbacGroupName: 'Servers', riskScore: 'None', exposureLevel: 'Low', aadDeviceId: null, machineTags: ['eu', 'prod'],
      onboardingStatus: 'Onboarded', isolationState: 'NotIsolated', isRestricted: false,
    }),
    makeMachine({
      tenantId, id: id(2), computerDnsName: 'q.contoso.local', firstSeen: jan(2), lastSeen: jan(6), osPlatform: 'Linux', osVersion: null, version: null,
      lastIpAddress: '10.0.0.2', lastExternalIpAddress: null, agentVersion: '0.2.0', osBuild: 100, healthStatus: 'Inactive', deviceValue: 'High',
      rbacGroupId: 2, rbacGroupName: null, riskScore: 'Medium', exposureLevel: 'High', aadDeviceId: '3c2f8a8e-0000-4000-8000-000000000002', machineTags: ['dev'],
      onboardingStatus: 'Offboarded', isolationState: 'Isolated', isRestricted: true,
    }),
    makeMachine({
      tenantId, id: id(3), computerDnsName: 'R-Win.contoso.local', firstSeen: jan(3), lastSeen: jan(7), osPlatform: 'Windows11', osVersion: '11', version: '22H2',
      lastIpAddress: null, lastExternalIpAddress: '203.0.113.3', agentVersion: null, osBuild: 22631, healthStatus: 'ImpairedCommunication', deviceValue: 'Low',
      rbacGroupId: 1, rbacGroupName: 'Workstations', riskScore: 'High', exposureLevel: 'None', aadDeviceId: null, machineTags: [],
      onboardingStatus: 'CanBeOnboarded', isolationState: 'SelectivelyIsolated', isRestricted: false,
    }),
  ];
}

/** [$filter, machines by first letter in the default order]. */
const FILTERS: [string, string][] = [
  [`id eq '${id(1)}'`, 'p'],
  ["computerDnsName eq 'q.contoso.local'", 'q'],
  ["startswith(computerDnsName, 'r-win')", 'R'],
  ['firstSeen gt 2026-01-01T00:00:00Z', 'qR'],
  ['lastSeen le 2026-01-06T00:00:00Z', 'pq'],
  ["osPlatform eq 'Linux'", 'pq'],
  ['osVersion eq null', 'q'],
  ["osVersion ne '12'", 'qR'],
  ["version eq '22H2'", 'R'],
  ["lastIpAddress eq '10.0.0.2'", 'q'],
  ['lastExternalIpAddress eq null', 'q'],
  ["agentVersion eq '0.1.0'", 'p'],
  ['osBuild gt 1000', 'R'],
  ['osBuild eq null', 'p'],
  ["healthStatus eq 'Inactive'", 'q'],
  ["deviceValue in ('High', 'Low')", 'qR'],
  ['rbacGroupId eq 1', 'pR'],
  ["rbacGroupName eq 'Servers'", 'p'],
  ["riskScore eq 'High'", 'R'],
  ["exposureLevel eq 'High'", 'q'],
  ['isAadJoined eq true', 'q'],
  ['isAadJoined eq false', 'pR'],
  ['aadDeviceId ne null', 'q'],
  ["machineTags/any(t: t eq 'prod')", 'p'],
  ["machineTags/any(t: startswith(t, 'DE'))", 'q'],
  ["not machineTags/any(t: t eq 'prod')", 'qR'],
  ["onboardingStatus eq 'Offboarded'", 'q'],
  ["isolationState ne 'NotIsolated'", 'qR'],
  ['isRestricted eq true', 'q'],
  ['isRestricted eq false', 'pR'],
  ["healthStatus eq 'Active' or isRestricted eq true", 'pq'],
];

const PAGES: [ODataParams, string, number | undefined][] = [
  [{}, 'pqR', undefined],
  [{ $orderby: 'lastSeen desc' }, 'Rqp', undefined],
  [{ $orderby: 'computerDnsName' }, 'Rpq', undefined], // byte order: 'R' < 'p'
  [{ $orderby: 'osBuild asc' }, 'pqR', undefined], // null first
  [{ $orderby: 'rbacGroupId desc, lastSeen asc' }, 'qpR', undefined],
  [{ $top: '1', $skip: '1', $count: 'true' }, 'q', 3],
  [{ $filter: "osPlatform eq 'Linux'", $top: '1', $count: 'true' }, 'p', 2],
];

export function machineListContract(ctx: ContractContext): void {
  const tenantId = ctx.newTenant();
  let seeded: MachineRecord[] = [];
  const letters = async (params: ODataParams) => {
    const { rows, count } = await ctx.store().machines.list(tenantId, odata(MACHINE_FIELDS, params));
    return { letters: rows.map((r) => r.computerDnsName[0]).join(''), count };
  };

  beforeAll(async () => {
    seeded = seed(tenantId);
    for (const m of seeded) await ctx.store().machines.upsert(m);
  });

  for (const [filter, expected] of FILTERS) {
    ctx.it(`should filter machines with ${filter}`, async () => {
      expect(await letters({ $filter: filter })).toEqual({ letters: expected, count: undefined });
    });
  }

  for (const [params, expected, count] of PAGES) {
    ctx.it(`should order, page and count machines with ${JSON.stringify(params)}`, async () => {
      expect(await letters(params)).toEqual({ letters: expected, count });
    });
  }

  ctx.it('should return whole machines, tags included, from list', async () => {
    const { rows } = await ctx.store().machines.list(tenantId, odata(MACHINE_FIELDS));
    expect(rows).toEqual(seeded);
  });

  ctx.it('should list no machines of this tenant for another tenant', async () => {
    const { rows, count } = await ctx.store().machines.list(ctx.newTenant(), odata(MACHINE_FIELDS, { $count: 'true' }));
    expect({ rows, count }).toEqual({ rows: [], count: 0 });
  });
}
