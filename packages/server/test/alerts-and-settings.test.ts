/**
 * Alerts and tenant settings over HTTP: alerts created from a scan result (driven through ActionService.accept/finish
 * with the machine id, as the dispatch does), `GET /alerts` and `/alerts/{id}` (OData, permissions,
 * tenant isolation, errors), and the `/cordon/settings` extension (validation, round trip).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MachineRecord } from '@cordon/core';
import { startTestApp, MDE_TIMESTAMP, type TestApp } from './helpers.js';

const SHA1 = '3395856ce81f2b7382dee72602f798b642f14140';
const SHA256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';
const detection = (path: string, signatureName = 'Eicar-Signature') => ({ path, sha1: SHA1, sha256: SHA256, size: 68, signatureName });

/** Lets the bus listener's store writes finish (no wall clock). */
async function settle(turns = 50): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}

describe('alerts', () => {
  let t: TestApp;
  let machine: MachineRecord;
  let reader: string;
  let scanActionId: string;

  const finishScan = async (m: MachineRecord, result: Record<string, unknown>, tenantId = t.tenantId) => {
    const action = await t.actions.create({ tenantId, name: 'tester' }, m.id, { type: 'RunAntiVirusScan', comment: 'scan', scope: 'Full', parameters: { ScanType: 'Full' } });
    await t.actions.accept(tenantId, action.id, m.id);
    const finished = await t.actions.finish(tenantId, action.id, m.id, { status: 'Succeeded', result });
    await settle();
    return finished;
  };

  beforeAll(async () => {
    t = await startTestApp();
    machine = await t.seedMachine({ computerDnsName: 'scan-host' });
    reader = await t.token(['Alert.Read.All']);
    const finished = await finishScan(machine, { scannedFiles: 2000, scannedBytes: 200_000_000, durationMs: 1234, detectionCount: 2, detections: [detection('/home/u/eicar.com'), detection('/tmp/x/other.bin', 'Tenant.Hash')] });
    scanActionId = finished.id;
  });
  afterAll(async () => t.close());

  it('should create one alert per detection, with documented fields and file evidence', async () => {
    const res = await t.call({ method: 'GET', url: '/api/alerts', token: reader });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body['@odata.context']).toMatch(/\/api\/\$metadata#Alerts$/);
    expect(body.value).toHaveLength(2);
    const alert = body.value.find((a: { threatName: string }) => a.threatName === 'Eicar-Signature');
    expect(alert).toMatchObject({
      incidentId: null,
      investigationId: null,
      assignedTo: null,
      severity: 'Medium',
      status: 'New',
      classification: null,
      determination: null,
      detectionSource: 'Antivirus',
      category: 'Malware',
      title: "'Eicar-Signature' malware was detected",
      machineId: machine.id,
      computerDnsName: 'scan-host',
      aadTenantId: t.tenantId,
      relatedUser: null,
      comments: [],
      actionId: scanActionId,
    });
    expect(alert.id).toMatch(/^da\d+_\d+$/);
    expect(alert.alertCreationTime).toMatch(MDE_TIMESTAMP);
    expect(alert.evidence).toEqual([expect.objectContaining({ entityType: 'File', sha1: SHA1, sha256: SHA256, fileName: 'eicar.com', filePath: '/home/u', fileSize: 68, detectionStatus: 'Detected' })]);
    expect(alert).not.toHaveProperty('tenantId');
    expect(alert).not.toHaveProperty('dedupeKey');
  });

  it('should keep the scan counts in the action result', async () => {
    const action = await t.actions.get(t.tenantId, scanActionId);
    expect(action.result).toMatchObject({ scannedFiles: 2000, detectionCount: 2 });
  });

  it('should not double alerts when the same finished scan is seen again', async () => {
    const action = await t.actions.get(t.tenantId, scanActionId);
    t.bus.publish({ kind: 'changed', action });
    await settle();
    const res = await t.call({ method: 'GET', url: '/api/alerts?$count=true', token: reader });
    expect(res.json()['@odata.count']).toBe(2);
  });

  it('should create nothing for a scan without detections or a failed one', async () => {
    const other = await t.seedMachine({ computerDnsName: 'clean-host' });
    await finishScan(other, { scannedFiles: 5, detectionCount: 0, detections: [] });
    const res = await t.call({ method: 'GET', url: `/api/alerts?$filter=machineId eq '${other.id}'`, token: reader });
    expect(res.json().value).toEqual([]);
  });

  it('should apply $filter, $orderby, $top, $select and $count, under /api and /api/v1.0', async () => {
    const res = await t.call({ method: 'GET', url: `/api/v1.0/alerts?$filter=detectionSource eq 'Antivirus' and threatName eq 'Tenant.Hash'&$select=id,title,severity&$count=true`, token: reader });
    expect(res.statusCode).toBe(200);
    expect(res.json()['@odata.count']).toBe(1);
    expect(res.json().value).toEqual([{ id: expect.stringMatching(/^da/), title: "'Tenant.Hash' malware was detected", severity: 'Medium' }]);
    const paged = await t.call({ method: 'GET', url: '/api/alerts?$top=1&$orderby=title asc', token: reader });
    expect(paged.json().value).toHaveLength(1);
    expect(paged.json().value[0].title).toBe("'Eicar-Signature' malware was detected");
    expect(new URL(paged.json()['@odata.nextLink']).searchParams.get('$skip')).toBe('1');
  });

  it('should accept $expand=evidence (evidence is always included) and refuse bad OData', async () => {
    const res = await t.call({ method: 'GET', url: '/api/alerts?$expand=evidence', token: reader });
    expect(res.statusCode).toBe(200);
    expect(res.json().value[0].evidence).toHaveLength(1);
    const bad = await t.call({ method: 'GET', url: "/api/alerts?$filter=nope eq 'x'", token: reader });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('ODataError');
  });

  it('should get one alert, and answer 404 ResourceNotFound for unknown or malformed ids', async () => {
    const list = await t.call({ method: 'GET', url: '/api/alerts', token: reader });
    const id = list.json().value[0].id as string;
    const one = await t.call({ method: 'GET', url: `/api/alerts/${id}`, token: reader });
    expect(one.statusCode).toBe(200);
    expect(one.json()['@odata.context']).toMatch(/#Alerts\/\$entity$/);
    expect(one.json().id).toBe(id);
    for (const missing of ['da1_1', 'not-an-id']) {
      const res = await t.call({ method: 'GET', url: `/api/alerts/${missing}`, token: reader });
      expect([res.statusCode, res.json().error.code]).toEqual([404, 'ResourceNotFound']);
    }
  });

  it('should require Alert.Read.All or Alert.ReadWrite.All, and a token', async () => {
    expect((await t.call({ method: 'GET', url: '/api/alerts', token: await t.token(['Alert.ReadWrite.All']) })).statusCode).toBe(200);
    const denied = await t.call({ method: 'GET', url: '/api/alerts', token: await t.token(['Machine.Read.All']) });
    expect([denied.statusCode, denied.json().error.code]).toEqual([403, 'Forbidden']);
    expect((await t.call({ method: 'GET', url: '/api/alerts' })).statusCode).toBe(401);
  });

  it("should list one machine's alerts by id or name, with the same OData options", async () => {
    const other = await t.seedMachine({ computerDnsName: 'other-scan-host' });
    await finishScan(other, { detectionCount: 1, detections: [detection('/srv/elsewhere.bin', 'Other.Sig')] });
    for (const ref of [machine.id, 'scan-host']) {
      const res = await t.call({ method: 'GET', url: `/api/machines/${ref}/alerts`, token: reader });
      expect(res.statusCode).toBe(200);
      expect(res.json()['@odata.context']).toMatch(/\/api\/\$metadata#Alerts$/);
      expect(res.json().value.map((a: { threatName: string }) => a.threatName).sort()).toEqual(['Eicar-Signature', 'Tenant.Hash']);
    }
    const filtered = await t.call({ method: 'GET', url: `/api/v1.0/machines/${machine.id}/alerts?$filter=threatName eq 'Tenant.Hash'&$select=id,machineId&$count=true`, token: reader });
    expect(filtered.json()['@odata.count']).toBe(1);
    expect(filtered.json().value).toEqual([{ id: expect.stringMatching(/^da/), machineId: machine.id }]);
    // A filter on another machine's id cannot widen the list beyond this machine.
    const widened = await t.call({ method: 'GET', url: `/api/machines/${machine.id}/alerts?$filter=machineId eq '${other.id}'`, token: reader });
    expect(widened.json().value).toEqual([]);
    const paged = await t.call({ method: 'GET', url: `/api/machines/${machine.id}/alerts?$top=1&$skip=1&$orderby=title asc`, token: reader });
    expect(paged.json().value.map((a: { title: string }) => a.title)).toEqual(["'Tenant.Hash' malware was detected"]);
    expect((await t.call({ method: 'GET', url: `/api/machines/${other.id}/alerts?$expand=evidence`, token: reader })).json().value).toHaveLength(1);
  });

  it('should answer machine alerts with the errors and permissions of /alerts', async () => {
    const missing = await t.call({ method: 'GET', url: '/api/machines/no-such-machine/alerts', token: reader });
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'ResourceNotFound']);
    const bad = await t.call({ method: 'GET', url: `/api/machines/${machine.id}/alerts?$filter=nope eq 'x'`, token: reader });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'ODataError']);
    const denied = await t.call({ method: 'GET', url: `/api/machines/${machine.id}/alerts`, token: await t.token(['Machine.Read.All']) });
    expect([denied.statusCode, denied.json().error.code]).toEqual([403, 'Forbidden']);
    expect((await t.call({ method: 'GET', url: `/api/machines/${machine.id}/alerts` })).statusCode).toBe(401);
    const otherTenant = await t.token(['Alert.Read.All'], await t.newTenant());
    expect((await t.call({ method: 'GET', url: `/api/machines/${machine.id}/alerts`, token: otherTenant })).statusCode).toBe(404);
  });

  it("should never show another tenant's alerts", async () => {
    const other = await t.newTenant();
    const otherReader = await t.token(['Alert.Read.All'], other);
    expect((await t.call({ method: 'GET', url: '/api/alerts', token: otherReader })).json().value).toEqual([]);
    const id = (await t.call({ method: 'GET', url: '/api/alerts', token: reader })).json().value[0].id as string;
    expect((await t.call({ method: 'GET', url: `/api/alerts/${id}`, token: otherReader })).statusCode).toBe(404);
  });
});

describe('/cordon/settings', () => {
  let t: TestApp;
  let writer: string;
  beforeAll(async () => {
    t = await startTestApp();
    writer = await t.token(['Machine.ReadWrite.All']);
  });
  afterAll(async () => t.close());

  it('should serve defaults before any PUT', async () => {
    const res = await t.call({ method: 'GET', url: '/api/cordon/settings', token: await t.token(['Machine.Read.All']) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ isolationExceptions: [], executionAllowList: [], scanSignatures: { hashes: [], yara: [] }, scanCpuPercent: 50, quarantineSearchPaths: [], scanExclusions: [], lastUpdateTime: null });
  });

  it('should round-trip valid settings, per tenant', async () => {
    const body = {
      isolationExceptions: ['10.0.0.0/8', '192.168.1.5', 'fd00::/8', 'proxy.corp.example:3128', '[fd00::1]:8443', '10.0.0.0/8'],
      executionAllowList: ['/usr/local/bin/tool', SHA256.toUpperCase()],
      scanSignatures: { hashes: [`${SHA256}:68:Tenant.Eicar`, `${SHA1}:*:Tenant.Eicar1:73`], yara: ['rule tenant_test { strings: $a = "x" condition: $a }'] },
      scanCpuPercent: 25,
      quarantineSearchPaths: ['/srv/data'],
    };
    const put = await t.call({ method: 'PUT', url: '/api/cordon/settings', token: writer, payload: body });
    expect(put.statusCode).toBe(200);
    expect(put.json().lastUpdateTime).toMatch(MDE_TIMESTAMP);
    const got = (await t.call({ method: 'GET', url: '/api/v1.0/cordon/settings', token: writer })).json();
    expect(got).toMatchObject({ ...body, isolationExceptions: body.isolationExceptions.slice(0, 5), executionAllowList: ['/usr/local/bin/tool', SHA256] });
    const other = await t.newTenant();
    expect((await t.call({ method: 'GET', url: '/api/cordon/settings', token: await t.token(['Machine.Read.All'], other) })).json().isolationExceptions).toEqual([]);
  });

  it('should accept back what GET returned, ignoring its read-only @odata.context and lastUpdateTime', async () => {
    const put = await t.call({ method: 'PUT', url: '/api/cordon/settings', token: writer, payload: { scanCpuPercent: 30, quarantineSearchPaths: ['/srv/a'] } });
    expect(put.statusCode).toBe(200);
    const read = (await t.call({ method: 'GET', url: '/api/cordon/settings', token: writer })).json();
    expect(read['@odata.context']).toContain('$metadata#CordonSettings/$entity');
    t.clock.advance(60_000);
    const back = await t.call({ method: 'PUT', url: '/api/cordon/settings', token: writer, payload: { ...read, lastUpdateTime: '2001-01-01T00:00:00Z' } });
    expect(back.statusCode).toBe(200);
    const { '@odata.context': _c, lastUpdateTime: readTime, ...content } = read;
    const written = back.json();
    expect(written).toMatchObject(content);
    // The server's clock sets lastUpdateTime, never the body.
    expect(written.lastUpdateTime).toMatch(MDE_TIMESTAMP);
    expect(written.lastUpdateTime > readTime).toBe(true);
  });

  it.each([
    [{ isolationExceptions: ['10.0.0.0/33'] }, 'isolationExceptions'],
    [{ isolationExceptions: ['300.1.1.1'] }, 'isolationExceptions'],
    [{ isolationExceptions: ['host:70000'] }, 'isolationExceptions'],
    [{ isolationExceptions: ['just-a-host'] }, 'isolationExceptions'],
    [{ executionAllowList: ['relative/path'] }, 'executionAllowList'],
    [{ executionAllowList: ['/a/../etc/shadow'] }, 'executionAllowList'],
    [{ scanSignatures: { hashes: ['abc:1:Name'] } }, 'scanSignatures.hashes'],
    [{ scanSignatures: { hashes: [`${SHA256}:68:bad:name`] } }, 'scanSignatures.hashes'],
    // ClamAV refuses a whole database over an any-size line without engine level 73, or a zero size.
    [{ scanSignatures: { hashes: [`${SHA1}:*:Tenant.Any`] } }, 'scanSignatures.hashes'],
    [{ scanSignatures: { hashes: [`${SHA1}:*:Tenant.Any:72`] } }, 'scanSignatures.hashes'],
    [{ scanSignatures: { hashes: [`${SHA256}:0:Tenant.Empty`] } }, 'scanSignatures.hashes'],
    [{ scanSignatures: { yara: ['not a rule'] } }, 'scanSignatures.yara'],
    [{ quarantineSearchPaths: ['srv'] }, 'quarantineSearchPaths'],
    [{ scanExclusions: ['usr'] }, 'scanExclusions'],
    [{ scanExclusions: ['/srv/../etc'] }, 'scanExclusions'],
    [{ scanExclusions: ['/srv/a\0b'] }, 'scanExclusions'],
    // Excluding the root would exclude every file: a scan that reads nothing.
    [{ scanExclusions: ['//'] }, 'scanExclusions'],
  ])('should refuse %j with 400 InvalidInput naming the field', async (payload, field) => {
    const res = await t.call({ method: 'PUT', url: '/api/cordon/settings', token: writer, payload });
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'InvalidInput']);
    expect(res.json().error.message).toContain(field);
  });

  it('should store scan exclusions normalised and once each', async () => {
    const put = await t.call({ method: 'PUT', url: '/api/cordon/settings', token: writer, payload: { scanExclusions: ['/usr/', '//opt//data/./x', '/usr', '/srv/share/a file.iso'] } });
    expect(put.statusCode).toBe(200);
    const got = (await t.call({ method: 'GET', url: '/api/cordon/settings', token: writer })).json();
    expect(got.scanExclusions).toEqual(['/usr', '/opt/data/x', '/srv/share/a file.iso']);
  });

  it('should refuse unknown properties, wrong types and out-of-range values by schema', async () => {
    for (const payload of [{ scanExclusions: '/usr' }, { scanExclusions: [''] }, { scanExclusions: Array(257).fill('/usr') }, { scanExclusions: [`/${'a'.repeat(4096)}`] }, { isolationexceptions: [] }, { scanCpuPercent: 0 }, { scanCpuPercent: 101 }, { scanCpuPercent: '50' }, { scanSignatures: { other: [] } }]) {
      const res = await t.call({ method: 'PUT', url: '/api/cordon/settings', token: writer, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('InvalidRequestBody');
    }
  });

  it('should refuse YARA rules over the total size cap', async () => {
    const rule = `rule r { strings: $a = "${'x'.repeat(60_000)}" condition: $a }`;
    const res = await t.call({ method: 'PUT', url: '/api/cordon/settings', token: writer, payload: { scanSignatures: { yara: Array(20).fill(rule) } } });
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'InvalidInput']);
  });

  it('should need Machine.ReadWrite.All to change and a read permission to view', async () => {
    const readOnly = await t.token(['Machine.Read.All']);
    expect((await t.call({ method: 'PUT', url: '/api/cordon/settings', token: readOnly, payload: {} })).statusCode).toBe(403);
    expect((await t.call({ method: 'GET', url: '/api/cordon/settings', token: await t.token(['Alert.Read.All']) })).statusCode).toBe(403);
    expect((await t.call({ method: 'GET', url: '/api/cordon/settings' })).statusCode).toBe(401);
  });
});
