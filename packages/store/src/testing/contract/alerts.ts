/**
 * AlertStore contract: insertNew skips alerts whose dedupe key the tenant already has (and reports
 * only what went in), get/list/update stay inside one tenant, list honours OData filter, order,
 * paging and count the way the alert and investigation services query it.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { ALERT_FIELDS, type AlertRecord } from '@cordon/core';
import { jan, odata, type ContractContext } from './context.js';

let seq = 0;
/** A New, Medium antivirus alert on machine m1, created on 2026-01-01. */
export function makeAlert(tenantId: string, overrides: Partial<AlertRecord> = {}): AlertRecord {
  seq++;
  return {
    tenantId,
    dedupeKey: null,
    id: `da63900000000000000${seq}_${seq}`,
    incidentId: null,
    investigationId: null,
    assignedTo: null,
    severity: 'Medium',
    status: 'New',
    classification: null,
    determination: null,
    investigationState: 'Unknown',
    detectionSource: 'Antivirus',
    detectorId: null,
    category: 'Malware',
    threatFamilyName: 'EICAR',
    title: "'EICAR' malware was detected",
    description: "The antivirus scan found 'EICAR' in /tmp/eicar.com on host1.",
    alertCreationTime: jan(1),
    firstEventTime: jan(1),
    lastEventTime: jan(1),
    lastUpdateTime: jan(1),
    resolvedTime: null,
    machineId: 'm1',
    computerDnsName: 'host1.contoso.local',
    rbacGroupName: null,
    aadTenantId: tenantId,
    threatName: 'EICAR',
    mitreTechniques: ['T1204'],
    relatedUser: null,
    loggedOnUsers: [],
    comments: [],
    evidence: [],
    actionId: null,
    ...overrides,
  };
}

export function alertContract(ctx: ContractContext): void {
  const alerts = () => ctx.store().alerts;

  ctx.it('should insert alerts and read each back exactly, in its tenant only', async () => {
    const tenant = ctx.newTenant();
    const a = makeAlert(tenant, { evidence: [{ entityType: 'File', evidenceCreationTime: jan(1), sha1: null, sha256: 'a'.repeat(64), fileName: 'x', filePath: '/tmp', fileSize: 3, detectionName: 'EICAR', processId: null, processCommandLine: null, parentProcessId: null, ipAddress: null, url: null, registryKey: null, accountName: null, domainName: null, userSid: null, aadUserId: null, userPrincipalName: null, detectionStatus: 'Detected' }] as AlertRecord['evidence'] });
    const b = makeAlert(tenant, { dedupeKey: `scan:${randomUUID()}:/tmp/b`, actionId: randomUUID() });
    expect(await alerts().insertNew([a, b])).toEqual([a, b]);
    expect(await alerts().get(tenant, a.id)).toEqual(a);
    expect(await alerts().get(tenant, b.id)).toEqual(b);
    expect(await alerts().get(tenant, 'da0_0')).toBeUndefined();
    expect(await alerts().get(ctx.newTenant(), a.id)).toBeUndefined();
    expect(await alerts().insertNew([])).toEqual([]);
  });

  ctx.it('should skip alerts whose dedupe key the tenant already has, and return only the inserted ones', async () => {
    const tenant = ctx.newTenant();
    const key = `scan:${randomUUID()}:/tmp/eicar`;
    const first = makeAlert(tenant, { dedupeKey: key });
    expect(await alerts().insertNew([first])).toEqual([first]);
    const again = makeAlert(tenant, { dedupeKey: key, title: 'redelivered' });
    const fresh = makeAlert(tenant, { dedupeKey: `${key}-2` });
    const undeduped = makeAlert(tenant);
    expect(await alerts().insertNew([again, fresh, undeduped])).toEqual([fresh, undeduped]);
    expect(await alerts().get(tenant, again.id)).toBeUndefined();
    expect(await alerts().get(tenant, first.id)).toEqual(first);
    // Within one batch, the second alert with a key loses too.
    const k2 = `${key}-batch`;
    const [x, y] = [makeAlert(tenant, { dedupeKey: k2 }), makeAlert(tenant, { dedupeKey: k2 })];
    expect(await alerts().insertNew([x, y])).toEqual([x]);
    // Keys are per tenant: another tenant may use the same one.
    const other = makeAlert(ctx.newTenant(), { dedupeKey: key });
    expect(await alerts().insertNew([other])).toEqual([other]);
  });

  ctx.it('should let exactly one of concurrent inserts with the same dedupe key win', async () => {
    const tenant = ctx.newTenant();
    const key = `scan:${randomUUID()}:/x`;
    const results = await Promise.all(Array.from({ length: 5 }, () => alerts().insertNew([makeAlert(tenant, { dedupeKey: key })]).catch(() => [])));
    expect(results.flat()).toHaveLength(1);
    const { rows } = await alerts().list(tenant, odata(ALERT_FIELDS));
    expect(rows).toHaveLength(1);
  });

  ctx.it('should not insert an alert whose id the tenant already has', async () => {
    const tenant = ctx.newTenant();
    const a = makeAlert(tenant);
    await alerts().insertNew([a]);
    expect(await alerts().insertNew([{ ...a, title: 'other' }])).toEqual([]);
    expect((await alerts().get(tenant, a.id))?.title).toBe(a.title);
  });

  ctx.it('should list one tenant with OData filter, order, paging and count', async () => {
    const tenant = ctx.newTenant();
    const a1 = makeAlert(tenant, { alertCreationTime: jan(1), severity: 'High' });
    const a2 = makeAlert(tenant, { alertCreationTime: jan(2), machineId: 'm2' });
    const a3 = makeAlert(tenant, { alertCreationTime: jan(3), status: 'Resolved', resolvedTime: jan(4) });
    const a4 = makeAlert(tenant, { alertCreationTime: jan(4) });
    await alerts().insertNew([a3, a1, a4, a2]);
    await alerts().insertNew([makeAlert(ctx.newTenant(), { alertCreationTime: jan(5) })]);
    const all = await alerts().list(tenant, odata(ALERT_FIELDS, { $orderby: 'alertCreationTime desc', $count: 'true' }));
    expect(all.rows.map((r) => r.id)).toEqual([a4.id, a3.id, a2.id, a1.id]);
    expect(all.count).toBe(4);
    const page = await alerts().list(tenant, odata(ALERT_FIELDS, { $orderby: 'alertCreationTime asc', $top: '2', $skip: '1', $count: 'true' }));
    expect(page.rows).toEqual([a2, a3]);
    expect(page.count).toBe(4);
    const filtered = await alerts().list(tenant, odata(ALERT_FIELDS, { $filter: `machineId eq 'm1' and alertCreationTime ge ${jan(2)} and status ne 'Resolved'` }));
    expect(filtered.rows.map((r) => r.id)).toEqual([a4.id]);
    expect(filtered.count).toBeUndefined();
    expect((await alerts().list(tenant, odata(ALERT_FIELDS, { $filter: "severity eq 'High'" }))).rows).toEqual([a1]);
  });

  ctx.it('should apply a patch, keep the rest, filter on the new values, and say when there is no alert', async () => {
    const tenant = ctx.newTenant();
    const a = makeAlert(tenant, { dedupeKey: `k-${randomUUID()}` });
    await alerts().insertNew([a]);
    const patch = { status: 'Resolved', resolvedTime: jan(9), investigationId: 42, investigationState: 'Benign', assignedTo: 'analyst@contoso.com', lastUpdateTime: jan(9) } as const;
    const next = { ...a, ...patch };
    expect(await alerts().update(tenant, a.id, patch)).toEqual(next);
    expect(await alerts().get(tenant, a.id)).toEqual(next);
    expect((await alerts().list(tenant, odata(ALERT_FIELDS, { $filter: "status eq 'Resolved' and investigationId eq 42" }))).rows).toEqual([next]);
    expect(await alerts().update(tenant, 'da0_0', { status: 'Resolved' })).toBeUndefined();
    expect(await alerts().update(ctx.newTenant(), a.id, { status: 'New' })).toBeUndefined();
    expect((await alerts().get(tenant, a.id))?.status).toBe('Resolved');
    // The dedupe key survives an update: a redelivery is still refused.
    expect(await alerts().insertNew([makeAlert(tenant, { dedupeKey: a.dedupeKey })])).toEqual([]);
  });

  ctx.it('should append comments in order, with or without a patch, and read them back on get and list', async () => {
    const tenant = ctx.newTenant();
    const a = makeAlert(tenant);
    const b = makeAlert(tenant, { alertCreationTime: jan(2) });
    await alerts().insertNew([a, b]);
    const first = { comment: 'Looking into it', createdBy: 'analyst@contoso.com', createdTime: jan(5) };
    const second = { comment: 'Confirmed: test file', createdBy: 'soar-app', createdTime: jan(6) };
    expect(await alerts().update(tenant, a.id, { status: 'InProgress', lastUpdateTime: jan(5) }, first)).toEqual({ ...a, status: 'InProgress', lastUpdateTime: jan(5), comments: [first] });
    const after = await alerts().update(tenant, a.id, { lastUpdateTime: jan(6) }, second);
    expect(after?.comments).toEqual([first, second]);
    expect((await alerts().get(tenant, a.id))?.comments).toEqual([first, second]);
    const { rows } = await alerts().list(tenant, odata(ALERT_FIELDS, { $orderby: 'alertCreationTime asc' }));
    expect(rows.map((r) => r.comments)).toEqual([[first, second], []]);
    // A later patch without a comment keeps every comment.
    expect((await alerts().update(tenant, a.id, { investigationState: 'Running' }))?.comments).toEqual([first, second]);
    // Nothing is written for a missing alert or another tenant's.
    expect(await alerts().update(tenant, 'da0_0', {}, first)).toBeUndefined();
    expect(await alerts().update(ctx.newTenant(), a.id, {}, first)).toBeUndefined();
    expect((await alerts().get(tenant, a.id))?.comments).toHaveLength(2);
    expect((await alerts().get(tenant, b.id))?.comments).toEqual([]);
  });

  ctx.it('should lose neither patch nor comment when updates of one alert race', async () => {
    const tenant = ctx.newTenant();
    const a = makeAlert(tenant);
    await alerts().insertNew([a]);
    const comment = (i: number) => ({ comment: `c${i}`, createdBy: 'x', createdTime: jan(7) });
    await Promise.all([
      alerts().update(tenant, a.id, { assignedTo: 'analyst@contoso.com' }, comment(1)),
      alerts().update(tenant, a.id, { investigationState: 'Benign' }, comment(2)),
      alerts().update(tenant, a.id, { classification: 'TruePositive' }, comment(3)),
      alerts().update(tenant, a.id, { status: 'Resolved' }, comment(4)),
    ]);
    const got = await alerts().get(tenant, a.id);
    expect({ assignedTo: got?.assignedTo, investigationState: got?.investigationState, classification: got?.classification, status: got?.status }).toEqual({
      assignedTo: 'analyst@contoso.com',
      investigationState: 'Benign',
      classification: 'TruePositive',
      status: 'Resolved',
    });
    expect(got?.comments.map((c) => c.comment).sort()).toEqual(['c1', 'c2', 'c3', 'c4']);
  });
}
