import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INVESTIGATION_FIELDS, parseODataQuery, type InvestigationRecord } from '@cordon/core';
import { openStore, type Store } from './index.js';

const rec = (over: Partial<InvestigationRecord>): InvestigationRecord => ({
  tenantId: 't1', id: '10', startTime: '2026-11-22T00:00:00Z', endTime: null, state: 'Running', cancelledBy: null, statusDetails: null,
  machineId: 'm1', computerDnsName: 'host1', triggeringAlertId: null, packageActionId: 'p', scanActionId: 's', remediationActionIds: [], findings: [], alertIds: [],
  stage: 'Collecting', requestor: 'app', comment: '', packageBlobId: null, lastUpdateTime: '2026-11-22T00:00:00Z', ...over,
});

describe('KyselyInvestigationStore (SQLite)', () => {
  let store: Store;
  beforeEach(async () => { store = await openStore({ sqlitePath: ':memory:' }); });
  afterEach(async () => { await store.close(); });

  it('should create once per id, read back, and keep tenants apart', async () => {
    const inv = store.investigations;
    expect(await inv.create(rec({}))).toBe(true);
    expect(await inv.create(rec({}))).toBe(false);
    expect(await inv.get('t1', '10')).toEqual(rec({}));
    expect(await inv.get('t2', '10')).toBeUndefined();
  });

  it('should apply updates only from the expected stage (compare-and-set)', async () => {
    const inv = store.investigations;
    await inv.create(rec({}));
    expect((await inv.update('t1', '10', 'Remediating', { state: 'Benign' }))).toBeUndefined();
    const done = await inv.update('t1', '10', 'Collecting', { stage: 'Done', state: 'Benign', endTime: '2026-11-22T00:01:00Z' });
    expect(done?.state).toBe('Benign');
    expect(await inv.update('t1', '10', 'Collecting', { state: 'Failed' })).toBeUndefined();
    expect((await inv.get('t1', '10'))?.state).toBe('Benign');
  });

  it('should list with OData filters, ordering and count, and find unfinished ones', async () => {
    const inv = store.investigations;
    await inv.create(rec({ id: '1', stage: 'Done', state: 'Benign', startTime: '2026-11-20T00:00:00Z' }));
    await inv.create(rec({ id: '2', machineId: 'm2', startTime: '2026-11-21T00:00:00Z' }));
    await inv.create(rec({ id: '3', startTime: '2026-11-22T00:00:00Z', stage: 'Remediating' }));
    await inv.create(rec({ tenantId: 't2', id: '4' }));
    const q = parseODataQuery({ $filter: "state eq 'Running' and machineId eq 'm1'", $count: 'true', $orderby: 'startTime desc' }, INVESTIGATION_FIELDS);
    const out = await inv.list('t1', q);
    expect(out.rows.map((r) => r.id)).toEqual(['3']);
    expect(out.count).toBe(1);
    expect((await inv.unfinishedOnMachine('t1', 'm1'))?.id).toBe('3');
    expect(await inv.unfinishedOnMachine('t1', 'm9')).toBeUndefined();
    expect((await inv.listUnfinished()).map((r) => `${r.tenantId}/${r.id}`).sort()).toEqual(['t1/2', 't1/3', 't2/4']);
  });
});
