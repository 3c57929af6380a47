/**
 * Alert triage and investigation approval over HTTP: `PATCH /alerts/{id}` (MDE "Update alert":
 * validation before any write, comments, resolvedTime, permissions, 404) and the Cordon extension
 * `POST /investigations/{id}/approve|reject` on a PendingApproval investigation (remediationLevel
 * None), driven through ActionService.accept/finish as the dispatch does.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import type { MachineRecord } from '@cordon/core';
import { forbiddenMessage } from '../src/plugins/auth.js';
import { rolesAllowing } from '../src/roles.js';
import { startTestApp, MDE_TIMESTAMP, type TestApp } from './helpers.js';

let t: TestApp;
beforeEach(async () => { t = await startTestApp(); });
afterEach(async () => { await t.close(); });

const ALERT_WRITE = ['Alert.ReadWrite.All'];
const READ = ['Alert.Read.All'];

async function seedAlert(machine: MachineRecord, tenantId = t.tenantId) {
  const [alert] = await t.services.alerts.createAlerts(tenantId, machine, [{ path: '/tmp/eicar.com', sha1: null, sha256: null, size: 68, signature: 'Eicar-Test-Signature' }], 'Antivirus', null);
  return alert!;
}

describe('PATCH /alerts/{id}', () => {
  it('should update status, owner, classification and determination, append the comment, and answer the Alert under both prefixes', async () => {
    const m = await t.seedMachine();
    const alert = await seedAlert(m);
    t.clock.advance(60_000);
    const res = await t.call({
      method: 'PATCH',
      url: `/api/alerts/${alert.id}`,
      token: await t.token(ALERT_WRITE),
      payload: { status: 'Resolved', assignedTo: 'secop2@contoso.com', classification: 'FalsePositive', determination: 'Malware', comment: 'Resolve my alert and assign to secop2' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body['@odata.context']).toMatch(/\$metadata#Alerts\/\$entity$/);
    expect(body).toMatchObject({ id: alert.id, status: 'Resolved', assignedTo: 'secop2@contoso.com', classification: 'FalsePositive', determination: 'Malware' });
    expect(body.resolvedTime).toMatch(MDE_TIMESTAMP);
    expect(body.lastUpdateTime).toBe(body.resolvedTime);
    expect(body.lastUpdateTime).not.toBe(alert.lastUpdateTime);
    expect(body.comments).toEqual([{ comment: 'Resolve my alert and assign to secop2', createdBy: 'app Alert.ReadWrite.All', createdTime: body.lastUpdateTime }]);

    // A comment alone is an update too (MDE: "with or without updating properties"); resolvedTime stays.
    t.clock.advance(60_000);
    const more = await t.call({ method: 'PATCH', url: `/api/v1.0/alerts/${alert.id}`, token: await t.token(ALERT_WRITE), payload: { comment: 'second look' } });
    expect(more.statusCode).toBe(200);
    expect(more.json().comments.map((c: { comment: string }) => c.comment)).toEqual(['Resolve my alert and assign to secop2', 'second look']);
    expect(more.json().resolvedTime).toBe(body.resolvedTime);
    const got = (await t.call({ method: 'GET', url: `/api/alerts/${alert.id}`, token: await t.token(READ) })).json();
    expect(got).toEqual({ ...more.json(), '@odata.context': got['@odata.context'] });
  });

  it('should clear resolvedTime when a Resolved alert is reopened and unassign on an empty owner', async () => {
    const m = await t.seedMachine();
    const alert = await seedAlert(m);
    const token = await t.token(ALERT_WRITE);
    await t.call({ method: 'PATCH', url: `/api/alerts/${alert.id}`, token, payload: { status: 'Resolved', assignedTo: 'a@contoso.com' } });
    const reopened = (await t.call({ method: 'PATCH', url: `/api/alerts/${alert.id}`, token, payload: { status: 'InProgress', assignedTo: '' } })).json();
    expect(reopened).toMatchObject({ status: 'InProgress', resolvedTime: null, assignedTo: null });
    const list = (await t.call({ method: 'GET', url: `/api/alerts?$filter=status eq 'InProgress'`, token: await t.token(READ) })).json();
    expect(list.value.map((a: { id: string }) => a.id)).toEqual([alert.id]);
  });

  it('should refuse a bad body with a clear code and change nothing', async () => {
    const m = await t.seedMachine();
    const alert = await seedAlert(m);
    const token = await t.token(ALERT_WRITE);
    const cases: [unknown, string, RegExp][] = [
      [{ status: 'Closed' }, 'InvalidInput', /status.*New, InProgress, Resolved/],
      [{ classification: 'Unknown', comment: 'x' }, 'InvalidInput', /classification/],
      [{ determination: 'Apt' }, 'InvalidInput', /determination/],
      [{ status: 'Resolved', Status: 'Resolved' }, 'InvalidRequestBody', /Status/],
      [{ severity: 'High' }, 'InvalidRequestBody', /severity/],
      [{}, 'InvalidRequestBody', /at least one of status, assignedTo, classification, determination, comment/],
      [{ comment: '' }, 'InvalidRequestBody', /comment/],
      [{ status: 3 }, 'InvalidRequestBody', /status/],
      [[], 'InvalidRequestBody', /JSON object/],
    ];
    for (const [payload, code, message] of cases) {
      const res = await t.call({ method: 'PATCH', url: `/api/alerts/${alert.id}`, token, payload: payload as Record<string, unknown> });
      expect([res.statusCode, res.json().error.code], JSON.stringify(payload)).toEqual([400, code]);
      expect(res.json().error.message, JSON.stringify(payload)).toMatch(message);
    }
    const after = await t.services.alerts.get(t.tenantId, alert.id);
    expect(after).toEqual(alert);
  });

  it('should answer 404 for an unknown id or another tenant’s alert, and 403 to a read-only caller', async () => {
    const m = await t.seedMachine();
    const alert = await seedAlert(m);
    const token = await t.token(ALERT_WRITE);
    const unknown = await t.call({ method: 'PATCH', url: '/api/alerts/da637292082891366787_1', token, payload: { status: 'Resolved' } });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'ResourceNotFound']);
    const malformed = await t.call({ method: 'PATCH', url: '/api/alerts/nope', token, payload: { status: 'Resolved' } });
    expect(malformed.statusCode).toBe(404);
    const other = await t.newTenant();
    const foreign = await t.call({ method: 'PATCH', url: `/api/alerts/${alert.id}`, token: await t.token(ALERT_WRITE, other), payload: { status: 'Resolved' } });
    expect(foreign.statusCode).toBe(404);
    const readOnly = await t.call({ method: 'PATCH', url: `/api/alerts/${alert.id}`, token: await t.token(READ), payload: { status: 'Resolved' } });
    expect([readOnly.statusCode, readOnly.json().error.code]).toEqual([403, 'Forbidden']);
    expect((await t.services.alerts.get(t.tenantId, alert.id)).status).toBe('New');
  });

  it('should name the role a person needs in the refusal', () => {
    expect(rolesAllowing('updateAlert')).toEqual(['Alerts investigation']);
    expect(forbiddenMessage('updateAlert', 'delegated')).toBe(
      "The user does not have any of the required delegated permissions (Alert.ReadWrite) to access the resource. People get them with the role 'Alerts investigation'.",
    );
    expect(rolesAllowing('approveInvestigation')).toEqual(['Active remediation actions']);
    expect(forbiddenMessage('rejectInvestigation', 'delegated')).toContain("People get them with the role 'Active remediation actions'.");
  });
});

function zipOf(entries: Record<string, string>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, text] of Object.entries(entries)) zip.addBuffer(Buffer.from(text), name);
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
  });
}

/** Lets the bus subscriber's promise chain run (no wall-clock waits): bounded turns of the event loop. */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('condition not reached');
}

describe('POST /investigations/{id}/approve and /reject', () => {
  const SHA1 = 'f'.repeat(40);
  const MINER = `Pid,Ppid,User,StartTime,Executable,CommandLine,ExecutableSha256,ExecutableSha1\r\n1,0,root,,/usr/lib/systemd/systemd,/sbin/init,,\r\n4242,1,www-data,,/tmp/.x/miner,/tmp/.x/miner -o pool,${'e'.repeat(64)},${SHA1}\r\n`;
  const QUARANTINE = ['Machine.StopAndQuarantine', 'Machine.Read.All'];

  /** remediationLevel None, an investigation on a planted miner, played to PendingApproval. */
  async function pendingApproval() {
    expect((await t.call({ method: 'PUT', url: '/api/cordon/settings', token: await t.token(['Machine.ReadWrite.All']), payload: { remediationLevel: 'None' } })).statusCode).toBe(200);
    const m = await t.seedMachine();
    const started = (await t.call({ method: 'POST', url: `/api/machines/${m.id}/startInvestigation`, payload: { Comment: 'triage' }, token: await t.token(ALERT_WRITE) })).json();
    const zip = await zipOf({ 'Processes/Processes.csv': MINER });
    const put = await t.store.blobs.put((async function* () { yield zip; })(), { tenantId: t.tenantId, name: 'InvestigationPackage.zip', contentType: 'application/zip', maxBytes: 1e7 });
    if (!put.ok) throw new Error('blob put failed');
    await t.actions.accept(t.tenantId, started.packageActionId, m.id);
    await t.actions.finish(t.tenantId, started.packageActionId, m.id, { status: 'Succeeded', result: { blobId: put.blob.id, size: put.blob.size, sha256: put.blob.sha256 } });
    await t.actions.accept(t.tenantId, started.scanActionId, m.id);
    await t.actions.finish(t.tenantId, started.scanActionId, m.id, { status: 'Succeeded', result: { detections: [] } });
    const get = async () => (await t.call({ method: 'GET', url: `/api/investigations/${started.id}`, token: await t.token(READ) })).json();
    await until(async () => (await get()).state === 'PendingApproval');
    return { m, inv: await get(), get };
  }

  it('should start the held-back StopAndQuarantineFile, record the approval, and follow the action to SuccessfullyRemediated', async () => {
    const { m, inv, get } = await pendingApproval();
    expect(inv).toMatchObject({ decision: null, decidedBy: null, decisionTime: null, decisionComment: null, remediationActionIds: [] });
    t.clock.advance(60_000);
    const res = await t.call({ method: 'POST', url: `/api/investigations/${inv.id}/approve`, payload: { Comment: 'miner confirmed' }, token: await t.token(QUARANTINE) });
    expect(res.statusCode).toBe(200);
    const approved = res.json();
    expect(approved['@odata.context']).toMatch(/\$metadata#Investigations\/\$entity$/);
    expect(approved).toMatchObject({ state: 'Running', endTime: null, decision: 'Approved', decidedBy: 'app Machine.StopAndQuarantine+Machine.Read.All', decisionComment: 'miner confirmed' });
    expect(approved.decisionTime).toMatch(MDE_TIMESTAMP);
    expect(approved.remediationActionIds).toHaveLength(1);
    expect(approved.findings[0].remediationActionId).toBe(approved.remediationActionIds[0]);
    const action = await t.actions.get(t.tenantId, approved.remediationActionIds[0]);
    expect(action).toMatchObject({ type: 'StopAndQuarantineFile', parameters: { Sha1: SHA1 }, requestSource: 'AutomatedInvestigation', requestor: 'app Machine.StopAndQuarantine+Machine.Read.All' });
    const alertId = inv.findings[0].alertId as string;
    expect((await t.services.alerts.get(t.tenantId, alertId)).investigationState).toBe('Running');

    await t.actions.accept(t.tenantId, action.id, m.id);
    await t.actions.finish(t.tenantId, action.id, m.id, { status: 'Succeeded' });
    await until(async () => (await get()).state !== 'Running');
    const done = await get();
    expect(done).toMatchObject({ state: 'SuccessfullyRemediated', decision: 'Approved' });
    expect(done.endTime).toMatch(MDE_TIMESTAMP);
    expect(await t.services.alerts.get(t.tenantId, alertId)).toMatchObject({ status: 'Resolved', investigationState: 'SuccessfullyRemediated' });

    // Decided once: a second approval or a rejection names the state and changes nothing.
    for (const verb of ['approve', 'reject']) {
      const again = await t.call({ method: 'POST', url: `/api/investigations/${inv.id}/${verb}`, payload: { Comment: 'again' }, token: await t.token(QUARANTINE) });
      expect([again.statusCode, again.json().error.code]).toEqual([400, 'InvalidRequest']);
      expect(again.json().error.message).toBe(`Investigation ${inv.id} is SuccessfullyRemediated; only a PendingApproval investigation can be ${verb === 'approve' ? 'approved' : 'rejected'}`);
    }
    expect(await get()).toEqual(done);
  });

  it('should end TerminatedByUser on reject, start nothing, and record who rejected', async () => {
    const { m, inv, get } = await pendingApproval();
    const res = await t.call({ method: 'POST', url: `/api/v1.0/investigations/${inv.id}/reject`, payload: { Comment: 'admin tool, expected' }, token: await t.token(QUARANTINE) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ state: 'TerminatedByUser', decision: 'Rejected', decidedBy: 'app Machine.StopAndQuarantine+Machine.Read.All', cancelledBy: 'app Machine.StopAndQuarantine+Machine.Read.All', decisionComment: 'admin tool, expected', remediationActionIds: [] });
    expect(await get()).toEqual({ ...res.json(), '@odata.context': expect.any(String) });
    const actions = (await t.call({ method: 'GET', url: `/api/machineactions?$filter=machineId eq '${m.id}'`, token: await t.token(['Machine.Read.All']) })).json().value as { type: string }[];
    expect(actions.map((a) => a.type).sort()).toEqual(['CollectInvestigationPackage', 'RunAntiVirusScan']);
    expect((await t.services.alerts.get(t.tenantId, inv.findings[0].alertId)).investigationState).toBe('Terminated');
  });

  it('should refuse a Running investigation, a bad body, a caller without the quarantine permission, and an unknown id, changing nothing', async () => {
    const m = await t.seedMachine();
    const running = (await t.call({ method: 'POST', url: `/api/machines/${m.id}/startInvestigation`, payload: { Comment: 'x' }, token: await t.token(ALERT_WRITE) })).json();
    const token = await t.token(QUARANTINE);
    const notPending = await t.call({ method: 'POST', url: `/api/investigations/${running.id}/approve`, payload: { Comment: 'go' }, token });
    expect([notPending.statusCode, notPending.json().error]).toEqual([400, { code: 'InvalidRequest', message: `Investigation ${running.id} is Running; only a PendingApproval investigation can be approved`, target: expect.any(String) }]);
    const { inv, get } = await pendingApproval();
    const before = await get();
    const bad: [unknown, string][] = [[{}, 'MissingRequiredParameter'], [{ Comment: '' }, 'InvalidRequestBody'], [{ comment: 'x' }, 'MissingRequiredParameter'], [{ Comment: 'x', ExternalId: 'y' }, 'InvalidRequestBody']];
    for (const [payload, code] of bad) {
      const res = await t.call({ method: 'POST', url: `/api/investigations/${inv.id}/approve`, payload: payload as Record<string, unknown>, token });
      expect([res.statusCode, res.json().error.code], JSON.stringify(payload)).toEqual([400, code]);
    }
    const forbidden = await t.call({ method: 'POST', url: `/api/investigations/${inv.id}/approve`, payload: { Comment: 'x' }, token: await t.token(ALERT_WRITE) });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.message).toContain('Machine.StopAndQuarantine');
    for (const id of ['63004', 'not-a-number']) {
      const missing = await t.call({ method: 'POST', url: `/api/investigations/${id}/reject`, payload: { Comment: 'x' }, token });
      expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'ResourceNotFound']);
    }
    expect(await get()).toEqual(before);
  });
});
