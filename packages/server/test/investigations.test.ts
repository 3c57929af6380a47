/**
 * Automated investigations over HTTP: startInvestigation (201 Investigation entity, permissions, 50/hour),
 * GET /investigations[/{id}] with OData, and the whole run driven by the ActionBus subscriber as
 * an agent's accept/finish moves the actions (package stored as a real zip blob).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { RULES } from '@cordon/core';
import { startTestApp, MDE_TIMESTAMP, type TestApp } from './helpers.js';

let t: TestApp;
beforeEach(async () => { t = await startTestApp(); });
afterEach(async () => { await t.close(); });

const WRITE = ['Alert.ReadWrite.All'];
const READ = ['Alert.Read.All'];

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

describe('POST /machines/{id}/startInvestigation', () => {
  it('should answer 201 with the Investigation entity under both prefixes', async () => {
    const m = await t.seedMachine();
    const res = await t.call({ method: 'POST', url: `/api/machines/${m.id}/startInvestigation`, payload: { Comment: 'triage' }, token: await t.token(WRITE) });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body['@odata.context']).toMatch(/^http:\/\/[^/]+\/api\/\$metadata#Investigations\/\$entity$/);
    expect(body).toMatchObject({ state: 'Running', machineId: m.id, computerDnsName: m.computerDnsName, endTime: null, cancelledBy: null, triggeringAlertId: null });
    expect(body.id).toMatch(/^\d+$/);
    expect(body.startTime).toMatch(MDE_TIMESTAMP);
    for (const key of ['tenantId', 'stage', 'requestor', 'packageBlobId']) expect(body).not.toHaveProperty(key);

    const m2 = await t.seedMachine();
    const v1 = await t.call({ method: 'POST', url: `/api/v1.0/machines/${m2.computerDnsName}/startInvestigation`, payload: { Comment: 'x' }, token: await t.token(WRITE) });
    expect(v1.statusCode).toBe(201);
    expect(v1.json()['@odata.context']).toMatch(/\$metadata#Investigations\/\$entity$/); // same context form as the other /api/v1.0 routes
  });

  it('should refuse read-only callers, unknown machines, a second run and a bad body', async () => {
    const m = await t.seedMachine();
    expect((await t.call({ method: 'POST', url: `/api/machines/${m.id}/startInvestigation`, payload: { Comment: 'x' }, token: await t.token(READ) })).statusCode).toBe(403);
    expect((await t.call({ method: 'POST', url: '/api/machines/nope/startInvestigation', payload: { Comment: 'x' }, token: await t.token(WRITE) })).statusCode).toBe(404);
    expect((await t.call({ method: 'POST', url: `/api/machines/${m.id}/startInvestigation`, payload: { Comment: 'x', Extra: 1 }, token: await t.token(WRITE) })).statusCode).toBe(400);
    expect((await t.call({ method: 'POST', url: `/api/machines/${m.id}/startInvestigation`, payload: { Comment: 'x' }, token: await t.token(WRITE) })).statusCode).toBe(201);
    const again = await t.call({ method: 'POST', url: `/api/machines/${m.id}/startInvestigation`, payload: { Comment: 'x' }, token: await t.token(WRITE) });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('ActiveRequestAlreadyExists');
  });

  it('should allow 50 per hour and answer 429 to the 51st', async () => {
    const token = await t.token(WRITE);
    for (let i = 0; i < 50; i++) {
      const m = await t.seedMachine();
      expect((await t.call({ method: 'POST', url: `/api/machines/${m.id}/startInvestigation`, payload: { Comment: `n${i}` }, token })).statusCode).toBe(201);
    }
    const m = await t.seedMachine();
    expect((await t.call({ method: 'POST', url: `/api/machines/${m.id}/startInvestigation`, payload: { Comment: 'over' }, token })).statusCode).toBe(429);
  });
});

describe('GET /investigations', () => {
  it('should list and get with OData, scoped to the tenant', async () => {
    const a = await t.seedMachine();
    const b = await t.seedMachine();
    const token = await t.token(WRITE);
    const first = (await t.call({ method: 'POST', url: `/api/machines/${a.id}/startInvestigation`, payload: { Comment: 'triage' }, token })).json();
    t.clock.advance(1000);
    const second = (await t.call({ method: 'POST', url: `/api/machines/${b.id}/startInvestigation`, payload: { Comment: 'triage' }, token })).json();

    const list = await t.call({ method: 'GET', url: '/api/investigations', token: await t.token(READ) });
    expect(list.statusCode).toBe(200);
    expect(list.json()['@odata.context']).toMatch(/\/api\/\$metadata#Investigations$/);
    expect(list.json().value.map((i: { id: string }) => i.id)).toEqual([second.id, first.id]);

    const filtered = await t.call({ method: 'GET', url: `/api/investigations?$filter=machineId eq '${a.id}' and state eq 'Running'&$select=id,state&$count=true`, token: await t.token(READ) });
    expect(filtered.json()).toMatchObject({ '@odata.count': 1, value: [{ id: first.id, state: 'Running' }] });
    expect(Object.keys(filtered.json().value[0]).sort()).toEqual(['id', 'state']);
    expect((await t.call({ method: 'GET', url: "/api/investigations?$filter=state eq 'Nope'", token: await t.token(READ) })).statusCode).toBe(400);

    const one = await t.call({ method: 'GET', url: `/api/investigations/${first.id}`, token: await t.token(READ) });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ '@odata.context': expect.stringMatching(/#Investigations\/\$entity$/), id: first.id, machineId: a.id });

    const other = await t.newTenant();
    expect((await t.call({ method: 'GET', url: `/api/investigations/${first.id}`, token: await t.token(READ, other) })).statusCode).toBe(404);
    expect((await t.call({ method: 'GET', url: '/api/investigations', token: await t.token(READ, other) })).json().value).toEqual([]);
    expect((await t.call({ method: 'GET', url: '/api/investigations', token: await t.token(['Machine.Read.All']) })).statusCode).toBe(403);
  });
});

describe('investigation run driven by the ActionBus', () => {
  it('should evaluate the stored package when the agent finishes, raise alerts and end PendingApproval without a SHA-1', async () => {
    const m = await t.seedMachine();
    const inv = (await t.call({ method: 'POST', url: `/api/machines/${m.id}/startInvestigation`, payload: { Comment: 'triage' }, token: await t.token(WRITE) })).json();
    const zip = await zipOf({
      'Processes/Processes.csv': 'Pid,Ppid,User,StartTime,Executable,CommandLine,ExecutableSha256\r\n1,0,root,,/usr/lib/systemd/systemd,/sbin/init,\r\n77,1,alice,,/dev/shm/.k,/dev/shm/.k,\r\n',
      'Users and Groups/Users.csv': 'User,Uid,Gid,Gecos,Home,Shell,PasswordStatus,PasswordLastChanged\r\nroot,0,0,,/root,/bin/bash,Locked,\r\n',
    });
    const put = await t.store.blobs.put((async function* () { yield zip; })(), { tenantId: t.tenantId, name: 'InvestigationPackage.zip', contentType: 'application/zip', maxBytes: 1e7 });
    if (!put.ok) throw new Error('blob put failed');
    const pkg = await t.actions.get(t.tenantId, inv.packageActionId);
    const scanId = inv.scanActionId as string;
    expect(pkg.requestSource).toBe('AutomatedInvestigation');

    await t.actions.accept(t.tenantId, pkg.id, m.id);
    await t.actions.finish(t.tenantId, pkg.id, m.id, { status: 'Succeeded', result: { blobId: put.blob.id, size: put.blob.size, sha256: put.blob.sha256 } });
    await t.actions.accept(t.tenantId, scanId, m.id);
    await t.actions.finish(t.tenantId, scanId, m.id, { status: 'Succeeded', result: { detections: [] } });

    const get = async () => (await t.call({ method: 'GET', url: `/api/investigations/${inv.id}`, token: await t.token(READ) })).json();
    await until(async () => (await get()).state !== 'Running');
    const done = await get();
    expect(done.state).toBe('PendingApproval');
    expect(done.findings.map((f: { ruleId: string; evidence: { filePath: string; packageBlobId: string } }) => [f.ruleId, f.evidence.filePath, f.evidence.packageBlobId])).toEqual([['process-running-from-temp', '/dev/shm/.k', put.blob.id]]);
    const alerts = (await t.call({ method: 'GET', url: `/api/alerts?$filter=investigationId eq ${inv.id}`, token: await t.token(READ) })).json().value;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ detectionSource: 'AutomatedInvestigation', machineId: m.id, investigationState: 'PendingApproval', id: done.findings[0].alertId });
  });
});

describe('remediation level (tenant setting) and remediation by the package SHA-1', () => {
  const SETTINGS_WRITE = ['Machine.ReadWrite.All'];
  const SHA1 = 'f'.repeat(40);
  const MINER = `Pid,Ppid,User,StartTime,Executable,CommandLine,ExecutableSha256,ExecutableSha1\r\n1,0,root,,/usr/lib/systemd/systemd,/sbin/init,,\r\n4242,1,www-data,,/tmp/.x/miner,/tmp/.x/miner -o pool,${'e'.repeat(64)},${SHA1}\r\n`;

  /** Starts an investigation, plays the agent for the package (holding `processes`) and a clean scan, and waits until it decided. */
  async function runOnPlantedMiner() {
    const m = await t.seedMachine();
    const inv = (await t.call({ method: 'POST', url: `/api/machines/${m.id}/startInvestigation`, payload: { Comment: 'triage' }, token: await t.token(WRITE) })).json();
    const zip = await zipOf({ 'Processes/Processes.csv': MINER });
    const put = await t.store.blobs.put((async function* () { yield zip; })(), { tenantId: t.tenantId, name: 'InvestigationPackage.zip', contentType: 'application/zip', maxBytes: 1e7 });
    if (!put.ok) throw new Error('blob put failed');
    await t.actions.accept(t.tenantId, inv.packageActionId, m.id);
    await t.actions.finish(t.tenantId, inv.packageActionId, m.id, { status: 'Succeeded', result: { blobId: put.blob.id, size: put.blob.size, sha256: put.blob.sha256 } });
    await t.actions.accept(t.tenantId, inv.scanActionId, m.id);
    await t.actions.finish(t.tenantId, inv.scanActionId, m.id, { status: 'Succeeded', result: { detections: [] } });
    const get = async () => (await t.call({ method: 'GET', url: `/api/investigations/${inv.id}`, token: await t.token(READ) })).json();
    await until(async () => { const i = await get(); return i.state !== 'Running' || i.remediationActionIds.length > 0; });
    const actions = (await t.call({ method: 'GET', url: `/api/machineactions?$filter=machineId eq '${m.id}'`, token: await t.token(['Machine.Read.All']) })).json().value as { id: string; type: string }[];
    return { m, inv: await get(), get, actions };
  }

  it('should store, validate and serve remediationLevel (default Full)', async () => {
    const token = await t.token(SETTINGS_WRITE);
    expect((await t.call({ method: 'GET', url: '/api/cordon/settings', token })).json().remediationLevel).toBe('Full');
    const put = await t.call({ method: 'PUT', url: '/api/cordon/settings', token, payload: { remediationLevel: 'None' } });
    expect([put.statusCode, put.json().remediationLevel]).toEqual([200, 'None']);
    expect((await t.call({ method: 'GET', url: '/api/v1.0/cordon/settings', token })).json().remediationLevel).toBe('None');
    for (const remediationLevel of ['SemiRequireApproval', 'full', 1, null]) {
      const bad = await t.call({ method: 'PUT', url: '/api/cordon/settings', token, payload: { remediationLevel } });
      expect([bad.statusCode, bad.json().error.code], JSON.stringify(remediationLevel)).toEqual([400, 'InvalidRequestBody']);
    }
    // Replacing the settings without the field goes back to the default.
    expect((await t.call({ method: 'PUT', url: '/api/cordon/settings', token, payload: {} })).json().remediationLevel).toBe('Full');
    // Settings stored before the field existed read as Full.
    const { remediationLevel: _dropped, ...legacy } = (await t.call({ method: 'GET', url: '/api/cordon/settings', token })).json();
    await t.store.tenantSettings.put(t.tenantId, legacy);
    expect((await t.call({ method: 'GET', url: '/api/cordon/settings', token })).json().remediationLevel).toBe('Full');
  });

  it('should remediate nothing when the level is None and end PendingApproval', async () => {
    expect((await t.call({ method: 'PUT', url: '/api/cordon/settings', token: await t.token(SETTINGS_WRITE), payload: { remediationLevel: 'None' } })).statusCode).toBe(200);
    const { inv, actions } = await runOnPlantedMiner();
    expect(inv).toMatchObject({ state: 'PendingApproval', remediationActionIds: [] });
    expect(inv.statusDetails).toContain('remediation level (None)');
    expect(inv.findings.map((f: { ruleId: string; evidence: { sha1: string } }) => [f.ruleId, f.evidence.sha1])).toEqual([['process-running-from-temp', SHA1]]);
    expect(actions.map((a) => a.type).sort()).toEqual(['CollectInvestigationPackage', 'RunAntiVirusScan']);
    const alert = (await t.call({ method: 'GET', url: `/api/alerts/${inv.findings[0].alertId}`, token: await t.token(READ) })).json();
    expect(alert).toMatchObject({ title: 'Process running from a temporary directory', threatName: 'Cordon.Investigation.process-running-from-temp', investigationState: 'PendingApproval' });
    expect(alert.description).toContain('Droppers and cryptominers run payloads from /tmp');
  });

  it('should stop and quarantine by the SHA-1 from the package at the default level Full', async () => {
    const { m, inv, get, actions } = await runOnPlantedMiner();
    expect(inv.remediationActionIds).toHaveLength(1);
    const remediation = actions.find((a) => a.type === 'StopAndQuarantineFile')!;
    expect(remediation.id).toBe(inv.remediationActionIds[0]);
    expect((await t.actions.get(t.tenantId, remediation.id)).parameters).toEqual({ Sha1: SHA1 });
    await t.actions.accept(t.tenantId, remediation.id, m.id);
    await t.actions.finish(t.tenantId, remediation.id, m.id, { status: 'Succeeded' });
    await until(async () => (await get()).state !== 'Running');
    expect((await get()).state).toBe('SuccessfullyRemediated');
  });
});

describe('rule registry', () => {
  it('should register every rule file of core/src/investigations/rules, each with its test', () => {
    const dir = fileURLToPath(new URL('../../core/src/investigations/rules/', import.meta.url));
    const names = readdirSync(dir);
    const rules = names.filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts') && n !== 'index.ts').map((n) => n.slice(0, -3)).sort();
    expect(RULES.map((r) => r.id).sort()).toEqual(rules);
    for (const r of rules) expect(names, `${r}.test.ts`).toContain(`${r}.test.ts`);
  });
});
