/** ActionStore.list contract: OData filters on every filterable field, order, paging, count. */
import { beforeAll, expect } from 'vitest';
import { MACHINE_ACTION_FIELDS, type ActionRecord, type ODataParams } from '@cordon/core';
import { makeAction } from '../fixtures.js';
import { jan, odata, type ContractContext } from './context.js';

const M1 = '1'.repeat(40);
const M2 = '2'.repeat(40);

/** Four actions told apart by `title`; created on Jan 1..4, so the default order is D C B A. */
function seed(tenantId: string): ActionRecord[] {
  const base = (title: string, day: number, rest: Partial<ActionRecord>) =>
    makeAction({ tenantId, title, creationDateTimeUtc: jan(day), lastUpdateDateTimeUtc: jan(day, 1), expirationDateTimeUtc: jan(day + 7), deadlineDateTimeUtc: jan(day + 7), ...rest });
  return [
    base('A', 1, { type: 'Isolate', status: 'Pending', machineId: M1, requestor: 'alice@contoso.com', computerDnsName: 'alpha.contoso.local', scope: 'Full', externalId: 'ext-A', requestSource: 'PublicApi' }),
    base('B', 2, { type: 'RunAntiVirusScan', status: 'Succeeded', machineId: M1, requestor: 'bob@contoso.com', computerDnsName: 'beta.contoso.local', scope: 'Quick', externalId: null, requestSource: 'Portal' }),
    base('C', 3, { type: 'CollectInvestigationPackage', status: 'Failed', machineId: M2, requestor: 'alice@contoso.com', computerDnsName: null, scope: null, externalId: 'ext-C', requestSource: 'PublicApi' }),
    base('D', 4, { type: 'Unisolate', status: 'Cancelled', machineId: M2, requestor: 'Carol_50%@contoso.com', computerDnsName: 'gamma.contoso.local', scope: null, externalId: null, requestSource: 'Portal' }),
  ];
}

/** [$filter, titles in the default order (newest first)]. Ids are substituted for `{A}`. */
const FILTERS: [string, string][] = [
  ["id eq '{A}'", 'A'],
  ["id in ('{A}', '{D}')", 'DA'],
  ["type eq 'Isolate'", 'A'],
  ["type in ('Isolate', 'Unisolate')", 'DA'],
  ["requestor eq 'alice@contoso.com'", 'CA'],
  ["startswith(requestor, 'ALICE')", 'CA'],
  ["contains(requestor, '_50%')", 'D'],
  ["endswith(requestor, 'B@CONTOSO.COM')", 'B'],
  ["status eq 'Pending'", 'A'],
  ["status ne 'Pending'", 'DCB'],
  [`machineId eq '${M1}'`, 'BA'],
  ["computerDnsName eq 'beta.contoso.local'", 'B'],
  ['computerDnsName eq null', 'C'],
  ["computerDnsName ne 'beta.contoso.local'", 'DCA'],
  ['creationDateTimeUtc gt 2026-01-02T00:00:00Z', 'DC'],
  ['creationDateTimeUtc ge 2026-01-02T00:00:00Z', 'DCB'],
  ['creationDateTimeUtc lt 2026-01-02T00:00:00.0000000Z', 'A'],
  ['creationDateTimeUtc le 2026-01-02T00:00:00Z', 'BA'],
  ['lastUpdateDateTimeUtc ge 2026-01-03T01:00:00Z', 'DC'],
  ['lastUpdateTimeUtc lt 2026-01-02T01:00:00Z', 'A'],
  ["scope eq 'Quick'", 'B'],
  ['scope eq null', 'DC'],
  ["externalId eq 'ext-C'", 'C'],
  ['externalId ne null', 'CA'],
  ["requestSource eq 'Portal'", 'DB'],
  ['expirationDateTimeUtc le 2026-01-09T00:00:00Z', 'BA'],
  ["status eq 'Failed' or type eq 'Isolate'", 'CA'],
  ["requestor eq 'alice@contoso.com' and status ne 'Failed'", 'A'],
  ["type eq 'Isolate' and status eq 'Succeeded'", ''],
  ["not (status eq 'Pending')", 'DCB'],
];

/** [query options, titles in order, count]. */
const PAGES: [ODataParams, string, number | undefined][] = [
  [{}, 'DCBA', undefined],
  [{ $orderby: 'creationDateTimeUtc asc' }, 'ABCD', undefined],
  [{ $orderby: 'computerDnsName asc' }, 'CABD', undefined], // OData: nulls sort first ascending
  [{ $orderby: 'computerDnsName desc' }, 'DBAC', undefined],
  [{ $orderby: 'requestor desc, creationDateTimeUtc desc' }, 'BCAD', undefined], // byte order: 'C' < 'a'
  [{ $top: '2' }, 'DC', undefined],
  [{ $top: '2', $skip: '1' }, 'CB', undefined],
  [{ $skip: '3' }, 'A', undefined],
  [{ $top: '1', $count: 'true' }, 'D', 4],
  [{ $filter: "status ne 'Pending'", $top: '1', $skip: '1', $count: 'true' }, 'C', 3],
];

export function actionListContract(ctx: ContractContext): void {
  const tenantId = ctx.newTenant();
  let seeded: ActionRecord[] = [];
  const titles = async (params: ODataParams) => {
    const { rows, count } = await ctx.store().actions.list(tenantId, odata(MACHINE_ACTION_FIELDS, params));
    return { titles: rows.map((r) => r.title).join(''), count };
  };

  beforeAll(async () => {
    seeded = seed(tenantId);
    for (const a of seeded) expect(await ctx.store().actions.create(a)).toEqual({ ok: true });
  });

  for (const [filter, expected] of FILTERS) {
    ctx.it(`should filter with ${filter}`, async () => {
      const withIds = filter.replace(/\{([A-D])\}/g, (_, t: string) => seeded.find((a) => a.title === t)?.id ?? '');
      expect(await titles({ $filter: withIds })).toEqual({ titles: expected, count: undefined });
    });
  }

  for (const [params, expected, count] of PAGES) {
    ctx.it(`should order, page and count with ${JSON.stringify(params)}`, async () => {
      expect(await titles(params)).toEqual({ titles: expected, count });
    });
  }

  ctx.it('should return whole records from list', async () => {
    const { rows } = await ctx.store().actions.list(tenantId, odata(MACHINE_ACTION_FIELDS, { $filter: "status eq 'Pending'" }));
    expect(rows).toEqual([seeded[0]]);
  });

  ctx.it('should list nothing of this tenant for another tenant', async () => {
    const { rows, count } = await ctx.store().actions.list(ctx.newTenant(), odata(MACHINE_ACTION_FIELDS, { $count: 'true' }));
    expect({ rows, count }).toEqual({ rows: [], count: 0 });
  });
}
