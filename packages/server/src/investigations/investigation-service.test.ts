/**
 * The investigation orchestration over a real (SQLite) store and the real ActionService, with the
 * agent's part played the way the dispatch hub does it: accept, then finish with a result.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { ActionService, AlertService, InvestigationService, parseODataQuery, ALERT_FIELDS, MACHINE_ACTION_FIELDS, type ActionRecord, type Clock, type PackageReader } from '@cordon/core';
import type { RemediationLevel } from '@cordon/protocol';
import { openStore, type Store } from '@cordon/store';
import { makeMachine, TEST_TENANT_ID } from '@cordon/store/testing';
import { randomIds } from '../system.js';
import { ActionBus } from '../events/action-bus.js';
import { createBlobPackageReader, unzipText } from './package-reader.js';

const T = TEST_TENANT_ID;
const SHA256 = 'e'.repeat(64);
const SHA1 = 'f'.repeat(40);
const requester = { tenantId: T, name: 'analyst@contoso.test' };

const PROCESSES_CLEAN = 'Pid,Ppid,User,StartTime,Executable,CommandLine,ExecutableSha256\r\n1,0,root,,/usr/lib/systemd/systemd,/sbin/init,' + 'a'.repeat(64) + '\r\n';
const PROCESSES_PLANTED = `${PROCESSES_CLEAN}4242,1,www-data,,/tmp/.x/miner,/tmp/.x/miner -o pool,${SHA256}\r\n`;
const USERS = 'User,Uid,Gid,Gecos,Home,Shell,PasswordStatus,PasswordLastChanged\r\nroot,0,0,root,/root,/bin/bash,Locked,\r\n';

class Clock1 implements Clock {
  ms = Date.UTC(2026, 10, 22, 1, 0, 0);
  now(): number { return this.ms; }
}

describe('InvestigationService (real store and ActionService)', () => {
  let store: Store;
  let clock: Clock1;
  let actions: ActionService;
  let alerts: AlertService;
  let files: Map<string, string>;
  let level: RemediationLevel;
  let packageReads: number;
  let service: InvestigationService;
  const machine = makeMachine({ tenantId: T, id: 'a'.repeat(40), computerDnsName: 'web-01.contoso.test' });

  const newService = () =>
    new InvestigationService({
      investigations: store.investigations,
      actions,
      machines: store.machines,
      alerts,
      packages: { read: async () => { packageReads++; return files; } } satisfies PackageReader,
      clock,
      ids: randomIds,
      indicators: async () => [],
      remediationLevel: async () => level,
    });

  /** What an agent does: accept, then finish; the service hears about it as the ActionBus subscriber would. */
  async function complete(svc: InvestigationService, id: string | null, outcome: Parameters<ActionService['finish']>[3], notify = true): Promise<ActionRecord> {
    await actions.accept(T, id!, machine.id);
    const done = await actions.finish(T, id!, machine.id, outcome);
    if (notify) await svc.onActionChanged(done);
    return done;
  }
  const packageOk = { status: 'Succeeded' as const, result: { blobId: 'b'.repeat(32), size: 10, sha256: 'c'.repeat(64) } };
  const scanOk = (detections: unknown[] = []) => ({ status: 'Succeeded' as const, result: { scanType: 'Quick', detectionCount: detections.length, detections } });

  beforeEach(async () => {
    store = await openStore({ sqlitePath: ':memory:' });
    clock = new Clock1();
    actions = new ActionService({ actions: store.actions, machines: store.machines, clock, ids: randomIds, events: new ActionBus() });
    alerts = new AlertService({ alerts: store.alerts, machines: store.machines, clock, ids: randomIds });
    files = new Map([['Processes/Processes.csv', PROCESSES_CLEAN], ['Users and Groups/Users.csv', USERS]]);
    level = 'Full';
    packageReads = 0;
    await store.machines.upsert(machine);
    service = newService();
  });
  afterEach(async () => { await store.close(); });

  it('should start a package collection and a Quick scan and answer a Running investigation', async () => {
    const inv = await service.start(requester, machine.computerDnsName, { comment: 'triage' });
    expect(inv).toMatchObject({ state: 'Running', machineId: machine.id, computerDnsName: machine.computerDnsName, endTime: null, triggeringAlertId: null });
    expect(inv.id).toMatch(/^\d+$/);
    const pkg = await actions.get(T, inv.packageActionId!);
    const scan = await actions.get(T, inv.scanActionId!);
    expect([pkg.type, pkg.requestSource, pkg.status]).toEqual(['CollectInvestigationPackage', 'AutomatedInvestigation', 'Pending']);
    expect([scan.type, scan.scope, scan.parameters]).toEqual(['RunAntiVirusScan', 'Quick', { ScanType: 'Quick' }]);
    await expect(service.start(requester, machine.id, { comment: 'again' })).rejects.toMatchObject({ code: 'ActiveRequestAlreadyExists' });
  });

  it('should end Benign on a clean package and scan, with no alert and no remediation', async () => {
    const inv = await service.start(requester, machine.id, { comment: '' });
    await complete(service, inv.packageActionId, packageOk);
    expect((await service.get(T, inv.id)).state).toBe('Running'); // the scan is still running
    expect(packageReads).toBe(0);
    await complete(service, inv.scanActionId, scanOk());
    const done = await service.get(T, inv.id);
    expect(done).toMatchObject({ state: 'Benign', findings: [], remediationActionIds: [], alertIds: [] });
    expect(done.endTime).not.toBeNull();
    expect((await alerts.list(T, parseODataQuery({}, ALERT_FIELDS))).rows).toEqual([]);
  });

  it('should raise one alert per finding with evidence in the package, remediate by SHA-1 and end SuccessfullyRemediated', async () => {
    files.set('Processes/Processes.csv', PROCESSES_PLANTED);
    const inv = await service.start(requester, machine.id, { comment: '' });
    await complete(service, inv.packageActionId, packageOk);
    await complete(service, inv.scanActionId, scanOk([{ path: '/tmp/.x/miner', sha1: SHA1, sha256: SHA256, size: 10, signatureName: 'Unix.Coinminer.X' }]));
    const mid = await service.get(T, inv.id);
    expect(mid.state).toBe('Running');
    expect(mid.findings.map((f) => [f.ruleId, f.evidence.filePath, f.evidence.sha1])).toEqual([
      ['process-running-from-temp', '/tmp/.x/miner', SHA1],
      ['antivirus-scan', '/tmp/.x/miner', SHA1],
    ]);
    expect(mid.findings[0]!.evidence).toMatchObject({ packageBlobId: 'b'.repeat(32), packagePath: 'Processes/Processes.csv', processId: 4242, accountName: 'www-data' });
    const alert = await alerts.get(T, mid.findings[0]!.alertId!);
    expect(alert).toMatchObject({ detectionSource: 'AutomatedInvestigation', investigationId: Number(inv.id), severity: 'High', category: 'Execution', machineId: machine.id, title: 'Process running from a temporary directory', mitreTechniques: ['T1059', 'T1036.005'] });
    expect(alert.description).toMatch(/^Process 4242 \(www-data\) runs \/tmp\/\.x\/miner, which is in a world-writable temporary directory\. Droppers and cryptominers/);
    expect(mid.remediationActionIds).toHaveLength(1);
    const remediation = await actions.get(T, mid.remediationActionIds[0]!);
    expect([remediation.type, remediation.parameters, remediation.requestSource]).toEqual(['StopAndQuarantineFile', { Sha1: SHA1 }, 'AutomatedInvestigation']);

    // The scan's own detection is an Antivirus alert tied to the investigation too.
    const scanAlert = await alerts.get(T, mid.findings[1]!.alertId!);
    expect(scanAlert).toMatchObject({ detectionSource: 'Antivirus', investigationId: Number(inv.id), actionId: inv.scanActionId });
    expect(mid.alertIds.sort()).toEqual([alert.id, scanAlert.id].sort());

    await complete(service, remediation.id, { status: 'Succeeded', result: { sha1: SHA1, found: true } });
    const done = await service.get(T, inv.id);
    expect(done.state).toBe('SuccessfullyRemediated');
    expect(await alerts.get(T, alert.id)).toMatchObject({ status: 'Resolved', investigationState: 'SuccessfullyRemediated' });
    expect(await alerts.get(T, scanAlert.id)).toMatchObject({ status: 'Resolved', investigationState: 'SuccessfullyRemediated' });
  });

  it("should link the scan finding to the alert the scan hook raised before the investigation saw the scan", async () => {
    const inv = await service.start(requester, machine.id, { comment: '' });
    await complete(service, inv.packageActionId, packageOk);
    const scan = await complete(service, inv.scanActionId, scanOk([{ path: '/tmp/eicar.com', sha1: SHA1, sha256: SHA256, size: 68, signatureName: 'Eicar-Test-Signature' }]), false);
    const [hookAlert] = await alerts.fromScanAction(scan);
    await service.onActionChanged(scan);
    const mid = await service.get(T, inv.id);
    expect(mid.findings.map((f) => [f.ruleId, f.alertId])).toEqual([['antivirus-scan', hookAlert!.id]]);
    expect(mid.alertIds).toEqual([hookAlert!.id]);
    expect(await alerts.get(T, hookAlert!.id)).toMatchObject({ investigationId: Number(inv.id) });
  });

  it('should end PartiallyRemediated when some findings have no SHA-1 and PendingApproval when the level is None', async () => {
    files.set('Processes/Processes.csv', PROCESSES_PLANTED);
    files.set('Users and Groups/Users.csv', `${USERS}toor,0,0,,/root,/bin/sh,Set,\r\n`);
    const inv = await service.start(requester, machine.id, { comment: '' });
    await complete(service, inv.packageActionId, packageOk);
    await complete(service, inv.scanActionId, scanOk([{ path: '/tmp/.x/miner', sha1: SHA1, sha256: SHA256, size: 10, signatureName: 'X' }]));
    const mid = await service.get(T, inv.id);
    await complete(service, mid.remediationActionIds[0]!, { status: 'Succeeded' });
    expect((await service.get(T, inv.id)).state).toBe('PartiallyRemediated');

    level = 'None';
    const m2 = makeMachine({ tenantId: T, id: 'b'.repeat(40), computerDnsName: 'db-01' });
    await store.machines.upsert(m2);
    const inv2 = await service.start(requester, m2.id, { comment: '' });
    for (const id of [inv2.packageActionId!, inv2.scanActionId!]) {
      await actions.accept(T, id, m2.id);
      await service.onActionChanged(await actions.finish(T, id, m2.id, id === inv2.packageActionId ? packageOk : scanOk()));
    }
    const semi = await service.get(T, inv2.id);
    expect(semi.state).toBe('PendingApproval');
    expect(semi.remediationActionIds).toEqual([]);
    expect(semi.statusDetails).toContain('(None)');
  });

  it('should remediate with the SHA-1 the package carries when the scan found nothing (ExecutableSha1 column)', async () => {
    files.set('Processes/Processes.csv', 'Pid,Ppid,User,StartTime,Executable,CommandLine,ExecutableSha256,ExecutableSha1\r\n' + `4242,1,www-data,,/tmp/.x/miner,/tmp/.x/miner -o pool,${SHA256},${SHA1.toUpperCase()}\r\n`);
    const inv = await service.start(requester, machine.id, { comment: '' });
    await complete(service, inv.packageActionId, packageOk);
    await complete(service, inv.scanActionId, scanOk());
    const mid = await service.get(T, inv.id);
    expect(mid.findings.map((f) => [f.ruleId, f.evidence.sha1])).toEqual([['process-running-from-temp', SHA1]]);
    const remediation = await actions.get(T, mid.remediationActionIds[0]!);
    expect([remediation.type, remediation.parameters]).toEqual(['StopAndQuarantineFile', { Sha1: SHA1 }]);
    await complete(service, remediation.id, { status: 'Succeeded' });
    expect((await service.get(T, inv.id)).state).toBe('SuccessfullyRemediated');
  });

  it('should end Failed when the package collection fails, without reading anything', async () => {
    const inv = await service.start(requester, machine.id, { comment: '' });
    await complete(service, inv.packageActionId, { status: 'Failed', errorMessage: 'disk full' });
    await complete(service, inv.scanActionId, scanOk());
    const done = await service.get(T, inv.id);
    expect(done.state).toBe('Failed');
    expect(done.statusDetails).toContain('disk full');
    expect(packageReads).toBe(0);
  });

  it('should end TerminatedByUser when someone cancels the package collection', async () => {
    const inv = await service.start(requester, machine.id, { comment: '' });
    await service.onActionChanged(await actions.cancel(T, inv.packageActionId!, 'bob@contoso.test', 'not now'));
    await complete(service, inv.scanActionId, scanOk());
    expect(await service.get(T, inv.id)).toMatchObject({ state: 'TerminatedByUser', cancelledBy: 'bob@contoso.test' });
  });

  it('should answer an UnsupportedOs investigation for a device that cannot collect a package', async () => {
    const m = makeMachine({ tenantId: T, id: 'c'.repeat(40), capabilities: ['Isolate', 'Unisolate'] });
    await store.machines.upsert(m);
    const inv = await service.start(requester, m.id, { comment: '' });
    expect(inv).toMatchObject({ state: 'UnsupportedOs', stage: 'Done', packageActionId: null, scanActionId: null });
    expect(inv.endTime).not.toBeNull();
    expect((await actions.list(T, parseODataQuery({ $filter: `machineId eq '${m.id}'` }, MACHINE_ACTION_FIELDS))).rows).toEqual([]);
  });

  it('should resume after a restart: actions that finished unseen are picked up by resumeAll', async () => {
    const inv = await service.start(requester, machine.id, { comment: '' });
    await complete(service, inv.packageActionId, packageOk, false);
    await complete(service, inv.scanActionId, scanOk(), false);
    expect((await service.get(T, inv.id)).state).toBe('Running');
    const restarted = newService();
    await restarted.resumeAll();
    expect((await restarted.get(T, inv.id)).state).toBe('Benign');
    await restarted.resumeAll(); // idempotent
    expect(packageReads).toBe(1);
  });

  it('should let alerts raised on the device while it runs join it', async () => {
    const inv = await service.start(requester, machine.id, { comment: '' });
    const [other] = await alerts.createAlerts(T, machine, [{ path: '/home/a/x', sha1: null, sha256: null, size: 1, signature: 'Eicar' }], 'Antivirus', null);
    await complete(service, inv.packageActionId, packageOk);
    await complete(service, inv.scanActionId, scanOk());
    const done = await service.get(T, inv.id);
    expect(done.alertIds).toEqual([other!.id]);
    expect(await alerts.get(T, other!.id)).toMatchObject({ investigationId: Number(inv.id), investigationState: 'Benign' });
  });

  it('should refuse unknown ids plainly', async () => {
    await expect(service.get(T, '123')).rejects.toMatchObject({ code: 'ResourceNotFound' });
    await expect(service.get(T, '../x')).rejects.toMatchObject({ code: 'ResourceNotFound' });
  });
});

describe('package reader', () => {
  function zipOf(entries: Record<string, string>): Promise<Buffer> {
    const zip = new yazl.ZipFile();
    for (const [name, text] of Object.entries(entries)) {
      if (name.endsWith('/')) zip.addEmptyDirectory(name);
      else zip.addBuffer(Buffer.from(text), name);
    }
    zip.end();
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      zip.outputStream.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
    });
  }

  it('should return every file entry as text and skip folders', async () => {
    const buf = await zipOf({ 'Processes/': '', 'Processes/Processes.csv': PROCESSES_CLEAN, 'CollectionSummaryReport.csv': 'a,b\r\n' });
    expect(await unzipText(buf)).toEqual(new Map([['Processes/Processes.csv', PROCESSES_CLEAN], ['CollectionSummaryReport.csv', 'a,b\r\n']]));
  });

  it('should skip entries over the per-entry cap and refuse other tenants\' blobs', async () => {
    const buf = await zipOf({ 'big.txt': 'x'.repeat(100), 'small.txt': 'y' });
    expect([...(await unzipText(buf, { maxZipBytes: 1e6, maxEntryBytes: 10, maxTotalBytes: 1e6, maxEntries: 10 })).keys()]).toEqual(['small.txt']);
    const store = await openStore({ sqlitePath: ':memory:' });
    try {
      const put = await store.blobs.put((async function* () { yield buf; })(), { tenantId: 't1', name: 'p.zip', contentType: 'application/zip', maxBytes: 1e6 });
      if (!put.ok) throw new Error('put failed');
      const reader = createBlobPackageReader(store.blobs);
      expect((await reader.read('t1', put.blob.id)).get('small.txt')).toBe('y');
      await expect(reader.read('t2', put.blob.id)).rejects.toThrow('no longer stored');
    } finally {
      await store.close();
    }
  });
});
