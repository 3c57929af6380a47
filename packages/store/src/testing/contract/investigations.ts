/**
 * InvestigationStore contract: create once per id, tenant-scoped reads, compare-and-set updates on
 * the stage, OData lists, unfinished ones per machine (newest) and across tenants (server start).
 */
import { expect } from 'vitest';
import { INVESTIGATION_FIELDS, type InvestigationRecord } from '@cordon/core';
import { odata, type ContractContext } from './context.js';

export function investigationContract(ctx: ContractContext): void {
  const inv = () => ctx.store().investigations;
  const rec = (tenantId: string, over: Partial<InvestigationRecord> = {}): InvestigationRecord => ({
    tenantId, id: '10', startTime: '2026-11-22T00:00:00Z', endTime: null, state: 'Running', cancelledBy: null, statusDetails: null,
    machineId: 'm1', computerDnsName: 'host1', triggeringAlertId: null, packageActionId: 'p', scanActionId: 's', remediationActionIds: [], findings: [], alertIds: [],
    decision: null, decidedBy: null, decisionTime: null, decisionComment: null,
    stage: 'Collecting', requestor: 'app', comment: '', packageBlobId: null, lastUpdateTime: '2026-11-22T00:00:00Z', ...over,
  });

  ctx.it('should create once per id, read back, and keep tenants apart', async () => {
    const [t1, t2] = [ctx.newTenant(), ctx.newTenant()];
    expect(await inv().create(rec(t1))).toBe(true);
    expect(await inv().create(rec(t1))).toBe(false);
    expect(await inv().get(t1, '10')).toEqual(rec(t1));
    expect(await inv().get(t2, '10')).toBeUndefined();
    expect(await inv().get(t1, '11')).toBeUndefined();
    // The same id in another tenant is its own investigation.
    expect(await inv().create(rec(t2, { machineId: 'm2' }))).toBe(true);
    expect(await inv().get(t2, '10')).toEqual(rec(t2, { machineId: 'm2' }));
  });

  ctx.it('should read back every field, arrays and findings included', async () => {
    const t = ctx.newTenant();
    const full = rec(t, {
      id: '77', triggeringAlertId: 'da1_1', remediationActionIds: ['r1', 'r2'], alertIds: ['da1_1', 'da2_2'], cancelledBy: null, statusDetails: 'details',
      findings: [{
        ruleId: 'proc-tmp-exec', title: 'Process runs from /tmp', severity: 'High', category: 'Execution', description: 'a "quoted" description',
        evidence: { packageBlobId: 'b'.repeat(32), packagePath: 'Processes/Processes.csv', filePath: '/tmp/x', processId: 42, commandLine: '/tmp/x -c', accountName: 'root', sha256: 'a'.repeat(64), sha1: null, detail: 'row 3' },
        alertId: 'da1_1', remediationActionId: null,
      }],
      comment: "it's a comment", packageBlobId: 'b'.repeat(32),
    });
    await inv().create(full);
    expect(await inv().get(t, '77')).toEqual(full);
  });

  ctx.it('should apply updates only from the expected stage (compare-and-set)', async () => {
    const t = ctx.newTenant();
    await inv().create(rec(t));
    expect(await inv().update(t, '10', 'Remediating', { state: 'Benign' })).toBeUndefined();
    const done = await inv().update(t, '10', 'Collecting', { stage: 'Done', state: 'Benign', endTime: '2026-11-22T00:01:00Z' });
    expect(done).toEqual(rec(t, { stage: 'Done', state: 'Benign', endTime: '2026-11-22T00:01:00Z' }));
    expect(await inv().update(t, '10', 'Collecting', { state: 'Failed' })).toBeUndefined();
    expect((await inv().get(t, '10'))?.state).toBe('Benign');
    expect(await inv().update(t, '404', 'Collecting', { state: 'Failed' })).toBeUndefined();
    expect(await inv().update(ctx.newTenant(), '10', 'Done', { state: 'Failed' })).toBeUndefined();
  });

  ctx.it('should let exactly one of concurrent compare-and-set updates from the same stage win', async () => {
    const t = ctx.newTenant();
    await inv().create(rec(t));
    const outcomes = await Promise.all(['Benign', 'Failed', 'SuccessfullyRemediated'].map((state) => inv().update(t, '10', 'Collecting', { stage: 'Done', state: state as InvestigationRecord['state'] })));
    const winners = outcomes.filter((o) => o !== undefined);
    expect(winners).toHaveLength(1);
    expect((await inv().get(t, '10'))?.state).toBe(winners[0]?.state);
  });

  ctx.it('should apply an update only when both the stage and the state are the expected ones', async () => {
    const t = ctx.newTenant();
    await inv().create(rec(t, { stage: 'Done', state: 'PendingApproval' }));
    expect(await inv().update(t, '10', 'Done', { state: 'TerminatedByUser' }, 'Benign')).toBeUndefined();
    expect((await inv().get(t, '10'))?.state).toBe('PendingApproval');
    const decided = { state: 'TerminatedByUser', decision: 'Rejected', decidedBy: 'analyst@contoso.com', decisionTime: '2026-11-23T00:00:00Z', decisionComment: 'benign admin tool' } as const;
    expect(await inv().update(t, '10', 'Done', decided, 'PendingApproval')).toEqual(rec(t, { stage: 'Done', ...decided }));
    // The second decision finds the state moved on.
    expect(await inv().update(t, '10', 'Done', { state: 'Running', decision: 'Approved' }, 'PendingApproval')).toBeUndefined();
    expect(await inv().get(t, '10')).toEqual(rec(t, { stage: 'Done', ...decided }));
  });

  ctx.it('should let exactly one of concurrent updates expecting the same state win', async () => {
    const t = ctx.newTenant();
    await inv().create(rec(t, { stage: 'Done', state: 'PendingApproval' }));
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((who) => inv().update(t, '10', 'Done', { stage: 'Remediating', state: 'Running', decidedBy: who }, 'PendingApproval')));
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
  });

  ctx.it('should list with OData filters, ordering and count, and find unfinished ones', async () => {
    const [t1, t2] = [ctx.newTenant(), ctx.newTenant()];
    await inv().create(rec(t1, { id: '1', stage: 'Done', state: 'Benign', startTime: '2026-11-20T00:00:00Z' }));
    await inv().create(rec(t1, { id: '2', machineId: 'm2', startTime: '2026-11-21T00:00:00Z' }));
    await inv().create(rec(t1, { id: '3', startTime: '2026-11-22T00:00:00Z', stage: 'Remediating' }));
    await inv().create(rec(t2, { id: '4' }));
    const out = await inv().list(t1, odata(INVESTIGATION_FIELDS, { $filter: "state eq 'Running' and machineId eq 'm1'", $count: 'true', $orderby: 'startTime desc' }));
    expect(out.rows.map((r) => r.id)).toEqual(['3']);
    expect(out.count).toBe(1);
    const all = await inv().list(t1, odata(INVESTIGATION_FIELDS, { $orderby: 'startTime desc', $top: '2', $count: 'true' }));
    expect(all.rows.map((r) => r.id)).toEqual(['3', '2']);
    expect(all.count).toBe(3);
    expect((await inv().unfinishedOnMachine(t1, 'm1'))?.id).toBe('3');
    expect(await inv().unfinishedOnMachine(t1, 'm9')).toBeUndefined();
    expect(await inv().unfinishedOnMachine(ctx.newTenant(), 'm1')).toBeUndefined();
    // listUnfinished spans every tenant: keep to this test's tenants.
    const mine = (await inv().listUnfinished()).filter((r) => r.tenantId === t1 || r.tenantId === t2);
    expect(mine.map((r) => `${r.tenantId === t1 ? 't1' : 't2'}/${r.id}`).sort()).toEqual(['t1/2', 't1/3', 't2/4']);
  });

  ctx.it('should give the newest unfinished investigation of a machine', async () => {
    const t = ctx.newTenant();
    await inv().create(rec(t, { id: '1', startTime: '2026-11-20T00:00:00Z' }));
    await inv().create(rec(t, { id: '2', startTime: '2026-11-22T00:00:00Z' }));
    await inv().create(rec(t, { id: '3', startTime: '2026-11-23T00:00:00Z', stage: 'Done', state: 'Benign' }));
    await inv().create(rec(t, { id: '4', startTime: '2026-11-21T00:00:00Z' }));
    expect((await inv().unfinishedOnMachine(t, 'm1'))?.id).toBe('2');
  });
}
